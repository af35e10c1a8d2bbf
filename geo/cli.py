"""Command line: ``python -m geo places|events|build|data``.

The interface is stable: scripts and other tools call it.

- ``places PATH... [--format csv|geojson|table] [-o FILE]``: one row per place mention.
- ``events PATH... [--format csv|geojson] [-o FILE] [--curated FILE] [--reviews DB_URL]``:
  one row per report of each fused event; given a build's options, its ``events.csv``.
- ``build [PATH...] [--out DIR] [--curated FILE] [--reviews DB_URL] [--engine local|dask]
  [--scheduler ADDRESS] [--cache FILE | --no-cache]``: events.csv, state.csv,
  territory.geojson and what the dashboard reads, swapped in atomically; prints a per-day
  summary. With ``--reviews``, analysts' reviews are applied to the events first. Per-article
  results are cached by content hash, so a rebuild reads only new or changed articles.
- ``data``: check the profile's data (``geo.build.check_data``).

Output goes to stdout or ``-o FILE`` (replaced atomically); warnings (one line per skipped
file, naming it), the progress bar and summaries go to stderr. Exit codes: 0 everything
read, 3 some files skipped, 1 nothing usable or a fatal error, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, settings
from .errors import GeoError

if TYPE_CHECKING:
    from .articles import Rejected
    from .build import Progress
    from .models import Article

# the stages are imported by the commands that run them: `--help` stays quick

__all__ = ["main"]

EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
#: The engines of ``geo.engines`` (``ENGINES``; a test checks they agree).
ENGINE_NAMES = ("local", "dask")
PROGRESS_MIN_FILES = 20
ROOT = Path(__file__).resolve().parents[1]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="frontline: places and control-change events in news articles, offline.",
        epilog="Exit codes: 0 all files read; 3 some skipped (see warnings); 1 nothing "
        "usable; 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"frontline {__version__}")
    parser.add_argument(
        "--profile",
        metavar="NAME|DIR",
        default=None,
        help=f"the conflict profile: a shipped name or a folder (default {settings.profile})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def reader(
        name: str, help_: str, description: str, formats: Sequence[str], paths: str = "+"
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=description)
        p.add_argument(
            "paths",
            nargs=paths,
            metavar="PATH",
            help="article files (.txt, .html, .md) or folders of them",
        )
        if formats:
            p.add_argument("--format", choices=formats, default=formats[0])
            p.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
        p.add_argument(
            "--max-bytes",
            type=int,
            default=settings.max_article_bytes,
            metavar="N",
            help="refuse larger files (default %(default)s)",
        )
        p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
        return p

    places = reader(
        "places",
        "one row per place mention",
        "Write one row per place mention: article,start,end,surface,place,lat,lon,country "
        "and more. Offsets index the article's clean text.",
        ("csv", "geojson", "table"),
    )
    places.add_argument(
        "--min-confidence",
        type=float,
        default=0.5,
        metavar="X",
        help="drop mentions below this confidence (default 0.5)",
    )
    events = reader(
        "events",
        "one row per report of each control-change event",
        "Write one row for each supporting article of each fused event: event_id,article,"
        "place,lat,lon,kind,actor,day,confidence,excerpt and more (day is YYYY-MM-DD, "
        "empty when unknown). The events of the articles alone unless --curated or "
        "--reviews is given; with the same options, the events.csv a build writes.",
        ("csv", "geojson"),
    )
    events.add_argument(
        "--curated",
        metavar="FILE",
        type=Path,
        help="add the analysts' events of this CSV (the profile's is curated.csv)",
    )
    events.add_argument(
        "--reviews",
        metavar="DB_URL",
        help="apply analysts' reviews from this database (SQLAlchemy URL)",
    )
    build = reader(
        "build",
        "the daily control state and territory, into a build folder",
        "Run the whole pipeline and write events.csv, state.csv, territory.geojson, "
        "areas.csv, places.csv, articles.csv and manifest.json into --out, replacing the "
        "previous build only when everything is written. Without PATH, the seeds.",
        (),
        paths="*",
    )
    build.add_argument(
        "--out",
        metavar="DIR",
        default=str(ROOT / "build"),
        help="build folder (default %(default)s)",
    )
    build.add_argument(
        "--curated",
        metavar="FILE",
        type=Path,
        help="analysts' events CSV (default: the profile's curated table)",
    )
    build.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default="local",
        help="where per-article stages run: this process, or a Dask cluster (default local)",
    )
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: an existing scheduler (tcp://host:8786); default a local cluster",
    )
    build.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="worker processes of the local Dask cluster (default %(default)s)",
    )
    build.add_argument(
        "--batch-size",
        type=int,
        default=200,
        metavar="N",
        help="articles per batch; memory grows with it, not with the corpus (default %(default)s)",
    )
    build.add_argument(
        "--cache",
        metavar="FILE",
        type=Path,
        default=settings.cache_dir / "articles.sqlite",
        help="per-article results, keyed by content hash: rebuilds read only new or "
        "changed articles (default %(default)s)",
    )
    build.add_argument(
        "--no-cache", action="store_true", help="read every article again, store nothing"
    )
    build.add_argument(
        "--reviews",
        metavar="DB_URL",
        help="apply analysts' reviews from this database (SQLAlchemy URL, e.g. "
        "sqlite:///data/reviews.sqlite)",
    )

    index = sub.add_parser(
        "index",
        help="fetch the gazetteer's sources and build its index (make setup runs it)",
        description="Copy the repository datasets from the local mirror (checking their "
        "sha256) or download the pinned archives, then build the gazetteer index. Does "
        "nothing when the index is up to date. A bad file is one line naming it and the "
        "previous index is kept.",
    )
    index.add_argument(
        "--mirror",
        metavar="DIR",
        type=Path,
        default=None,
        help=f"local copy of the datasets (default {settings.mirror_dir})",
    )
    index.add_argument(
        "--url",
        metavar="DATASET=URL",
        action="append",
        default=[],
        help="download this dataset's archive from URL instead of the pinned address",
    )
    index.add_argument("--force", action="store_true", help="fetch and build again")
    sub.add_parser(
        "data",
        help="check the shipped data and print what it holds",
        description="Load and index the gazetteer and the boundary, baseline and "
        "lexicon files; fail with one line naming any bad file.",
    )
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _progress(items: list[Path], quiet: bool) -> Iterable[Path]:
    if quiet or len(items) < PROGRESS_MIN_FILES:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="articles", unit="file", file=sys.stderr, leave=False, disable=None)


def _bar(total: int) -> Progress:
    """A progress bar for ``total`` articles, or a silent one for a handful."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc="articles",
        unit="file",
        file=sys.stderr,
        leave=False,
        disable=True if total < PROGRESS_MIN_FILES else None,
    )


def _read(args: argparse.Namespace) -> tuple[list[Article], list[Rejected]]:
    from .articles import Rejected, iter_article_paths, read_article
    from .errors import ArticleError

    articles, rejected = [], []
    for path in _progress(iter_article_paths(args.paths), args.quiet):
        try:
            articles.append(read_article(path, max_bytes=args.max_bytes))
        except ArticleError as err:
            rejected.append(Rejected(str(path), str(err)))
            _say(f"warning: skipped {err}")
    return articles, rejected


def _exit_code(articles: Sequence[object], rejected: Sequence[Rejected]) -> int:
    if not articles:
        return EXIT_FATAL
    return EXIT_PARTIAL if rejected else EXIT_OK


def _places(args: argparse.Namespace) -> int:
    from .export import mentions_frame, write_frame
    from .gazetteer import load_gazetteer
    from .models import Mention
    from .toponyms import find_mentions

    started = time.perf_counter()
    gazetteer = load_gazetteer()
    articles, rejected = _read(args)
    mentions: list[Mention] = [
        m for a in articles for m in find_mentions(a, gazetteer, min_confidence=args.min_confidence)
    ]
    frame = mentions_frame(mentions, articles)
    write_frame(frame, args.output or sys.stdout, args.format)
    if not args.quiet:
        words = sum(a.word_count for a in articles)
        _say(
            f"places: {len(articles)} articles ({words:,} words), {len(mentions)} mentions of "
            f"{frame['place_id'].nunique()} places, {len(rejected)} skipped, "
            f"{time.perf_counter() - started:.2f} s"
        )
    return _exit_code(articles, rejected)


def _events(args: argparse.Namespace) -> int:
    from .build import extract
    from .export import events_frame, write_frame

    started = time.perf_counter()
    found = extract(
        args.paths,
        curated=args.curated or False,
        max_bytes=args.max_bytes,
        progress=None if args.quiet else _bar,
        warn=lambda message: _say(f"warning: skipped {message}"),
        reviews=args.reviews,
        store=None,
    )
    frame = events_frame(found.fused, found.articles)
    write_frame(frame, args.output or sys.stdout, args.format)
    if not args.quiet:
        _say(
            f"events: {len(found.articles)} articles, {len(found.reports)} reports of "
            f"{len(found.fused)} events, {len(found.rejected)} skipped, "
            f"{time.perf_counter() - started:.2f} s"
        )
    return _exit_code(found.articles, found.rejected)


def _build(args: argparse.Namespace) -> int:
    from .build import run, write_build
    from .engines import get_engine

    started = time.perf_counter()
    paths = args.paths or [str(ROOT / "seeds")]
    engine = get_engine(args.engine, scheduler=args.scheduler, workers=args.workers)
    build = run(
        paths,
        curated=args.curated,
        max_bytes=args.max_bytes,
        progress=None if args.quiet else _bar,
        warn=lambda message: _say(f"warning: skipped {message}"),
        reviews=args.reviews,
        engine=engine,
        store=None if args.no_cache else args.cache,
        batch_size=args.batch_size,
    )
    if not build.articles:
        _say("error: no article could be read; the previous build is kept")
        return EXIT_FATAL
    out = write_build(build, args.out)
    if not args.quiet:
        _say(_summary(build))
        _say(
            f"build: {len(build.articles)} articles, {len(build.reports)} reports, "
            f"{len(build.fused)} events, {len(build.rejected)} skipped -> {out} "
            f"({time.perf_counter() - started:.2f} s; {build.processed} articles read, "
            f"{build.cached} from the store)"
        )
        if build.review_outcome is not None:
            o = build.review_outcome
            unplaced = f", {len(o.unplaced)} name unknown places" if o.unplaced else ""
            _say(
                f"reviews: {o.applied} applied, {len(o.orphaned)} orphaned "
                f"(their reports are gone), {len(o.rejected_ids)} events rejected{unplaced}"
            )
    return _exit_code(build.articles, build.rejected)


def _summary(build: object) -> str:
    """One line per day: what changed hands, and each actor's area."""
    from .build import Build

    assert isinstance(build, Build)
    areas = build.areas.pivot_table(
        index="day", columns="controller", values="area_km2", aggfunc="sum"
    )
    lines = []
    for day, row in areas.iterrows():
        changes = [
            f"{f.place.name} {f.kind} by {f.actor}"
            for f in build.fused
            if f.day == day and f.kind != "contested"
        ]
        held = ", ".join(
            f"{c} {v / 1000:,.1f}k" for c, v in row.sort_values(ascending=False).items() if v >= 1
        )
        lines.append(f"{day}  km²: {held}")
        lines.extend(f"            {c}" for c in changes)
    return "\n".join(lines)


def _index(args: argparse.Namespace) -> int:
    import time as clock

    from .index import build_index, load_gazetteer

    urls = {}
    for item in args.url:
        name, sep, url = item.partition("=")
        if not sep or not url:
            _say(f"error: --url wants DATASET=URL, not {item!r}")
            return EXIT_USAGE
        urls[name] = url
    path = build_index(mirror=args.mirror, urls=urls, say=_say, force=args.force)
    t = clock.perf_counter()
    gazetteer = load_gazetteer()
    _say(
        f"gazetteer index: {path} ({len(gazetteer.places)} places, {len(gazetteer.keys)} "
        f"keys; loads in {clock.perf_counter() - t:.2f} s)"
    )
    return EXIT_OK


def _data(_: argparse.Namespace) -> int:
    from .build import check_data

    print(check_data().summary())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.profile:
        settings.profile = args.profile
    commands = {
        "places": _places,
        "events": _events,
        "build": _build,
        "index": _index,
        "data": _data,
    }
    try:
        return commands[args.command](args)
    except GeoError as err:
        _say(f"error: {err}")
        return EXIT_FATAL
    except OSError as err:
        _say(f"error: {err.filename or ''}: {err.strerror}")
        return EXIT_FATAL
    except KeyboardInterrupt:
        return 130
