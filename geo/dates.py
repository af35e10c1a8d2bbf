"""Every calendar word the pipeline reads: when an article appeared, and when its events did.

A control map is only as good as its days, and news writes them in many ways: metadata
lines ("Published: 7 December 2024", "World | Thursday, 28 Nov 2024", "06-12-2024"), wire
datelines, dated URLs, dates inside the text; in the body weekdays, "yesterday", "by Nov.
30", "a day earlier", "in three days"; timelines under bare-date headings. One module holds
the month and weekday tables and these rules, so the article reader and the event
extractor agree on what a date is and how sure it is.

Functions take the mapped period (``period``: first and last day) to give yearless dates
a year; they never read the settings. The hot path is precompiled regexes on ASCII-lowered
text, tried only near cheap literal hints; ``dateparser`` (cached) only reads metadata
values that no rule here understands.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import urlsplit

from .models import DateEvidence, Link, Span

__all__ = [
    "MONTHS",
    "MONTH_NAMES",
    "WEEKDAYS",
    "DateLine",
    "Period",
    "TimeExpression",
    "assume_year",
    "date_lines",
    "fallback_day",
    "find_dateline",
    "find_time_expressions",
    "headings",
    "metadata_spans",
    "publication_date",
]

Period = tuple[dt.date, dt.date]
#: Month names as written (not ``strftime``: they must not depend on the locale).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
MONTHS = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "few": 3, "several": 4,
            "days": 3}  # fmt: skip
#: Same-length ASCII lower-casing: offsets hold, and ``re`` needs no IGNORECASE (slow).
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_EARLY_HOURS = 6  # a page stamped before 06:00 reports the day before
_DAY = dt.timedelta(days=1)

# --------------------------------------------------------------------------- calendar dates

# Month names in any case ("29 nov. 2024"), except the words "may" and "march".
_MONTH = (
    r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:tember|t)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|Ma(?:y|r(?:ch)?)|MA(?:Y|R(?:CH)?))\b\.?"
)
_YEAR = r"(?:19|20)\d\d"
_SP = r"[ \t\xa0]+"
#: One calendar day: ISO (with a time), "Dec. 7, 2024", "7 December", "06-12-2024".
_DATE = (
    rf"\b(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
    r"(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    rf"|\b(?P<mmon>{_MONTH}){_SP}(?P<mday>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:,?{_SP}(?P<myear>{_YEAR})(?!\d))?"
    rf"|\b(?P<dday>[0-3]?\d)(?:st|nd|rd|th)?{_SP}(?:of{_SP})?(?P<dmon>{_MONTH})"
    rf"(?:,?{_SP}(?P<dyear>{_YEAR})(?!\d))?"
    rf"|\b(?P<na>[0-3]?\d)(?P<ns>[-/.])(?P<nb>[0-3]?\d)(?P=ns)(?P<ny>{_YEAR})(?!\d)"
)
_DATE_RE = re.compile(_DATE)
#: Every calendar date holds one of these (on lowered text); the pattern runs only near them.
_NUMERIC_HINT = r"[-/.](?<=\d[-/.])(?=\d)"  # "06-12-2024", "2024-12-06": a literal first
_DATE_HINTS = tuple(re.compile(w) for w in (*MONTHS, _NUMERIC_HINT))
#: Running text capitalises month names: cheaper hints for the whole-text scan.
_TEXT_DATE_HINTS = tuple(re.compile(w) for w in (*(m.title() for m in MONTHS), _NUMERIC_HINT))
_WEEKDAY = r"(?:(?i:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?[ \t]*)"


def _nearest(candidates: Iterator[tuple[int, int, int]], period: Period) -> dt.date | None:
    """The valid (year, month, day) nearest the period; the first one on a tie."""
    days = []
    for year, month, day in candidates:
        try:
            days.append(dt.date(year, month, day))
        except ValueError:  # 29 February, 31 April, a month 13
            continue
    return min(days, key=lambda d: _off_period(d, period), default=None)


def _off_period(day: dt.date, period: Period) -> int:
    """Days between a day and the period (0 inside it)."""
    return max((period[0] - day).days, (day - period[1]).days, 0)


def assume_year(month: int, day: int, period: Period) -> dt.date | None:
    """The year that puts a yearless day in, or nearest to, the mapped period."""
    years = range(period[0].year - 1, period[1].year + 2)
    return _nearest(((year, month, day) for year in years), period)


def _calendar(year: str | None, month: str, day: str, period: Period) -> dt.date | None:
    """A day from its written parts: a month name, or a number for "06-12-2024" (day
    first, unless only month first is valid or nearer the period); no year: the period's."""
    if not month.isdigit():
        number = MONTHS[month[:3].lower()]
        if year is None:
            return assume_year(number, int(day), period)
        return dt.date(int(year), number, int(day))
    a, b = int(day), int(month)
    return _nearest(iter(((int(year or 0), b, a), (int(year or 0), a, b))), period)


def match_date(match: re.Match[str], period: Period) -> tuple[dt.date, bool] | None:
    """The day a calendar-date match names and whether its year was written."""
    g = match.group
    parts = (
        (g("iy"), g("im"), g("id")) if g("iy")
        else (g("ny"), g("nb"), g("na")) if g("ny")
        else (g("myear"), g("mmon"), g("mday")) if g("mmon")
        else (g("dyear"), g("dmon"), g("dday"))
    )  # fmt: skip
    try:
        day = dt.date(*map(int, parts)) if g("iy") else _calendar(*parts, period)
    except ValueError:
        return None
    return (day, parts[0] is not None) if day else None


def _iter_dates(text: str) -> Iterator[re.Match[str]]:
    """Every calendar date in running text, left to right, found through cheap hints."""
    done = 0
    for at in sorted(h.start() for rx in _TEXT_DATE_HINTS for h in rx.finditer(text)):
        if at >= done:
            match = _DATE_RE.search(text, max(done, at - 20), at + 64)
            if match:
                done = match.end()
                yield match


# --------------------------------------------------------------------------- date lines

_KEY = (
    r"(?P<key>(?i:(?:first\s+|last\s+)?(?:published|updated|created|posted|modified)(?:\s+on)?"
    r"|publication\s+date|pub(?:lish)?date|dated?))\s*[:=]?\s*"
)
_TIME = r"\d{1,2}[:.][0-5]\d(?::\d\d)?\s*(?i:[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|[+-]\d\d:?\d\d)\b)?"
#: The pieces a date or metadata line is made of, tried in this order at each position.
_FIELD_RE = re.compile(
    rf"\s*(?:{_KEY})?(?P<date>{_DATE})(?P<more>(?:\s*(?:[-\u2013,&]|and)\s*[0-3]?\d\b(?![:.]\d))*)"
    rf"|\s*(?P<time>{_TIME})|\s*{_WEEKDAY}|\s*(?:[|\u00b7\u2022,/]|[-\u2013\u2014](?=\s))"
    r"|\s*\([^()\n]{1,30}\)|\s*(?i:by|on|at)\b"
    r"|\s*(?P<name>[A-Z][\w.'\u2019&-]*(?:[ \t]+[A-Z][\w.'\u2019&-]*){0,3})"
)
_MAX_LINE = 120
_MAX_WORDS = 4  # a section, an outlet or a byline beside the date; more is a sentence
_PUBLISHING = ("published", "created", "posted", "date", "publication", "pub")
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class DateLine:
    """A paragraph that is only a date or time with metadata: "Published: 7 Dec 2024, 10:48"."""

    start: int
    end: int
    day: dt.date | None
    has_year: bool
    key: str  # the metadata word before the date, lower-cased ("" for none)
    minutes: int | None  # the time of day written on the line
    ranged: bool  # "November 29, 30": more than one day
    words: int  # words beside the date: a section, an outlet, a byline


def _minutes(time: str) -> int:
    """Minutes after midnight of "10:48", "3:27 AM", "9.05 p.m."."""
    hours, minutes = (int(x) for x in re.findall(r"\d+", time)[:2])
    if re.search(r"(?i)[ap]\.?m", time):
        hours = hours % 12 + 12 * bool(re.search(r"(?i)p\.?m", time))
    return hours * 60 + minutes


def _date_line(text: str, span: Span, period: Period) -> DateLine | None:
    """Read one paragraph as a date line, or None when it holds anything else."""
    pos, day, key, minutes, ranged, has_year, words = span.start, None, "", None, False, False, 0
    while pos < span.end:
        m = _FIELD_RE.match(text, pos, span.end)
        if m is None or m.end() == pos:
            return None
        if m.group("date"):
            found = match_date(m, period)
            if found is None:
                return None
            new = " ".join((m.group("key") or "").lower().split())
            if day is None or (new.startswith(_PUBLISHING) and not key.startswith(_PUBLISHING)):
                (day, has_year), key, ranged = found, new, bool(m.group("more"))
        elif m.group("time") and minutes is None:
            minutes = _minutes(m.group("time"))
        elif m.group("name"):
            words += len(m.group("name").split())
        pos = m.end()
    if (day is None and minutes is None) or words > _MAX_WORDS:
        return None
    return DateLine(span.start, span.end, day, has_year, key, minutes, ranged, words)


def date_lines(text: str, paragraphs: Sequence[Span], period: Period) -> list[DateLine]:
    """Every paragraph that is a date or time line: metadata, a heading, a live stamp."""
    found = []
    for p in paragraphs:
        if p.end - p.start <= _MAX_LINE and _DIGIT_RE.search(text, p.start, p.end):
            line = _date_line(text, p, period)
            if line is not None:
                found.append(line)
    return found


# --------------------------------------------------------------------------- publication

#: Metadata opening the text, with the article running on after it ("date 2024-12-07 ...").
_METADATA_START_RE = re.compile(rf"[ \t]*{_KEY}{_WEEKDAY}?(?P<date>{_DATE})")
#: A keyed value no rule above reads ("Published: 07.12.24"): left to ``dateparser``.
_KEYED_LINE_RE = re.compile(rf"{_KEY}(?P<value>[^\n]{{4,40}})")
_PLACE_WORD = r"[A-Z][\w'\u2019.\-]*(?:[ \t]+[A-Z][\w'\u2019.\-]*){0,3}"
#: "BEIRUT, Dec 7 (Reuters) -", "Amman, Dec 7 (IANS) Officials...", "ERBIL, Kurdistan Region -".
_DATELINE_RE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:,[ \t]*{_PLACE_WORD}){{0,2}})"
    rf"(?:,[ \t]*{_WEEKDAY}?(?P<date>{_DATE}))?[ \t]*(?:\((?P<agency>[^()\n]{{1,40}})\))?"
    r"(?:[ \t]*(?:--?|\u2013|\u2014)(?=\s|$)|(?(date)(?<=\))(?=[ \t]+[A-Z])|(?!)))"
)
_TOP = 3  # datelines and the page's own URL open one of the first paragraphs
_TOP_LINES = 6  # a bare date line this near the top is the page's date
_URL_LINE_RE = re.compile(r"(?:https?://|www\.)\S+")
_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d\d)(?:([/-])([01]?\d)\2([0-3]?\d)|([01]\d)([0-3]\d))(?!\d)"
)
#: Words that say the last day named is over, so the text was written after it.
_DAY_OVER_RE = re.compile(
    r"(?:all\s+day|rest\s+of\s+the\s+day|throughout\s+the\s+day|by\s+nightfall"
    r"|(?:by|at)\s+the\s+end\s+of\s+the\s+day|over\s+the\s+course\s+of\s+the\s+day)\b"
)  # this and the next are searched in lowered text
_TODAY_RE = re.compile(r"(?:today|tonight|this\s+(?:morning|afternoon|evening))\b")
Found = tuple[dt.date, DateEvidence]


def _datelines(text: str, paragraphs: Sequence[Span]) -> Iterator[re.Match[str]]:
    """Wire datelines opening the first paragraphs: with an agency, or a place in capitals
    ("ERBIL, Kurdistan Region -"), with or without a date."""
    for paragraph in paragraphs[:_TOP]:
        match = _DATELINE_RE.match(text, paragraph.start, paragraph.end)
        first_word = match.group("place").split(None, 1)[0].rstrip(",") if match else ""
        if match and (match.group("agency") or (first_word.isupper() and len(first_word) > 1)):
            yield match


def find_dateline(text: str, paragraphs: Sequence[Span]) -> re.Match[str] | None:
    """The article's dateline: the first with a date or an agency, else the first bare one."""
    found = list(_datelines(text, paragraphs))
    dated = [m for m in found if m.group("date") or m.group("agency")]
    return (dated or found or [None])[0]


def publication_date(
    text: str,
    paragraphs: Sequence[Span],
    links: Sequence[Link],
    period: Period,
    lines: Sequence[DateLine] | None = None,
) -> tuple[dt.date | None, DateEvidence | None]:
    """The day an article was published, with its evidence, most trusted kind first.

    Metadata (a field, a date line near the top), a dateline, the page's own URL line,
    the latest linked day (a lower bound; ``links`` hold unwrapped addresses), the text.
    ``lines`` are the article's :func:`date_lines` when the caller has them.
    """
    if lines is None:
        lines = date_lines(text, paragraphs, period)
    found = (
        _metadata_start(text, period)
        or _metadata_line(text, lines, paragraphs)
        or _keyed_value(text, paragraphs, period)
        or _dateline_date(text, paragraphs, period)
        or _url_date(text, paragraphs, links)
        or _text_date(text, period)
    )
    return found or (None, None)


def _evidence(kind: str, text: str, start: int, end: int, exact: bool) -> DateEvidence:
    """Evidence quoting ``text[start:end]``."""
    return DateEvidence(kind, text[start:end], start, end, "exact" if exact else "approximate")


def _metadata_start(text: str, period: Period) -> Found | None:
    """A ``date``/``published`` field opening the text."""
    m = _METADATA_START_RE.match(text)
    found = match_date(m, period) if m else None
    if not (m and found):
        return None
    return found[0], _evidence("metadata", text, m.start("key"), m.end("date"), found[1])


def _metadata_line(
    text: str, lines: Sequence[DateLine], paragraphs: Sequence[Span]
) -> Found | None:
    """A publication field anywhere, else a bare date line near the top, else an update."""
    top = paragraphs[min(len(paragraphs), _TOP_LINES) - 1].end if paragraphs else 0
    dated = [x for x in lines if x.day is not None]
    bare = [x for x in dated if not x.key and x.start < top]
    # a bare line with a year or a time is the page's date; a yearless one only if alone
    full = [x for x in bare if x.has_year or x.minutes is not None]
    ranked = [
        *(x for x in dated if x.key.startswith(_PUBLISHING)),
        *(full or (bare if len(bare) == 1 else [])),
        *(x for x in dated if x.key and not x.key.startswith(_PUBLISHING)),
    ]
    if not ranked or ranked[0].day is None:
        return None
    line = ranked[0]
    return ranked[0].day, _evidence("metadata", text, line.start, line.end, line.has_year)


@functools.lru_cache(maxsize=1024)
def _parse_value(value: str, period: Period) -> dt.date | None:
    """``dateparser`` on one metadata value (day or month first: the reading nearer the
    period), kept only when it lands within a year of the period."""
    import dateparser  # only for values no rule reads: keep it off the start-up path

    days = []
    for order in ("DMY", "MDY"):
        options = {"REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": order}
        parsed = dateparser.parse(value, languages=["en"], settings=options)  # type: ignore[arg-type]
        days += [parsed.date()] if parsed else []
    best = min(days, key=lambda d: _off_period(d, period), default=None)
    return best if best and _off_period(best, period) <= 366 else None


def _keyed_value(text: str, paragraphs: Sequence[Span], period: Period) -> Found | None:
    """A ``Published:`` line whose value only ``dateparser`` reads."""
    for p in paragraphs:
        m = _KEYED_LINE_RE.fullmatch(text, p.start, p.end) if p.end - p.start <= 60 else None
        day = _parse_value(m.group("value").strip(), period) if m else None
        if m and day:
            return day, _evidence("metadata", text, m.start("key"), m.end("value"), True)
    return None


def _dateline_date(text: str, paragraphs: Sequence[Span], period: Period) -> Found | None:
    """The day in a wire dateline such as ``BEIRUT, Dec 7 (Reuters) -``."""
    match = find_dateline(text, paragraphs)
    found = match_date(match, period) if match and match.group("date") else None
    if not (match and found):
        return None
    return found[0], _evidence("dateline", text, match.start(), match.end(), found[1])


def _url_days(url: str) -> Iterator[dt.date]:
    """Valid days written in a URL's path."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return
    for m in _URL_DATE_RE.finditer(path):
        year, _, month, day, month8, day8 = m.groups()
        try:
            yield dt.date(int(year), int(month or month8), int(day or day8))
        except ValueError:
            continue


def _url_date(text: str, paragraphs: Sequence[Span], links: Sequence[Link]) -> Found | None:
    """The page's own address on a line at the top (its day), else the latest linked day.

    A page cannot link to a later page, so a linked day is only a lower bound.
    """
    for p in paragraphs[:_TOP]:
        days = list(_url_days(text[p.start : p.end])) if _is_url_line(text, p) else []
        if days:
            return max(days), _evidence("url", text, p.start, p.end, True)
    dated = [(day, link) for link in links for day in _url_days(link.href)]
    if not dated:
        return None
    day, link = max(dated, key=lambda pair: pair[0])
    return day, DateEvidence("url", link.href, link.start, link.end, "approximate")


def _is_url_line(text: str, p: Span) -> bool:
    """Whether a paragraph is a bare web address."""
    return _URL_LINE_RE.fullmatch(text, p.start, p.end) is not None


def _text_date(text: str, period: Period) -> Found | None:
    """The latest day written in the text; the next day when the text says that day is over."""
    dated = [(m, found) for m in _iter_dates(text) if (found := match_date(m, period))]
    if not dated:
        return None
    # the latest day; on a tie, one with its year written
    match, (day, has_year) = max(dated, key=lambda pair: (pair[1][0], pair[1][1]))
    lowered = text.lower()
    for over in _DAY_OVER_RE.finditer(lowered):  # "all day" speaks of the date nearest it
        nearest = min(dated, key=lambda pair: abs(pair[0].start() - over.start()))
        if nearest[1][0] == day and not _TODAY_RE.search(lowered):
            return day + _DAY, _evidence("text", text, *match.span(), False)
    return day, _evidence("text", text, *match.span(), has_year)


def metadata_spans(text: str, paragraphs: Sequence[Span], lines: Sequence[DateLine]) -> list[Span]:
    """What is about the page, not the news, so never part of a sentence: date lines
    (``lines``), the page's URL line, a dateline, a metadata field opening the text."""
    spans = [Span(x.start, x.end) for x in lines]
    spans += [p for p in paragraphs[:_TOP] if _is_url_line(text, p)]
    spans += [Span(m.start(), m.end()) for m in _datelines(text, paragraphs)]
    start = _METADATA_START_RE.match(text)
    if start:
        spans.append(Span(start.start("key"), start.end()))
    return sorted(spans, key=lambda s: s.start)


def fallback_day(
    published: dt.date | None, evidence: DateEvidence | None, period: Period
) -> dt.date | None:
    """The day an undated report most likely happened: the article's date, except that a
    page stamped in the small hours reports the day before, and an article dated only by
    its text reports the last day it names."""
    if published is None or evidence is None:
        return published
    if evidence.kind == "text":
        m = _DATE_RE.match(evidence.text)
        found = match_date(m, period) if m else None
        return found[0] if found else published
    stamp = re.search(_TIME, evidence.text) if evidence.kind == "metadata" else None
    if stamp and _minutes(stamp.group()) < _EARLY_HOURS * 60:
        return published - _DAY
    return published


# --------------------------------------------------------------------------- time expressions


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
    rf"(?:{_LWD},?\s+)?(?:(?P<am>{_LMON})\s+(?P<ad>\d{{1,2}}){_TH}{_MORE}(?:,?\s+(?P<ay>\d{{4}}))?"
    rf"|(?P<bd>\d{{1,2}}){_TH}(?P<bmore>\s*(?:-|\u2013|&|and|to)\s*\d{{1,2}}{_TH})?\s+(?:of\s+)?"
    rf"(?P<bm>{_LMON})(?:,?\s+(?P<by>\d{{4}}))?"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})|(?P<na>\d{1,2})(?P<ns>[-/.])(?P<nb>\d{1,2})(?P=ns)(?P<ny>\d{4})))"
    rf"|(?P<weekday>(?:(?:early|late)\s+)?(?:(?P<wbound>on|by|since|until|last|this|from)\s+)?"
    rf"(?P<wd>{_LWD})(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?\b)"
    rf"|(?P<ago>{_NUM}\s+(?:days?|weeks?)\s+ago\b)"
    r"|(?P<yesterday>(?:yesterday|last\s+night|overnight)\b)"
    r"|(?P<today>(?:today|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today"
    r"|within\s+(?:the\s+(?:last|past)\s+)?24\s+hours|in\s+the\s+(?:last|past|space\s+of)\s+24"
    r"\s+hours)\b)"
    r"|(?P<before>(?:a\s+day\s+earlier|the\s+(?:previous|preceding)\s+day|the\s+day\s+before"
    r"|(?:a|one|two|three)\s+days\s+(?:earlier|before))\b)"
    r"|(?P<after>(?:a\s+day\s+later|the\s+(?:next|following)\s+day|(?:a|one|two|three)\s+days"
    r"\s+later)\b)"
    r"|(?P<same>(?:(?:earlier|later)\s+(?:in|on)\s+the\s+day|(?:earlier|later)\s+that\s+day"
    r"|(?:on\s+)?the\s+same\s+day|that\s+(?:day|night|evening|morning))\b)"
    r"|(?P<week>(?:(?:late\s+)?last\s+week|(?:earlier\s+)?this\s+week|(?:in|over)\s+recent\s+days"
    r"|(?:in|over)\s+the\s+(?:past|last)\s+(?:few|several)\s+days)\b)"
    r"|(?P<month>(?:(?:early|late)\s+)?last\s+month|earlier\s+this\s+month)\b"
    r"|(?P<recap>(?:(?:in|within|inside|over)\s+(?:the\s+(?:space|course)\s+of\s+)?(?:just\s+"
    rf"|only\s+|less\s+than\s+)?{_NUM}\s+(?:days?|weeks?|hours?)|within\s+(?:days|hours|a\s+day)"
    r"|over\s+the\s+(?:next|following|coming)\s+(?:few\s+|several\s+|two\s+|three\s+)?"
    r"(?:days?|weeks?)|(?:only|just|mere)\s+days\s+(?:after|later|before|earlier))\b)"
    r")"
)
#: Every time phrase holds one of these; the pattern is tried only around them.
_HINTS = (*_DATE_HINTS, *(re.compile(w) for w in (
    "day", "night", "week", "month", "hour", "morning", "afternoon", "evening")))  # fmt: skip
_BACK, _AHEAD = 40, 60  # how far a phrase reaches before and after its hint


def _count(phrase: str) -> int:
    """The number a phrase counts ("two days", "a few days", "3 weeks")."""
    for word in sorted(phrase.split(), key=lambda w: w != "few"):  # "a few" is a few
        if word.isdigit() or word in _NUMBERS:
            return int(word) if word.isdigit() else _NUMBERS[word]
    return 1


def _absolute(m: re.Match[str], period: Period) -> dt.date:
    """The day a calendar phrase names; a yearless one gets the period's year."""
    g = m.group
    if g("iso"):
        return dt.date.fromisoformat(g("iso"))
    parts = (
        (g("ny"), g("nb"), g("na")) if g("ny")
        else (g("ay"), g("am"), g("ad")) if g("am")
        else (g("by"), g("bm"), g("bd"))
    )  # fmt: skip
    found = _calendar(*parts, period)
    if found is None:
        raise ValueError(m.group())
    return found


def _relative(kind: str, phrase: str, base: dt.date, ref: dt.date) -> tuple[dt.date, str]:
    """Phrases counted from the article's day (``base``) or the last day named (``ref``)."""
    n = _count(phrase)
    if kind == "ago":
        weeks = "week" in phrase
        vague = weeks or "few" in phrase or "several" in phrase
        return base - _DAY * n * (7 if weeks else 1), "approximate" if vague else "exact"
    if kind in {"yesterday", "today"}:
        exact = phrase in {"yesterday", "today", "tonight"} or phrase.startswith(("this", "earl"))
        return base - _DAY * (kind == "yesterday"), "exact" if exact else "approximate"
    if kind in {"before", "after"}:
        n = n if phrase.split()[1].startswith("day") else 1
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


def _resolve(
    m: re.Match[str], base: dt.date | None, anchor: dt.date | None, period: Period | None
) -> tuple[dt.date | None, str]:
    """The day and precision of one matched phrase."""
    kind = m.lastgroup or ""
    if period is None:  # without a period, a yearless day is read in the half year to base
        period = (base - 182 * _DAY, base) if base else None
    if kind == "absolute":
        if period is None and not (
            m.group("ay") or m.group("by") or m.group("iso") or m.group("ny")
        ):
            return None, "unknown"
        loose = m.group("bound") in _LOOSE or m.group("more") or m.group("bmore")
        return _absolute(
            m, period or (dt.date.min, dt.date.max)
        ), "approximate" if loose else "exact"
    if base is None:
        return None, "unknown"
    if kind == "weekday":
        bound = m.group("wbound") or "on"
        back = (base.weekday() - WEEKDAYS.index(m.group("wd"))) % 7 or (7 if bound == "last" else 0)
        return base - back * _DAY, "approximate" if bound in _LOOSE else "exact"
    return _relative(kind, m.group(), base, anchor or base)


def _time_matches(lowered: str) -> Iterator[re.Match[str]]:
    """Time phrases, left to right: the full pattern runs only near a hint word."""
    done, size = 0, len(lowered)
    hints = sorted(h.start() for rx in _HINTS for h in rx.finditer(lowered))
    for at in hints:
        if at < done:
            continue
        stop = min(size, at + _AHEAD)
        m = _TIME_RX.search(lowered, max(done, at - _BACK), stop)
        if m and m.end() >= stop - 1 and stop < size:  # the window may have cut it short
            m = _TIME_RX.search(lowered, m.start(), min(size, m.start() + 4 * _AHEAD))
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
) -> list[TimeExpression]:
    """Time phrases in ``text[start:end]`` resolved against ``base`` (the article's day).

    ``anchor`` is the last day named before ``start``: "a day earlier", "that day" and
    recaps ("in three days") count from it (or from ``base``); each phrase that names a
    day becomes the anchor. Weekdays are the latest such day not after ``base``, so "on
    Saturday" in a Saturday article is that day. ``period`` gives yearless dates a year.
    Bounds ("by Nov. 30"), ranges, weeks and recaps are ``approximate``.
    """
    end = len(text) if end is None else end
    found: list[TimeExpression] = []
    for m in _time_matches(text[start:end].translate(ASCII_LOWER)):
        try:
            day, precision = _resolve(m, base, anchor, period)
        except (ValueError, OverflowError):
            day, precision = None, "unknown"
        a, b = start + m.start(), start + m.end()
        t = TimeExpression(a, b, text[a:b], day, precision if day else "unknown", m.lastgroup or "")
        found.append(t)
        if t.names_day:
            anchor = t.day
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
