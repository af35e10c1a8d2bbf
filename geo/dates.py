"""The calendar the pipeline reads: month and weekday tables, dates, and when an article appeared.

A control map is only as good as its days, and pages state theirs in many ways: metadata
lines ("Published: 7 December 2024", "World | Thursday, 28 Nov 2024", "06-12-2024"), wire
datelines, dated URLs, dates inside the text. One module holds the month and weekday
tables and these rules, so the article reader and the time phrases of the body
(:mod:`geo.timephrases`: "on Friday", "a day earlier", "by Nov. 30") agree on what a date
is and how sure it is.

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
from urllib.parse import urlsplit

from .models import DateEvidence, Link, Span

__all__ = [
    "ASCII_LOWER",
    "DATE_HINTS",
    "MONTHS",
    "MONTH_NAMES",
    "NUMBER_WORDS",
    "ORDINALS",
    "ORDINAL_WORDS",
    "WEEKDAYS",
    "DateLine",
    "Period",
    "ascii_lower",
    "assume_year",
    "calendar_day",
    "date_lines",
    "fallback_day",
    "find_dateline",
    "match_date",
    "metadata_spans",
    "off_period",
    "ordinal_day",
    "publication_date",
]

Period = tuple[dt.date, dt.date]
#: Month names as written (not ``strftime``: they must not depend on the locale).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
MONTHS = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "few": 3, "several": 4,
            "days": 3}  # fmt: skip
#: Same-length ASCII lower-casing: offsets hold, and ``re`` needs no IGNORECASE (slow).
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_LOWER_BYTES = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """``text.translate(ASCII_LOWER)``, twenty times faster on text with any non-ASCII
    character (where ``str.translate`` looks every character up in a dict).

    In UTF-8 a byte below 0x80 is always an ASCII character of its own, so translating
    the encoded bytes changes exactly the ASCII capitals; ``surrogatepass`` lets any
    ``str`` through unchanged.
    """
    if text.isascii():
        return text.lower()
    return (
        text.encode("utf-8", "surrogatepass")
        .translate(_ASCII_LOWER_BYTES)
        .decode("utf-8", "surrogatepass")
    )


_EARLY_HOURS = 6  # a page stamped before 06:00 reports the day before
_DAY = dt.timedelta(days=1)

# --------------------------------------------------------------------------- calendar dates

# Month names in any case ("29 nov. 2024"), except the words "may" and "march".
_MONTH = (
    r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:tember|t)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|Ma(?:y|r(?:ch)?)|MA(?:Y|R(?:CH)?))\b\.?"
)
_YEAR = r"(?:19|20)\d\d"
_UNITS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
#: Days written as ordinal words ("the ninth of December", "November twenty-ninth").
ORDINALS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS, 1)},
    "twentieth": 20, "thirtieth": 30,
    **{f"twenty-{w}": 20 + i for i, w in enumerate(_UNITS[:9], 1)},
    "thirty-first": 31,
}  # fmt: skip
#: The ordinal words as a regex alternation, longest first, on lower-case text.
ORDINAL_WORDS = "|".join(w.replace("-", "[- ]") for w in sorted(ORDINALS, key=len, reverse=True))
_ORD = f"(?i:{ORDINAL_WORDS})"
_SP = r"[ \t\xa0]+"
_WEEKDAY = r"(?:(?i:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?[ \t]*)"
#: One calendar day: ISO (with a time), "Dec. 7, 2024", "7 December", "06-12-2024".
_DATE = (
    rf"\b(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
    r"(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    rf"|\b(?P<mmon>{_MONTH}){_SP}(?P<mday>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:,?{_SP}(?P<myear>{_YEAR})(?!\d))?"
    rf"|\b(?P<dday>[0-3]?\d)(?:st|nd|rd|th)?{_SP}(?:of{_SP})?(?P<dmon>{_MONTH})"
    rf"(?:,?{_SP}(?P<dyear>{_YEAR})(?!\d))?"
    rf"|\b(?P<na>[0-3]?\d)(?P<ns>[-/.])(?P<nb>[0-3]?\d)(?P=ns)(?P<ny>{_YEAR})(?!\d)"
    rf"|\b(?:(?i:the){_SP})?(?P<oday>{_ORD}){_SP}of{_SP}(?P<omon>{_MONTH})"
    rf"(?:,?{_SP}(?P<oyear>{_YEAR})(?!\d))?"
    rf"|\b(?P<wmon>{_MONTH}){_SP}(?:(?i:the){_SP})?(?P<wday>{_ORD})\b"
    rf"(?:,?{_SP}(?P<wyear>{_YEAR})(?!\d))?"
    # a ticker's "Sun 08.12.24": a two-digit year only after a weekday
    rf"|\b{_WEEKDAY}(?<=[ \t])"
    r"(?P<sa>[0-3]?\d)(?P<ss>[./-])(?P<sb>[01]?\d)(?P=ss)(?P<sy>\d\d)(?![\d.:/-]\d|\d)"
)
_DATE_RE = re.compile(_DATE)
#: Every calendar date holds one of these (on lowered text); the pattern runs only near them.
_NUMERIC_HINT = r"[-/.](?<=\d[-/.])(?=\d)"  # "06-12-2024", "2024-12-06": a literal first
DATE_HINTS = tuple(re.compile(w) for w in (*MONTHS, _NUMERIC_HINT))
#: Running text capitalises month names: cheaper hints for the whole-text scan.
_TEXT_DATE_HINTS = tuple(re.compile(w) for w in (*(m.title() for m in MONTHS), _NUMERIC_HINT))


def _nearest(candidates: Iterator[tuple[int, int, int]], period: Period) -> dt.date | None:
    """The valid (year, month, day) nearest the period; the first one on a tie."""
    days = []
    for year, month, day in candidates:
        try:
            days.append(dt.date(year, month, day))
        except ValueError:  # 29 February, 31 April, a month 13
            continue
    return min(days, key=lambda d: off_period(d, period), default=None)


def off_period(day: dt.date, period: Period) -> int:
    """Days between a day and the period (0 inside it)."""
    return max((period[0] - day).days, (day - period[1]).days, 0)


def assume_year(month: int, day: int, period: Period) -> dt.date | None:
    """The year that puts a yearless day in, or nearest to, the mapped period."""
    years = range(period[0].year - 1, period[1].year + 2)
    return _nearest(((year, month, day) for year in years), period)


def calendar_day(year: str | None, month: str, day: str, period: Period) -> dt.date | None:
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
        else (g("dyear"), g("dmon"), g("dday")) if g("dmon")
        else ("20" + g("sy"), g("sb"), g("sa")) if g("sy")
        else (g("oyear"), g("omon"), ordinal_day(g("oday"))) if g("omon")
        else (g("wyear"), g("wmon"), ordinal_day(g("wday")))
    )  # fmt: skip
    try:
        day = dt.date(*map(int, parts)) if g("iy") else calendar_day(*parts, period)
    except ValueError:
        return None
    return (day, parts[0] is not None) if day else None


def ordinal_day(word: str) -> str:
    """The day number an ordinal word writes ("twenty ninth" -> "29")."""
    return str(ORDINALS[word.lower().replace(" ", "-")])


def _iter_dates(text: str) -> Iterator[re.Match[str]]:
    """Every calendar date in running text, left to right, found through cheap hints."""
    done = 0
    for at in sorted(h.start() for rx in _TEXT_DATE_HINTS for h in rx.finditer(text)):
        if at >= done:
            # "the twenty-seventh of November" starts 24 characters before its month
            match = _DATE_RE.search(text, max(done, at - 28), at + 64)
            if match:
                done = match.end()
                yield match


# --------------------------------------------------------------------------- date lines

_KEY = (
    r"(?P<key>(?i:(?:first\s+|last\s+)?(?:published|updated|update|created|posted|modified)"
    r"(?:\s+on)?"
    r"|publication\s+date|pub(?:lish)?date|dated?"
    # a situation report's stamp: "Information as of 4 December 2024, 17:00"
    r"|(?:(?:information|situation|data|figures|status)\s+)?(?:correct\s+)?as\s+of))\s*[:=]?\s*"
)
_TIME = r"\d{1,2}[:.][0-5]\d(?::\d\d)?\s*(?i:[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|[+-]\d\d:?\d\d)\b)?"
#: The pieces a date or metadata line is made of, tried in this order at each position.
_FIELD_RE = re.compile(
    rf"\s*(?:{_KEY})?(?P<date>{_DATE})(?P<more>(?:\s*(?:[-\u2013,&]|and)\s*[0-3]?\d\b(?![:.]\d))*)"
    rf"|\s*(?P<time>{_TIME})|\s*{_WEEKDAY}|\s*(?:[|\u00b7\u2022,/]|[-\u2013\u2014](?=\s))"
    r"|\s*\([^()\n]{1,30}\)|\s*(?i:by|on|at)\b"
    # a byline's small words: "By the Levant Week desk · 11 December 2024"
    r"|\s*(?:the|of|and|our|desk|staff|team|newsroom|correspondents?|reporters?|editors?)\b"
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
    best = min(days, key=lambda d: off_period(d, period), default=None)
    return best if best and off_period(best, period) <= 366 else None


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
