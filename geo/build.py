"""The whole pipeline, files in and a build folder out: the one place stages are chained.

``run`` reads articles, finds places, extracts events, adds curated rows, fuses, computes
the daily state (with inferred corridors) and the territory. ``write_build`` writes the
outputs into a fresh folder and swaps it in only when everything is written, so a failed
build leaves the previous one as it was. ``read_build`` loads a build back (the dashboard's
entry point).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
import pandas as pd

from . import __version__, geoparquet, settings
from .articles import Rejected, iter_article_paths
from .baseline import site_baseline
from .control import daily_control, state_table
from .corpus import (
    CorpusStore,
    Engine,
    Mentions,
    Scan,
    event_from_row,
    event_row,
    local_engine,
    pipeline_fingerprint,
    process_batch,
    scan,
)
from .errors import DataError
from .events import ControlEvent
from .export import PLACE_COLUMNS, events_frame, mentions_frame, state_frame
from .gazetteer import Gazetteer, load_gazetteer
from .models import ArticleInfo, DateEvidence, Mention, Place, file_name
from .profile import Profile, load_profile
from .reviews import ReviewOutcome, ReviewStore, apply_reviews
from .sites import build_sites, site_cells
from .territory import area_by_actor, read_outline, territory
from .timeline import FusedEvent, fuse, period_days, read_curated

__all__ = [
    "BUILD_FILES",
    "Build",
    "open_build",
    "read_build",
    "run",
    "state_and_territory",
    "write_build",
]

#: What a build folder holds (the first three are the public contract).
BUILD_FILES = (
    "events.csv",
    "state.csv",
    "territory.geojson",
    "areas.csv",
    "places.csv",
    "articles.csv",
    "events.sqlite",
    "manifest.json",
    # GeoParquet copies (EPSG:4326) of territory.geojson, state.csv and places.csv
    "territory.parquet",
    "state.parquet",
    "places.parquet",
)


@dataclass
class Build:
    """Everything one run produced, in memory but for the place mentions (left in the store)."""

    articles: list[ArticleInfo]
    rejected: list[Rejected]
    mentions: Mentions | Sequence[Mention]
    reports: list[ControlEvent]
    fused: list[FusedEvent]
    state: pd.DataFrame
    territory: gpd.GeoDataFrame
    areas: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    #: the fused events before analysts' reviews (``fused`` is after them)
    raw_fused: list[FusedEvent] = field(default_factory=list)
    #: what applying the reviews did; ``None`` when the run had no review database
    review_outcome: ReviewOutcome | None = None
    #: how many articles were read this run, and how many came from the store
    processed: int = 0
    cached: int = 0
    #: the build folder's ``events.sqlite`` when opened from disk (excerpts stay there)
    source: Path | None = None

    def excerpts_of(self, place_id: str) -> dict[str, str]:
        """Report id to excerpt for one place: read on demand when the build was opened."""
        if self.source is None:
            return {
                r.id: r.excerpt for f in self.fused if f.place.id == place_id for r in f.reports
            }
        with closing(sqlite3.connect(f"file:{self.source}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT report_id, excerpt FROM excerpts WHERE place_id = ?", (place_id,)
            )
            return dict(rows.fetchall())


def state_and_territory(
    fused: Sequence[FusedEvent],
    *,
    profile: Profile | None = None,
    gazetteer: Gazetteer | None = None,
    outline: gpd.GeoDataFrame | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """The daily state of every site and the territory it draws, from fused events.

    The one entry point of the territory model (sites, baseline, the rules of
    :mod:`geo.inference`, cells and areas): ``run``, the dashboard's views and the CLI
    call it. ``timings`` (if given) receives the seconds of the state and of the territory.
    """
    t = time.perf_counter()
    profile = profile or load_profile()
    gazetteer = gazetteer or load_gazetteer(profile)
    days = profile.days()
    sites = build_sites(gazetteer, profile)
    memo = ("site-baseline", profile.slug, str(profile.folder))
    if memo not in gazetteer.derived:
        gazetteer.derived[memo] = site_baseline(sites, profile, gazetteer)
    baseline, _ = gazetteer.derived[memo]  # type: ignore[misc]
    controls = daily_control(
        sites, baseline, fused, profile=profile, gazetteer=gazetteer, days=days
    )
    index = sites.index()
    extra: dict[str, tuple[str, str, float, float, int]] = {}
    for f in fused:
        p = f.place
        if p.id not in index and p.id not in extra:
            extra[p.id] = (p.id, p.name, p.lat, p.lon, sites.nearest(p.lat, p.lon))
    state = state_table(sites, controls, days, extra=list(extra.values()))
    # within a day: sites first, then the event places in the order of their events
    # (what the map's markers are drawn in)
    first = {pid: k for k, pid in enumerate(dict.fromkeys(f.place.id for f in fused))}
    rank = state["site_id"].map(first).fillna(-1)
    order = pd.DataFrame({"day": state["day"], "rank": rank}).sort_values(
        ["day", "rank"], kind="stable"
    )
    state = state.loc[order.index].reset_index(drop=True)
    if timings is not None:
        timings["state"] = time.perf_counter() - t
    t = time.perf_counter()
    cells = site_cells(
        sites, outline if outline is not None else read_outline(profile), gazetteer, profile
    )
    drawn = territory(cells, controls, days)
    if timings is not None:
        timings["territory"] = time.perf_counter() - t
    return state, drawn


class Progress(Protocol):
    """What ``run`` reports progress to (a tqdm bar fits)."""

    def update(self, n: int = 1) -> object: ...


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    curated: Path | None = None,
    gazetteer: Gazetteer | None = None,
    max_bytes: int | None = None,
    progress: Callable[[int], Progress] | None = None,
    warn: Callable[[str], None] | None = None,
    reviews: str | None = None,
    engine: Engine = local_engine,
    store: CorpusStore | str | os.PathLike[str] | None = None,
    batch_size: int = 200,
) -> Build:
    """Run every stage on ``paths``; bad article files are skipped and listed, not fatal.

    Per-article stages run on ``engine`` in batches of ``batch_size``; their results go to
    ``store`` (a :class:`CorpusStore`, the path of one, or ``None`` for memory), so with a
    file store a rebuild reads only new or changed articles. ``reviews`` is the URL of
    analysts' review database: events, state and territory then follow the reviews.
    ``progress`` gets the number of files and returns a bar that is told of each article.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    gazetteer = gazetteer or load_gazetteer()
    curated_events = read_curated(curated, gazetteer)
    outline = read_outline()
    stored_reviews = None
    if reviews is not None:
        with ReviewStore(reviews) as review_store:
            stored_reviews = review_store.all()
    if not isinstance(store, CorpusStore):
        store = CorpusStore(store, pipeline_fingerprint())
    timings["load"] = time.perf_counter() - t0

    t = time.perf_counter()
    files = iter_article_paths(paths)
    bar = progress(len(files)) if progress else None
    found = Scan(warn=warn)
    batches = scan(
        files,
        store.known(),
        max_bytes=max_bytes,
        batch_size=batch_size,
        report=found,
        tick=bar.update if bar else None,
    )
    # this process shares its gazetteer; workers elsewhere load the shipped data themselves
    shared = {"gazetteer": gazetteer} if engine is local_engine else {}
    work = partial(process_batch, max_bytes=max_bytes, profile=str(load_profile().folder), **shared)
    for records in engine(batches, work):
        store.add(records)
        for r in records:
            if r.error:
                found.reject(r.path, r.error)
        if bar:
            bar.update(len(records))
    timings["articles"] = time.perf_counter() - t

    t = time.perf_counter()
    refused = {r.path for r in found.rejected}
    corpus = [(k, p) for k, p in found.corpus if p not in refused]
    keys = tuple(k for k, _ in corpus)
    articles = store.articles(corpus)
    reports = store.reports(keys, gazetteer)
    names = tuple(file_name(p) for _, p in corpus)
    mentions = Mentions(store, keys, gazetteer, store.mention_count(keys), names)
    order = {os.fspath(f): i for i, f in enumerate(files)}
    found.rejected.sort(key=lambda r: order.get(r.path, len(order)))
    timings["gather"] = time.perf_counter() - t

    t = time.perf_counter()
    raw_fused = fuse([*reports, *curated_events])
    fused, outcome = raw_fused, None
    if stored_reviews is not None:
        fused, outcome = apply_reviews(raw_fused, stored_reviews, gazetteer)
    timings["fusion"] = time.perf_counter() - t
    state, drawn = state_and_territory(fused, gazetteer=gazetteer, outline=outline, timings=timings)
    return Build(
        articles,
        found.rejected,
        mentions,
        [*reports, *curated_events],
        fused,
        state,
        drawn,
        area_by_actor(drawn),
        timings,
        raw_fused,
        outcome,
        processed=found.queued,
        cached=found.cached,
    )


def _articles_frame(build: Build) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "article": a.name,
                "article_id": a.id,
                "outlet": a.outlet or "",
                "published": a.published.isoformat() if a.published else "",
                "published_evidence": a.published_evidence.kind if a.published_evidence else "",
                "published_precision": a.published_evidence.precision
                if a.published_evidence
                else "",
                "flags": ";".join(a.flags),
                "words": a.word_count,
            }
            for a in build.articles
        ],
        columns=[
            "article",
            "article_id",
            "outlet",
            "published",
            "published_evidence",
            "published_precision",
            "flags",
            "words",
        ],
    )


def write_build(build: Build, out_dir: str | os.PathLike[str]) -> Path:
    """Write every output to a new folder, then swap it in place of ``out_dir`` at once."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    for stale in out.parent.glob(f".{out.name}.*.tmp"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp.chmod(0o755)
        events = events_frame(build.fused, build.articles)
        pd.DataFrame(events.drop(columns="geometry")).to_csv(tmp / "events.csv", index=False)
        state = state_frame(build.state)
        state.to_csv(tmp / "state.csv", index=False)
        territory = build.territory.copy()
        territory["day"] = territory["day"].map(lambda d: d.isoformat())
        (tmp / "territory.geojson").write_text(territory.to_json(drop_id=True), encoding="utf-8")
        areas = build.areas.copy()
        areas["day"] = areas["day"].map(lambda d: d.isoformat())
        areas.to_csv(tmp / "areas.csv", index=False)
        _write_places(build, tmp / "places.csv")
        geoparquet.write_frame(territory, tmp / "territory.parquet")
        geoparquet.write_frame(geoparquet.points(state), tmp / "state.parquet")
        geoparquet.write_places(tmp / "places.csv", tmp / "places.parquet")
        _articles_frame(build).to_csv(tmp / "articles.csv", index=False)
        _write_events_db(build, tmp / "events.sqlite")
        manifest = {
            "frontline": __version__,
            "period": [d.isoformat() for d in period_days()[:: len(period_days()) - 1]],
            "articles": len(build.articles),
            "skipped": [r.path for r in build.rejected],
            "mentions": len(build.mentions),
            "reports": len(build.reports),
            "events": len(build.fused),
            "sites": int(build.state["site_id"].nunique()),
            "seconds": {k: round(v, 3) for k, v in build.timings.items()},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _write_places(build: Build, path: Path) -> None:
    """One row per mention, written a chunk at a time: a big corpus never has them all in memory."""
    if isinstance(build.mentions, Mentions):
        with path.open("w", encoding="utf-8", newline="") as out:
            build.mentions.write_csv(out, PLACE_COLUMNS)
        return
    chunks = [build.mentions]
    with path.open("w", encoding="utf-8", newline="") as out:
        header = True
        for chunk in chunks:
            frame = mentions_frame(chunk, build.articles)
            pd.DataFrame(frame.drop(columns="geometry")).to_csv(out, index=False, header=header)
            header = False
        if header:
            pd.DataFrame(columns=PLACE_COLUMNS).to_csv(out, index=False)


def _place_json(p: Place) -> list[object]:
    return [p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.kind, p.population, p.source]


def _write_events_db(build: Build, path: Path) -> None:
    """The fused events for the dashboard: structure in one table, excerpts apart by place."""
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(
            "CREATE TABLE events (id TEXT, place_id TEXT, data TEXT);"
            "CREATE TABLE excerpts (report_id TEXT, event_id TEXT, place_id TEXT, excerpt TEXT);"
        )
        db.executemany(
            "INSERT INTO events VALUES (?, ?, ?)",
            (
                (
                    f.id,
                    f.place.id,
                    json.dumps(
                        [
                            f.id,
                            _place_json(f.place),
                            f.kind,
                            f.actor,
                            f.day.isoformat() if f.day else None,
                            f.day_precision,
                            f.earliest.isoformat() if f.earliest else None,
                            f.latest.isoformat() if f.latest else None,
                            f.disagreement,
                            f.confidence,
                            f.origin,
                            f.review,
                            [
                                [*event_row(replace(r, excerpt="")), _place_json(r.place)]
                                for r in f.reports
                            ],
                        ],
                        ensure_ascii=False,
                        separators=(",", ":"),
                    ),
                )
                for f in build.fused
            ),
        )
        db.executemany(
            "INSERT INTO excerpts VALUES (?, ?, ?, ?)",
            ((r.id, f.id, f.place.id, r.excerpt) for f in build.fused for r in f.reports),
        )
        db.execute("CREATE INDEX excerpts_place ON excerpts (place_id)")


def _fused_from_json(data: list[Any]) -> FusedEvent:
    (id_, place, kind, actor, day, precision, earliest, latest, disagreement) = data[:9]
    confidence, origin, review, reports = data[9:]
    return FusedEvent(
        id=id_,
        place=Place(*place),
        kind=kind,
        actor=actor,
        day=_date(day),
        day_precision=precision,
        earliest=_date(earliest),
        latest=_date(latest),
        disagreement=disagreement,
        confidence=confidence,
        origin=origin,
        reports=tuple(event_from_row(r[:-1], Place(*r[-1])) for r in reports),
        review=review,
    )


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def open_build(out_dir: str | os.PathLike[str]) -> Build:
    """A build folder as a :class:`Build`, without article texts, mentions or excerpts.

    What the dashboard opens for a big corpus: the events, daily state and territory as
    written, with each place's excerpts read from ``events.sqlite`` when it is clicked.
    Raises :class:`DataError` (one line naming the folder) if it is not a whole build.
    """
    out = Path(out_dir)
    _recover(out)
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        source = out / "events.sqlite"
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT data FROM events ORDER BY rowid").fetchall()
        fused = [_fused_from_json(json.loads(data)) for (data,) in rows]
        state = pd.read_csv(out / "state.csv", keep_default_na=False, dtype={"event_ids": str})
        state = state[["site_id", *(c for c in state.columns if c != "site_id")]]
        state["day"] = state["day"].map(dt.date.fromisoformat)
        state["since"] = state["since"].map(_date)
        territory = gpd.read_file(out / "territory.geojson")
        territory["day"] = pd.to_datetime(territory["day"]).dt.date  # read as a datetime
        areas = pd.read_csv(out / "areas.csv")
        areas["day"] = areas["day"].map(dt.date.fromisoformat)
        articles = [
            ArticleInfo(
                id=r.article_id,
                path=r.article,
                outlet=r.outlet or None,
                published=_date(r.published),
                published_evidence=DateEvidence(
                    r.published_evidence, "", precision=r.published_precision
                )
                if r.published_evidence
                else None,
                flags=tuple(f for f in r.flags.split(";") if f),
                word_count=int(r.words),
            )
            for r in pd.read_csv(
                out / "articles.csv", keep_default_na=False, dtype={"article_id": str}
            ).itertuples()
        ]
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as err:
        msg = f"{out}: not a readable build folder ({type(err).__name__}: {err})"
        raise DataError(msg.splitlines()[0]) from err
    return Build(
        articles=articles,
        rejected=[Rejected(p, "skipped when built") for p in manifest.get("skipped", [])],
        mentions=[],
        reports=[r for f in fused for r in f.reports],
        fused=fused,
        state=state,
        territory=territory,
        areas=areas,
        timings={},
        raw_fused=fused,
        source=source,
    )


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``; if the process dies in between, the old folder survives."""
    old = out.with_name(f".{out.name}.old")
    _recover(out)
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _recover(out: Path) -> None:
    """Bring back the previous build if a swap was interrupted between its two renames."""
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and old.is_dir():
        old.rename(out)


def read_build(out_dir: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """The tables of a build folder (a missing folder or file raises ``FileNotFoundError``)."""
    out = Path(out_dir)
    _recover(out)
    return {
        "events": pd.read_csv(out / "events.csv", keep_default_na=False),
        "state": pd.read_csv(out / "state.csv", keep_default_na=False),
        "territory": gpd.read_file(out / "territory.geojson"),
        "areas": pd.read_csv(out / "areas.csv"),
        "articles": pd.read_csv(out / "articles.csv", keep_default_na=False),
    }


def default_output() -> Path:
    """``build/`` beside the seeds when run from a checkout."""
    return settings.data_dir.parents[1] / "build"
