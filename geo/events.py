"""Control-change events: who took, entered, contested, rose up in or left which place, when.

A rule-based reader, sentence by sentence, over the places :mod:`geo.toponyms` found:

1. **Triggers** come from a lexicon of clause patterns, each with a kind (ACLED's split
   of armed and non-violent transfer is the model: ``captured``, ``entered``,
   ``contested``, ``uprising``, ``withdrawal``) and a form that says where its place
   stands: after an active verb ("seized X"), after a noun ("the fall of X"), before a
   passive or intransitive verb ("X fell"), or anywhere near ("protesters in X").
2. **Places** attach to a trigger when only light words separate them ("the central city
   of"), lists extend it ("Aleppo in the north, Hama in the center, and Deir al-Zor"),
   and "the two cities" points back to the last places named. Only places in Syria count.
3. **Filters** drop what is not a report of a change: denials ("had not penetrated"),
   hypotheticals and conditionals ("if", "could", "would", "once", a gerund subject with
   a modal), analogies and history (another year named), foreign forces' own moves.
4. **Actors** come from a lexicon (the profile's ``actor_phrases`` file), nearest to the
   trigger in its clause; generic words ("rebels") are mapped by region and marked so.
5. **Days** come from the time expression nearest to the trigger (found and resolved by
   :mod:`geo.dates`); a sentence with none takes the day named earlier in its paragraph, or
   its date heading; else the article's date (:func:`geo.dates.fallback_day`) is an
   approximate day. Photo captions only bound the day; recaps are never exact.

Within one article, reports of the same place and kind merge, and a capture or entry
subsumes the approach, uprising or withdrawal reported for the same place.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import fallback_day
from .errors import DataError
from .models import Article, Mention, Place, Span
from .profile import Profile, load_profile
from .timephrases import TimeExpression, find_time_expressions, headings

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = [
    "KINDS",
    "ControlEvent",
    "TimeExpression",
    "extract_events",
    "find_time_expressions",
    "load_actor_lexicon",
]

KINDS = ("captured", "entered", "contested", "uprising", "withdrawal")
#: A capture or entry says more than an approach, an uprising or a withdrawal.
STRENGTH = {"captured": 4, "entered": 3, "withdrawal": 2, "uprising": 1, "contested": 0}
FOREIGN = "foreign"


@dataclass(frozen=True, slots=True)
class ControlEvent:
    """One report of a change of control, with the evidence it rests on.

    ``day_precision`` follows ACLED's time precision: ``exact`` (the text names the
    day), ``approximate`` (a bound, a week, or the article's own date), ``unknown``.
    ``origin`` is ``extracted`` for this module's output, ``curated`` for analysts' rows.
    """

    id: str
    article_id: str
    place: Place
    kind: str
    actor: str
    actor_raw: str
    actor_basis: str  # text | generic ("rebels") | region (generic, mapped by place) | default
    day: dt.date | None
    day_precision: str
    day_cue: str
    confidence: float
    sentence: Span
    trigger: Span
    place_span: Span
    excerpt: str
    origin: str = "extracted"
    source: str = ""


# ---------------------------------------------------------------------------
# lexicons

_F = re.IGNORECASE


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


# (pattern, kind, form, strength of the evidence)
# form: "after" = the place follows; "before" = the place precedes; "near" = either side
_TRIGGERS: tuple[tuple[re.Pattern[str], str, str, float], ...] = (
    (
        _rx(
            r"\b(?:t(?:ook|aken|ake|akes|aking)|seiz(?:e|ed|es|ing)|gain(?:ed|ing)|assum(?:ed|ing)"
            r"|wrest(?:ed|ing)|declar(?:ed|ing)|establish(?:ed|ing)|had|has|have)\s+"
            r"(?:full\s+|total\s+|complete\s+)?control\s+(?:of|over)\b"
        ),
        "captured",
        "after",
        0.8,
    ),
    (
        _rx(
            r"\b(?:captur(?:e|es|ed|ing)|recaptur(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)"
            r"|overr(?:an|un|uns|unning)|liberat(?:e|es|ed|ing)|retook|retak(?:e|es|en|ing)"
            r"|swept\s+(?:into|through)|sweeping\s+(?:into|through)|storm(?:ed|ing)?(?:\s+into)?"
            r"|conquer(?:ed|ing)?|took|taken|taking|take|takes)(?:\s+over)?\b"
        ),
        "captured",
        "after",
        0.75,
    ),
    (
        _rx(r"\b(?:fall|capture|seizure|takeover|liberation|loss|surrender)\s+of\b"),
        "captured",
        "after",
        0.7,
    ),
    (
        _rx(
            r"\b(?:fell|fallen|falls)\s+(?:to|into|under)\b|\b(?:fell|has\s+fallen|had\s+fallen)\b"
        ),
        "captured",
        "before",
        0.75,
    ),
    (
        _rx(
            r"\b(?:was|were|is|are|has\s+been|had\s+been|have\s+been)\s+(?:\w+ly\s+)?"
            r"(?:captured|seized|taken|overrun|liberated|stormed|recaptured)\b"
        ),
        "captured",
        "before",
        0.75,
    ),
    (
        _rx(
            r"\b(?:came|comes|coming|is|was|are|were|now)\s+(?:now\s+)?(?:under\s+(?:the\s+)?"
            r"(?:full\s+)?control\s+of|in\s+the\s+hands\s+of)\b"
        ),
        "captured",
        "before",
        0.75,
    ),
    (
        _rx(
            r"\b(?:enter(?:ed|ing|s)?|penetrat(?:e|ed|es|ing)|(?:pushed|pushing|moved|moving"
            r"|rolled|rolling|poured|pouring|marched|marching|drove|driving|broke|breaking"
            r"|streamed|advanced)\s+into)\b"
        ),
        "entered",
        "after",
        0.75,
    ),
    (
        _rx(
            r"\b(?:bearing|bear|bore)\s+down\s+on|\bclos(?:e|es|ed|ing)\s+in\s+on"
            r"|\b(?:advanc(?:e|es|ed|ing)|push(?:es|ed|ing)?|march(?:es|ed|ing)?|mov(?:e|es|ed|ing)"
            r"|rall(?:y|ies|ied|ying)|head(?:s|ed|ing)?|drive)\s+(?:on|towards?|in)\b"
            r"|\b(?:besieg(?:e|ed|es|ing)|encircl(?:e|ed|es|ing)|surround(?:ed|ing)"
            r"|attack(?:ed|ing|s)?|approach(?:ed|es|ing)?|reach(?:ed|es|ing)?)\b"
            r"|\b(?:assault|offensive|attack|push|advance)\s+(?:on|against|towards?)\b"
            r"|\b(?:fighting|clashes|battle|battles|combat)\s+(?:in|for|around|near|over)\b"
            r"|\b(?:outskirts|edges?|gates|city\s+limits)\s+of\b"
            r"|\bwithin\s+\d+\s*(?:km|kilomet(?:er|re)s?|miles)(?:\s*\([^)]{0,20}\))?\s+of\b"
        ),
        "contested",
        "after",
        0.55,
    ),
    (
        _rx(
            r"\b(?:pull(?:ed|ing|s)?\s+back|f(?:ell|all|alling)\s+back|retreat(?:ed|ing|s)?)\s+"
            r"(?:as\s+far\s+as|to(?:wards?)?)\b"
        ),
        "contested",
        "after",
        0.5,
    ),
    (
        _rx(
            r"\b(?:withdr(?:ew|awn|awing|aw|aws)\s+from|pull(?:ed|ing|s)?\s+out\s+of"
            r"|retreat(?:ed|ing|s)?\s+from|abandon(?:ed|ing|s)?|evacuat(?:e|ed|es|ing)"
            r"|redeploy(?:ed|ing|s)?\s+(?:from|outside)|quit|vacat(?:e|ed|ing))\b"
        ),
        "withdrawal",
        "after",
        0.65,
    ),
    (
        _rx(
            r"\b(?:rose\s+up|ris(?:e|es|ing)\s+up|revolt(?:ed|ing|s)?|uprising|insurrection"
            r"|protest(?:ers|ors|ed|ing|s)?|demonstrat(?:ors|ed|ions)|took\s+to\s+the\s+streets"
            r"|(?:tore|tearing|torn|pulled|pulling|toppled|toppling|knocked|brought|bringing)"
            r"\s+down\s+(?:\w+\s+){0,3}?statues?"
            r"|desert(?:ed|ing|ers?)|defect(?:ed|ing|ions?))\b"
        ),
        "uprising",
        "near",
        0.6,
    ),
)

_LIGHT_GAP = _rx(
    r"^(?:[\s,]+|the|a|an|key|strategic|strategically|vital|central|northern|southern|eastern"
    r"|western|north|south|east|west|north-?western|north-?eastern|south-?western|south-?eastern"
    r"|major|main|big|ancient|former|rebel|government|regime|held|-held|stronghold|nearby"
    r"|city|cities|town|towns|village|villages|suburb|suburbs|provincial|capital|province"
    r"|district|neighbourhood|neighborhood|base|air|airbase|airport|of|most|much|all|parts?"
    r"|large|areas?|entire|whole|almost|nearly|key|second|third|largest|second-largest"
    r"|third-largest|biggest|syria'?s|syria’s|country'?s|country’s|itself|also|then|quickly"
    r"|rapidly|swiftly|fully|effectively|reportedly|back|on|in|into|over|control|full"
    r"|\d+(?:,\d{3})*|people|residents|home|to|-|security|military|army|buildings|offices"
    r"|headquarters|positions|checkpoints|bases|posts|districts|neighbou?rhoods|quarters"
    r"|centre|center|border|frontier|crossing|road|highway|junction|hub)*$"
)
_LIST_GLUE = _rx(
    r"^(?:\s+in\s+the\s+[a-z-]+)?\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well"
    r"\s+as\s+|\s+or\s+)(?:(?:the|nearby|southern|northern|eastern|western|central|key|border"
    r"|frontier|strategic|ancient|desert|coastal|mountain|rebel-held|government-held)\s+)*"
    r"(?:(?:city|town|village|cities|towns|suburb|district)\s+of\s+)?$"
)
_ANAPHOR = _rx(r"\s+(?:the|both)\s+(?:(two|three|four)\s+)?(cities|towns|city|town)\b")
_ANAPHOR_COUNT = {"two": 2, "three": 3, "four": 4}
_PART_OF = _rx(
    r"\s+(?:suburbs?|countryside|outskirts|district|neighbou?rhood|quarter|area)"
    r"\s+of\s+"
)
_AGENT = _rx(r"(?:[^.;:!?]{0,40}?\b(?:to|by|of)\s+)?\s*(?:the\s+)?")
_GAP_BEFORE = _rx(r"^(?:\s*,[^.;:!?]{0,60},\s*|\s+(?:city|town|itself|has|had|have|also|too)?\s*)$")
_PLACE_QUALIFIER_AFTER = _rx(
    r"\s*(?:suburbs?|countryside|outskirts|province|governorate"
    r"|district|region|residents?|resident)\b"
)

_CLAUSE_BOUNDARY = re.compile(
    r"[;:!?]|\s[—–]\s|\s--\s|\.\s|,\s+(?:and|but|while|whereas|although|though|as|after|"
    r"when|which|who|where|saying|adding|according)\b|\b(?:that|while|whereas|but)\s",
    _F,
)
_DENIAL = _rx(
    r"\b(?:not|n't|never|no\s+longer|failed|fail|unable|denied|deny|denies|denying"
    r"|yet\s+to|without|rather\s+than|instead\s+of|false|rumou?rs?)\b"
)
_MODAL = re.compile(
    r"\b(?:[Ii]f|[Uu]nless|[Ww]hether|could|would|might|may(?!\s+\d)|should|shall|will|won't"
    r"|[Oo]nce|threaten(?:s|ed|ing)?\s+to|plans?\s+to|planned\s+to|planning\s+to|aim(?:s|ed|ing)?"
    r"\s+to|seek(?:s|ing)?\s+to|sought\s+to|try(?:ing)?\s+to|tries\s+to|tried\s+to"
    r"|attempt(?:s|ed|ing)?\s+to|vow(?:s|ed|ing)?\s+to|intend(?:s|ed)?\s+to|expected\s+to"
    r"|poised\s+to|set\s+to|likely\s+to|possib(?:le|ility|ly)|potential(?:ly)?|fears?\s+(?:of|that)"
    r"|risk(?:s)?\s+of|in\s+order\s+to|ready\s+to|prepar(?:e|es|ed|ing)\s+to|want(?:s|ed)?\s+to"
    r"|going\s+to|about\s+to|hope(?:s|d)?\s+to|in\s+the\s+final\s+moments\s+of|on\s+the\s+verge"
    r"\s+of|on\s+the\s+brink\s+of)\b"
)
_ANALOGY = _rx(
    r"\b(?:brings?\s+to\s+mind|reminiscent|recall(?:s|ed|ing)?|echo(?:es|ed|ing)"
    r"|similar\s+to|just\s+as|like\s+the)\b"
)
_DENYING_REPORT = _rx(r"\b(?:denied|deny|denies|denying|dismissed|rejected|refuted)\b[^.;:!?]*$")
_EVENT_NOUNS = frozenset(
    {
        "fall",
        "capture",
        "seizure",
        "takeover",
        "liberation",
        "loss",
        "surrender",
        "assault",
        "offensive",
        "attack",
        "push",
        "advance",
        "fighting",
        "clashes",
        "battle",
        "battles",
        "combat",
        "outskirts",
        "edge",
        "edges",
        "gates",
        "city",
    }
)
_STOP = re.compile(r"[.;:!?]")
_YEAR = re.compile(r"\b(19[4-9]\d|20\d\d)\b")
_CAPTION = re.compile(r"\((?:[A-Z][\w.]*\s+)?Photos?\)|\b[A-Z]{2,}/[A-Z][a-z]|\bPhoto:|\(Photo")
_WINDOW = 90

# Time phrases and triggers are matched against ASCII-lower-cased text (the same length,
# so offsets hold), and only where a word starts: case-insensitive matching in ``re`` is
# several times slower.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WORD_START = r"(?<![a-z0-9])(?=[a-z0-9])"

# ---------------------------------------------------------------------------
# actors


@dataclass(frozen=True, slots=True)
class _ActorLexicon:
    pattern: re.Pattern[str]
    actors: dict[str, str]  # lower-cased phrase -> actor
    profile: Profile  # the actors' roles, the regions of generic words, the period


def _read_actor_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if not {"phrase", "actor"} <= set(reader.fieldnames or ()):
                msg = f"{path}: needs the columns phrase,actor"
                raise DataError(msg)
            return list(reader)
    except DataError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        msg = f"{path}: cannot read the actor lexicon ({err})"
        raise DataError(msg) from err


def load_actor_lexicon(profile: Profile | None = None) -> _ActorLexicon:
    """Phrases that name an actor, longest first, from the profile's ``actor_phrases`` file."""
    return _lexicon(profile or load_profile())


@functools.lru_cache(maxsize=8)
def _lexicon(profile: Profile) -> _ActorLexicon:
    path = profile.file("actor_phrases")
    names = profile.actor_names
    actors: dict[str, str] = {}
    for line, row in enumerate(_read_actor_rows(path), start=2):
        actor = row["actor"].strip()
        if actor not in names and actor != FOREIGN:
            msg = f"{path}:{line}: unknown actor {actor!r}; use one of {', '.join(names)}"
            raise DataError(msg)
        actors[row["phrase"].strip().lower()] = actor
    phrases = sorted(actors, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", _F)
    return _ActorLexicon(pattern, actors, profile)


# ---------------------------------------------------------------------------
# extraction


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    kind: str
    form: str
    strength: float


# Scanning: all trigger patterns in one alternation (priority order), run over
# ASCII-lower-cased text and tried only where a word starts (see _ASCII_LOWER).
_ANY_TRIGGER = re.compile(
    _WORD_START
    + "(?:"
    + "|".join(f"(?P<t{i}>{p.pattern})" for i, (p, *_) in enumerate(_TRIGGERS))
    + ")"
)


def _triggers(text: str, start: int, end: int) -> list[_Trigger]:
    found: list[_Trigger] = []
    for m in _ANY_TRIGGER.finditer(text[start:end].translate(_ASCII_LOWER)):
        _, kind, form, strength = _TRIGGERS[int(m.lastgroup[1:])]  # type: ignore[index]
        found.append(_Trigger(start + m.start(), start + m.end(), kind, form, strength))
    return found


def _clause_start(text: str, sentence_start: int, pos: int) -> int:
    begin = max(sentence_start, pos - _WINDOW)
    last = begin
    for m in _CLAUSE_BOUNDARY.finditer(text, begin, pos):
        last = m.end()
    return last


def _clause_end(text: str, pos: int, sentence_end: int) -> int:
    m = _CLAUSE_BOUNDARY.search(text, pos, min(sentence_end, pos + _WINDOW))
    return m.start() if m else min(sentence_end, pos + _WINDOW)


def _towns(mentions: list[Mention], gazetteer: Gazetteer | None) -> list[Mention]:
    """ "the two cities" after "southern Suweida and Deraa": a region made from a town's name
    stands for the town itself."""
    if gazetteer is None:
        return mentions
    out = []
    for m in mentions:
        town = (
            gazetteer.place(m.place.parent) if m.place.kind == "region" and m.place.parent else None
        )
        out.append(replace(m, place=town) if town is not None else m)
    return out


def _places_for(
    text: str,
    trigger: _Trigger,
    mentions: Sequence[Mention],
    sentence: Span,
    gazetteer: Gazetteer | None = None,
) -> list[tuple[Mention, ...]]:
    """Mentions a trigger is about: the object, a list, or what "the two cities" refers to."""
    after = [m for m in mentions if m.start >= trigger.end and m.end <= sentence.end]
    before = [m for m in mentions if m.end <= trigger.start and m.start >= sentence.start]
    chosen: list[Mention] = []
    if trigger.form in {"after", "near"} and after:
        first = after[0]
        part_of = _PART_OF.match(text, first.end)
        if part_of and len(after) > 1 and after[1].start == part_of.end():
            first = after[1]  # "the Damascus suburb of Jaramana" is about Jaramana
        gap = text[trigger.end : first.start]
        near = trigger.form == "near" and len(gap) <= 60 and not _CLAUSE_BOUNDARY.search(gap)
        if _LIGHT_GAP.match(gap) or near:
            chosen.append(first)
            for nxt in after[1:]:
                if not _LIST_GLUE.match(text[chosen[-1].end : nxt.start]):
                    break
                chosen.append(nxt)
        elif trigger.form == "after":
            anaphor = _ANAPHOR.match(text, trigger.end)
            gap = text[trigger.end : anaphor.start()] if anaphor else ""
            if anaphor and not gap.strip() and before:
                n = _ANAPHOR_COUNT.get((anaphor.group(1) or "").lower(), 1)
                if anaphor.group(2).lower() in {"cities", "towns"} or (anaphor.group(1) or ""):
                    n = max(n, 2)
                chosen.extend(_towns(before[-n:], gazetteer))
    if not chosen and trigger.form == "after" and not after:
        anaphor = _ANAPHOR.match(text, trigger.end)
        if anaphor and before:
            n = _ANAPHOR_COUNT.get((anaphor.group(1) or "").lower(), 1)
            chosen.extend(_towns(before[-n:], gazetteer))
    if not chosen and trigger.form in {"before", "near"} and before:
        last = before[-1]
        gap = text[last.end : trigger.start]
        near_gap = trigger.form == "near" and len(gap) <= 40 and not _STOP.search(gap)
        if _GAP_BEFORE.match(gap) or near_gap:
            chosen.append(last)
    return [(m,) for m in chosen]


def _actor(
    text: str,
    lexicon: _ActorLexicon,
    trigger: _Trigger,
    clause: Span,
    sentence: Span,
    place_end: int,
) -> tuple[str, str] | None:
    """(actor, words): the trigger's subject, else "fell to X" / "by X", else an earlier one.

    Words after the trigger are not searched beyond the agent phrase: "residents said"
    is who reports, not who acts.
    """
    before = list(lexicon.pattern.finditer(text, clause.start, trigger.start))
    if before:
        return lexicon.actors[before[-1].group().lower()], before[-1].group()
    agent = _AGENT.match(text, max(trigger.end, place_end))
    if agent:
        m = lexicon.pattern.match(text, agent.end())
        if m:
            return lexicon.actors[m.group().lower()], m.group()
    earlier = list(lexicon.pattern.finditer(text, sentence.start, trigger.start))
    if earlier:
        return lexicon.actors[earlier[-1].group().lower()], earlier[-1].group()
    return None


def _rejected(
    text: str, trigger: _Trigger, clause: Span, sentence: Span, period: tuple[dt.date, dt.date]
) -> str | None:
    """Why the clause is not a report of a change, if it is not."""
    head = text[clause.start : trigger.start]
    if _DENIAL.search(head):
        return "denial"
    if _DENYING_REPORT.search(text, max(sentence.start, clause.start - 60), clause.start):
        return "denial"
    if _MODAL.search(head):
        return "hypothetical"
    # "Seizing Homs would...", "An attack on Damascus would...": an event as a subject
    tail = text[trigger.end : clause.end]
    word = text[trigger.start : trigger.end].split(maxsplit=1)[0].lower()
    as_subject = word.endswith("ing") or word in _EVENT_NOUNS
    if as_subject and len(head.split()) <= 3 and _MODAL.search(tail):
        return "hypothetical"
    if _ANALOGY.search(text, clause.start, clause.end):
        return "analogy"
    period_years = {str(d.year) for d in period}
    if any(y not in period_years for y in _YEAR.findall(text, clause.start, clause.end)):
        return "history"
    return None


def _event_id(article_id: str, trigger: _Trigger, mention: Mention) -> str:
    spans = f"{trigger.start}-{trigger.end}:{mention.start}-{mention.end}"
    key = f"{article_id}:{spans}:{mention.place.id}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class _DayContext:
    """What dates a report whose sentence names no time: the paragraph's day or the article's."""

    carried: TimeExpression | None  # a date heading, or the last day named in the paragraph
    fallback: dt.date | None  # the article's date (see ``geo.dates.fallback_day``)


def extract_events(
    article: Article,
    mentions: Iterable[Mention],
    *,
    lexicon: _ActorLexicon | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[ControlEvent]:
    """Control-change events reported in ``article``, one per place and kind.

    ``gazetteer`` lets "the two cities" point back to the towns of regions named after them.
    """
    lexicon = lexicon or load_actor_lexicon()
    text = article.text
    in_article = sorted((m for m in mentions if m.article_id == article.id), key=lambda m: m.start)
    # a mention inside a longer one ("Hama province" in "northern Hama province") is not
    # reported on its own
    in_article = [
        m
        for i, m in enumerate(in_article)
        if not any(
            o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in in_article[max(0, i - 2) : i + 3]
        )
    ]
    starts = [m.start for m in in_article]
    period = lexicon.profile.period
    times_all = find_time_expressions(text, article.published, period=period)
    time_starts = [t.start for t in times_all]
    evidence = article.published_evidence
    sections = headings(text, article.paragraphs, evidence, article.published, period)
    paragraph_starts = [p.start for p in article.paragraphs]
    fallback = fallback_day(article.published, evidence, period)
    paragraph, carried = -1, None
    events: list[ControlEvent] = []
    for sentence in article.sentences if article.paragraphs else (Span(0, len(text)),):
        if (p := bisect_right(paragraph_starts, sentence.start) - 1) != paragraph:
            paragraph, carried = p, _heading(sections, p)
        first = bisect_left(time_starts, sentence.start)
        last = bisect_left(time_starts, sentence.end)
        times = [t for t in times_all[first:last] if t.end <= sentence.end]
        context = _DayContext(None if times else carried, fallback)
        if times and not _CAPTION.search(text, sentence.start, sentence.end + 40):
            carried = next((t for t in reversed(times) if t.names_day), carried)
        lo = bisect_right(starts, sentence.start - 1)
        hi = bisect_right(starts, sentence.end - 1)
        here = [m for m in in_article[lo:hi] if m.end <= sentence.end]
        if not here:
            continue
        found = []
        for trigger in _triggers(text, sentence.start, sentence.end):
            clause = Span(
                _clause_start(text, sentence.start, trigger.start),
                _clause_end(text, trigger.end, sentence.end),
            )
            for (mention,) in _places_for(text, trigger, here, sentence, gazetteer):
                found.append((trigger, clause, mention))
        events.extend(_build(article, found, times, lexicon, sentence, context))
    return _consolidate(events)


def _heading(sections: dict[int, TimeExpression], paragraph: int) -> TimeExpression | None:
    """The date heading a paragraph stands under (timelines, live pages), if any."""
    above = [i for i in sections if i <= paragraph]
    return sections[max(above)] if above else None


def _report_day(
    time: TimeExpression | None, context: _DayContext, caption: bool
) -> tuple[dt.date | None, str, str]:
    """A report's day, precision and cue: its own time phrase, else the paragraph's day,
    else the article's date (approximate). A photo caption's date only bounds the event."""
    if time is not None and time.day is not None:
        day, precision, cue = time.day, time.precision, time.text
    elif context.carried is not None and context.carried.day is not None:
        carried = context.carried
        where = "heading" if carried.kind in {"heading", "stamp"} else "earlier in the paragraph"
        day, precision, cue = carried.day, carried.precision, f"{carried.text} ({where})"
    elif context.fallback is not None:
        return context.fallback, "approximate", "article date"
    else:
        return None, "unknown", ""
    if caption:
        precision, cue = "approximate", f"{cue} (photo caption: by this day)"
    return day, precision, cue


def _build(
    article: Article,
    found: list[tuple[_Trigger, Span, Mention]],
    times: list[TimeExpression],
    lexicon: _ActorLexicon,
    sentence: Span,
    context: _DayContext,
) -> list[ControlEvent]:
    text = article.text
    roles = lexicon.profile
    # each time expression dates the trigger nearest to it (all of that trigger's places)
    triggers = list(dict.fromkeys(t for t, _, _ in found))
    owner: dict[_Trigger, TimeExpression] = {}
    for t in times:
        if triggers:
            nearest = min(triggers, key=lambda trig: _distance(trig, t, text))
            current = owner.get(nearest)
            if current is None or _distance(nearest, t, text) < _distance(nearest, current, text):
                owner[nearest] = t
    caption = bool(_CAPTION.search(text, sentence.start, min(len(text), sentence.end + 40)))
    out = []
    for trigger, clause, mention in found:
        place = mention.place
        if place.country != roles.country:
            continue
        if _PLACE_QUALIFIER_AFTER.match(text, mention.end) and trigger.kind != "contested":
            continue
        if _rejected(text, trigger, clause, sentence, lexicon.profile.period):
            continue
        actor_found = _actor(text, lexicon, trigger, clause, sentence, mention.end)
        if actor_found and actor_found[0] == FOREIGN:
            continue
        if trigger.kind == "uprising" and (actor_found is None or actor_found[0] == roles.unknown):
            actor, raw, basis = roles.uprising, text[trigger.start : trigger.end], "default"
        elif trigger.kind == "uprising" and actor_found[0] == roles.state:
            actor, raw, basis = roles.uprising, actor_found[1], "text"  # soldiers defecting
        elif actor_found is None:
            actor, raw, basis = roles.unknown, "", "default"
        else:
            actor, raw = actor_found
            basis = "text"
        if actor == roles.generic and basis == "text" and raw.lower() in _GENERIC_WORDS:
            basis = "generic"
            regional = roles.generic_by_region.get(place.admin1)
            if regional:
                actor, basis = regional, "region"
        if trigger.kind == "withdrawal" and actor in {roles.unknown, roles.uprising}:
            continue  # people leaving a town is not a force withdrawing from it
        day, precision, cue = _report_day(owner.get(trigger), context, caption)
        word = text[trigger.start : trigger.end].split()[0].lower()
        confidence = trigger.strength - (0.1 if word.endswith("ing") else 0.0)
        confidence += {"text": 0.1, "generic": 0.05}.get(basis, 0.0)
        confidence += 0.05 if precision == "exact" else 0.0
        confidence = round(min(1.0, confidence * (0.5 + mention.confidence / 2)), 2)
        out.append(
            ControlEvent(
                id=_event_id(article.id, trigger, mention),
                article_id=article.id,
                place=place,
                kind=trigger.kind,
                actor=actor,
                actor_raw=raw,
                actor_basis=basis,
                day=day,
                day_precision=precision,
                day_cue=cue,
                confidence=confidence,
                sentence=sentence,
                trigger=Span(trigger.start, trigger.end),
                place_span=Span(mention.start, mention.end),
                excerpt=text[sentence.start : sentence.end],
            )
        )
    return out


_GENERIC_WORDS = frozenset(
    {
        "rebels",
        "rebel",
        "insurgents",
        "insurgent",
        "opposition",
        "opposition fighters",
        "opposition forces",
        "fighters",
        "militants",
        "anti-regime forces",
        "anti-regime fighters",
        "rebel fighters",
        "rebel forces",
        "opposition groups",
        "armed groups",
        "armed factions",
        "factions",
        "gunmen",
        "the groups",
        "islamists",
        "islamist militants",
        "islamist rebels",
        "jihadists",
        "militant fighters",
        "insurgent fighters",
        "rebel groups",
        "local fighters",
        "local insurgents",
        "local gunmen",
    }
)


def _distance(trigger: _Trigger, t: TimeExpression, text: str = "") -> int:
    """Characters between a trigger and a time phrase; another clause counts as far away."""
    lo, hi = sorted((trigger.end, t.start) if t.start >= trigger.end else (t.end, trigger.start))
    far = 1000 if text and _CLAUSE_BOUNDARY.search(text, lo, hi) else 0
    return hi - lo + far


_PRECISION_RANK = {"exact": 0, "approximate": 1, "unknown": 2}


def _consolidate(events: list[ControlEvent]) -> list[ControlEvent]:
    """One event per place and kind in an article; captures subsume weaker reports there."""
    best: dict[tuple[str, str], ControlEvent] = {}
    for e in events:
        key = (e.place.id, e.kind)
        old = best.get(key)
        if old is None or _better(e, old):
            best[key] = e
    strongest: dict[str, int] = {}
    for place_id, kind in best:
        strongest[place_id] = max(strongest.get(place_id, -1), STRENGTH[kind])
    kept = [
        e for (place_id, kind), e in best.items() if STRENGTH[kind] >= 3 or strongest[place_id] < 3
    ]
    return sorted(kept, key=lambda e: e.trigger.start)


def _better(a: ControlEvent, b: ControlEvent) -> bool:
    rank_a = (_PRECISION_RANK[a.day_precision], -a.confidence)
    rank_b = (_PRECISION_RANK[b.day_precision], -b.confidence)
    return rank_a < rank_b


def with_day(event: ControlEvent, day: dt.date | None, precision: str) -> ControlEvent:
    """A copy with another day (curation and review use it)."""
    return replace(event, day=day, day_precision=precision)
