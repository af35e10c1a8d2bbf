"""frontline dashboard: scrub the days, see what changed, click a place for its sources.

The script reads like the page, top to bottom: load the corpus (cached, ``state``), the
sidebar (filters, reviews, articles), then the day panel, a fragment, so a slider step
reruns only it: the day, the map at the page's width with what changed that day beside
or below it, the overview and the exports. Below it, the selected place's sources and
the review record. Every computation lives in ``geo``; the view (day, place, filters)
lives in the URL. Run it with ``streamlit run dashboard/app.py`` (``make run``).
"""

from __future__ import annotations

import datetime as dt
import functools
import time

import streamlit as st

from dashboard import component, downloads, mapview, panels, sidebar, state, urlstate
from geo import settings, views
from geo.errors import GeoError
from geo.events import KINDS
from geo.profile import load_profile
from geo.reviews import Review

state.configure()  # deployment settings come from the environment here, never in the library
PLAY_SECONDS = 1.2
#: the page around the map: full width for the map, the panel beside it wraps below
LAYOUT = (state.ROOT / "dashboard" / "static" / "frontline" / "page.css").read_text("utf-8")

st.set_page_config(page_title="frontline", page_icon="🗺️", layout="wide")
st.html(f"<style>{LAYOUT}</style>")

try:  # a missing or corrupt data file or build folder stops the app here, with one line
    PROFILE = load_profile()
    DAYS = PROFILE.days()
    files = state.corpus_files()
    key = state.fingerprint(files)
    gaz = state.gazetteer()
    state.basemap()
    build = state.corpus(key, tuple(files), settings.data_dir)
except GeoError as err:
    st.error(views.markdown_escape(f"frontline cannot start: {str(err).splitlines()[0]}"))
    st.stop()

record = state.review_record(settings.reviews_url)
store, reviews = record.store, record.reviews

# the view in the URL (?day=…&place=…&actor=…): read once per session, before any widget
DEFAULTS = urlstate.Defaults(tuple(DAYS), PROFILE.actor_names, tuple(KINDS), sidebar.ORIGINS)
if "seeded" not in st.session_state:
    asked = urlstate.from_query({k: st.query_params.get_all(k) for k in st.query_params}, DEFAULTS)
    initial = {
        "day": DAYS[0],
        "place": None,
        "actors": list(DEFAULTS.actors),
        "kinds": list(KINDS),
        "min_confidence": 0.0,
        "origins": list(sidebar.ORIGINS),
        "raw": False,
        "web_tiles": False,
        "reviews_by": "",
        "export": "PNG snapshot",
    }
    for name, value in {**initial, **asked}.items():
        st.session_state.setdefault(name, value)
    st.session_state.seeded = True

choices = sidebar.show(PROFILE, KINDS, key=key, build=build, record=record)
key, build = choices.key, choices.build
active: tuple[Review, ...] = () if choices.raw else tuple(reviews)
seen = state.reviews_key_of(reviews)
vk: state.ViewKey = (key, choices.filters, () if choices.raw else state.reviews_key_of(reviews))
view = state.view_of(vk, active)
base = state.base_layer(state.world(), choices.web_tiles)


def url() -> None:
    """The URL says what the page shows: a reload or a copied link reopens it."""
    values = {k: st.session_state.get(k) for k in urlstate.PARAMS}
    wanted = urlstate.to_query(
        values, DEFAULTS, day=st.session_state.day, place=st.session_state.place
    )
    if {k: st.query_params.get_all(k) for k in st.query_params} != {
        k: v if isinstance(v, list) else [v] for k, v in wanted.items()
    }:
        st.query_params.from_dict(wanted)


if not view.fused:  # say why the map shows only the baseline and the model
    curated = sum("curated" in f.origin for f in build.fused)
    why = (
        f"the curated file ({PROFILE.file('curated').name}) holds no events"
        if choices.filters.origins == {"curated"} and not curated
        else "the filters keep no events"
    )
    st.info(
        views.markdown_escape(
            f"No events to show: {why}. The map shows the baseline of "
            f"{PROFILE.baseline_day:%-d %B %Y} and what the territory model infers from it."
        )
    )


def day_panel(playing: bool) -> None:
    """Everything that changes with the day; a slider step reruns only this. The map goes
    out first (above it, the slider and heading are filled in after): each element the
    browser receives before it would delay its repaint."""
    now = time.monotonic()
    if (
        st.session_state.get("playing")
        and now - st.session_state.get("stepped_at", 0.0) > 0.8 * PLAY_SECONDS
    ):
        st.session_state.stepped_at = now
        st.session_state.day = DAYS[(DAYS.index(st.session_state.day) + 1) % len(DAYS)]
    day, place = st.session_state.day, st.session_state.place
    top = st.container()
    selected = mapview.selection(gaz.place(place)) if place else None
    layers = functools.partial(state.all_layers, vk, active)  # made only when sent
    layer, sites = state.day_layer(vk, day, active), state.sites_layer(vk, active)
    clicked = component.show(base, layer, selected, sites=sites, days=layers)
    if clicked and clicked != place:
        st.session_state.place = clicked
        st.rerun()  # the sources panel below follows the click
    with top:
        slider_col, play_col = st.columns([8, 1], vertical_alignment="bottom")
        slider_col.slider(
            "Day", DAYS[0], DAYS[-1], key="day", step=dt.timedelta(days=1), format="ddd D MMM YYYY"
        )
        play = play_col.toggle("Play", key="playing", help=f"Steps one day every {PLAY_SECONDS} s")
        st.header(f"Control of territory on {day:%A %-d %B %Y}", anchor=False)
    if play != playing:
        st.rerun()  # the player's timer is set by a full run
    url()
    if store is not None and state.reviews_key_of(state.reviews_now(store)) != seen:
        st.rerun()  # a colleague reviewed meanwhile: the whole page follows the record
    exports(day, state.changes_on(vk, day, active))


def exports(day: dt.date, changes) -> None:  # type: ignore[no-untyped-def]
    """One choice of file and one button (two elements, not fourteen: each costs a step)."""
    basemap = state.basemap()
    files = {
        "PNG snapshot": ("image/png", f"frontline-{day}.png",
                         lambda: downloads.png(view, day, basemap, gaz, changes=changes,
                                               frames=state.day_frames(vk, day, active))),
        "HTML map": ("text/html", f"frontline-{day}.html",
                     lambda: downloads.html(view, day, state.base_payload(state.world()), gaz)),
        "GeoJSON (day)": ("application/geo+json", f"frontline-{day}.geojson",
                          lambda: downloads.day_geojson(view, day, gaz)),
        "GeoPackage (day)": ("application/geopackage+sqlite3", f"frontline-{day}.gpkg",
                             lambda: downloads.day_geopackage(view, day, gaz)),
        "Events CSV": ("text/csv", "frontline-events.csv",
                       lambda: downloads.events_csv(view, build.articles)),
        "Changes CSV (day)": ("text/csv", f"frontline-changes-{day}.csv",
                              lambda: downloads.changes_csv(changes)),
        "GIF of all days": ("image/gif", "frontline.gif",
                            lambda: downloads.gif(view, DAYS, basemap, gaz)),
    }  # fmt: skip
    chosen = st.pills("Export", list(files), key="export") or "PNG snapshot"
    mime, name, make = files[chosen]
    st.download_button(f"Download {chosen}", data=make, file_name=name, mime=mime,
                       on_click="ignore", key="download")  # fmt: skip


playing = bool(st.session_state.get("playing"))
st.fragment(day_panel, run_every=PLAY_SECONDS if playing else None)(playing)

# the selected place's sources: a click on the map or the list, a search, or pick one here
names = {f.place.id: f.place.name for f in view.fused}
query = st.text_input("Find a place", key="place_query", help=state.SEARCH_HELP)
found = state.find_places(query)  # any spelling or script: "Hamah", "حماة" find Hama
names.update(found)
if st.session_state.place and st.session_state.place not in names:
    chosen = gaz.place(st.session_state.place)
    if chosen is not None:
        names[chosen.id] = chosen.name
    else:
        st.session_state.place = None
if query.strip() and not found:
    st.caption(views.markdown_escape(f"No place is called {query.strip()!r}."))
picked = st.selectbox(
    "Place",
    [*found, *sorted(set(names) - set(found), key=names.get)],
    key="place",
    format_func=names.get,
    placeholder="Click a place on the map or in the list, or pick one",
)
url()
if picked:
    panels.sources(
        place_id=picked,
        name=names[picked],
        view=view,
        machine={f.id: f for f in build.fused},
        record=record,
        reviews_by=choices.reviews_by,
        articles=state.articles_by_id(key),
        excerpts=state.excerpts_of(key, picked),
        reviewer=choices.reviewer,
        raw=choices.raw,
        gazetteer=gaz,
    )
if reviews:
    panels.reviews_list(reviews, build.fused, gaz, choices.reviews_by)
st.caption(PROFILE.attribution)
