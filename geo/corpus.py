"""The corpus at scale: articles keyed by content hash, read in batches by an engine.

Per-article work (read, places, events) depends only on an article's bytes, its format and
the shipped data, so its result is kept in a store keyed by the bytes' hash under the
pipeline's fingerprint: a rebuild reads only new or changed articles. The same batch
function runs in this process (``local``) or on a Dask cluster (``dask``); both feed the
same store and the build reads it back in corpus order, so the engines (:mod:`geo.engines`)
give the same build.
Batches stream through: at most a few batches of text are in memory at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TextIO

from . import __version__, settings
from .actors import ActorLexicon, load_actor_lexicon
from .articles import Rejected, article_format, parse_article, read_bytes
from .errors import ArticleError, DataError
from .events import ControlEvent, extract_events
from .gazetteer import Gazetteer, load_gazetteer
from .models import ArticleInfo, DateEvidence, Mention, Place, Span
from .profile import Profile, load_profile
from .toponyms import find_mentions

__all__ = [
    "CorpusStore",
    "Mentions",
    "Record",
    "Scan",
    "Task",
    "event_from_row",
    "event_row",
    "pipeline_fingerprint",
    "process_batch",
    "scan",
]

#: The modules whose code decides a per-article result (a change to one empties the store).
_STAGE_MODULES = (
    "articles", "markup", "dates", "timephrases", "gazetteer", "toponyms", "resolution",
    "phrases", "regions", "events", "triggers", "attachment", "anaphora", "actors", "models",
    "corpus", "profile",
)  # fmt: skip
_KEY_CHUNK = 500
_RESULTS = (
    "CREATE TABLE results (key TEXT PRIMARY KEY, article_id TEXT, info TEXT, mentions TEXT,"
    " events TEXT, places TEXT, n_mentions INT, words INT)"
)


@dataclass(frozen=True, slots=True)
class Task:
    """One article to read: its store key, where it came from and its raw bytes."""

    key: str
    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Record:
    """One article's result in store form (JSON text), or the one line saying why it was refused."""

    key: str
    path: str
    article_id: str = ""
    info: str = ""
    mentions: str = ""
    events: str = ""
    places: str = ""
    n_mentions: int = 0
    words: int = 0
    error: str = ""


# ---------------------------------------------------------------------------- per article


@functools.cache
def _resources(profile: str | Path) -> tuple[Gazetteer, ActorLexicon]:
    """What a worker process loads once: the gazetteer and the actor lexicon."""
    chosen = load_profile(profile)
    return load_gazetteer(chosen), load_actor_lexicon(chosen)


def process_batch(
    tasks: Sequence[Task],
    *,
    profile: str | Path | None = None,
    max_bytes: int | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Record]:
    """Read, find places and extract events for each task: the engines' unit of work.

    ``profile`` is the folder of the conflict profile (a path travels to remote workers).
    """
    chosen = load_profile(profile or load_profile().folder)
    gaz, lexicon = _resources(chosen.folder)
    gaz = gazetteer or gaz
    records = []
    for task in tasks:
        try:
            article = parse_article(task.data, path=task.path, max_bytes=max_bytes)
        except ArticleError as err:
            records.append(Record(task.key, task.path, error=str(err)))
            continue
        found = find_mentions(article, gaz)
        events = extract_events(article, found, lexicon=lexicon, gazetteer=gaz)
        info = article.info()
        records.append(
            Record(
                key=task.key,
                path=task.path,
                article_id=article.id,
                info=json.dumps(_info_json(info), separators=(",", ":")),
                mentions=json.dumps(
                    [_mention_json(m) for m in found],
                    separators=(",", ":"),
                    ensure_ascii=False,
                ),
                events=json.dumps(
                    [event_row(e) for e in events], separators=(",", ":"), ensure_ascii=False
                ),
                places=_places_csv(found, chosen.country),
                n_mentions=len(found),
                words=info.word_count,
            )
        )
    return records


#: Columns of ``python -m geo places``; the first eight are the stable contract, the
#: source's own spelling and the Arabic name come last.
PLACE_COLUMNS = [
    "article",
    "start",
    "end",
    "surface",
    "place",
    "lat",
    "lon",
    "country",
    "governorate",
    "feature_type",
    "place_id",
    "confidence",
    "method",
    "article_id",
    "gazetteer_name",
    "name_ar",
]


def mention_row(m: Mention, home: str) -> tuple[Any, ...]:
    """A mention's row of :data:`PLACE_COLUMNS` after ``article`` (governorates at home only)."""
    p = m.place
    return (
        m.start, m.end, m.surface, p.name, p.lat, p.lon, p.country,
        p.admin1 if p.country == home else "", p.kind, p.id, m.confidence, m.method,
        m.article_id, p.gazetteer_name, p.name_ar,
    )  # fmt: skip


def _places_csv(found: Sequence[Mention], home: str) -> str:
    """The article's rows of ``places.csv`` but its name, made once so rebuilds only copy them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(mention_row(m, home) for m in found)
    return buffer.getvalue()


def _mention_json(m: Mention) -> list[Any]:
    return [m.start, m.end, m.surface, m.place.id, m.confidence, m.method]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _info_json(info: ArticleInfo) -> dict[str, Any]:
    ev = info.published_evidence
    return {
        "id": info.id,
        "outlet": info.outlet,
        "published": _iso(info.published),
        "evidence": [ev.kind, ev.text, ev.start, ev.end, ev.precision] if ev else None,
        "flags": list(info.flags),
        "words": info.word_count,
    }


def _info(data: dict[str, Any], path: str) -> ArticleInfo:
    ev = data["evidence"]
    return ArticleInfo(
        id=data["id"],
        path=path,
        outlet=data["outlet"],
        published=_day(data["published"]),
        published_evidence=DateEvidence(*ev) if ev else None,
        flags=tuple(data["flags"]),
        word_count=data["words"],
    )


_SPANS = ("sentence", "trigger", "place_span")


def event_row(e: ControlEvent) -> dict[str, Any]:
    """A report as JSON-ready data keyed by field name (its place by id, spans as pairs,
    the day in ISO form): how stores keep reports, so a new field never shifts the rest."""
    row: dict[str, Any] = {f.name: getattr(e, f.name) for f in fields(ControlEvent)}
    row["place"] = e.place.id
    row["day"] = _iso(e.day)
    for name in _SPANS:
        row[name] = [row[name].start, row[name].end]
    return row


def event_from_row(row: dict[str, Any], place: Place) -> ControlEvent:
    """The inverse of :func:`event_row`, with the report's place given."""
    values = {**row, "place": place, "day": _day(row["day"])}
    for name in _SPANS:
        values[name] = Span(*row[name])
    return ControlEvent(**values)


def _place(gazetteer: Gazetteer, place_id: str) -> Place:
    place = gazetteer.place(place_id)
    if place is None:
        msg = f"the article store names place {place_id!r}, which the gazetteer lacks"
        raise DataError(msg)
    return place


# ---------------------------------------------------------------------------- fingerprint


def pipeline_fingerprint(profile: Profile | None = None) -> str:
    """What a stored result depends on besides the article: code, version, data and profile."""
    profile = profile or load_profile()
    h = hashlib.sha256(f"{__version__}|{profile.slug}|{profile.start}|{profile.end}".encode())
    here = Path(__file__).parent
    for name in _STAGE_MODULES:
        h.update((here / f"{name}.py").read_bytes())
    for root in (settings.data_dir, profile.folder):
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return h.hexdigest()[:24]


# ---------------------------------------------------------------------------- the store


class CorpusStore:
    """Per-article results in SQLite, keyed by content hash and format.

    ``path`` ``None`` keeps the store in memory (one run, no files); a file makes rebuilds
    incremental. Results made under another pipeline fingerprint are dropped on open.
    """

    def __init__(self, path: str | os.PathLike[str] | None, fingerprint: str) -> None:
        self.path = None if path is None else Path(path)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                ":memory:" if self.path is None else self.path,
                check_same_thread=False,
                timeout=30,
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);"
                f"{_RESULTS.replace('TABLE', 'TABLE IF NOT EXISTS', 1)};"
            )
            row = self._db.execute("SELECT value FROM meta WHERE name='fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:
                with self._db:
                    self._db.execute("DROP TABLE results")
                    self._db.execute(_RESULTS)
                    self._db.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,)
                    )
        except sqlite3.DatabaseError as err:
            msg = f"{self.path}: not a usable article store ({err}); delete it to start afresh"
            raise DataError(msg) from err

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM results").fetchone()[0]

    def known(self) -> set[str]:
        """Keys whose results are stored."""
        with self._lock:
            return {k for (k,) in self._db.execute("SELECT key FROM results")}

    def add(self, records: Iterable[Record]) -> None:
        """Keep these results (one transaction: a killed build keeps every finished batch)."""
        rows = [
            (r.key, r.article_id, r.info, r.mentions, r.events, r.places, r.n_mentions, r.words)
            for r in records
            if not r.error
        ]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?)", rows)

    def _rows(self, columns: str, keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """Rows for ``keys`` in the keys' order, read a chunk of keys at a time."""
        for i in range(0, len(keys), _KEY_CHUNK):
            chunk = keys[i : i + _KEY_CHUNK]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                found = {
                    row[0]: row
                    for row in self._db.execute(
                        f"SELECT key, {columns} FROM results WHERE key IN ({marks})",
                        chunk,
                    )
                }
            yield from (found[k] for k in chunk if k in found)

    def articles(self, corpus: Sequence[tuple[str, str]]) -> list[ArticleInfo]:
        """The stored articles of ``corpus`` (key, path pairs), with the corpus's paths."""
        paths = dict(corpus)
        return [
            _info(json.loads(info), paths[key])
            for key, info in self._rows("info", [k for k, _ in corpus])
        ]

    def reports(self, keys: Sequence[str], gazetteer: Gazetteer) -> list[ControlEvent]:
        """Every stored event report of these articles, in corpus then article order."""
        return [
            event_from_row(row, _place(gazetteer, row["place"]))
            for _, events in self._rows("events", keys)
            for row in json.loads(events)
        ]

    def mention_count(self, keys: Sequence[str]) -> int:
        return sum(n for _, n in self._rows("n_mentions", keys))

    def mentions(
        self, keys: Sequence[str], gazetteer: Gazetteer, *, chunk: int = 50_000
    ) -> Iterator[list[Mention]]:
        """The place mentions of these articles, ``chunk`` at a time (never all at once)."""
        batch: list[Mention] = []
        for _, article_id, mentions in self._rows("article_id, mentions", keys):
            batch.extend(
                Mention(article_id, s, e, surface, _place(gazetteer, pid), conf, method)
                for s, e, surface, pid, conf, method in json.loads(mentions)
            )
            if len(batch) >= chunk:
                yield batch
                batch = []
        if batch:
            yield batch


@dataclass(frozen=True)
class Mentions:
    """A build's place mentions, left in the store and read a chunk at a time when written."""

    store: CorpusStore = field(repr=False)
    keys: tuple[str, ...] = field(repr=False)
    gazetteer: Gazetteer = field(repr=False)
    count: int = 0
    #: the articles' file names, in the order of ``keys``
    names: tuple[str, ...] = field(default=(), repr=False)

    def write_csv(self, out: TextIO, header: Sequence[str]) -> None:
        """``places.csv``: the stored rows of each article behind its name, not rebuilt."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        name_of = dict(zip(self.keys, self.names, strict=True))
        for key, rows in self.store._rows("places", self.keys):
            if rows:  # read as CSV, not split on newlines: a quoted field may hold one
                name = name_of[key]
                writer.writerows([name, *row] for row in csv.reader(io.StringIO(rows)))

    def __len__(self) -> int:
        return self.count

    def chunks(self, size: int = 50_000) -> Iterator[list[Mention]]:
        return self.store.mentions(self.keys, self.gazetteer, chunk=size)

    def __iter__(self) -> Iterator[Mention]:
        for chunk in self.chunks():
            yield from chunk


# ---------------------------------------------------------------------------- the scan


@dataclass
class Scan:
    """What reading the file list found: the corpus in order, refusals, and the work to do."""

    corpus: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    cached: int = 0
    queued: int = 0
    warn: Callable[[str], None] | None = field(default=None, repr=False)

    def reject(self, path: str, why: str) -> None:
        self.rejected.append(Rejected(path, why))
        if self.warn:
            self.warn(why)


def content_key(data: bytes, path: str | os.PathLike[str]) -> str:
    """The store key: the bytes' SHA-256 and the format the file name asks for."""
    return f"{hashlib.sha256(data).hexdigest()}.{article_format(path)}"


def scan(
    files: Iterable[Path],
    known: set[str],
    *,
    max_bytes: int | None,
    batch_size: int,
    report: Scan,
    tick: Callable[[int], None] | None = None,
) -> Iterator[list[Task]]:
    """Hash every file; yield batches of the ones the store lacks, fill ``report`` as it goes.

    A file with the same bytes as an earlier one is the same article and is listed once.
    """
    batch: list[Task] = []
    seen: set[str] = set()
    for path in files:
        name = os.fspath(path)
        try:
            data = read_bytes(name, max_bytes=max_bytes)
        except ArticleError as err:
            report.reject(name, str(err))
            continue
        key = content_key(data, name)
        if key in seen:
            continue
        seen.add(key)
        report.corpus.append((key, name))
        if key in known:
            report.cached += 1
            if tick:
                tick(1)
            continue
        report.queued += 1
        batch.append(Task(key, name, data))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
