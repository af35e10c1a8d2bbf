"""The words of war reporting that say control changed, and the words that say it did not.

A report of a change has a trigger: a verb or noun phrase with a kind (ACLED's split of
armed and non-violent transfer is the model: ``captured``, ``entered``, ``contested``,
``uprising``, ``withdrawal``), a form that says where its place stands (after an active
verb, "seized X"; after a noun, "the fall of X"; before a passive or intransitive verb, "X
fell", "X, Y and Z were among the towns taken"; near, "protesters in X tore down a
statue"; only in a digest line's label, "Palmyra: SAA pulled out"; or as a digest's
telegraphic predicate of the names opening its clause, "Al-Zarbah taken"), and a role for its
subject: the side that gains (``agent``), the side that loses ("regime forces were expelled
from X": ``loser``), or a holder whose state is reported rather than a change ("rebels now
hold X": ``state``), or the side that hands it over ("handed X over to Y": ``giver``, and Y
moves in), or a force the clause must name, seen in a place ("units were spotted in X":
``seen``; cholera reported in X is no entry). A ``same`` trigger ("followed by") repeats
the report before it.

The lexicon (:mod:`geo.triggerwords`) is written once for all outlets, in the forms wire,
state, partisan and analyst prose use; it is matched on ASCII-lowered text and tried only
where one of its head words starts (one Aho-Corasick pass over the article), so its size
costs nothing.
:func:`clause_of` cuts the clause a trigger reports in; :mod:`geo.filters` says when that
clause reports no change at all.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from .models import Span
from .scan import finditer_at, mark_starts
from .triggerwords import KINDS, RULES, SAME, STRENGTH, Rule

__all__ = [
    "CLAUSE_REACH",
    "KINDS",
    "SAME",
    "STRENGTH",
    "Rule",
    "Trigger",
    "boundary_between",
    "clause_of",
    "find_triggers",
]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger found in an article, with its rule's reading."""

    start: int
    end: int
    kind: str
    form: str
    strength: float
    role: str
    gap: str


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Auxiliaries that open rules, and the words that can follow them in one: other uses of
#: the auxiliaries ("was a", "had killed") are not tried against the rules at all.
_AUX_HEADS = _words("is are was were now has had have been being get got gets")
_AUX_LENGTH = max(map(len, _AUX_HEADS))
_AUX_NEXT = _words(
    """
    in now under among being been inside theirs ours also reportedly apparently fallen already
    captured seized taken overrun liberated stormed recaptured retaken conquered won evacuated
    abandoned vacated handed surrendered ceded relinquished expelled ousted ejected evicted
    routed purged cleared kicked driven forced pushed chased thrown flushed hold holds holding
    control controls controlling run runs occupies occupy remains remained is are was were
    reported seen spotted sighted filmed photographed pictured first held contested still clear
    cleared free emptied empty occupied since then later soon both all themselves open deserted
    unmanned
    """
)
#: ASCII punctuation and spaces as spaces (same length): every word then starts after a space.
_SPACED = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
#: The same on UTF-8 bytes (a byte below 0x80 is always an ASCII character of its own):
#: ``bytes.translate`` is a table look-up per byte, ``str.translate`` a dict look-up per
#: character once the text holds one non-ASCII character.
_SPACED_BYTES = bytes(c if c >= 128 or chr(c).isalnum() else 32 for c in range(256))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _spaced(lowered: str) -> str:
    """``lowered.translate(_SPACED)``, fast."""
    encoded = lowered.encode("utf-8", "surrogatepass")
    return encoded.translate(_SPACED_BYTES).decode("utf-8", "surrogatepass")


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], ...], ahocorasick.Automaton]:
    """One regex per rule and one automaton of their head words (" word" -> rule indices)."""
    patterns = tuple(re.compile(r.pattern) for r in RULES)
    heads: dict[str, list[int]] = {}
    for i, rule in enumerate(RULES):
        for head in rule.heads:
            heads.setdefault(" " + head.translate(_SPACED).strip(), []).append(i)
    automaton = ahocorasick.Automaton()
    for head, rules in heads.items():
        automaton.add_word(head, (len(head) - 1, tuple(sorted(set(rules)))))
    automaton.make_automaton()
    return patterns, automaton


def find_triggers(lowered: str, spans: Sequence[Span] | None = None) -> list[Trigger]:
    """Every trigger in an article's ASCII-lowered text, left to right, not overlapping;
    only inside ``spans`` (sorted sentences) when given.

    At a position the first rule of the lexicon that matches wins (the specific before
    the general: "took control of" before "took").
    """
    patterns, automaton = _compiled()
    spaced = " " + _spaced(lowered)
    starts: dict[int, tuple[int, ...]] = {}
    for end, (length, rules) in automaton.iter(spaced):
        start = end - length  # ``spaced`` has one more character in front
        if length <= _AUX_LENGTH and spaced[start + 1 : end + 1] in _AUX_HEADS:
            after = spaced[end + 2 : end + 18].split(None, 1)
            if not after or not (after[0] in _AUX_NEXT or after[0].endswith("ly")):
                continue  # "was a", "had been killed": no aux-led rule can match here
        old = starts.get(start)
        starts[start] = rules if old is None else tuple(sorted({*old, *rules}))
    if spans is not None:
        bounds = [s.start for s in spans]
        ends = [s.end for s in spans]
        starts = {
            at: rules
            for at, rules in starts.items()
            if (i := bisect_right(bounds, at) - 1) >= 0 and at < ends[i]
        }
    found: list[Trigger] = []
    done = 0
    for start in sorted(starts):
        if start < done:
            continue
        for i in starts[start]:
            m = patterns[i].match(lowered, start)
            if m:
                r = RULES[i]
                found.append(Trigger(start, m.end(), r.kind, r.form, r.strength, r.role, r.gap))
                done = m.end()
                break
    return found


# ---------------------------------------------------------------------------
# clauses and filters

_CLAUSE_WORDS = (
    "that", "while", "whereas", "but", "before", "after", "because", "although", "though",
)  # fmt: skip
_CLAUSE_BOUNDARY = re.compile(
    r"[;:!?]|\s[—–]\s|\s--\s|\.\s|,\s+(?:and|but|while|whereas|although|though|as|after|before"
    r"|when|which|who|where|saying|adding|according|thereby|amid|despite)\b"
    rf"|\b(?:{'|'.join(_CLAUSE_WORDS)})\s"
)  # searched in ASCII-lowered text
#: The literal each boundary holds and where it starts from it (a dash: the space before)
_CLAUSE_MARKS = (*((m, 0) for m in (*";:!?.,", *_CLAUSE_WORDS)), ("—", -1), ("–", -1), ("--", -1))
#: How far a clause reaches from its trigger when no boundary stops it first.
CLAUSE_REACH = _WINDOW = 100


@functools.lru_cache(maxsize=4)
def _boundaries(text: str) -> tuple[list[int], list[int]]:
    """Where the clause boundaries of a text start and end (found once per text)."""
    at = mark_starts(text, _CLAUSE_MARKS)
    found = [(m.start(), m.end()) for m in finditer_at(_CLAUSE_BOUNDARY, text, at, len(text))]
    return [a for a, _ in found], [b for _, b in found]


def clause_of(text: str, sentence: Span, start: int, end: int) -> Span:
    """The clause around ``text[start:end]``: from the last boundary before it to the next."""
    starts, ends = _boundaries(text)
    begin = max(sentence.start, start - _WINDOW)
    stop = min(sentence.end, end + _WINDOW)
    i = bisect_right(ends, start) - 1  # the last boundary ending at or before the trigger
    last = ends[i] if i >= 0 and starts[i] >= begin else begin
    j = bisect_left(starts, end)  # the first boundary starting at or after its end
    return Span(last, starts[j] if j < len(starts) and ends[j] <= stop else stop)


def boundary_between(text: str, start: int, end: int) -> bool:
    """Whether a clause boundary stands in ``text[start:end]``."""
    starts, ends = _boundaries(text)
    i = bisect_left(starts, start)
    return i < len(starts) and ends[i] <= end
