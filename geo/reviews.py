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

Reviews live in an embedded SQLite file (WAL mode, so readers never block the writer and
two analysts can save at once) or any SQLAlchemy URL, e.g. PostgreSQL. The schema carries
a version number and is migrated forward on open. :func:`apply_reviews` is pure: the
store is only read by the caller.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import settings
from .errors import ConfigurationError, DataError
from .events import KINDS, ControlEvent
from .gazetteer import Gazetteer
from .models import Span
from .profile import load_profile
from .timeline import FusedEvent

__all__ = [
    "ACTIONS",
    "CSV_COLUMNS",
    "SCHEMA_VERSION",
    "Review",
    "ReviewOutcome",
    "ReviewStore",
    "apply_reviews",
]

ACTIONS = ("confirm", "reject", "correct", "add")
SCHEMA_VERSION = 1
#: Columns of :meth:`ReviewStore.export_csv`, in order (``report_ids`` joined by ``;``).
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
BUSY_TIMEOUT_MS = 5000
#: Seconds to wait for a database server to answer a new connection (PostgreSQL).
CONNECT_TIMEOUT_S = 10
#: The PostgreSQL advisory lock key migrations hold (any fixed 64-bit number).
MIGRATION_LOCK = 0x66726F6E746C6E  # "frontln"


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

    ``reviews`` are in the order they were made (as :meth:`ReviewStore.all` returns
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
# the store

_metadata = sa.MetaData()
_schema_version = sa.Table(
    "schema_version",
    _metadata,
    sa.Column("version", sa.Integer, nullable=False),
)
_reviews = sa.Table(
    "reviews",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("report_ids", sa.Text, nullable=False),  # JSON list
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("day", sa.String(10)),  # ISO date
    sa.Column("actor", sa.String(64)),
    sa.Column("kind", sa.String(32)),
    sa.Column("place_id", sa.String(64)),
    sa.Column("source", sa.Text, nullable=False, default=""),
    sa.Column("excerpt", sa.Text, nullable=False, default=""),
    sa.Column("created", sa.String(40), nullable=False),  # ISO datetime, UTC
    sa.Column("undone", sa.Boolean, nullable=False, default=False),
)

# version -> steps that bring a database from the previous version to it
_MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: lambda conn: _reviews.create(conn, checkfirst=True),
}


def _row(r: Review) -> dict[str, Any]:
    """The database row of a review (without its id)."""
    return {
        "action": r.action,
        "event_id": r.event_id,
        "report_ids": json.dumps(list(r.report_ids)),
        "reviewer": r.reviewer,
        "reason": r.reason,
        "day": r.day.isoformat() if r.day else None,
        "actor": r.actor,
        "kind": r.kind,
        "place_id": r.place_id,
        "source": r.source,
        "excerpt": r.excerpt,
        "created": r.created.isoformat() if r.created else None,
        "undone": r.undone,
    }


def _review(row: Any) -> Review:
    """A review from a database row."""
    m = row._mapping
    return Review(
        action=m["action"],
        event_id=m["event_id"],
        report_ids=tuple(json.loads(m["report_ids"])),
        reviewer=m["reviewer"],
        reason=m["reason"] or "",
        day=dt.date.fromisoformat(m["day"]) if m["day"] else None,
        actor=m["actor"],
        kind=m["kind"],
        place_id=m["place_id"],
        source=m["source"] or "",
        excerpt=m["excerpt"] or "",
        created=dt.datetime.fromisoformat(m["created"]),
        id=m["id"],
        undone=bool(m["undone"]),
    )


def _masked(url: str) -> str:
    """``url`` with any password in it replaced by ``***`` (for URLs that do not parse)."""
    return re.sub(r"(://[^:/?#@]*:)[^/]*@", r"\1***@", url)


def _reason(err: BaseException) -> str:
    """The first line of the driver's message."""
    inner = getattr(err, "orig", None) or err
    text = str(inner).strip().splitlines()
    return text[0] if text else type(inner).__name__


class ReviewStore:
    """Reviews in a database at a SQLAlchemy URL (default ``settings.reviews_url``)."""

    def __init__(self, url: str | None = None) -> None:
        url = url or settings.reviews_url
        try:
            parsed = sa.make_url(url)
        except (sa.exc.ArgumentError, ValueError) as err:  # ValueError: a port not a number
            msg = f"{_masked(url)!r} is not a database URL ({_reason(err)})"
            raise ConfigurationError(msg) from err
        if parsed.drivername in {"postgres", "postgresql"}:  # the driver frontline ships
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.name = parsed.render_as_string(hide_password=True)
        self._sqlite = parsed.get_backend_name() == "sqlite"
        file = parsed.database or ""
        if self._sqlite and file and file != ":memory:" and not file.startswith("file:"):
            Path(file).parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {}
        if not self._sqlite:
            # a server restarted since a connection was pooled: replace it, do not fail
            options["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            # an unreachable host is one line after a while, not a page that never loads
            options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        try:
            self.engine: Engine = sa.create_engine(parsed, **options)
        except (sa.exc.ArgumentError, ImportError) as err:
            msg = f"{self.name}: cannot use this database ({_reason(err)})"
            raise ConfigurationError(msg) from err
        if self._sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        try:
            with self._guard("open"):
                self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    # -- plumbing

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn any database error into one ``DataError`` line naming the database."""
        try:
            yield
        except (sa.exc.SQLAlchemyError, sqlite3.Error) as err:
            msg = f"{self.name}: cannot {doing} the reviews database ({_reason(err)})"
            raise DataError(msg) from err
        except ConfigurationError as err:
            msg = f"{self.name}: a stored review is invalid ({err})"
            raise DataError(msg) from err

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A transaction that takes the write lock at once (no deadlocked upgrades in SQLite)."""
        with self.engine.connect() as plain:
            conn = plain.execution_options(frontline_write=True)
            with conn.begin():
                yield conn

    def _migrate(self) -> None:
        """Create the schema if missing and bring it to :data:`SCHEMA_VERSION`.

        One instance migrates at a time: SQLite's write lock (``BEGIN IMMEDIATE``) or, on
        PostgreSQL, a transaction-level advisory lock, so dashboards opening a new database
        at once do not race to create its tables.
        """
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK)))
            _schema_version.create(conn, checkfirst=True)
            found = conn.execute(sa.select(sa.func.max(_schema_version.c.version))).scalar()
            version = found or 0
            if version > SCHEMA_VERSION:
                msg = (
                    f"{self.name}: reviews schema version {version} is newer than this "
                    f"frontline's ({SCHEMA_VERSION})"
                )
                raise DataError(msg)
            for step in range(version + 1, SCHEMA_VERSION + 1):
                _MIGRATIONS[step](conn)
            if version < SCHEMA_VERSION:
                conn.execute(sa.delete(_schema_version))
                conn.execute(sa.insert(_schema_version).values(version=SCHEMA_VERSION))

    def schema_version(self) -> int:
        """The schema version the database records."""
        with self._guard("read"), self.engine.connect() as conn:
            return int(conn.execute(sa.select(_schema_version.c.version)).scalar_one())

    # -- the API

    def add(self, review: Review) -> Review:
        """Store a review; returns it with its id and creation time (UTC)."""
        stored = replace(review, created=dt.datetime.now(dt.UTC), id=None)
        with self._guard("write to"), self._write() as conn:
            result = conn.execute(sa.insert(_reviews).values(**_row(stored)))
            new_id = result.inserted_primary_key[0]  # type: ignore[index]
        return replace(stored, id=int(new_id))

    def all(self, include_undone: bool = False) -> list[Review]:
        """Every review in the order they were made (undone ones only if asked)."""
        query = sa.select(_reviews).order_by(_reviews.c.id)
        if not include_undone:
            query = query.where(_reviews.c.undone.is_(False))
        with self._guard("read"), self.engine.connect() as conn:
            return [_review(row) for row in conn.execute(query)]

    def undo_last(self, reviewer: str | None = None) -> Review | None:
        """Mark the newest live review (of ``reviewer`` if given) undone and return it."""
        query = sa.select(_reviews).where(_reviews.c.undone.is_(False))
        if reviewer is not None:
            query = query.where(_reviews.c.reviewer == reviewer)
        query = query.order_by(_reviews.c.id.desc()).limit(1)
        with self._guard("write to"), self._write() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            conn.execute(sa.update(_reviews).where(_reviews.c.id == row.id).values(undone=True))
            return replace(_review(row), undone=True)

    def export_csv(self) -> str:
        """Every review, undone ones included, as CSV text with :data:`CSV_COLUMNS`."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in self.all(include_undone=True):
            row = _row(r)
            row["id"] = r.id
            row["report_ids"] = ";".join(r.report_ids)
            row["day"] = row["day"] or ""
            row["undone"] = "1" if r.undone else "0"
            writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
        return out.getvalue()

    def import_csv(self, text: str) -> int:
        """Add the rows of an exported CSV; returns how many were new (duplicates skipped)."""
        incoming = _parse_csv(text)
        with self._guard("write to"), self._write() as conn:
            seen = {
                (r.action, r.event_id, r.reviewer, r.created)
                for r in map(_review, conn.execute(sa.select(_reviews)))
            }
            added = 0
            for r in incoming:
                key = (r.action, r.event_id, r.reviewer, r.created)
                if key in seen:
                    continue
                seen.add(key)
                conn.execute(sa.insert(_reviews).values(**_row(r)))
                added += 1
        return added

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ReviewStore({self.name!r})"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: wait for locks instead of failing, WAL journal, explicit BEGINs."""
    # let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred and late)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # switching a new file to WAL does not always wait on the busy handler: retry
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the lock when they begin, so a busy database makes them wait, not fail."""
    write = conn.get_execution_options().get("frontline_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _parse_csv(text: str) -> list[Review]:
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
