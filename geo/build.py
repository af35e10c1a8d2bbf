"""The whole pipeline, files in and a :class:`Build` out: the one place stages are chained.

``run`` reads articles, finds places, extracts events, adds curated rows, fuses, applies
reviews, computes the daily state (with inferred corridors) and the territory. Writing and
reading a build folder is :mod:`geo.buildfolder`'s job; its functions are re-exported here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, Protocol, TypedDict, Unpack

import geopandas as gpd
import pandas as pd

from .articles import Rejected, iter_article_paths
from .baseline import site_baseline
from .buildfolder import BUILD_FILES, BUILD_FORMAT, Build, open_build, read_build, write_build
from .control import daily_control, state_table
from .corpus import CorpusStore, Mentions, Scan, pipeline_fingerprint, process_batch, scan
from .engines import Engine, local_engine
from .events import ControlEvent
from .gazetteer import Gazetteer, load_gazetteer
from .models import ArticleInfo, file_name
from .profile import Profile, load_profile
from .reviews import ReviewOutcome, apply_reviews
from .sites import build_sites, site_cells
from .territory import area_by_actor, read_outline, territory
from .timeline import FusedEvent, fuse, read_curated

__all__ = [
    "BUILD_FILES",
    "BUILD_FORMAT",
    "Build",
    "DataCheck",
    "Extraction",
    "RunOptions",
    "check_data",
    "extract",
    "open_build",
    "read_build",
    "run",
    "state_and_territory",
    "write_build",
]


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
    # within a day: sites first, then the event places in the order of their events
    # (what the map's markers are drawn in)
    state = state_table(
        sites,
        controls,
        days,
        extra=list(extra.values()),
        last=list(dict.fromkeys(f.place.id for f in fused)),
    )
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


@dataclass
class Extraction:
    """What reading a corpus gives before the map: articles, mentions and events."""

    articles: list[ArticleInfo]
    rejected: list[Rejected]
    mentions: Mentions
    #: every report: extracted from the articles, then the curated rows
    reports: list[ControlEvent]
    #: the fused events after analysts' reviews (``raw_fused`` is before them)
    fused: list[FusedEvent]
    raw_fused: list[FusedEvent]
    review_outcome: ReviewOutcome | None
    processed: int
    cached: int
    timings: dict[str, float] = field(default_factory=dict)


def extract(
    paths: Iterable[str | os.PathLike[str]],
    *,
    curated: Path | Literal[False] | None = None,
    gazetteer: Gazetteer | None = None,
    max_bytes: int | None = None,
    progress: Callable[[int], Progress] | None = None,
    warn: Callable[[str], None] | None = None,
    reviews: str | None = None,
    engine: Engine = local_engine,
    store: CorpusStore | str | os.PathLike[str] | None = None,
    batch_size: int = 200,
) -> Extraction:
    """Read ``paths`` and give their fused events; bad files are skipped and listed, not fatal.

    The events a build writes and ``python -m geo events`` prints both come from here.
    ``curated`` is the analysts' events table (``None``: the profile's; ``False``: none).
    Per-article stages run on ``engine`` in batches of ``batch_size``; their results go to
    ``store`` (a :class:`CorpusStore`, the path of one, or ``None`` for memory), so with a
    file store a rebuild reads only new or changed articles. ``reviews`` is the URL of
    analysts' review database, applied to the fused events. ``progress`` gets the number
    of files and returns a bar that is told of each article.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    gazetteer = gazetteer or load_gazetteer()
    curated_events = [] if curated is False else read_curated(curated, gazetteer)
    stored_reviews = None
    if reviews is not None:
        from .reviewstore import ReviewStore  # SQLAlchemy only when there are reviews

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
    return Extraction(
        articles,
        found.rejected,
        mentions,
        [*reports, *curated_events],
        fused,
        raw_fused,
        outcome,
        processed=found.queued,
        cached=found.cached,
        timings=timings,
    )


class RunOptions(TypedDict, total=False):
    """The options :func:`run` passes on to :func:`extract` (see it for each one)."""

    curated: Path | Literal[False] | None
    max_bytes: int | None
    progress: Callable[[int], Progress] | None
    warn: Callable[[str], None] | None
    reviews: str | None
    engine: Engine
    store: CorpusStore | str | os.PathLike[str] | None
    batch_size: int


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    gazetteer: Gazetteer | None = None,
    **options: Unpack[RunOptions],
) -> Build:
    """Every stage on ``paths``: :func:`extract`, then :func:`state_and_territory`.

    Takes :func:`extract`'s options; with ``reviews``, the state and territory follow
    the reviewed events.
    """
    gazetteer = gazetteer or load_gazetteer()
    t = time.perf_counter()
    outline = read_outline()
    outline_seconds = time.perf_counter() - t
    found = extract(paths, gazetteer=gazetteer, **options)
    timings = found.timings
    timings["load"] += outline_seconds
    state, drawn = state_and_territory(
        found.fused, gazetteer=gazetteer, outline=outline, timings=timings
    )
    return Build(
        found.articles,
        found.rejected,
        found.mentions,
        found.reports,
        found.fused,
        state,
        drawn,
        area_by_actor(drawn),
        timings,
        found.raw_fused,
        found.review_outcome,
        processed=found.processed,
        cached=found.cached,
    )


@dataclass(frozen=True)
class DataCheck:
    """What the profile's data holds, once every file of it has been read and checked."""

    profile: str
    places: dict[str, int]  # by source prefix
    keys: int
    sites: int
    baseline: int
    curated: int
    actor_phrases: int

    def summary(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in sorted(self.places.items()))
        return (
            f"profile {self.profile}: gazetteer {sum(self.places.values())} places ({parts}), "
            f"{self.keys} keys; {self.sites} sites, baseline {self.baseline} rows; "
            f"{self.curated} curated events; actor lexicon {self.actor_phrases} phrases; "
            "outline ok"
        )


def check_data(profile: Profile | None = None) -> DataCheck:
    """Read every data file the pipeline needs; a bad one raises :class:`DataError` naming it.

    ``python -m geo data`` prints its summary; the dashboard calls it before drawing.
    """
    from .actors import load_actor_lexicon
    from .timeline import read_baseline

    profile = profile or load_profile()
    gazetteer = load_gazetteer(profile)
    read_outline(profile)
    sites = build_sites(gazetteer, profile)
    sources: dict[str, int] = {}
    for p in gazetteer.places.values():
        key = p.source.split(":")[0]
        sources[key] = sources.get(key, 0) + 1
    return DataCheck(
        profile=profile.slug,
        places=sources,
        keys=len(gazetteer.keys),
        sites=len(sites.ids),
        baseline=len(read_baseline(profile=profile)),
        curated=len(read_curated(None, gazetteer, profile=profile)),
        actor_phrases=len(load_actor_lexicon(profile).actors),
    )
