"""The dashboard's cached loaders: the corpus, the gazetteer, the views and the map payloads.

Every expensive value is computed once per process and shared by all sessions
(``st.cache_resource``): the pipeline's run on the corpus, the reviewed events, the
view a set of filters asks for, and each day's map layer, made the first time a session
shows that day. Cache keys name what a value depends on: the corpus fingerprint, the
data and profile in use (``world``), the filters and the review record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import export, settings, views
from geo.build import Build, open_build, run
from geo.corpus import pipeline_fingerprint
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.geocode import search_places
from geo.models import ArticleInfo, Place
from geo.profile import load_profile
from geo.reviews import Review, ReviewOutcome, apply_reviews
from geo.reviewstore import ReviewStore

from . import mapview

__all__ = [
    "ROOT",
    "ReviewRecord",
    "ViewKey",
    "all_layers",
    "articles_by_id",
    "base_layer",
    "base_payload",
    "basemap",
    "build_dir",
    "changes_on",
    "city_labels",
    "configure",
    "corpus",
    "corpus_files",
    "day_frames",
    "day_layer",
    "excerpts_of",
    "find_places",
    "fingerprint",
    "gazetteer",
    "review_record",
    "review_store",
    "reviewed",
    "reviews_key_of",
    "reviews_now",
    "sites",
    "sites_layer",
    "view_of",
    "warm",
    "world",
]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: (corpus fingerprint, filters, review record identity): what a view depends on
ViewKey = tuple[str, views.Filters, tuple]  # type: ignore[type-arg]


def configure() -> None:
    """Deployment settings from the environment (the library itself never reads it)."""
    settings.reviews_url = os.environ.get("FRONTLINE_REVIEWS_URL", settings.reviews_url)


def warm() -> None:
    """Fill the caches the first page needs, then every day's layer, which a page takes
    right after its first map (``python -m dashboard`` calls this at start): on a big
    build, making them all is seconds the first slider step would otherwise wait."""
    configure()
    files = corpus_files()
    key = fingerprint(files)
    gazetteer()
    basemap()
    corpus(key, tuple(files), settings.data_dir)
    base_layer(world(), False)
    reviews = tuple(reviews_now(review_store(settings.reviews_url)))
    first = load_profile().days()[0]
    vk: ViewKey = (key, views.Filters(), reviews_key_of(list(reviews)))
    sites_layer(vk, reviews)
    day_layer(vk, first, reviews)
    all_layers(vk, reviews)


def build_dir() -> Path | None:
    """A build folder made by ``python -m geo build`` to show instead of the seeds."""
    folder = os.environ.get("FRONTLINE_BUILD")
    return Path(folder) if folder else None


def world() -> str:
    """Which data and profile the app shows: part of every cache key of what depends on them."""
    return f"{settings.data_dir}|{load_profile().folder}"


def corpus_files() -> list[Path]:
    if build_dir() is not None:
        return []
    files = sorted(SEEDS.glob("*.txt"))
    if settings.upload_dir.is_dir():
        files += sorted(
            p
            for p in settings.upload_dir.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix in settings.article_suffixes
        )
    return files


def fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(world().encode())
    folder = build_dir()
    if folder is not None:  # a build folder is swapped whole: its manifest says which
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            msg = f"{folder}: not a build folder (make one with python -m geo build)"
            raise GeoError(msg)
        h.update(str(folder).encode() + str(manifest.stat().st_mtime_ns).encode())
    for f in files:
        h.update(f.name.encode() + b"\0" + str(f.stat().st_size).encode() + b"\0")
    return h.hexdigest()[:16]


def gazetteer() -> Gazetteer:
    return _gazetteer(world())


@st.cache_resource(show_spinner=False)
def _gazetteer(world: str) -> Gazetteer:
    return load_gazetteer(load_profile())


@st.cache_resource(show_spinner="Reading the articles…", max_entries=4)
def corpus(key: str, files: tuple[Path, ...], data_dir: Path | None = None) -> Build:
    """The whole pipeline on these files, kept in memory; or the build folder, opened."""
    folder = build_dir()
    if folder is not None:
        return open_build(folder)
    return stored_build(list(files))


def stored_build(files: list[Path]) -> Build:
    """The pipeline's run on ``files``, kept on disk under the hash of everything it
    depends on (the articles' bytes, every module of ``geo``, the data and the profile):
    a restarted dashboard opens its corpus in milliseconds instead of running it again."""
    h = hashlib.sha256(pipeline_fingerprint().encode())
    for module in sorted((ROOT / "geo").rglob("*.py")):
        h.update(module.read_bytes())
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    path = settings.cache_dir / "dashboard" / f"build-{h.hexdigest()[:24]}.pickle"
    try:
        with path.open("rb") as stored:
            build = pickle.load(stored)  # our own cache, as trusted as the gazetteer index
        if isinstance(build, Build):
            return build
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass  # none yet, or from another version: run the pipeline again
    build = run(files, gazetteer=gazetteer())
    kept = dataclasses.replace(build, mentions=[])  # mentions stay in the run's own store
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".build-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(kept, out, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except OSError:
        pass  # a read-only home: the next start runs the pipeline again
    return kept


def corpus_of(key: str) -> Build:
    files = corpus_files()
    if fingerprint(files) != key:
        msg = "the articles changed while the page was drawn; reload"
        raise GeoError(msg)
    return corpus(key, tuple(files), settings.data_dir)


@st.cache_resource(show_spinner=False, max_entries=4)
def articles_by_id(key: str) -> dict[str, ArticleInfo]:
    return {a.id: a for a in corpus_of(key).articles}


@st.cache_resource(show_spinner=False, max_entries=64)
def excerpts_of(key: str, place_id: str) -> dict[str, str]:
    """A place's excerpts, read once per place (not at each slider step with it selected)."""
    return corpus_of(key).excerpts_of(place_id)


@st.cache_resource(show_spinner=False)
def review_store(url: str) -> ReviewStore:
    return ReviewStore(url)


class ReviewRecord(NamedTuple):
    """The review record as this run found it: the store (``None`` when it cannot be
    opened, ``problem`` saying why in one line) and its reviews, in the order made."""

    store: ReviewStore | None
    reviews: list[Review]
    problem: str = ""


def review_record(url: str) -> ReviewRecord:
    """Open the record at ``url``; a database that cannot answer is one line, not a stop."""
    try:
        store = review_store(url)
        return ReviewRecord(store, store.all())
    except GeoError as err:
        return ReviewRecord(None, [], str(err).splitlines()[0])


SEARCH_HELP = "Any of its names: the English one, the gazetteer's spelling, or Arabic."


def find_places(query: str) -> dict[str, str]:
    """Places a search may mean, most likely first: ``{id: label}`` (made once per query:
    every rerun of the page asks again while the search box holds it)."""
    query = " ".join(query.split())
    return _found(world(), query) if query else {}


@st.cache_resource(show_spinner=False, max_entries=256)
def _found(world: str, query: str) -> dict[str, str]:
    found = search_places(gazetteer(), query, prefer=load_profile().country, limit=12)
    labels = {p.id: _search_label(p) for p in found}
    repeated = {label for label, n in Counter(labels.values()).items() if n > 1}
    for p in found:  # two villages of one name in one province: where each lies
        if labels[p.id] in repeated:
            labels[p.id] += f" ({p.lat:.2f}, {p.lon:.2f})"
    return labels


def _search_label(place: Place) -> str:
    """A label that tells same-named places apart: its province, and what it is unless a
    town ("Hama", "Hama · governorate", "Al Hamah, Rif Dimashq")."""
    label = place.name
    if place.admin1 and place.admin1 != place.name:
        label += f", {place.admin1}"
    if place.kind != "populated place":
        label += f" · {place.kind}"
    return label


def reviews_now(store: ReviewStore) -> list[Review]:
    """The record as it is now; empty if the database cannot answer (the full run says why)."""
    try:
        return store.all()
    except GeoError:
        return []


def reviews_key_of(reviews: list[Review]) -> tuple:  # type: ignore[type-arg]
    """The record's identity: which database, which reviews (ids restart in a new one)."""
    return (settings.reviews_url, *((r.id, r.created, r.undone) for r in reviews))


@st.cache_resource(show_spinner=False, max_entries=8)
def reviewed(
    key: str, reviews_key: tuple, _build: Build, _reviews: tuple[Review, ...]
) -> tuple[list, ReviewOutcome]:  # type: ignore[type-arg]
    return apply_reviews(_build.fused, list(_reviews), gazetteer())


# The view's caches take its key whole, ``vk`` = (corpus fingerprint, filters, review
# record identity); the reviews themselves (``_reviews``) are not hashed, their key is.


@st.cache_resource(show_spinner=False, max_entries=32)
def view_of(vk: ViewKey, _reviews: tuple[Review, ...]) -> views.View:
    key, filters, reviews_key = vk
    build = corpus_of(key)
    if not reviews_key or not _reviews:  # no review yet: the build's own state and territory
        return views.make_view(build, filters)
    fused, _ = reviewed(key, reviews_key, build, _reviews)
    return views.make_view(build, filters, fused=fused)


def basemap() -> export.Basemap:
    return _basemap(world())


@st.cache_resource(show_spinner=False)
def _basemap(world: str) -> export.Basemap:
    return export.read_basemap(load_profile())


@st.cache_resource(show_spinner=False)
def city_labels(world: str) -> list[tuple[str, float, float]]:
    profile = load_profile()
    found = [(name, gazetteer().lookup(name, country=profile.country)) for name in profile.cities]
    return [(name, places[0].lat, places[0].lon) for name, places in found if places]


@st.cache_resource(show_spinner=False)
def base_payload(world: str, web_tiles: bool = False) -> dict:  # type: ignore[type-arg]
    """The base map (callers must not change it); without web tiles for the HTML export."""
    return mapview.base_payload(basemap(), city_labels(world), web_tiles=web_tiles)


@st.cache_resource(show_spinner=False)
def base_layer(world: str, web_tiles: bool) -> tuple[str, str]:
    """The base map's payload for the live map, made once: (key, JSON text)."""
    text = mapview.json_text(base_payload(world, web_tiles))
    return mapview.key_of(text), text


@st.cache_resource(show_spinner=False, max_entries=2048)
def day_frames(
    vk: ViewKey, day: dt.date, _reviews: tuple[Review, ...]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """One day's territory and places of a view (callers must not change them)."""
    view = view_of(vk, _reviews)
    return views.territory_on(view, day), views.places_on(view, day, gazetteer())


@st.cache_resource(show_spinner=False, max_entries=32)
def sites(vk: ViewKey, _reviews: tuple[Review, ...]) -> dict:  # type: ignore[type-arg]
    """Every place the view may draw, in draw order (:func:`mapview.sites_payload`)."""
    table = views.sites_of(view_of(vk, _reviews), gazetteer())
    return mapview.sites_payload(table, views.parents_of(table["place_id"], gazetteer()))


@st.cache_resource(show_spinner=False, max_entries=32)
def sites_layer(vk: ViewKey, _reviews: tuple[Review, ...]) -> tuple[str, str]:
    """The view's sites for the live map, made once: (key, JSON text)."""
    table = sites(vk, _reviews)
    return table["key"], mapview.json_text(table)


@st.cache_resource(show_spinner=False, max_entries=2048)
def day_layer(vk: ViewKey, day: dt.date, _reviews: tuple[Review, ...]) -> tuple[str, str]:
    """A day's map layer, made the first time any session shows it: (key, JSON text)."""
    territory, places = day_frames(vk, day, _reviews)
    view = view_of(vk, _reviews)
    payload = mapview.day_payload(
        territory,
        places,
        day=day,
        palette=load_profile().palette,
        sites=sites(vk, _reviews),
        changes=changes_on(vk, day, _reviews),
        areas=view.areas[view.areas["day"] == day],
        per_day=_per_day(vk, _reviews),
    )
    return payload["key"], mapview.json_text(payload)


@st.cache_resource(show_spinner=False, max_entries=32)
def all_layers(vk: ViewKey, _reviews: tuple[Review, ...]) -> tuple[str, str]:
    """Every day's layer of a view: (a key for the set, JSON text of ``{day: layer}``)."""
    layers = {day.isoformat(): day_layer(vk, day, _reviews) for day in load_profile().days()}
    text = "{" + ",".join(f'"{d}":{t}' for d, (_, t) in layers.items()) + "}"
    return mapview.key_of("".join(k for k, _ in layers.values())), text


@st.cache_resource(show_spinner=False, max_entries=32)
def _per_day(vk: ViewKey, _reviews: tuple[Review, ...]) -> pd.DataFrame:
    return views.events_per_day(view_of(vk, _reviews))


@st.cache_resource(show_spinner=False, max_entries=2048)
def changes_on(vk: ViewKey, day: dt.date, _reviews: tuple[Review, ...]) -> pd.DataFrame:
    """What changed on a day in a view (see :func:`geo.views.day_changes`)."""
    return views.day_changes(view_of(vk, _reviews), day)
