"""Which day a report gives: its own time phrase, the scene a sentence opens with, the
paragraph's day, else the article's date.

Each time phrase of a sentence dates its nearest trigger (another clause counts as far
away); a calendar date that opens the sentence dates the triggers left without one; a
holder reported in the present tense ("rebels now control X") keeps the article's day,
in the past tense ("by morning X was in their hands") the paragraph's.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .models import Article, Span
from .scan import Gated
from .timephrases import TimeExpression
from .triggers import SAME, Trigger

__all__ = [
    "carries_day",
    "heading_day",
    "report_day",
    "scene_time",
    "stamped_sections",
    "time_owners",
]

#: what another clause adds to a distance (characters)
_FAR = 1000
#: ... and a time phrase that closes the verb phrase before "and" (a trigger's own
#: phrase after it is nearer, but with none the phrase still dates it)
_CLOSED = 200
_JOINED = re.compile(r"\s*,?\s*(?:and|then|but)\s")
#: a calendar date this close to a sentence's start sets the scene for all its reports
SCENE_CHARS = 25
_PAST_STATE = re.compile(r"(?:was|were|had|held|remained|controlled)\b")


def time_owners(
    triggers: list[Trigger], times: list[TimeExpression], lowered: str
) -> dict[Trigger, TimeExpression]:
    """Each trigger of a sentence with the time phrase nearest it, if one is.

    Closest pairs first: a phrase whose nearest trigger has a closer one of its own dates
    the next trigger of its clause instead ("which stormed X late on Friday, had by
    Saturday evening taken over the city": Friday is the storming's).
    """
    if not triggers:
        return {}
    pairs = sorted(
        ((_distance(trig, t, lowered), i, j) for i, trig in enumerate(triggers)
         for j, t in enumerate(times)),
    )  # fmt: skip
    nearest: dict[int, int] = {}
    for _, i, j in pairs:
        nearest.setdefault(j, i)
    owner: dict[Trigger, TimeExpression] = {}
    used: set[int] = set()
    for distance, i, j in pairs:
        if j in used or triggers[i] in owner:
            continue
        if nearest[j] != i and distance >= _FAR:
            continue  # only within the clause does a phrase move on to the next trigger
        owner[triggers[i]] = times[j]
        used.add(j)
    return owner


#: phrases that set a sentence's scene when they open it, set off by a comma: a weekday,
#: "the same day", "yesterday" (counted spans and recaps do not)
_OPENING_KINDS = frozenset({"weekday", "same", "yesterday", "today"})


def scene_time(
    times: list[TimeExpression], sentence: Span, lowered: str = ""
) -> TimeExpression | None:
    """ "On 7 December Quneitra was taken, and ... took Palmyra", "The same day, Israeli
    forces moved into X and seized Y": the day the sentence opens with."""
    for t in times:
        if not t.names_day:
            continue
        if t.kind == "absolute" and t.start - sentence.start <= SCENE_CHARS:
            return t
        opening = t.start - sentence.start <= 2 and lowered[t.end : t.end + 1] == ","
        if t.kind in _OPENING_KINDS and opening:
            return t
    return None


#: a trigger told in the present tense ("is contested", "are being fought over")
_PRESENT = re.compile(r"(?<![\w'’])(?:is|are|remains?)\s")


def carries_day(trigger: Trigger, lowered: str) -> bool:
    """Whether the paragraph's day may date this trigger: not a holder in the present tense."""
    if _PRESENT.search(lowered, trigger.start, trigger.end):
        return False  # "Al-Sanamayn is contested", "fighting is under way on X": today
    return trigger.role != "state" or _PAST_STATE.match(lowered, trigger.start) is not None


def heading_day(sections: dict[int, TimeExpression], paragraph: int) -> TimeExpression | None:
    """The date heading a paragraph stands under (timelines, live pages), if any."""
    above = [i for i in sections if i <= paragraph]
    return sections[max(above)] if above else None


#: what may stand before an entry's lead date ("- ", "* ", "3. ") and after it (a dash, a colon)
_LEAD_BEFORE = re.compile(r"[\s*\-\u2022\u2013\d.)#]*")
_LEAD_AFTER = re.compile(r"[\s*_]*[\u2013\u2014:\-]\s")


def lead_day(
    text: str, paragraph: Span, times: Sequence[TimeExpression], starts: Sequence[int]
) -> TimeExpression | None:
    """The date an entry opens with ("- 2 December – Fighting spreads... X is taken."),
    read as a heading over the entry: a timeline's present tense is history, not news."""
    i = bisect_left(starts, paragraph.start)
    if i == len(times) or times[i].day is None or times[i].end > paragraph.end:
        return None
    t = times[i]
    if not _LEAD_BEFORE.fullmatch(text, paragraph.start, t.start):
        return None
    return replace(t, kind="stamp") if _LEAD_AFTER.match(text, t.end) else None


def report_day(
    time: TimeExpression | None,
    carried: TimeExpression | None,
    fallback: dt.date | None,
    caption: bool,
) -> tuple[dt.date | None, str, str]:
    """A report's day, precision and cue: its own time phrase, else the paragraph's day,
    else the article's date (approximate). A photo caption's date only bounds the event."""
    if time is not None and time.day is not None:
        day, precision, cue = time.day, time.precision, time.text
    elif carried is not None and carried.day is not None:
        where = "heading" if carried.kind in {"heading", "stamp"} else "earlier in the paragraph"
        day, precision, cue = carried.day, carried.precision, f"{carried.text} ({where})"
    elif fallback is not None:
        return fallback, "approximate", "article date"
    else:
        return None, "unknown", ""
    if caption:
        precision, cue = "approximate", f"{cue} (photo caption: by this day)"
    return day, precision, cue


_BOUNDARY = Gated(
    re.compile(r"[;:!?]|\.\s|,\s+(?:and|but|while|which|who|where|as|after)\b|\bthat\s"),
    *";:!?.,",
    "that",
)


def _distance(trigger: Trigger, t: TimeExpression, lowered: str) -> int:
    """Characters between a trigger and a time phrase; another clause counts as far away,
    and so does a day before "followed by" (it dates the report the sequence starts from)."""
    if trigger.start <= t.start < trigger.end:
        return 0  # "followed a day later by"
    if t.start <= trigger.start < t.end:
        return 10_000  # "two days after Hama fell": the report the phrase counts from
    if trigger.kind == SAME and t.start < trigger.start:
        return 10_000
    lo, hi = sorted((trigger.end, t.start) if t.start >= trigger.end else (t.end, trigger.start))
    far = _FAR if _BOUNDARY.search(lowered, lo, hi) else 0
    if not far and t.end <= trigger.start and _JOINED.match(lowered, lo, hi):
        far = _CLOSED  # "attacked X last Saturday and seized Y on Sunday": Saturday is done
    return hi - lo + far


#: a time of day in a stamp ("07.12.2024 02:15")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def stamped_sections(
    article: Article, sections: dict[int, TimeExpression]
) -> list[tuple[int, int, dt.date | None]]:
    """The text in spans, each with the day its "yesterday" and "on Saturday" count from:
    the article's, or under a message's own stamp of day and time ("07.12.2024 02:15": it
    was written then) that stamp's day. A timeline's date heading ("December 2") is not
    when its lines were written, so its section counts from the article's day."""
    cuts = [
        (article.paragraphs[i].start, t.day)
        for i, t in sorted(sections.items())
        if t.kind == "heading" and t.day is not None and _CLOCK.search(t.text)
    ]
    if not cuts:
        return [(0, len(article.text), article.published)]
    spans = [(0, cuts[0][0], article.published)] if cuts[0][0] > 0 else []
    ends = [at for at, _ in cuts[1:]] + [len(article.text)]
    spans += [(at, end, day) for (at, day), end in zip(cuts, ends, strict=True)]
    return spans
