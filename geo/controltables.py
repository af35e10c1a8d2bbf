"""Control tables: a report's table of places and who holds them, read row by row.

Situation reports and encyclopedia pages list changes of control as a table ("Locality |
Control changed on | Controlling party"), in Markdown pipes. Each row whose holder cell
names an actor is a capture of the row's place by that actor, dated by the row's date
cell (else the report's own day, approximately); a row that says nothing changed, or
whose holder is unknown, reports nothing. The row is the event's excerpt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from .actors import ActorMatch
from .models import Article, ControlEvent, Mention, Span
from .profile import Profile
from .timephrases import TimeExpression

__all__ = ["ControlRow", "control_rows", "table_events"]

_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$")
_CELL = re.compile(r"[^|]+")
#: what a header says of its column (first match wins, left to right)
_HOLDER = re.compile(r"control|held\s+by|holder|party|captured\s+by|taken\s+by|who\s+holds")
_PLACE = re.compile(r"locality|town|village|place|location|city|community|settlement|site|name")
_DATE = re.compile(r"\bdate\b|changed|\bon\b|\bday\b|\bwhen\b|\bsince\b")
#: a row that reports no change: "No change", "Not entered", "unchanged"
_NO_CHANGE = re.compile(r"\bno\s+change\b|\bunchanged\b|\bnot\s+(?:entered|taken|captured)\b")
#: a row that says the place is fought over, not held
_CONTESTED = re.compile(r"\bcontested\b|\bchanged\s+hands\b|\bdisputed\b|\bfront\s*-?\s*line\b")
_STRENGTH = 0.6


@dataclass(frozen=True, slots=True)
class ControlRow:
    """One data row of a control table: its line and the cells that matter."""

    row: Span
    place: Span
    holder: Span
    day: Span | None


def _cells(text: str, line: Span) -> list[Span]:
    inner = text[line.start : line.end]
    first, last = inner.index("|"), inner.rindex("|")
    return [
        Span(line.start + first + m.start(), line.start + first + m.end())
        for m in _CELL.finditer(inner, first, last)
    ] if last > first else []  # fmt: skip


def _column(header: list[str], pattern: re.Pattern[str], taken: set[int]) -> int | None:
    return next((i for i, h in enumerate(header) if i not in taken and pattern.search(h)), None)


def control_rows(text: str) -> list[ControlRow]:
    """The data rows of every table whose header names a holder column."""
    if "|" not in text:
        return []  # most articles: no table to look for
    lines = [Span(m.start(), m.end()) for m in _LINE.finditer(text)]
    rows: list[ControlRow] = []
    i = 0
    while i + 1 < len(lines):
        head, rule = lines[i], lines[i + 1]
        if text.count("\n", head.end, rule.start) != 1 or not _RULE.fullmatch(
            text, rule.start, rule.end
        ):
            i += 1
            continue
        header = [text[c.start : c.end].strip().lower() for c in _cells(text, head)]
        # the date column first: "Control changed on" is when, "Controlling party" who
        day = _column(header, _DATE, set())
        holder = _column(header, _HOLDER, {day} - {None})
        place = _column(header, _PLACE, {day, holder} - {None})
        place = 0 if place is None and 0 not in (day, holder) else place
        j, previous = i + 2, rule
        while j < len(lines) and text.count("\n", previous.end, lines[j].start) == 1:
            cells = _cells(text, lines[j])
            if holder is not None and place is not None and len(cells) == len(header):
                row = ControlRow(
                    lines[j], cells[place], cells[holder], cells[day] if day is not None else None
                )
                rows.append(row)
            previous, j = lines[j], j + 1
        i = j
    return rows


def table_events(
    article: Article,
    lowered: str,
    mentions: Sequence[Mention],
    actors: Sequence[ActorMatch],
    times: Sequence[TimeExpression],
    profile: Profile,
    fallback: dt.date | None,
) -> list[ControlEvent]:
    """A capture for each control-table row with a place and a named holder."""
    rows = control_rows(article.text)
    if not rows:
        return []
    starts = [m.start for m in mentions]
    out = []
    for r in rows:
        lo = bisect_left(starts, r.place.start)
        here = [m for m in mentions[lo:] if m.end <= r.place.end]
        holder = next(
            (a for a in actors if r.holder.start <= a.start and a.end <= r.holder.end), None
        )
        said = lowered[r.row.start : r.row.end]
        if not here or _NO_CHANGE.search(said):
            continue
        kind = "captured"
        if holder is None or _CONTESTED.search(lowered, r.holder.start, r.holder.end):
            if not _CONTESTED.search(said):
                continue
            kind = "contested"  # "changed hands repeatedly", a holder cell that says "Contested"
        when = next(
            (t for t in times if r.day and r.day.start <= t.start and t.end <= r.day.end and t.day),
            None,
        )
        day, precision, cue = (
            (when.day, when.precision, when.text) if when else (fallback, "approximate", "table")
        )
        mention = here[0]
        actor = holder.actor if holder is not None and kind == "captured" else profile.unknown
        basis = "table"
        if (
            kind == "captured"
            and holder is not None
            and holder.generic
            and (regional := profile.generic_by_region.get(mention.place.admin1))
        ):
            actor, basis = regional, "region"
        key = f"{article.id}:table:{r.row.start}:{mention.start}:{mention.place.id}"
        out.append(
            ControlEvent(
                id=hashlib.sha256(key.encode()).hexdigest()[:16],
                article_id=article.id,
                place=mention.place,
                kind=kind,
                actor=actor,
                actor_raw=article.text[r.holder.start : r.holder.end].strip(),
                actor_basis=basis,
                day=day,
                day_precision=precision if day else "unknown",
                day_cue=cue,
                confidence=round(_STRENGTH * (0.5 + mention.confidence / 2), 2),
                sentence=r.row,
                trigger=r.holder,
                place_span=Span(mention.start, mention.end),
                excerpt=article.text[r.row.start : r.row.end].strip(),
            )
        )
    return out
