"""Command line: ``python -m geo places PATH... [--format csv|geojson] [-o FILE]``.

The interface is stable: scripts and other tools call it. Output goes to stdout or
``-o FILE`` (replaced atomically); warnings, the progress bar and a one-line summary
go to stderr. Exit codes: 0 everything read, 3 some files skipped (each named in a
warning), 1 nothing could be read or a fatal error, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__, settings
from .articles import Rejected, iter_article_paths, read_article
from .errors import ArticleError, GeoError
from .export import mentions_frame, write_frame
from .gazetteer import load_gazetteer
from .models import Article, Mention
from .toponyms import find_mentions

__all__ = ["main"]

EXIT_OK, EXIT_FATAL, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
PROGRESS_MIN_FILES = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="frontline: find and geocode the places news articles name, offline.",
        epilog="Exit codes: 0 all files read; 3 some skipped (see warnings); 1 nothing "
        "usable; 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"frontline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    places = sub.add_parser(
        "places",
        help="one row per place mention",
        description="Read articles (.txt, .html, .md files or folders of them) and write one "
        "row per place mention: article,start,end,surface,place,lat,lon,country "
        "and more. Offsets index the article's clean text.",
    )
    places.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    places.add_argument(
        "--format",
        choices=("csv", "geojson", "table"),
        default="csv",
        help="csv (default), geojson, or table: one line per place, to read",
    )
    places.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    places.add_argument(
        "--min-confidence",
        type=float,
        default=0.5,
        metavar="X",
        help="drop mentions below this confidence (default 0.5)",
    )
    places.add_argument(
        "--max-bytes",
        type=int,
        default=settings.max_article_bytes,
        metavar="N",
        help="refuse larger files (default %(default)s)",
    )
    places.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")

    sub.add_parser(
        "data",
        help="check the shipped gazetteer and print what it holds",
        description="Load and index the gazetteer in geo/data; fail with one line "
        "naming the file if any is missing or corrupt.",
    )
    return parser


def _progress(items: list[Path], quiet: bool) -> Sequence[Path]:
    if quiet or len(items) < PROGRESS_MIN_FILES:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="articles", unit="file", file=sys.stderr, leave=False, disable=None)  # type: ignore[return-value]


def _places(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    try:
        paths = iter_article_paths(args.paths)
    except ArticleError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FATAL
    articles: list[Article] = []
    mentions: list[Mention] = []
    rejected: list[Rejected] = []
    for path in _progress(paths, args.quiet):
        try:
            article = read_article(path, max_bytes=args.max_bytes)
        except ArticleError as err:
            rejected.append(Rejected(str(path), str(err)))
            print(f"warning: skipped {err}", file=sys.stderr)
            continue
        articles.append(article)
        mentions.extend(find_mentions(article, gazetteer, min_confidence=args.min_confidence))
    frame = mentions_frame(mentions, articles)
    try:
        write_frame(frame, args.output or sys.stdout, args.format)
    except OSError as err:
        print(f"error: cannot write {args.output}: {err.strerror}", file=sys.stderr)
        return EXIT_FATAL
    if not args.quiet:
        words = sum(a.word_count for a in articles)
        print(
            f"places: {len(articles)} articles ({words:,} words), {len(mentions)} mentions of "
            f"{frame['place_id'].nunique()} places, {len(rejected)} skipped, "
            f"{time.perf_counter() - started:.2f} s",
            file=sys.stderr,
        )
    if not articles:
        return EXIT_FATAL
    return EXIT_PARTIAL if rejected else EXIT_OK


def _data(_: argparse.Namespace) -> int:
    gazetteer = load_gazetteer()
    kinds: dict[str, int] = {}
    for p in gazetteer.places.values():
        kinds[p.source.split(":")[0]] = kinds.get(p.source.split(":")[0], 0) + 1
    parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"gazetteer: {len(gazetteer.places)} places ({parts}), {len(gazetteer.keys)} name keys")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "places":
            return _places(args)
        return _data(args)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        return 130
