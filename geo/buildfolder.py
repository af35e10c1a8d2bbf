"""A build folder: what ``geo.build.run`` made, written, swapped in whole and read back.

``write_build`` writes every output into a fresh folder and swaps it in only when all is
written, so a failed build leaves the previous one as it was. ``open_build`` reads a folder
back as a :class:`Build` (the dashboard's way into a big corpus), ``read_build`` as tables.
Events are kept in ``events.sqlite`` as JSON objects keyed by field name, and the manifest
carries :data:`BUILD_FORMAT`: a folder from another format is refused in one line, not
misread.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from . import __version__, geoparquet
from ._io import geojson_text, write_csv
from .articles import Rejected
from .corpus import Mentions
from .errors import DataError
from .events import ControlEvent
from .export import PLACE_COLUMNS, events_frame, mentions_frame, state_frame
from .models import ArticleInfo, DateEvidence, Mention, Place, Span
from .reviews import ReviewOutcome
from .timeline import FusedEvent, period_days

__all__ = ["BUILD_FILES", "BUILD_FORMAT", "Build", "open_build", "read_build", "write_build"]

#: The layout of ``events.sqlite`` and the manifest; bumped when either changes shape.
BUILD_FORMAT = 2

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
        write_csv(events.drop(columns="geometry"), tmp / "events.csv")
        state = state_frame(build.state)
        write_csv(state, tmp / "state.csv")
        territory = build.territory.copy()
        territory["day"] = territory["day"].map(lambda d: d.isoformat())
        (tmp / "territory.geojson").write_text(geojson_text(territory), encoding="utf-8")
        areas = build.areas.copy()
        areas["day"] = areas["day"].map(lambda d: d.isoformat())
        write_csv(areas, tmp / "areas.csv")
        _write_places(build, tmp / "places.csv")
        geoparquet.write_frame(territory, tmp / "territory.parquet")
        geoparquet.write_points(state, tmp / "state.parquet")
        geoparquet.write_places(tmp / "places.csv", tmp / "places.parquet")
        write_csv(_articles_frame(build), tmp / "articles.csv")
        _write_events_db(build, tmp / "events.sqlite")
        manifest = {
            "frontline": __version__,
            "format": BUILD_FORMAT,
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
                (f.id, f.place.id, json.dumps(_encode_fused(f), ensure_ascii=False))
                for f in build.fused
            ),
        )
        db.executemany(
            "INSERT INTO excerpts VALUES (?, ?, ?, ?)",
            ((r.id, f.id, f.place.id, r.excerpt) for f in build.fused for r in f.reports),
        )
        db.execute("CREATE INDEX excerpts_place ON excerpts (place_id)")


# ---------------------------------------------------------------------------
# events as JSON objects keyed by field name (a new field with a default reads old rows)


def _encode(value: Any) -> Any:
    if isinstance(value, Place | ControlEvent | FusedEvent | Span):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _encode_fused(f: FusedEvent) -> dict[str, Any]:
    data = _encode(f)
    for report in data["reports"]:
        report["excerpt"] = ""  # kept apart, in the excerpts table, read when a place is clicked
    return data


_DATES = frozenset({"day", "earliest", "latest"})


def _decode_place(data: dict[str, Any]) -> Place:
    return Place(**{**data, "aliases": tuple(data.get("aliases", ()))})


def _decode_report(data: dict[str, Any]) -> ControlEvent:
    values = {k: _date(v) if k in _DATES else v for k, v in data.items()}
    for name in ("sentence", "trigger", "place_span"):
        values[name] = Span(**data[name])
    values["place"] = _decode_place(data["place"])
    return ControlEvent(**values)


def _decode_fused(data: dict[str, Any]) -> FusedEvent:
    values = {k: _date(v) if k in _DATES else v for k, v in data.items()}
    values["place"] = _decode_place(data["place"])
    values["reports"] = tuple(_decode_report(r) for r in data["reports"])
    return FusedEvent(**values)


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
        if manifest.get("format") != BUILD_FORMAT:
            found = manifest.get("format", 1)
            msg = (
                f"{out}: a build of format {found}, this frontline reads format {BUILD_FORMAT}"
                " (rebuild it with python -m geo build)"
            )
            raise DataError(msg)
        source = out / "events.sqlite"
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT data FROM events ORDER BY rowid").fetchall()
        fused = [_decode_fused(json.loads(data)) for (data,) in rows]
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
    except DataError:
        raise
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
