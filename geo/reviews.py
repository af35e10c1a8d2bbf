"""Analysts' reviews of the machine's events, stored in a database and applied to a build.

Why: extraction makes mistakes an analyst can see at a glance. An analyst confirms an
event, rejects it (with a reason), corrects its day, actor, kind or place, or adds one
the corpus missed (citing a source). The map, timeline and exports are then drawn from
the reviewed record rather than the raw extraction.

A review is pinned to the *reports* of an event (the ids of its
:class:`~geo.events.ControlEvent` rows: a hash of the article's bytes, the spans and the
place), not to the fused event's id, which changes whenever a new article moves the
event's day or actor. So reviews survive rebuilds with new articles; a review whose
reports are all gone is kept and reported as *orphaned*, never silently dropped.

This module holds the records, their CSV form and :func:`apply_reviews`, all pure;
:mod:`geo.reviewstore` keeps them in a database (SQLite or PostgreSQL) and is only read
by the caller.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ConfigurationError, DataError
from .events import KINDS, ControlEvent
from .gazetteer import Gazetteer
from .models import Span
from .profile import load_profile
from .timeline import FusedEvent

__all__ = [
    "ACTIONS",
    "CSV_COLUMNS",
    "Review",
    "ReviewOutcome",
    "apply_reviews",
    "reviews_from_csv",
    "reviews_to_csv",
]

ACTIONS = ("confirm", "reject", "correct", "add")
#: Columns of review CSV files, in order (``report_ids`` joined by ``;``).
CSV_COLUMNS = (
    "id",
    "action",
    "event_id",
    "report_ids",
    "reviewer",
    "reason",
    "day",
    "actor",
    "kind",
    "place_id",
    "source",
    "excerpt",
    "created",
    "undone",
)


@dataclass(frozen=True)
class Review:
    """One analyst's decision about one event; invalid values raise ``ConfigurationError``."""

    action: str
    event_id: str
    report_ids: tuple[str, ...]
    reviewer: str
    reason: str = ""
    day: dt.date | None = None
    actor: str | None = None
    kind: str | None = None
    place_id: str | None = None
    source: str = ""
    excerpt: str = ""
    created: dt.datetime | None = None
    id: int | None = None
    undone: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "report_ids", tuple(self.report_ids))
        problem = _problem(self)
        if problem:
            column, why = problem
            msg = f"review {column!r}: {why}"
            raise ConfigurationError(msg)
        if self.action == "add" and not self.event_id:
            object.__setattr__(self, "event_id", self.derived_id())

    def derived_id(self) -> str:
        """A content hash: the id of the event an ``add`` review creates."""
        key = f"review:{self.place_id}:{self.kind}:{self.actor}:{self.day}:{self.source}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]


def _problem(r: Review) -> tuple[str, str] | None:
    """The first bad field of a review and why, or ``None`` when it is valid."""
    if r.action not in ACTIONS:
        return "action", f"{r.action!r} is not one of {', '.join(ACTIONS)}"
    if not r.reviewer.strip():
        return "reviewer", "a review needs a reviewer"
    if r.day is not None and not isinstance(r.day, dt.date):
        return "day", f"{r.day!r} is not a date"
    actors = load_profile().actor_names
    if r.actor is not None and r.actor not in actors:
        return "actor", f"{r.actor!r} is not one of {', '.join(actors)}"
    if r.kind is not None and r.kind not in KINDS:
        return "kind", f"{r.kind!r} is not one of {', '.join(KINDS)}"
    if r.action == "reject" and not r.reason.strip():
        return "reason", "a rejection needs a reason"
    if r.action in {"confirm", "reject", "correct"} and not (r.report_ids or r.event_id):
        return "event_id", f"a {r.action} review needs the event's id or report ids"
    if r.action == "correct" and all(v is None for v in (r.day, r.actor, r.kind, r.place_id)):
        return "day", "a correction needs at least one of day, actor, kind, place_id"
    if r.action == "add":
        for column in ("place_id", "kind", "actor"):
            if not getattr(r, column):
                return column, "an added event needs a place_id, kind and actor"
        if not r.source.strip():
            return "source", "an added event needs a source (URL or reference)"
    return None


@dataclass(frozen=True)
class ReviewOutcome:
    """What applying reviews did: how many took effect, which were left aside and why."""

    applied: int = 0
    #: reviews whose reports are in no event any more (kept in the store, shown to analysts)
    orphaned: tuple[Review, ...] = ()
    #: ids of the fused events that rejections removed
    rejected_ids: tuple[str, ...] = ()
    #: reviews naming a place id the gazetteer does not know (not applied)
    unplaced: tuple[Review, ...] = ()


# ---------------------------------------------------------------------------
# applying reviews (pure)


def _target(fused: Sequence[FusedEvent], review: Review) -> int | None:
    """Index of the event a review is about: most shared reports, else the same id."""
    wanted = set(review.report_ids)
    best, best_shared = None, 0
    for i, f in enumerate(fused):
        shared = len(wanted & {r.id for r in f.reports})
        if shared > best_shared:
            best, best_shared = i, shared
    if best is not None:
        return best
    return next((i for i, f in enumerate(fused) if f.id == review.event_id), None)


def _added(review: Review, gazetteer: Gazetteer) -> FusedEvent | None:
    """The event an ``add`` review creates, or ``None`` if its place is unknown."""
    place = gazetteer.place(review.place_id or "")
    if place is None:
        return None
    assert review.kind is not None and review.actor is not None  # checked by Review
    precision = "exact" if review.day else "unknown"
    report = ControlEvent(
        id=review.event_id,
        article_id="",
        place=place,
        kind=review.kind,
        actor=review.actor,
        actor_raw=review.actor,
        actor_basis="text",
        day=review.day,
        day_precision=precision,
        day_cue="review",
        confidence=1.0,
        sentence=Span(0, len(review.excerpt)),
        trigger=Span(0, 0),
        place_span=Span(0, 0),
        excerpt=review.excerpt,
        origin="curated",
        source=review.source,
    )
    return FusedEvent(
        id=review.event_id,
        place=place,
        kind=review.kind,
        actor=review.actor,
        day=review.day,
        day_precision=precision,
        earliest=review.day,
        latest=review.day,
        disagreement=False,
        confidence=1.0,
        origin="curated",
        reports=(report,),
        review="added",
    )


def _corrected(f: FusedEvent, review: Review, gazetteer: Gazetteer) -> FusedEvent | None:
    """A copy of ``f`` with the review's fields; ``None`` if its place is unknown."""
    changes: dict[str, Any] = {"review": "corrected", "confidence": 1.0}
    if review.place_id is not None:
        place = gazetteer.place(review.place_id)
        if place is None:
            return None
        changes["place"] = place
    if review.day is not None:
        changes["day"] = review.day
        changes["day_precision"] = "exact"
    if review.actor is not None:
        changes["actor"] = review.actor
    if review.kind is not None:
        changes["kind"] = review.kind
    return replace(f, **changes)


def apply_reviews(
    fused: Sequence[FusedEvent], reviews: Sequence[Review], gazetteer: Gazetteer
) -> tuple[list[FusedEvent], ReviewOutcome]:
    """The reviewed events; the inputs are left as they are.

    ``reviews`` are in the order they were made (as :meth:`geo.reviewstore.ReviewStore.all` returns
    them); undone ones are skipped. Additions are made first, so later reviews can
    confirm, correct or reject an added event. Of several reviews of one event, the
    latest wins.
    """
    events = list(fused)
    live = [r for r in reviews if not r.undone]
    unplaced: list[Review] = []
    applied = 0
    added: dict[str, int] = {}
    for r in live:
        if r.action != "add":
            continue
        event = _added(r, gazetteer)
        if event is None:
            unplaced.append(r)
            continue
        applied += 1
        if r.event_id in added:
            events[added[r.event_id]] = event
        else:
            added[r.event_id] = len(events)
            events.append(event)

    latest: dict[int, Review] = {}
    orphaned: list[Review] = []
    for r in live:
        if r.action == "add":
            continue
        i = _target(events, r)
        if i is None:
            orphaned.append(r)
        else:
            latest[i] = r

    removed: set[int] = set()
    rejected_ids: list[str] = []
    for i, r in sorted(latest.items()):
        f = events[i]
        if r.action == "reject":
            removed.add(i)
            rejected_ids.append(f.id)
        elif r.action == "confirm":
            events[i] = replace(f, review="confirmed", confidence=1.0)
        else:
            corrected = _corrected(f, r, gazetteer)
            if corrected is None:
                unplaced.append(r)
                continue
            events[i] = corrected
        applied += 1
    # superseded reviews of an event that one took effect on count as applied too
    applied += sum(1 for r in live if r.action != "add") - len(orphaned) - len(latest)

    kept = [f for i, f in enumerate(events) if i not in removed]
    kept.sort(key=lambda f: (f.day or dt.date.max, f.place.name, f.kind, f.id))
    outcome = ReviewOutcome(applied, tuple(orphaned), tuple(rejected_ids), tuple(unplaced))
    return kept, outcome


# ---------------------------------------------------------------------------
# reviews as CSV (what analysts exchange)


def reviews_to_csv(reviews: Sequence[Review]) -> str:
    """Reviews as CSV text with :data:`CSV_COLUMNS` (``report_ids`` joined by ``;``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in reviews:
        row = {f.name: getattr(r, f.name) for f in fields(Review)}
        row["report_ids"] = ";".join(r.report_ids)
        row["day"] = r.day.isoformat() if r.day else ""
        row["created"] = r.created.isoformat() if r.created else ""
        row["undone"] = "1" if r.undone else "0"
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    return out.getvalue()


def reviews_from_csv(text: str) -> list[Review]:
    """Reviews from exported CSV text; a bad row is a ``DataError`` naming line and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or ()]
    required = [c for c in CSV_COLUMNS if c != "id"]
    missing = [c for c in required if c not in header]
    if missing:
        msg = f"reviews CSV line 1: missing column {missing[0]!r}"
        raise DataError(msg)
    names = {f.name for f in fields(Review)}
    reviews = []
    try:
        for row in reader:
            line = reader.line_num

            def bad(column: str, why: str, line: int = line) -> DataError:
                return DataError(f"reviews CSV line {line}: column {column!r}: {why}")

            if None in row:
                msg = f"reviews CSV line {line}: more fields than the {len(header)} columns"
                raise DataError(msg)
            r = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            values: dict[str, Any] = {k: r[k] for k in required if k in names}
            values["report_ids"] = tuple(i for i in r["report_ids"].split(";") if i)
            for column in ("actor", "kind", "place_id"):
                values[column] = r[column] or None
            try:
                values["day"] = dt.date.fromisoformat(r["day"]) if r["day"] else None
            except ValueError:
                raise bad("day", f"{r['day']!r} is not a date (YYYY-MM-DD)") from None
            try:
                created = dt.datetime.fromisoformat(r["created"])
            except ValueError:
                raise bad("created", f"{r['created']!r} is not an ISO date and time") from None
            if created.tzinfo is None:
                created = created.replace(tzinfo=dt.UTC)
            values["created"] = created
            if r["undone"] not in {"0", "1", "", "true", "false", "True", "False"}:
                raise bad("undone", f"{r['undone']!r} is not 0 or 1")
            values["undone"] = r["undone"] in {"1", "true", "True"}
            try:
                review = Review(**values)
            except ConfigurationError:
                problem = _problem(_unchecked(values))
                column, why = problem or ("action", "invalid review")
                raise bad(column, why) from None
            reviews.append(review)
    except csv.Error as err:
        msg = f"reviews CSV line {reader.line_num}: malformed CSV ({err})"
        raise DataError(msg) from err
    return reviews


def _unchecked(values: dict[str, Any]) -> Review:
    """A review built without validation, to ask :func:`_problem` what is wrong with it."""
    review = object.__new__(Review)
    for f in fields(Review):
        object.__setattr__(review, f.name, values.get(f.name, f.default))
    return review
