"""frontline dashboard: scrub the days, play them, click a place for its sources, export.

The script reads like the page, top to bottom: load the corpus (cached), sidebar (day,
play, filters, articles), map and sources panel, overview, exports. Every computation
lives in ``geo``; this file holds widgets, layout and cache wrappers. The shareable view
(day and place) lives in ``st.query_params``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` from a plain checkout
    sys.path.insert(0, str(ROOT))

from dashboard import charts, downloads, fastmap, mapview, review  # noqa: E402
from geo import export, settings, views  # noqa: E402
from geo.articles import store_upload  # noqa: E402
from geo.build import Build, open_build, run  # noqa: E402
from geo.errors import GeoError  # noqa: E402
from geo.events import KINDS  # noqa: E402
from geo.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from geo.models import ArticleInfo  # noqa: E402
from geo.profile import load_profile  # noqa: E402
from geo.reviews import Review, ReviewOutcome, apply_reviews  # noqa: E402
from geo.reviewstore import ReviewStore  # noqa: E402

# deployment settings come from the environment here, never in the library
settings.reviews_url = os.environ.get("FRONTLINE_REVIEWS_URL", settings.reviews_url)
#: a build folder made by `python -m geo build` to show instead of the seeds (a big corpus)
BUILD_DIR = Path(os.environ["FRONTLINE_BUILD"]) if os.environ.get("FRONTLINE_BUILD") else None

SEEDS = ROOT / "seeds"
PLAY_SECONDS = 1.2
#: reports shown per event before "and N more", events per place before the same
SHOW_REPORTS, SHOW_EVENTS = 5, 30


# ---------------------------------------------------------------------------- cached work


def corpus_files() -> list[Path]:
    if BUILD_DIR is not None:
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
    if BUILD_DIR is not None:  # a build folder is swapped whole: its manifest says which
        manifest = BUILD_DIR / "manifest.json"
        if not manifest.is_file():
            msg = f"{BUILD_DIR}: not a build folder (make one with python -m geo build)"
            raise GeoError(msg)
        h.update(str(BUILD_DIR).encode() + str(manifest.stat().st_mtime_ns).encode())
    for f in files:
        h.update(f.name.encode() + b"\0" + str(f.stat().st_size).encode() + b"\0")
    return h.hexdigest()[:16]


def world() -> str:
    """Which data and profile the app shows: part of every cache key of what depends on them."""
    return f"{settings.data_dir}|{load_profile().folder}"


def gazetteer() -> Gazetteer:
    return _gazetteer(world())


@st.cache_resource(show_spinner=False)
def _gazetteer(world: str) -> Gazetteer:
    return load_gazetteer(load_profile())


@st.cache_resource(show_spinner="Reading the articles…", max_entries=4)
def corpus(key: str, files: tuple[Path, ...], data_dir: Path | None = None) -> Build:
    """The whole pipeline on these files, kept in memory; or the build folder, opened."""
    if BUILD_DIR is not None:
        return open_build(BUILD_DIR)
    return run(list(files), gazetteer=gazetteer())


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


@st.cache_resource(show_spinner=False, max_entries=8)
def reviewed(
    key: str, reviews_key: tuple, _build: Build, _reviews: list[Review]
) -> tuple[list, ReviewOutcome]:  # type: ignore[type-arg]
    return apply_reviews(_build.fused, _reviews, gazetteer())


@st.cache_resource(show_spinner=False, max_entries=32)
def view_for(
    key: str,
    _build: Build,
    filters: views.Filters,
    reviews_key: tuple = (),
    _reviews: tuple[Review, ...] = (),
) -> views.View:
    if not reviews_key:
        return views.make_view(_build, filters)
    fused, _ = reviewed(key, reviews_key, _build, list(_reviews))
    return views.make_view(_build, filters, fused=fused)


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
def display_layers(world: str) -> tuple:  # type: ignore[type-arg]
    b = basemap()
    return mapview.display_layers(b.outline, b.governorates, b.neighbours)


@st.cache_resource(show_spinner=False)
def map_payload(world: str, web_tiles: bool) -> fastmap.MapPayload:
    """The base map, rendered once; a day step only sends the day's layer."""
    base = mapview.base_map(
        *display_layers(world), city_labels(world), web_tiles=web_tiles, served=True
    )
    return fastmap.map_payload(base, key="map")


@st.cache_resource(show_spinner=False, max_entries=32)
def day_layers(
    key: str, filters: views.Filters, reviews_key: tuple, _reviews: tuple[Review, ...]
) -> dict[dt.date, str]:
    """Every day's layer of a view, made at once: scrubbing and playing never wait."""
    view = view_for(key, corpus_of(key), filters, reviews_key, _reviews)
    return {
        d: fastmap.layer_script(
            mapview.day_layer(views.territory_on(view, d), views.places_on(view, d, gazetteer()))
        )
        for d in DAYS
    }


@st.cache_resource(show_spinner=False, max_entries=256)
def selection_js(place_id: str | None) -> str:
    place = gazetteer().place(place_id or "")
    return fastmap.layer_script(mapview.selection_layer(place), idx=1)


def reviews_key_of(reviews: list[Review]) -> tuple:  # type: ignore[type-arg]
    """The record's identity: which database, which reviews (ids restart in a new one)."""
    return (settings.reviews_url, *((r.id, r.created) for r in reviews))


# ---------------------------------------------------------------------------- page

st.set_page_config(page_title="frontline", page_icon="🗺️", layout="wide")

try:  # a missing or corrupt data file or build folder stops the app here, with one line
    PROFILE = load_profile()
    DAYS = PROFILE.days()
    ACTORS = PROFILE.actor_names
    files = corpus_files()
    key = fingerprint(files)
    gazetteer()
    basemap()
    build = corpus(key, tuple(files), settings.data_dir)
except GeoError as err:
    st.error(views.markdown_escape(f"frontline cannot start: {str(err).splitlines()[0]}"))
    st.stop()

try:
    store: ReviewStore | None = review_store(settings.reviews_url)
    reviews = store.all()
    review_problem = ""
except GeoError as err:
    store, reviews = None, []
    review_problem = str(err).splitlines()[0]

# the shareable view: ?day=2024-12-06&place=gn:170017
if "next_day" in st.session_state:  # set by the player between two runs
    st.session_state.day = st.session_state.pop("next_day")
if "day" not in st.session_state:
    try:
        asked = dt.date.fromisoformat(st.query_params.get("day", ""))
    except ValueError:
        asked = DAYS[0]
    st.session_state.day = min(max(asked, DAYS[0]), DAYS[-1])
if "place" not in st.session_state:
    st.session_state.place = st.query_params.get("place") or None


def advance() -> None:
    """Step one day, at most once per PLAY_SECONDS (timer ticks queued behind a slow rerun
    are dropped rather than played back to back)."""
    now = time.monotonic()
    if now - st.session_state.get("stepped_at", 0.0) < 0.5 * PLAY_SECONDS:
        return
    st.session_state.stepped_at = now
    st.session_state.next_day = DAYS[(DAYS.index(st.session_state.day) + 1) % len(DAYS)]


with st.sidebar:
    st.title("frontline")
    st.caption(PROFILE.caption)
    day: dt.date = st.slider(
        "Day",
        min_value=DAYS[0],
        max_value=DAYS[-1],
        key="day",
        step=dt.timedelta(days=1),
        format="ddd D MMM YYYY",
    )
    playing = st.toggle(
        "Play the days", key="playing", help=f"Steps one day every {PLAY_SECONDS} s"
    )

    st.subheader("Filters")
    actors = st.multiselect("Actor", ACTORS, default=ACTORS, key="actors")
    kinds = st.multiselect("Kind", KINDS, default=KINDS, key="kinds")
    min_conf = st.slider("Minimum confidence", 0.0, 1.0, 0.0, 0.05, key="min_confidence")
    origins = st.multiselect(
        "Origin", ["extracted", "curated"], default=["extracted", "curated"], key="origins"
    )
    web_tiles = st.toggle("Web map tiles (needs internet)", key="web_tiles", value=False)

    st.subheader("Reviews")
    if review_problem:
        st.warning(
            views.markdown_escape(
                f"Reviews unavailable, showing the unreviewed build: {review_problem}"
            )
        )
    reviewer = st.text_input("Your name (signs your reviews)", key="reviewer").strip()
    raw = st.toggle("Show the raw machine output", key="raw", value=False)
    if store is not None and reviews:
        _, outcome = reviewed(key, reviews_key_of(reviews), build, list(reviews))
        orphans = (
            f", {len(outcome.orphaned)} orphaned (their reports are gone)"
            if (outcome.orphaned)
            else ""
        )
        st.caption(f"{len(reviews)} reviews in the record{orphans}")
        if st.button("Undo my last review", key="undo", disabled=not reviewer):
            undone = store.undo_last(reviewer)
            st.toast(f"Undone: {undone.action}" if undone else "Nothing to undo")
            st.rerun()
        st.download_button(
            "Reviews CSV",
            data=store.export_csv,
            on_click="ignore",
            file_name="frontline-reviews.csv",
            mime="text/csv",
            key="reviews-csv",
        )
    imported = st.file_uploader("Import reviews CSV", type=["csv"], key="reviews-import")
    if imported is not None and store is not None and not st.session_state.get("imported"):
        try:
            n = store.import_csv(imported.getvalue().decode("utf-8"))
            st.session_state.imported = True
            st.toast(f"Imported {n} reviews")
            st.rerun()
        except (GeoError, UnicodeDecodeError) as err:
            st.error(views.markdown_escape(str(err).splitlines()[0]))

    st.subheader("More articles")
    if BUILD_DIR is not None:
        st.caption(
            views.markdown_escape(
                f"Showing the build folder {BUILD_DIR.name}; add articles with "
                "`python -m geo build` and reload."
            )
        )
    uploads = BUILD_DIR is None and st.file_uploader(
        "Add .txt, .html or .md articles",
        type=["txt", "html", "htm", "md"],
        accept_multiple_files=True,
        key=f"uploads-{st.session_state.get('upload_round', 0)}",
    )
    if uploads:
        added = 0
        for upload in uploads:
            if st.session_state.get("uploaded", 0) >= settings.max_uploads_per_session:
                st.error(f"At most {settings.max_uploads_per_session} articles per session.")
                break
            try:
                store_upload(
                    upload.getvalue(),
                    upload.name,
                    settings.upload_dir,
                    max_bytes=settings.max_upload_bytes,
                )
                added += 1
                st.session_state.uploaded = st.session_state.get("uploaded", 0) + 1
            except GeoError as err:
                st.error(views.markdown_escape(str(err).splitlines()[0]))
        if added:
            with st.status(f"Adding {added} article(s) and rebuilding…", expanded=True) as status:
                status.write("Reading, finding places and events, drawing territory…")
                files = corpus_files()
                key = fingerprint(files)
                build = corpus(key, tuple(files), settings.data_dir)
                status.update(
                    label=f"Rebuilt: {len(build.articles)} articles, {len(build.fused)} events",
                    state="complete",
                )
            st.session_state.upload_round = st.session_state.get("upload_round", 0) + 1
    st.caption(
        f"{len(build.articles)} articles · {len(build.fused)} events · "
        f"{len(build.rejected)} skipped"
    )

st.query_params["day"] = day.isoformat()
filters = views.Filters(
    actors=None if set(actors) == set(ACTORS) else frozenset(actors),
    kinds=None if set(kinds) == set(KINDS) else frozenset(kinds),
    min_confidence=float(min_conf),
    origins=frozenset(origins),
)
reviews_key = () if raw else reviews_key_of(reviews)
active: tuple[Review, ...] = () if raw else tuple(reviews)
view = view_for(key, build, filters, reviews_key, active)

st.header(f"Control of territory on {day:%A %-d %B %Y}")
map_col, side_col = st.columns([3, 2], gap="medium")

with map_col:  # first, so a slider step repaints the map before the rest of the page runs
    clicked = fastmap.show(
        map_payload(world(), web_tiles),
        [day_layers(key, filters, reviews_key, active)[day], selection_js(st.session_state.place)],
        height=620,
        returned_objects=["last_object_clicked", "last_active_drawing"],
    )
    territory_day = views.territory_on(view, day)
    places_day = views.places_on(view, day, gazetteer())
    place_names = dict(zip(places_day.place_id, places_day.place, strict=True))
    drawn = ((clicked or {}).get("last_active_drawing") or {}).get("properties") or {}
    if drawn.get("place_id") in place_names and drawn != st.session_state.get("last_drawn"):
        st.session_state.last_drawn = drawn
        st.session_state.place = drawn["place_id"]
    point = (clicked or {}).get("last_object_clicked")
    if not drawn and point and point != st.session_state.get("last_click"):
        st.session_state.last_click = point
        chosen = views.nearest_place(places_day, point["lat"], point["lng"])
        if chosen:
            st.session_state.place = chosen

with side_col:
    options = sorted(place_names, key=place_names.get)
    if st.session_state.place not in place_names:
        st.session_state.place = None
    picked = st.selectbox(
        "Place",
        options,
        key="place",
        format_func=place_names.get,
        placeholder="Click a place on the map, or pick one",
    )
    if picked:
        st.query_params["place"] = picked
    elif "place" in st.query_params:
        del st.query_params["place"]
    data, spec = charts.areas_spec(view.areas[view.areas["day"] == day])
    st.vega_lite_chart(data, spec, height=230, width="stretch")

if picked:
    st.subheader(f"Sources for {place_names[picked]}")
    articles = articles_by_id(key)
    excerpts = excerpts_of(key, picked)
    timeline = views.place_timeline(view, picked)
    if len(timeline) > SHOW_EVENTS:
        st.caption(f"The {SHOW_EVENTS} best-supported of {len(timeline)} events")
        best = {e.id for e in sorted(timeline, key=lambda e: -e.n_sources)[:SHOW_EVENTS]}
        timeline = [e for e in timeline if e.id in best]
    for event in timeline:
        when = event.day.isoformat() if event.day else "day unknown"
        title = (
            f"{when} · {event.kind} · {event.actor} · confidence {event.confidence:.2f}"
            f" · {event.origin}" + (f" · {event.review} by a reviewer" if event.review else "")
        )
        with st.container(border=True):
            st.markdown(f"**{views.markdown_escape(title)}**")
            if event.disagreement or event.n_sources > 1:
                st.caption(
                    f"{event.n_sources} sources; reported days "
                    f"{event.earliest} to {event.latest}"
                    + (" — the sources disagree on the day" if event.disagreement else "")
                )
            for report in event.reports[:SHOW_REPORTS]:
                article = articles.get(report.article_id)
                report = replace(report, excerpt=excerpts.get(report.id, report.excerpt))  # noqa: PLW2901
                escaped_excerpt = views.excerpt_html(report, article)
                st.markdown(f"<blockquote>{escaped_excerpt}</blockquote>", unsafe_allow_html=True)
                st.caption(views.markdown_escape(views.source_line(report, article)))
            if len(event.reports) > SHOW_REPORTS:
                st.caption(
                    f"and {len(event.reports) - SHOW_REPORTS} more reports (all are in the "
                    "events CSV)"
                )
            if store is not None and reviewer and not raw:
                review.event_controls(store, event, reviewer)
    if store is not None and reviewer and not raw:
        review.add_event_form(store, reviewer, picked, gazetteer())
    elif store is not None and not raw:
        st.caption("Type your name in the sidebar to confirm, reject, correct or add events.")

st.subheader("Overview")
data, spec = charts.events_spec(views.events_per_day(view))
st.vega_lite_chart(data, spec, height=220, width="stretch")

st.subheader("Export")
c1, c2, c3, c4, c5 = st.columns(5)
c1.download_button(
    "PNG snapshot",
    on_click="ignore",
    mime="image/png",
    file_name=f"frontline-{day}.png",
    data=lambda: downloads.png(view, day, basemap(), gazetteer()),
)
c2.download_button(
    "HTML map",
    on_click="ignore",
    mime="text/html",
    file_name=f"frontline-{day}.html",
    data=lambda: downloads.html(view, day, basemap(), city_labels(world()), gazetteer()),
)
c3.download_button(
    "GeoJSON (day)",
    on_click="ignore",
    mime="application/geo+json",
    file_name=f"frontline-{day}.geojson",
    data=lambda: downloads.day_geojson(view, day, gazetteer()),
)
c3.download_button(
    "GeoPackage (day)",
    on_click="ignore",
    mime="application/geopackage+sqlite3",
    file_name=f"frontline-{day}.gpkg",
    data=lambda: downloads.day_geopackage(view, day, gazetteer()),
)
c4.download_button(
    "Events CSV",
    on_click="ignore",
    mime="text/csv",
    file_name="frontline-events.csv",
    data=lambda: downloads.events_csv(view, build.articles),
)
c5.download_button(
    "GIF of all days",
    on_click="ignore",
    mime="image/gif",
    file_name="frontline.gif",
    data=lambda: downloads.gif(view, DAYS, basemap(), gazetteer()),
)
st.caption(PROFILE.attribution)


@st.fragment(run_every=PLAY_SECONDS if playing else None)
def player() -> None:
    if st.session_state.get("playing"):
        advance()
        if "next_day" in st.session_state:
            st.rerun()


player()
