"""Time phrases in running text, and the day each one gives an event.

An event's day is rarely a date: reports write "on Friday", "yesterday", "late last
night", "a day earlier", "by Nov. 30", "within three days", and timelines and live pages
put a date or a clock time over a block of entries. This module finds those phrases (on
ASCII-lowered text, the full pattern tried only near a cheap literal hint) and resolves
each against the article's own day, the last day named before it and the mapped period,
with a precision: ``exact`` when the phrase names the day, ``approximate`` for bounds,
ranges, weeks and recaps. The calendar itself (months, yearless dates, date lines) is
:mod:`geo.dates`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

import ahocorasick

from .dates import (
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    WEEKDAYS,
    DateLine,
    Period,
    ascii_lower,
    calendar_day,
    date_lines,
    ordinal_day,
)
from .models import DateEvidence, Span
from .profile import Operation

__all__ = ["TimeExpression", "counted_day", "find_time_expressions", "headings", "operations_of"]

_DAY = dt.timedelta(days=1)
#: Named operations as (ASCII-lowered name, first day), longest name first.
Operations = Sequence[tuple[str, dt.date]]


@functools.lru_cache(maxsize=8)
def operations_of(profile_operations: tuple[Operation, ...]) -> tuple[tuple[str, dt.date], ...]:
    """A profile's operations as :func:`find_time_expressions` reads them (the first
    operation's names first: an unnamed "the offensive" is that one)."""
    named = [(ascii_lower(n), op.start) for op in profile_operations for n in op.names]
    return tuple(named[:1] + sorted(named[1:], key=lambda pair: -len(pair[0])))


def counted_day(
    text: str, paragraphs: Sequence[Span], operations: Operations, top: int = 3
) -> TimeExpression | None:
    """A day counted in an operation in the first ``top`` paragraphs (a headline "on the
    fourth day of the offensive"): the day of a page that prints no date."""
    if not operations or not paragraphs:
        return None
    end = paragraphs[min(top, len(paragraphs)) - 1].end
    found = find_time_expressions(text, None, end=end, operations=operations)
    return next((t for t in found if t.kind == "counted" and t.precision == "exact"), None)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A phrase that dates something, where it stands, and the day it resolves to.

    ``kind`` says how it was read: ``absolute``, ``weekday``, ``ago``, ``yesterday``,
    ``today``, ``before``/``after``/``same`` (from the last day named), ``week``, ``month``,
    ``recap`` ("in three days"), or ``heading``/``stamp`` for a date line over a section.
    """

    start: int
    end: int
    text: str
    day: dt.date | None
    precision: str
    kind: str = ""

    @property
    def names_day(self) -> bool:
        """Whether it names one day (so it can date what follows), not a week or a span."""
        return self.day is not None and self.kind not in {"week", "month", "recap"}


_LMON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_LWD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a\s+few|few|several)"
_TH = r"(?!\d)(?:st|nd|rd|th)?"
_MORE = rf"(?P<more>\s*(?:-|\u2013|,|&|and|to)\s*\d{{1,2}}{_TH}(?![\d:]|,?\s+\d{{4}}))?"
_LOOSE = frozenset({"by", "until", "till", "before", "since", "from", "after", "as of"})
#: Time phrases, matched on ASCII-lowered text where a word starts.
_TIME_RX = re.compile(
    r"(?<![a-z0-9])(?=[a-z0-9])(?:"
    r"(?P<absolute>(?:(?:early|late)\s+(?:on\s+)?)?"
    r"(?:(?P<bound>on|by|since|until|till|from|as\s+of|before|after)\s+)?(?:the\s+)?"
    rf"(?:{_LWD},?\s+(?:the\s+)?)?(?:(?P<am>{_LMON})\s+(?P<ad>\d{{1,2}}){_TH}{_MORE}"
    r"(?:,?\s+(?P<ay>\d{4}))?"
    rf"|(?P<od>{ORDINAL_WORDS})\s+of\s+(?P<om>{_LMON})(?:,?\s+(?P<oy>\d{{4}}))?"
    rf"|(?P<wm>{_LMON})\s+(?:the\s+)?(?P<wn>{ORDINAL_WORDS})(?![a-z0-9])(?:,?\s+(?P<wy>\d{{4}}))?"
    rf"|(?P<bd>\d{{1,2}}){_TH}(?P<bmore>\s*(?:-|\u2013|&|and|to)\s*\d{{1,2}}{_TH})?\s+(?:of\s+)?"
    rf"(?P<bm>{_LMON})(?:,?\s+(?P<by>\d{{4}}))?"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})|(?P<na>\d{1,2})(?P<ns>[-/.])(?P<nb>\d{1,2})(?P=ns)(?P<ny>\d{4})))"
    # "on Friday the twenty-ninth", "Sunday, the 1st": a day of the month, no month named
    rf"|(?P<wdate>(?:(?P<dbound>on|by|since|until|from)\s+)?(?P<dwd>{_LWD})"
    r"(?:\s+(?:morning|afternoon|evening|night))?,?\s+the\s+"
    rf"(?P<dn>\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_WORDS})(?![a-z0-9])"
    # where the day ends: not "Wednesday, the 8th Brigade", nor a month's "of December"
    r"(?=\s*(?:[,.;:!?)\u2013\u2014-]|$)|\s+(?:and|when|as|at|in|on|after|before|until|but|morning"
    r"|afternoon|evening|night)\b))"
    rf"|(?P<weekday>(?:(?:early|late)\s+)?(?:(?P<wbound>on|by|since|until|last|this|from)\s+)?"
    rf"(?P<wd>{_LWD})(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?\b)"
    rf"|(?P<ago>{_NUM}\s+(?:days?|weeks?)\s+ago(?:\s+today)?\b|the\s+day\s+before\s+yesterday\b)"
    r"|(?P<yesterday>(?:yesterday|last\s+night|overnight)\b)"
    # "fierce clashes since dawn", "drove in before dawn": a time of day, which names no
    # day (the sentence's or the paragraph's does), read so it joins no words to a place
    r"|(?P<clock>(?:since|before|after)\s+dawn(?!\s+(?:on|of|yesterday|today|this|last)\b))"
    r"|(?P<today>(?:today|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today"
    r"|within\s+(?:the\s+(?:last|past)\s+)?24\s+hours|in\s+the\s+(?:last|past|space\s+of)\s+24"
    r"\s+hours)\b)"
    # a brief's "D+3", "by D+4": days counted from D-Day, the offensive's first day
    r"|(?P<dplus>(?:(?P<dpb>on|by)\s+)?d(?:\+(?P<dpn>\d{1,2})(?!\d)|-day\b))"
    # "Two days after Hama fell, ...", "The day after Aleppo, ...": opening a sentence, the
    # days after the last day named, for the clause after the comma
    r"|(?:^|(?<=[.!?:\n]\s)|(?<=\n))(?P<lead>(?:the|a|one|two|three)\s+days?\s+after\s+"
    r"(?:the\s+fall\s+of\s+)?(?![a-z]+ing\b)[a-z][\w'-]*(?:[\s-][a-z][\w'-]*){0,3}?"
    r"(?:\s+fell|'s\s+fall)?)(?=\s*,)"
    r"|(?P<before>(?:a\s+day\s+earlier|the\s+(?:previous|preceding)\s+day|the\s+day\s+before"
    r"|(?:a|one|two|three)\s+days\s+(?:earlier|before)|(?:a|one|two|three)\s+days?\s+after"
    r"|(?:24|48|72)\s+hours\s+(?:earlier|before))\b)"
    r"|(?P<after>(?:a\s+day\s+later|the\s+(?:next|following)\s+(?:day|morning|afternoon|evening"
    r"|night)|(?:a|one|two|three)\s+days\s+later|(?:24|48|72)\s+hours\s+(?:later|after))\b)"
    r"|(?P<same>(?:(?:earlier|later)\s+(?:in|on)\s+the\s+day|(?:earlier|later)\s+that\s+day"
    r"|(?:on\s+)?the\s+same\s+(?:day|night|evening|morning|afternoon)"
    r"|that\s+(?:day|night|evening|morning|afternoon))\b)"
    r"|(?P<week>(?:(?:late\s+)?last\s+week|(?:earlier\s+)?this\s+week|(?:in|over)\s+recent\s+days"
    r"|(?:in|over)\s+the\s+(?:past|last)\s+(?:few|several)\s+days)\b)"
    r"|(?P<month>(?:(?:early|late)\s+)?last\s+month|earlier\s+this\s+month)\b"
    # "on the fourth day of the offensive", "day three of Operation X", "two days into a
    # lightning offensive": counted from the day a named operation began (what follows is
    # read by :func:`_operation_start`); "on the second day" bare, from the last day named
    rf"|(?P<counted>(?:(?:on|by)\s+)?(?:the\s+)?(?:(?P<cn>{ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th))"
    rf"\s+day|day\s+(?P<cd>{_NUM}))\s+of(?=\s)|(?P<cin>{_NUM})\s+days\s+into(?=\s)"
    rf"|(?P<bare>on\s+the\s+(?P<bn>{ORDINAL_WORDS})\s+day\b(?!\s+of\b))"
    # "by the end of the first week": its last day, of the operation the text is about
    r"|(?P<cweek>(?:by\s+)?(?:the\s+)?end\s+of\s+the\s+(?P<cwn>first|second)\s+week\b"
    r"(?!\s+of\s+(?:nov|dec|jan))))"
    r"|(?P<recap>(?:(?:in|within|inside|over)\s+(?:the\s+(?:space|course)\s+of\s+)?(?:just\s+"
    rf"|only\s+|less\s+than\s+)?{_NUM}\s+(?:days?|weeks?|hours?)|within\s+(?:days|hours|a\s+day)"
    r"|over\s+the\s+(?:next|following|coming)\s+(?:few\s+|several\s+|two\s+|three\s+)?"
    r"(?:days?|weeks?)|(?:only|just|mere)\s+days\s+(?:after|later|before|earlier))\b)"
    r")"
)
#: Every time phrase holds one of these; the pattern is tried only around them (one
#: automaton pass for the words, one regex for numeric dates).
_HINT_WORDS = (
    *MONTHS,
    "dawn",
    "day",
    "night",
    "week",
    "month",
    "hour",
    "morning",
    "afternoon",
    "evening",
    "d+",
)
_NUMERIC = re.compile(r"[-/.](?<=\d[-/.])(?=\d)")


@functools.lru_cache(maxsize=1)
def _hint_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _HINT_WORDS:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _hints(lowered: str) -> list[int]:
    """Where a hint word or a numeric date separator starts, in order."""
    found = {end - length + 1 for end, length in _hint_automaton().iter(lowered)}
    found.update(m.start() for m in _NUMERIC.finditer(lowered))
    return sorted(found)


_BACK, _AHEAD = 40, 60  # how far a phrase reaches before and after its hint


def _count(phrase: str) -> int:
    """The number a phrase counts ("two days", "a few days", "3 weeks")."""
    for word in sorted(phrase.split(), key=lambda w: w != "few"):  # "a few" is a few
        if word.isdigit() or word in NUMBER_WORDS:
            return int(word) if word.isdigit() else NUMBER_WORDS[word]
    return 1


def _absolute(m: re.Match[str], period: Period) -> dt.date:
    """The day a calendar phrase names; a yearless one gets the period's year."""
    g = m.group
    if g("iso"):
        return dt.date.fromisoformat(g("iso"))
    parts = (
        (g("ny"), g("nb"), g("na")) if g("ny")
        else (g("ay"), g("am"), g("ad")) if g("am")
        else (g("oy"), g("om"), ordinal_day(g("od"))) if g("om")
        else (g("wy"), g("wm"), ordinal_day(g("wn"))) if g("wm")
        else (g("by"), g("bm"), g("bd"))
    )  # fmt: skip
    found = calendar_day(*parts, period)
    if found is None:
        raise ValueError(m.group())
    return found


def _relative(kind: str, phrase: str, base: dt.date, ref: dt.date) -> tuple[dt.date, str]:
    """Phrases counted from the article's day (``base``) or the last day named (``ref``)."""
    n = _count(phrase)
    if kind == "ago":
        if phrase.endswith("yesterday"):  # "the day before yesterday"
            return base - 2 * _DAY, "exact"
        weeks = "week" in phrase
        vague = (weeks and not phrase.endswith("today")) or "few" in phrase or "several" in phrase
        return base - _DAY * n * (7 if weeks else 1), "approximate" if vague else "exact"
    if kind in {"yesterday", "today"}:
        exact = phrase in {"yesterday", "today", "tonight"} or phrase.startswith(("this", "earl"))
        if phrase == "overnight":  # the night that ends on the report's morning
            return base, "approximate"
        return base - _DAY * (kind == "yesterday"), "exact" if exact else "approximate"
    if kind in {"before", "after"}:
        words = phrase.split()
        n = int(words[0]) // 24 if words[1] == "hours" else n if words[1].startswith("day") else 1
        return ref + _DAY * (n if kind == "after" else -n), "exact"
    if kind == "same":  # "earlier in the day" is the article's day; "that day" the last named
        return (base if " the day" in phrase else ref), "exact"
    if kind == "week":
        return base - _DAY * (7 if "last" in phrase else 2), "approximate"
    if kind == "month":
        last = base.replace(day=1) - _DAY
        day = 25 if "late" in phrase else 5 if "early" in phrase else 15
        if "this" in phrase:
            return base.replace(day=max(1, base.day // 2)), "approximate"
        return last.replace(day=day), "approximate"
    # a recap: "in three days" counts on from the last day named, never past the article;
    # "only days after the fall of X": what follows "after" came days earlier
    if phrase.endswith(("after", "earlier")):
        return ref - 3 * _DAY, "approximate"
    days = 0 if "hour" in phrase else n * (7 if "week" in phrase else 1)
    return min(ref + _DAY * days, base), "approximate"


def _day_of_month(m: re.Match[str], base: dt.date) -> dt.date:
    """The latest day up to the article's with that day of the month, on that weekday if
    one of the last six weeks is ("Friday the twenty-ninth" in an article of 9 December)."""
    written = m.group("dn")
    number = int(written[:-2] if written[0].isdigit() else ordinal_day(written))
    weekday = WEEKDAYS.index(m.group("dwd"))
    days = [base - n * _DAY for n in range(45) if (base - n * _DAY).day == number]
    if not days:
        raise ValueError(written)
    return next((d for d in days if d.weekday() == weekday), days[0])


#: Where a counted day's operation is unnamed: "the offensive", "their lightning push".
_OPERATION_NOUN = re.compile(
    r"(?:(?:the|its|their|this|a|an)\s+)?(?:[a-z'-]+\s+){0,3}?"
    r"(?:offensive|operation|campaign|assault|push|onslaught|advance)(?![a-z])"
)
#: How far past "the fourth day of" an operation's name may start.
_NAME_REACH = 24


def _operation_start(tail: str, operations: Operations) -> dt.date | None:
    """The day the operation named at the start of ``tail`` began: one of ``operations``
    (lowered name, first day) by name, the first for a bare "the offensive"; else None."""
    for name, start in operations:
        at = tail.find(name, 0, _NAME_REACH + len(name))
        if at >= 0 and not re.search(r"[.;:!?]", tail[:at]):
            return start
    if operations and _OPERATION_NOUN.match(tail):
        return operations[0][1]
    return None


def _counted(
    m: re.Match[str], anchor: dt.date | None, operations: Operations, dated: bool
) -> tuple[dt.date | None, str]:
    """The day a counted phrase gives: its operation's first day plus the days counted.

    A bare "on the second day" counts from the day last named when a date or a weekday
    named it (``dated``: "it began on 27 November. On the second day, ..."), else from
    the first operation's (a recap told day by day)."""
    if m.group("bare") or m.group("cweek"):
        n = (
            int(ordinal_day(m.group("bn")))
            if m.group("bare")
            else 7 * (2 if m.group("cwn") == "second" else 1)
        )
        first = anchor if dated and m.group("bare") else operations[0][1] if operations else None
        return (first + _DAY * (n - 1) if first else None), "approximate"
    start = _operation_start(m.string[m.end() + 1 : m.end() + 80].lstrip(), operations)
    if start is None:
        return None, "unknown"
    if m.group("cin"):
        return start + _DAY * _count(m.group("cin")), "approximate"
    written = m.group("cn") or m.group("cd")
    n = int(written[:-2]) if written[:-2].isdigit() else _count(written) if m.group("cd") else 0
    n = n or int(ordinal_day(written))
    return start + _DAY * (n - 1), "approximate" if m.group().startswith("by") else "exact"


def _resolve(
    m: re.Match[str],
    base: dt.date | None,
    anchor: dt.date | None,
    period: Period | None,
    operations: Operations = (),
    dated: bool = False,
) -> tuple[dt.date | None, str]:
    """The day and precision of one matched phrase (``dated``: the anchor is a date or a
    weekday the text named)."""
    kind = m.lastgroup or ""
    if kind == "counted":
        return _counted(m, anchor, operations, dated)
    if kind == "clock":
        return None, "unknown"
    if kind == "dplus":
        if not operations:
            return None, "unknown"
        day = operations[0][1] + _DAY * int(m.group("dpn") or 0)
        return day, "approximate" if m.group("dpb") == "by" else "exact"
    if period is None:  # without a period, a yearless day is read in the half year to base
        period = (base - 182 * _DAY, base) if base else None
    if kind == "absolute":
        if period is None and not (
            m.group("ay")
            or m.group("by")
            or m.group("iso")
            or m.group("ny")
            or m.group("oy")
            or m.group("wy")
        ):
            return None, "unknown"
        loose = m.group("bound") in _LOOSE or m.group("more") or m.group("bmore")
        return _absolute(
            m, period or (dt.date.min, dt.date.max)
        ), "approximate" if loose else "exact"
    if base is None:
        return None, "unknown"
    if kind == "wdate":
        return _day_of_month(m, base), "approximate" if m.group("dbound") in _LOOSE else "exact"
    if kind == "lead":  # counted from the day the text named for what follows "after"
        day = anchor + _DAY * _count(m.group().split(" after ")[0]) if dated and anchor else None
        if day is None or day > base:
            return None, "unknown"
        return day, "exact"
    if kind == "weekday":
        bound = m.group("wbound") or "on"
        back = (base.weekday() - WEEKDAYS.index(m.group("wd"))) % 7 or (7 if bound == "last" else 0)
        return base - back * _DAY, "approximate" if bound in _LOOSE else "exact"
    return _relative(kind, m.group(), base, anchor or base)


#: Where a time phrase can start: :data:`_TIME_RX` starts at a run of ``[a-z0-9]`` that is
#: a digit or one of the phrases' first words. Words the pattern follows with ``\b`` count
#: as the start of a longer run too, since a search window may cut the run after them.
_FIRST_WORDS = (
    "early late on by since until till from as before after the last this a an one two day "
    "three four five six seven eight nine ten few several earlier within in later that "
    "over inside only just mere jan january feb february mar march apr april may jun june "
    "jul july aug august sep sept september oct october nov november dec december d"
)
_CUT_WORDS = f"{_LWD[3:-1]}|yesterday|overnight|today|tonight"
_STARTS = re.compile(
    rf"(?<![a-z0-9])(?:[0-9]|(?:{'|'.join(_FIRST_WORDS.split())})(?![a-z0-9])|{_CUT_WORDS})"
)
#: How far past its start a match of :data:`_STARTS` reads (its longest word and one more).
_START_REACH = 1 + max(map(len, (*_FIRST_WORDS.split(), *_CUT_WORDS.split("|"))))


def _search(lowered: str, lo: int, hi: int) -> re.Match[str] | None:
    """``_TIME_RX.search(lowered, lo, hi)``, tried only where a phrase can start.

    A search tries every position in turn and returns the first that matches; so does
    this, over the only positions where a match can begin (:data:`_STARTS`, found as far
    as needed: each needs :data:`_START_REACH` characters, so a start before ``hi`` is
    seen whole).
    """
    match = _TIME_RX.match
    for start in _STARTS.finditer(lowered, lo, min(len(lowered), hi + _START_REACH)):
        at = start.start()
        if at >= hi:
            return None
        m = match(lowered, at, hi)
        if m:
            return m
    return None


def _time_matches(lowered: str) -> Iterator[re.Match[str]]:
    """Time phrases, left to right: the full pattern runs only near a hint word."""
    done, size = 0, len(lowered)
    for at in _hints(lowered):
        if at < done:
            continue
        stop = min(size, at + _AHEAD)
        m = _search(lowered, max(done, at - _BACK), stop)
        if m and m.end() >= stop - 1 and stop < size:  # the window may have cut it short
            m = _search(lowered, m.start(), min(size, m.start() + 4 * _AHEAD))
        if m:
            done = m.end()
            yield m


def find_time_expressions(
    text: str,
    base: dt.date | None,
    *,
    start: int = 0,
    end: int | None = None,
    anchor: dt.date | None = None,
    period: Period | None = None,
    lowered: str | None = None,
    operations: Operations = (),
) -> list[TimeExpression]:
    """Time phrases in ``text[start:end]`` resolved against ``base`` (the article's day).

    ``anchor`` is the last day named before ``start``: "a day earlier", "that day" and
    recaps ("in three days") count from it (or from ``base``); each phrase that names a
    day becomes the anchor. Weekdays are the latest such day not after ``base``, so "on
    Saturday" in a Saturday article is that day. ``period`` gives yearless dates a year.
    Bounds ("by Nov. 30"), ranges, weeks and recaps are ``approximate``. ``lowered`` is
    the whole ``text`` ASCII-lowered, when the caller has it. ``operations`` (lowered
    name, first day; see :func:`operations_of`) date "the fourth day of the offensive".
    """
    end = len(text) if end is None else end
    found: list[TimeExpression] = []
    dated = anchor is not None  # a caller's anchor is a day named before the span
    if lowered is None:
        piece = ascii_lower(text[start:end])
    else:
        piece = lowered[start:end] if (start, end) != (0, len(text)) else lowered
    for m in _time_matches(piece):
        try:
            day, precision = _resolve(m, base, anchor, period, operations, dated)
        except (ValueError, OverflowError, KeyError):
            day, precision = None, "unknown"
        if m.lastgroup == "counted" and day is None:
            continue  # "the second day of talks": no operation, no time phrase
        a, b = start + m.start(), start + m.end()
        kind = "absolute" if m.lastgroup == "wdate" else m.lastgroup or ""
        t = TimeExpression(a, b, text[a:b], day, precision if day else "unknown", kind)
        found.append(t)
        if t.names_day:
            anchor, dated = t.day, kind in {"absolute", "weekday"}
    return found


def headings(
    text: str,
    paragraphs: Sequence[Span],
    evidence: DateEvidence | None,
    published: dt.date | None,
    period: Period,
) -> dict[int, TimeExpression]:
    """Paragraph index → the day of a date heading (timelines) or live time stamp on it.

    A heading dates the paragraphs under it, up to the next one. The page's own date line
    (``evidence``) and keyed metadata are not headings.
    """
    at = {p.start: i for i, p in enumerate(paragraphs)}
    skip = evidence.start if evidence is not None and evidence.start is not None else -1
    lines = [
        x
        for x in date_lines(text, paragraphs, period)
        if not x.key and not x.words and not x.start <= skip < x.end
    ]
    found = {
        at[x.start]: _line(text, x, x.day, "approximate" if x.ranged else "exact", "heading")
        for x in lines
        if x.day is not None
    }
    stamps = [x for x in lines if x.day is None]
    if found or not stamps or published is None:
        return found
    return {
        at[x.start]: _line(text, x, day, "approximate", "stamp")
        for x, day in _stamp_days(stamps, published)
    }


def _line(text: str, x: DateLine, day: dt.date | None, precision: str, kind: str) -> TimeExpression:
    """A date line as the time expression of the section under it."""
    return TimeExpression(x.start, x.end, text[x.start : x.end], day, precision, kind)


def _stamp_days(stamps: list[DateLine], published: dt.date) -> list[tuple[DateLine, dt.date]]:
    """Live-page time stamps dated back from the page's date, a day earlier each time the
    clock passes midnight going back; newest first or oldest first, whichever puts the
    entries closer together in time."""
    clock = [x.minutes or 0 for x in stamps]
    back, forth = (sum((a - b) % 1440 for a, b in pairwise(clock[::k])) for k in (1, -1))
    day, previous, dated = published, None, []
    for x in stamps if back <= forth else stamps[::-1]:
        day -= _DAY * (previous is not None and (x.minutes or 0) > previous)
        previous = x.minutes or 0
        dated.append((x, day))
    return dated
