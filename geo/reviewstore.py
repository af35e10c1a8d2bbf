"""Where analysts' reviews are kept: a SQLite file by default, or any SQLAlchemy database.

Why a database and not a file: two analysts review at once, and one must never lose the
other's decision. SQLite runs in WAL mode (readers never block the writer) with writers
taking the lock when they begin, so a busy file makes them wait, not fail; PostgreSQL
takes an advisory lock while it migrates. The schema carries a version number and is
migrated forward on open. The records themselves, and applying them, are
:mod:`geo.reviews`'s.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import settings
from .errors import ConfigurationError, DataError
from .reviews import Review, reviews_from_csv, reviews_to_csv

__all__ = ["SCHEMA_VERSION", "ReviewStore"]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 5000
#: Seconds to wait for a database server to answer a new connection (PostgreSQL).
CONNECT_TIMEOUT_S = 10
#: The PostgreSQL advisory lock key migrations hold (any fixed 64-bit number).
MIGRATION_LOCK = 0x66726F6E746C6E  # "frontln"


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
        return reviews_to_csv(self.all(include_undone=True))

    def import_csv(self, text: str) -> int:
        """Add the rows of an exported CSV; returns how many were new (duplicates skipped)."""
        incoming = reviews_from_csv(text)
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
