"""geo.views: filtering events, a day's places, territory and changes, excerpts, reviews."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import views
from geo.build import Build, run
from geo.events import ControlEvent
from geo.gazetteer import Gazetteer
from geo.models import Article, Place, Span
from geo.reviews import Review
from geo.timeline import FusedEvent
from geo.views import Filters, View

D1, D2, D3 = dt.date(2031, 3, 1), dt.date(2031, 3, 2), dt.date(2031, 3, 3)
LAST = dt.date(2024, 12, 8)
ALDER = Place("t:alder", "Alder", 35.0, 37.0, "SY")
BIRCH = Place("t:birch", "Birch", 35.1, 37.1, "SY")
DAMASCUS_ID = "gn:170654"
HTS, SDF = "HTS-led coalition", "SDF"
# one invented sentence with hostile markup both sides of "Alder", the place it reports
SENTENCE = "Crews said <script>alert('x')</script> reached Alder & \"friends\" <b>left</b>."


def report(rid: str = "r1", *, place: Place = ALDER, origin: str = "extracted",
           excerpt: str = SENTENCE, place_at: int | None = None) -> ControlEvent:  # fmt: skip
    """A report whose sentence starts at 100 in its article and names ``place`` (or not)."""
    offset = 100
    at = offset + (excerpt.find(place.name) if place_at is None else place_at)
    return ControlEvent(
        id=rid, article_id="art1" if origin == "extracted" else "", place=place,
        kind="captured", actor=HTS, actor_raw="crews", actor_basis="generic", day=D2,
        day_precision="exact", day_cue="at dawn", confidence=0.8,
        sentence=Span(offset, offset + len(excerpt)), trigger=Span(offset, offset + 5),
        place_span=Span(at, at + len(place.name)), excerpt=excerpt, origin=origin,
        source="analyst sheet 4" if origin == "curated" else "",
    )  # fmt: skip


BASE = FusedEvent("ev", ALDER, "captured", HTS, D2, "exact", D2, D2, False, 0.8, "extracted", ())


def fused(fid: str, **fields: object) -> FusedEvent:
    """An event of Alder on D2 (``fields`` change any of its fields)."""
    return dataclasses.replace(BASE, id=fid, **fields)  # type: ignore[arg-type]


def article(**changes: object) -> Article:
    text = "x" * 100 + SENTENCE
    values: dict = {"id": "art1", "path": "folder/ferry-notes.txt", "text": text}
    return Article(**{**values, "outlet": "Valley Courier", "published": D2, **changes})


def view_of(events: tuple[FusedEvent, ...] = (), state: pd.DataFrame | None = None) -> View:
    """A view of these events and state only (no territory)."""
    return View(
        events, pd.DataFrame() if state is None else state, gpd.GeoDataFrame(), pd.DataFrame()
    )


@pytest.fixture(scope="module")
def build(seeds_dir: Path) -> Build:
    return run([seeds_dir])


@pytest.fixture(scope="module")
def view(build: Build) -> View:
    return views.make_view(build, Filters())


def test_default_filters() -> None:
    assert Filters().is_default
    assert Filters(origins=frozenset({"curated", "extracted"})).is_default
    assert not Filters(min_confidence=0.5).is_default
    assert not Filters(actors=frozenset({SDF})).is_default


EVENTS = [
    fused("a", actor=HTS, kind="captured", confidence=0.9),
    fused("b", actor=SDF, kind="contested", confidence=0.4),
    fused("c", actor=SDF, kind="captured", confidence=0.7, origin="curated"),
    fused("d", actor=HTS, kind="entered", confidence=0.6, origin="extracted+curated"),
]


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (Filters(), "abcd"), (Filters(actors=frozenset({SDF})), "bc"),
        (Filters(actors=frozenset()), ""), (Filters(kinds=frozenset({"captured"})), "ac"),
        (Filters(min_confidence=0.6), "acd"), (Filters(min_confidence=0.61), "ac"),
        (Filters(origins=frozenset({"curated"})), "cd"),
        (Filters(origins=frozenset({"extracted"})), "abd"),
        (Filters(actors=frozenset({HTS}), kinds=frozenset({"entered"})), "d"),
    ],
)  # fmt: skip
def test_select_events(filters: Filters, kept: str) -> None:
    assert "".join(f.id for f in views.select_events(EVENTS, filters)) == kept


def test_default_view_is_the_build_itself(build: Build, view: View) -> None:
    assert view.fused == tuple(build.fused)
    assert view.state is build.state and view.territory is build.territory
    assert view.areas is build.areas


def test_filtered_view_recomputes_state_and_territory(build: Build) -> None:
    only_sdf = views.make_view(build, Filters(actors=frozenset({SDF})))
    assert only_sdf.fused and {f.actor for f in only_sdf.fused} == {SDF}
    assert only_sdf.state is not build.state
    last = only_sdf.state[only_sdf.state["day"] == LAST].set_index("site_id")
    # Damascus fell to HTS in the full build; without HTS's events it stays with its holder
    full = build.state[build.state["day"] == LAST].set_index("site_id")
    assert full.loc[DAMASCUS_ID, "controller"] == HTS
    assert last.loc[DAMASCUS_ID, "controller"] != HTS
    assert set(only_sdf.areas["controller"]) <= set(only_sdf.territory["controller"])


def test_view_of_given_events_replaces_the_build_s(build: Build, gazetteer: Gazetteer) -> None:
    empty = views.make_view(build, Filters(), fused=[])
    assert empty.fused == () and empty.state is not build.state
    assert not empty.state["status"].eq("changed").any()
    places = views.places_on(empty, LAST, gazetteer)
    assert places.empty and {"place_id", "controller", "events", "geometry"} <= set(places)


def test_territory_on_keeps_that_day_only(view: View) -> None:
    day = views.territory_on(view, LAST)
    assert len(day) and set(day["day"]) == {LAST}
    assert list(day.index) == list(range(len(day)))
    assert views.territory_on(view, dt.date(2030, 1, 1)).empty


def test_places_on_has_every_place_with_an_event(view: View, gazetteer: Gazetteer) -> None:
    places = views.places_on(view, LAST, gazetteer)
    assert set(places["place_id"]) == {f.place.id for f in view.fused}
    assert places.crs == "EPSG:4326"
    by_id = places.set_index("place_id")
    assert by_id.loc["gn:169577", "events"] == 3  # Homs: contested, captured, entered
    assert by_id.loc[DAMASCUS_ID, "population"] == gazetteer.places[DAMASCUS_ID].population
    assert list(places["changed"]) == list(places["status"] == "changed")
    assert list(places.geometry.x) == list(places["lon"])
    assert list(places.geometry.y) == list(places["lat"])


def state_rows(*rows: tuple[dt.date, str, str, str, str, str]) -> pd.DataFrame:
    """A state table: (day, site, controller, status, basis, event_ids) per row."""
    columns = ["day", "place", "controller", "status", "basis", "event_ids"]
    frame = pd.DataFrame(rows, columns=columns)
    sites = "t:" + frame["place"].str.lower()
    return frame.assign(site_id=sites, lat=35.0, lon=37.0, since=None, confidence=0.9)


def test_events_per_day_counts_dated_changes_of_every_day() -> None:
    events = (
        fused("e1", day=D2), fused("e2", day=D2, kind="entered"),
        fused("e3", day=D3, kind="contested"), fused("e4", day=None, actor=SDF),
        fused("e5", day=D3, actor=SDF),
    )  # fmt: skip
    state = state_rows(*[(d, "Alder", HTS, "held", "extracted", "") for d in (D3, D1, D2)])
    table = views.events_per_day(view_of(events, state))
    assert list(table.index) == [D1, D2, D3]
    assert table[HTS].tolist() == [0, 2, 0] and table[SDF].tolist() == [0, 0, 1]
    none = views.events_per_day(view_of((), state))
    assert list(none.index) == [D1, D2, D3] and none.empty


def test_day_changes_rules_and_order() -> None:
    e1 = fused("e1", actor=SDF, reports=(report("r1"), report("r2")))
    e2 = fused("e2", kind="contested", place=BIRCH)
    state = state_rows(
        *[(D1, site, HTS, "held", "baseline", "") for site in ("Alder", "Birch", "Elm", "Fir")],
        (D1, "Cedar", HTS, "contested", "extracted", ""),
        (D1, "Gum", HTS, "held", "baseline", ""),
        (D2, "Alder", SDF, "changed", "extracted", "e1;gone"),
        (D2, "Birch", HTS, "contested", "extracted", "e2"),
        (D2, "Cedar", HTS, "contested", "extracted", ""),  # contested already: no change
        (D2, "Elm", SDF, "held", "collapse", ""),  # the model moved it
        (D2, "Fir", HTS, "uncertain", "stale", ""),
        (D2, "Gum", HTS, "held", "baseline", ""),  # nothing happened
    )
    changes = views.day_changes(view_of((e1, e2), state), D2)
    assert list(changes.columns) == views.CHANGE_COLUMNS and set(changes["day"]) == {"2031-03-02"}
    shown = ["place", "change", "previous", "controller", "actor", "kind", "n_sources"]
    # the reported first (most sources first), then those the model moved
    assert changes[[*shown, "provenance", "event_ids"]].to_numpy().tolist() == [
        ["Alder", "changed hands", HTS, SDF, SDF, "captured", 1, "reported", "e1"],
        ["Birch", "contested", HTS, HTS, HTS, "contested", 0, "reported", "e2"],
        ["Elm", "changed hands", HTS, SDF, SDF, "", 0, "inferred (collapse)", ""],
        ["Fir", "uncertain", HTS, HTS, HTS, "", 0, "inferred (stale)", ""],
    ]


def test_day_changes_on_the_first_day_and_outside_the_period() -> None:
    state = state_rows(
        (D1, "Alder", SDF, "changed", "extracted", ""),
        (D1, "Birch", HTS, "held", "baseline", ""),
        (D1, "Cedar", HTS, "contested", "extracted", ""),
    )
    v = view_of((), state)
    first = views.day_changes(v, D1)
    assert list(first["place"]) == ["Alder", "Cedar"] and set(first["previous"]) == {""}
    outside = views.day_changes(v, D3)
    assert outside.empty and list(outside.columns) == views.CHANGE_COLUMNS


def test_excerpt_html_marks_the_place_and_escapes_the_rest() -> None:
    out = views.excerpt_html(report(), article())
    assert "<script" not in out and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in out
    assert "</mark> &amp; &quot;friends&quot; &lt;b&gt;left&lt;/b&gt;." in out
    assert out.count("<mark>") == 1 and "<mark>Alder</mark>" in out
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == SENTENCE


def test_excerpt_html_escapes_a_hostile_place_name_inside_the_mark() -> None:
    hostile = Place("t:h", "<img src=x onerror=alert(1)>", 35.0, 37.0, "SY")
    excerpt = f"Crews reached {hostile.name} at dawn."
    out = views.excerpt_html(report(place=hostile, excerpt=excerpt), article())
    assert "<img" not in out and "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in out


@pytest.mark.parametrize(
    ("event", "source"),
    [
        (report(), None),  # no article: no offsets to trust
        (report(origin="curated"), article()),
        (report(place_at=len(SENTENCE)), article()),  # the place lies past the sentence
        (report(place_at=-5), article()),
    ],
)
def test_excerpt_html_without_a_mark(event: ControlEvent, source: Article | None) -> None:
    out = views.excerpt_html(event, source)
    assert "<mark>" not in out and html.unescape(out) == SENTENCE and "<script" not in out


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b>", "**bold** _it_ `code`", "[link](javascript:alert(1))", "# head",
        "$x$ :red[y]", "1. ~~x~~ | {a} + b - c!", "Alder and Birch 2031",
    ],
)  # fmt: skip
def test_markdown_escape_makes_every_special_literal(text: str) -> None:
    # one backslash before each Markdown or HTML character, nothing else changed
    literal = "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!|<>$~:" else c for c in text)
    assert views.markdown_escape(text) == literal


def test_markdown_escape_keeps_entities_literal() -> None:
    assert views.markdown_escape("&lt;b&gt;") == r"\&lt;b\&gt;"


@pytest.mark.parametrize(
    ("event", "source", "line"),
    [
        (report(origin="curated"), None, "curated · source: analyst sheet 4"),
        (report(), article(), "ferry-notes.txt · Valley Courier · published 2031-03-02"),
        (report(), article(outlet=None, published=None),
         "ferry-notes.txt · outlet unknown · published date unknown"),
    ],
)  # fmt: skip
def test_source_line(event: ControlEvent, source: Article | None, line: str) -> None:
    tail = " · this report's day: 2031-03-02 (at dawn)" if source else ""
    assert views.source_line(event, source) == line + tail


def test_source_line_of_an_undated_report_names_its_precision() -> None:
    undated = dataclasses.replace(report(), day=None, day_cue="")
    assert views.source_line(undated, article()).endswith(" · this report's day: unknown (exact)")


MARKERS = gpd.GeoDataFrame(
    {"place_id": ["t:north", "t:south"], "lat": [60.0, 0.0], "lon": [10.0, 10.0]}, index=[7, 3]
)


@pytest.mark.parametrize(
    ("lat", "lon", "max_km", "found"),
    [
        (60.0, 10.0, 15.0, "t:north"),
        (60.0, 10.2, 15.0, "t:north"),  # 0.2° of longitude at 60°N is about 11 km
        (0.0, 10.2, 15.0, None),  # ... and about 22 km on the equator
        (0.0, 10.2, 25.0, "t:south"),
        (0.1, 10.0, 15.0, "t:south"),
        (30.0, 10.0, 15.0, None),
    ],
)
def test_nearest_place(lat: float, lon: float, max_km: float, found: str | None) -> None:
    assert views.nearest_place(MARKERS, lat, lon, max_km=max_km) == found


def test_nearest_place_on_an_empty_map() -> None:
    assert views.nearest_place(MARKERS.iloc[:0], 60.0, 10.0) is None


def test_place_timeline_is_oldest_first_undated_last() -> None:
    v = view_of(
        (fused("late", day=D3), fused("undated", day=None), fused("other", place=BIRCH, day=D1),
         fused("early-entered", day=D1, kind="entered"), fused("early-captured", day=D1))
    )  # fmt: skip
    order = ["early-captured", "early-entered", "late", "undated"]
    assert [f.id for f in views.place_timeline(v, ALDER.id)] == order
    assert views.place_timeline(v, "t:nowhere") == []


# ---------------------------------------------------------------------------- reviews

T0 = dt.datetime(2031, 3, 4, 9, 0, tzinfo=dt.UTC)


def review(action: str, reviewer: str, minutes: int, rid: int, **fields: object) -> Review:
    values: dict = {"event_id": "", "report_ids": (), "created": T0 + dt.timedelta(minutes=minutes)}
    values.update(fields)
    return Review(action=action, reviewer=reviewer, id=rid, **values)


EVENT = fused("ev", reports=(report("r1"), report("r2")))
REVIEWS = [
    review("confirm", "ana", 30, 1, report_ids=("r1",)),
    review("reject", "ben", 10, 2, event_id="ev", reason="a rumour"),
    review("confirm", "ana", 5, 3, report_ids=("r2",), undone=True),
    review("confirm", "ana", 1, 4, report_ids=("elsewhere",)),
    review("correct", "cai", 20, 5, report_ids=("r2",), day=D1, place_id=BIRCH.id, reason="typo"),
]


def test_review_notes_are_the_live_ones_oldest_first() -> None:
    notes = views.review_notes(EVENT, REVIEWS)
    assert [(n.id, n.reviewer, n.action) for n in notes] == [
        (2, "ben", "reject"), (5, "cai", "correct"), (1, "ana", "confirm"),
    ]  # fmt: skip
    assert notes[0].reason == "a rumour" and notes[0].change == ""
    assert notes[1].change == f"day {D2} → {D1}; place {ALDER.id} → {BIRCH.id}"
    assert [n.id for n in notes if n.reviewer == "ana"] == [1]
    # a correction says what it changed of the event as the machine made it
    before = fused("ev", day=D3, reports=EVENT.reports)
    (note,) = [n for n in views.review_notes(EVENT, REVIEWS, before=before) if n.id == 5]
    assert note.change.startswith(f"day {D3} → {D1}")


def test_reviews_table(gazetteer: Gazetteer) -> None:
    damascus = gazetteer.places[DAMASCUS_ID]
    added = review(
        "add", "ana", 40, 6, place_id=DAMASCUS_ID, kind="captured", actor=SDF, day=D3,
        source="radio log", reason="heard twice",
    )  # fmt: skip
    table = views.reviews_table([*REVIEWS, added], [EVENT], gazetteer)
    assert list(table.columns) == views.REVIEW_COLUMNS
    alder, add = f"{D2} · captured · {HTS}", f"{D3} · captured · {SDF}"
    # newest first, the undone one left out; a place not in the gazetteer shows its id
    assert table[["id", "place", "place_id", "event", "detail"]].to_numpy().tolist() == [
        [6, damascus.name, DAMASCUS_ID, add, "source: radio log; heard twice"],
        [1, ALDER.id, ALDER.id, alder, ""],
        [5, ALDER.id, ALDER.id, alder, f"day {D2} → {D1}; place {ALDER.id} → {BIRCH.id}; typo"],
        [2, ALDER.id, ALDER.id, alder, "a rumour"],
        [4, "", "", "orphaned: its reports are gone", ""],
    ]
    assert list(views.reviews_table(REVIEWS, [EVENT], gazetteer, reviewer="ben")["id"]) == [2]
