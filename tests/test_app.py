"""The dashboard's logic through Streamlit's AppTest (no browser): day, place, filters in the
URL, what changed, the map's payload, exports, and one-line errors."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from geo import export, settings

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
DAMASCUS = "gn:170654"
FIRST, LAST = dt.date(2024, 11, 27), dt.date(2024, 12, 8)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    monkeypatch.setattr(settings, "reviews_url", f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _component(at: AppTest):  # type: ignore[no-untyped-def]
    (component,) = [e for e in at.main if type(e.proto).__name__ == "BidiComponent"]
    return component.proto


def _map(at: AppTest) -> dict:
    """The map component's data: base and layer payloads (JSON text) and the selection."""
    return json.loads(_component(at).json)


def _layer(at: AppTest) -> dict:
    return json.loads(_map(at)["layer"])


def _labels(at: AppTest) -> set[str]:
    """The places' tooltips on the map, as a person reads them (unescaped)."""
    from dashboard import mapview

    sites = json.loads(_map(at)["sites"])
    return {html.unescape(p["label"]) for p in mapview.drawn_places(_layer(at), sites)}


def _has(at: AppTest, prefix: str) -> bool:
    return any(label.startswith(prefix) for label in _labels(at))


def _query(at: AppTest, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return value if isinstance(value, list) else [value]


def test_slider_changes_the_day_and_the_map(app: AppTest) -> None:
    first = _layer(app)
    assert _has(app, "Damascus — Government")
    app.slider(key="day").set_value(LAST).run()
    assert "8 December 2024" in app.header[0].value
    assert _query(app, "day") == ["2024-12-08"]
    last = _layer(app)
    assert first["key"] != last["key"] and last["day"] == "2024-12-08"
    assert _has(app, "Damascus — HTS-led coalition")


def test_the_map_gets_the_view_s_places_once_and_days_that_name_them(app: AppTest) -> None:
    """The places' names and positions travel apart from the days (once per view); a
    day gives each a mark by index, so every day's layer can be held by the browser."""
    data = _map(app)
    sites, layer = json.loads(data["sites"]), _layer(app)
    assert data["sites_key"] == sites["key"] == layer["sites"]
    assert len(layer["places"]["mark"]) == len(sites["id"]) >= 5
    assert "Damascus" in [html.unescape(n) for n in sites["name"]]
    assert "Damascus" not in json.dumps(layer["places"])
    app.slider(key="day").set_value(LAST).run()
    assert json.loads(_map(app)["sites"])["key"] == sites["key"]  # the same places all days


def test_the_map_loads_nothing_from_the_network(app: AppTest) -> None:
    proto = _component(app)
    urls = re.findall(r'"(/app/static/[^"?]+)', proto.js_content)
    assert {u.rsplit("/", 1)[-1] for u in urls} == {"leaflet.js", "stamps.js", "map.js"}
    for part in (proto.js_content, proto.html_content, proto.json):
        assert not re.search(r"https?://", part)
    assert export.external_urls(f"<style>{proto.css_content}</style>") == []
    assert _layer(app)["legend"]["rows"]  # the legend travels with the layer


def test_web_tiles_are_only_asked_for_when_chosen(app: AppTest) -> None:
    app.toggle(key="web_tiles").set_value(True).run()
    assert json.loads(_map(app)["base"])["tiles"].startswith("https://")
    assert _query(app, "tiles") == ["1"]


def test_selecting_a_place_shows_its_excerpts(app: AppTest) -> None:
    app.slider(key="day").set_value(LAST).run()
    app.selectbox(key="place").set_value(DAMASCUS).run()
    assert _query(app, "place") == [DAMASCUS]
    assert any("Sources for Damascus" in s.value for s in app.subheader)
    quotes = [m.value for m in app.markdown if m.value.startswith("<blockquote>")]
    assert any("<mark>Damascus</mark>" in q for q in quotes)
    assert _map(app)["selected"]["id"] == DAMASCUS  # the ring is on it


def test_what_changed_travels_with_the_day_s_layer(app: AppTest) -> None:
    layer = _layer(app)
    assert layer["changes"] == []  # nothing changed on the first day
    app.slider(key="day").set_value(LAST).run()
    layer = _layer(app)
    first = layer["changes"][0]
    assert (first["id"], html.unescape(first["place"])) == (DAMASCUS, "Damascus")
    assert html.unescape(first["what"]) == "→ HTS-led coalition"
    assert html.unescape(first["detail"]) == "entered · 1 source"
    assert not first["inferred"] and any(c["inferred"] for c in layer["changes"])
    # the areas held beside it: every actor holding ground, largest first
    km2 = [a["km2"] for a in layer["areas"]]
    assert km2 == sorted(km2, reverse=True) and all(k > 0 for k in km2)


def test_selecting_from_the_url_draws_the_ring_at_once() -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["day"] = LAST.isoformat()
    at.query_params["place"] = DAMASCUS
    at.run()
    selected = _map(at)["selected"]
    assert selected["id"] == DAMASCUS and selected["lat"] == pytest.approx(33.51, abs=0.05)


def test_url_reopens_the_same_view_filters_included() -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["day"] = "2024-12-06"
    at.query_params["place"] = DAMASCUS
    at.query_params["actor"] = ["SDF", "Government"]
    at.query_params["conf"] = "0.50"
    at.query_params["origin"] = "extracted"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "6 December 2024" in at.header[0].value
    assert at.selectbox(key="place").value == DAMASCUS
    assert at.multiselect(key="actors").value == ["SDF", "Government"]
    assert at.slider(key="min_confidence").value == pytest.approx(0.5)
    assert at.multiselect(key="origins").value == ["extracted"]
    assert _query(at, "actor") == ["SDF", "Government"]  # and they stay in the URL


@pytest.mark.parametrize(
    ("query", "widget", "value"),
    [
        ({"actor": "nobody"}, "actors", []),
        ({"conf": "7"}, "min_confidence", 0.0),
        ({"conf": "x"}, "min_confidence", 0.0),
        ({"day": "1999-01-01"}, "day", FIRST),
        ({"day": "never"}, "day", FIRST),
    ],
)
def test_a_bad_url_value_is_dropped_not_an_error(query: dict, widget: str, value: object) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    element = (
        at.slider(key=widget) if widget in ("day", "min_confidence") else at.multiselect(key=widget)
    )
    assert element.value == value


def test_filters_change_what_is_drawn_and_the_url(app: AppTest) -> None:
    app.slider(key="day").set_value(LAST).run()
    assert _has(app, "Damascus — HTS-led coalition")
    app.multiselect(key="actors").set_value(["SDF"]).run()
    assert _query(app, "actor") == ["SDF"]
    assert not _has(app, "Damascus")
    assert _has(app, "eastern Deir ez-Zor countryside — SDF")
    app.multiselect(key="actors").set_value(list(app.multiselect(key="actors").options)).run()
    assert "actor" not in app.query_params
    app.slider(key="min_confidence").set_value(1.0).run()
    assert not any("HTS-led coalition, changed" in label for label in _labels(app))
    app.slider(key="min_confidence").set_value(0.0).run()
    assert _labels(app)


def test_only_curated_with_no_curated_events_says_why(app: AppTest) -> None:
    app.multiselect(key="origins").set_value(["curated"]).run()  # the seeds have none
    assert not _labels(app)
    (info,) = app.info
    assert "curated" in info.value and "holds no events" in info.value
    assert "baseline" in info.value


def test_overview_counts_the_changes_and_marks_the_day(app: AppTest) -> None:
    app.slider(key="day").set_value(dt.date(2024, 12, 7)).run()
    overview = _layer(app)["overview"]
    assert overview["chosen"] == 10 and overview["days"][10] == "7 Dec"
    per_day = [sum(s["counts"][i] for s in overview["series"]) for i in range(12)]
    assert per_day[3] == 1 and per_day[10] >= 4  # Aleppo on 30 Nov; Homs, Jaramana... on 7 Dec
    assert not [e for e in app.main if type(e.proto).__name__ == "VegaLiteChart"]


@pytest.fixture(scope="module")
def seed_view():  # type: ignore[no-untyped-def]
    from geo.build import run
    from geo.gazetteer import load_gazetteer
    from geo.views import Filters, make_view

    build = run([ROOT / "seeds"])
    return build, make_view(build, Filters()), load_gazetteer(), export.read_basemap()


def test_png_export_decodes(seed_view) -> None:  # type: ignore[no-untyped-def]
    from dashboard import downloads

    _, view, gaz, base = seed_view
    image = Image.open(io.BytesIO(downloads.png(view, dt.date(2024, 12, 6), base, gaz)))
    assert image.format == "PNG" and image.width > 600


def test_geojson_export_parses(seed_view) -> None:  # type: ignore[no-untyped-def]
    from dashboard import downloads

    _, view, gaz, _ = seed_view
    doc = json.loads(downloads.day_geojson(view, LAST, gaz))
    assert {f["properties"]["kind"] for f in doc["features"]} == {"territory", "place"}
    assert {f["properties"]["day"] for f in doc["features"]} == {"2024-12-08"}


def test_html_export_is_standalone_with_title_date_legend_and_credits(seed_view) -> None:  # type: ignore[no-untyped-def]
    from dashboard import downloads, mapview

    _, view, gaz, base = seed_view
    payload = mapview.base_payload(base, [("Damascus", 33.51, 36.29)])
    page = downloads.html(view, LAST, payload, gaz).decode("utf-8")
    assert export.external_urls(page) == []
    assert "/app/static/" not in page
    for path in mapview.ASSET_FILES.values():
        if path.suffix == ".js":
            assert path.read_text(encoding="utf-8")[:200] in page
    data = json.loads(re.search(r'id="frontline-data">(.*?)</script>', page, re.S).group(1))
    layer = data["layer"]
    assert "Syria" in html.unescape(layer["title"]) and "8 December 2024" in layer["title"]
    assert layer["legend"]["rows"] and html.unescape(layer["legend"]["rows"][0]["label"])
    assert "GeoNames" in data["base"]["attribution"]


def test_csv_and_gif_exports(seed_view) -> None:  # type: ignore[no-untyped-def]
    import csv

    from dashboard import downloads
    from geo.timeline import period_days
    from geo.views import day_changes

    build, view, gaz, base = seed_view
    rows = list(csv.DictReader(io.StringIO(downloads.events_csv(view, build.articles).decode())))
    assert rows and {"event_id", "excerpt", "origin"} <= set(rows[0])
    changes = list(
        csv.DictReader(io.StringIO(downloads.changes_csv(day_changes(view, LAST)).decode()))
    )
    assert changes[0]["place"] == "Damascus" and changes[0]["day"] == "2024-12-08"
    assert {r["day"] for r in changes} == {"2024-12-08"}
    gif = Image.open(io.BytesIO(downloads.gif(view, period_days()[:3], base, gaz)))
    assert gif.format == "GIF" and gif.n_frames == 3


def test_one_export_choice_and_one_download_button(app: AppTest) -> None:
    def button() -> str:
        (b,) = [e.proto for e in app.main if type(e.proto).__name__ == "DownloadButton"]
        return b.label

    assert app.get("button_group")[0].options == [
        "PNG snapshot",
        "HTML map",
        "GeoJSON (day)",
        "GeoPackage (day)",
        "Events CSV",
        "Changes CSV (day)",
        "GIF of all days",
    ]
    assert button() == "Download PNG snapshot"
    app.slider(key="day").set_value(LAST).run()
    app.get("button_group")[0].set_value("Changes CSV (day)").run()
    assert button() == "Download Changes CSV (day)"  # its file is named after the day: e2e


@pytest.mark.parametrize(
    ("where", "missing"),
    [
        ("data", "false_friends.csv"),
        ("profile", "syria_adm0_ne10m.geojson"),
        ("profile", "baseline_2024-11-26.csv"),
        ("profile", "profile.toml"),
    ],
)
def test_a_missing_data_file_stops_the_app_with_one_line(
    where: str, missing: str, tmp_path: Path, profile_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    monkeypatch.setattr(settings, "data_dir", data)
    monkeypatch.setattr(settings, "profile", profile_copy)
    ((data if where == "data" else profile_copy) / missing).unlink()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    stem = missing.split(".", maxsplit=1)[0]
    assert error.value.startswith("frontline cannot start")
    assert stem in error.value.replace("\\", "")
    assert "\n" not in error.value


def test_a_corrupt_boundary_file_stops_the_app_with_one_line(
    profile_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (profile_copy / "syria_adm1_governorates_ne10m.geojson").write_bytes(b"\x00{not json")
    monkeypatch.setattr(settings, "profile", profile_copy)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "governorates" in at.error[0].value


# ---------------------------------------------------------------------------- a build folder


@pytest.fixture(scope="module")
def big_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder whose Damascus entry has eight reports (the seeds, each in copies)."""
    from geo.build import run, write_build

    corpus = tmp_path_factory.mktemp("corpus")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(8):
        for seed in seeds:
            (corpus / f"{i}_{seed.name}").write_text(seed.read_text() + f"\n\nCopy {i}.\n")
    return write_build(run([corpus]), tmp_path_factory.mktemp("out") / "build")


def test_a_build_folder_opens_with_excerpts_read_on_click(
    big_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTLINE_BUILD", str(big_build))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("40 articles" in c.value for c in at.caption)
    assert all(u.label != "Add .txt, .html or .md articles" for u in at.get("file_uploader"))
    at.slider(key="day").set_value(LAST).run()
    assert _has(at, "Damascus — HTS-led coalition")
    at.selectbox(key="place").set_value(DAMASCUS).run()
    quotes = [m.value for m in at.markdown if m.value.startswith("<blockquote>")]
    assert any("<mark>Damascus</mark>" in q for q in quotes)
    assert any(c.value.startswith("and ") and "more reports" in c.value for c in at.caption)


def test_a_missing_build_folder_stops_the_app_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTLINE_BUILD", str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "nowhere" in error.value and "not a build folder" in error.value


@pytest.mark.parametrize("query", ["Hama", "Hamah", "حماة"])
def test_the_place_search_finds_a_place_by_any_of_its_names(app: AppTest, query: str) -> None:
    """The English name, the gazetteer's spelling and the Arabic one find the same city."""
    from geo.gazetteer import load_gazetteer

    (hama,) = [p for p in load_gazetteer().lookup("Hama") if p.kind == "populated place"][:1]
    app.text_input(key="place_query").set_value(query).run()
    box = app.selectbox(key="place")
    assert box.options[0] == "Hama", box.options[:3]
    assert len(set(box.options)) == len(box.options)  # same-named places told apart
    box.set_value(hama.id).run()
    assert any("Sources for Hama" in s.value for s in app.subheader)
    assert _map(app)["selected"]["id"] == hama.id


def test_a_search_that_finds_nothing_says_so(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("Qwxzzy <b>").run()
    assert not app.exception
    (said,) = [c.value for c in app.caption if "No place is called" in c.value]
    assert "<b>" not in said  # the query is shown escaped


def test_an_empty_review_record_keeps_the_build_s_own_territory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No review yet: the view is the build's state and territory, not a recomputation of
    the whole territory model (a minute on a 50,000-article build)."""
    from dashboard import state
    from geo.views import Filters

    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    monkeypatch.setattr(settings, "reviews_url", f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    files = state.corpus_files()
    key = state.fingerprint(files)
    build = state.corpus(key, tuple(files), settings.data_dir)
    view = state.view_of((key, Filters(), state.reviews_key_of([])), ())
    assert view.state is build.state and view.territory is build.territory
