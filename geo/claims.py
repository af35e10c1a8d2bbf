"""Who a report says claims a change: "the army" in "the army said it retook X", "the
monitor" in "..., according to the monitor". A claim is kept with its source, apart from
what the text states itself."""

from __future__ import annotations

import re

from .models import Span

__all__ = ["claim_source"]

_SAY = re.compile(
    r"\b(?:said|says|claimed|claims|reported|reports|announced|announces|declared|declares"
    r"|stated|states|confirmed|confirms|added|adds|told|tells|insisted|insists|alleged|alleges"
    r"|asserted|maintained|boasted|acknowledged|admitted|wrote|posted|showed|shows|quoted|cited)\b"
)
_ACCORDING = re.compile(r"\b(?:according\s+to|citing|quoting)\s+(?P<src>[^,.;:()]{3,70})", re.I)
_SOURCE_WORD = re.compile(r"[A-Za-z][\w'’.&/-]*$")
_NOT_SOURCE = frozenset(
    {"it", "they", "he", "she", "we", "which", "who", "that", "and", "the", "a", "an", "this",
     "also", "there", "further", "later", "earlier", "likewise", "had", "has", "have"}
)  # fmt: skip
_TRIM = re.compile(
    r"^(?:(?:on|in|at|by|late|early|meanwhile|however|but|and|also|then|later|earlier|while"
    r"|as|after|before|when|yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|morning|evening|night)\s+)+",
    re.I,
)
_AUX = frozenset({"also", "further", "later", "earlier", "likewise", "had", "has", "have"})
_MAX_SOURCE_WORDS = 7


def claim_source(text: str, sentence: Span, trigger_start: int) -> str:
    """Who the sentence says reports the change: "the army" in "the army said it retook X",
    "the monitor" in "..., according to the monitor"; ``""`` when the text says it itself."""
    head = text[sentence.start : trigger_start]
    for verb in reversed(list(_SAY.finditer(head))):
        src = _words_before(head, verb.start())
        if src:
            return src
    m = _ACCORDING.search(text, sentence.start, sentence.end)
    if m:
        return _clean(m.group("src"))
    tail = text[trigger_start : sentence.end].rstrip(" .\"”'")
    comma = tail.rfind(",")
    if comma >= 0:
        verb = _SAY.search(tail, comma)
        if verb and len(tail) - verb.end() <= 40:
            return _clean(tail[comma + 1 : verb.start()])
    return ""


def _words_before(head: str, end: int) -> str:
    """The noun phrase ending at ``end`` (up to seven words, stopping at punctuation)."""
    words: list[str] = []
    for word in reversed(head[:end].split()):
        bare = word.rstrip(",")
        if bare != word and words:
            break  # "X, Y said": an aside before the speaker
        if not _SOURCE_WORD.match(bare):
            break
        if not words and bare.lower() in _AUX:
            continue  # "the army also said"
        words.append(bare)
        if len(words) == _MAX_SOURCE_WORDS:
            break
    return _clean(" ".join(reversed(words)))


def _clean(src: str) -> str:
    src = _TRIM.sub("", " ".join(src.split())).strip(" ,\"“”'")
    words = src.split()
    if not words or words[-1].lower() in _NOT_SOURCE or src.lower() in _NOT_SOURCE:
        return ""
    return src[:60]
