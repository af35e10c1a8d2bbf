"""The dashboard's logic through Streamlit's AppTest (no browser): day, place, filters, exports."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from geo import export, settings

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
DAMASCUS = "gn:170654"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _map_args(at: AppTest) -> dict:
    """The st_folium component's arguments: its script, feature group and asset links."""
    (component,) = [e for e in at.main if type(e.proto).__name__ == "ComponentInstance"]
    return json.loads(component.proto.json_args)


def _labels(feature_group: str) -> set[str]:
    """Tooltip labels of the day layer (they travel JSON-encoded inside the script)."""
    found = re.findall(r'"label": "((?:[^"\\]|\\.)*)"', feature_group)
    return {json.loads(f'"{text}"') for text in found}


def _has(feature_group: str, prefix: str) -> bool:
    return any(label.startswith(prefix) for label in _labels(feature_group))


def _state_caption(at: AppTest) -> str:
    return at.header[0].value


def test_slider_changes_the_day_and_the_map(app: AppTest) -> None:
    first = _map_args(app)["feature_group"]
    app.slider(key="day").set_value(dt.date(2024, 12, 8)).run()
    assert "8 December 2024" in _state_caption(app)
    assert app.query_params["day"] in ("2024-12-08", ["2024-12-08"])
    last = _map_args(app)["feature_group"]
    assert first != last
    assert _has(last, "Damascus — HTS-led coalition")
    assert _has(first, "Damascus — Government")


def test_the_map_loads_no_remote_script_or_style(app: AppTest) -> None:
    args = _map_args(app)
    links = [*args["js_links"], *args["css_links"]]
    assert links and all(link.startswith("/app/static/vendor/") for link in links)
    for part in ("script", "header", "html", "feature_group"):
        assert not re.search(r"https?://", args.get(part) or ""), part
    assert "frontline-legend" in args["script"]  # the legend travels with the map


def test_selecting_a_place_shows_its_excerpts(app: AppTest) -> None:
    app.slider(key="day").set_value(dt.date(2024, 12, 8)).run()
    app.selectbox(key="place").set_value(DAMASCUS).run()
    assert app.query_params["place"] in (DAMASCUS, [DAMASCUS])
    assert any("Sources for Damascus" in s.value for s in app.subheader)
    quotes = [m.value for m in app.markdown if m.value.startswith("<blockquote>")]
    assert any("<mark>Damascus</mark>" in q for q in quotes)
    assert any("entered" in m.value for m in app.markdown)


def test_url_reopens_the_same_view() -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["day"] = "2024-12-06"
    at.query_params["place"] = DAMASCUS
    at.run()
    assert "6 December 2024" in _state_caption(at)
    assert at.selectbox(key="place").value == DAMASCUS


def test_filters_change_what_is_drawn(app: AppTest) -> None:
    app.slider(key="day").set_value(dt.date(2024, 12, 8)).run()
    everything = _map_args(app)["feature_group"]
    app.multiselect(key="actors").set_value(["SDF"]).run()
    only_sdf = _map_args(app)["feature_group"]
    assert _has(everything, "Damascus — HTS-led coalition")
    assert not _has(only_sdf, "Damascus")
    assert _has(only_sdf, "eastern Deir ez-Zor countryside — SDF")
    app.multiselect(key="actors").set_value(list(app.multiselect(key="actors").options)).run()
    app.slider(key="min_confidence").set_value(1.0).run()
    assert not any(
        "HTS-led coalition, changed" in label for label in _labels(_map_args(app)["feature_group"])
    )
    app.slider(key="min_confidence").set_value(0.0).run()
    assert _labels(_map_args(app)["feature_group"])
    app.multiselect(key="origins").set_value(["curated"]).run()  # the seeds have none
    assert not any(
        " — " in label and "km²" not in label for label in _labels(_map_args(app)["feature_group"])
    )


def test_overview_and_areas_are_shown(app: AppTest) -> None:
    charts = [e for e in app.main if type(e.proto).__name__ == "VegaLiteChart"]
    assert len(charts) >= 2


@pytest.fixture(scope="module")
def seed_view():  # type: ignore[no-untyped-def]
    from geo.build import run
    from geo.gazetteer import load_gazetteer
    from geo.views import Filters, make_view

    build = run([Path(APP).parents[1] / "seeds"])
    return build, make_view(build, Filters()), load_gazetteer(), export.read_basemap()


def test_png_export_decodes(seed_view) -> None:  # type: ignore[no-untyped-def]
    from dashboard import downloads

    _, view, gaz, base = seed_view
    image = Image.open(io.BytesIO(downloads.png(view, dt.date(2024, 12, 6), base, gaz)))
    assert image.format == "PNG" and image.width > 600


def test_geojson_export_parses(seed_view) -> None:  # type: ignore[no-untyped-def]
    from dashboard import downloads

    _, view, gaz, _ = seed_view
    doc = json.loads(downloads.day_geojson(view, dt.date(2024, 12, 8), gaz))
    kinds = {f["properties"]["kind"] for f in doc["features"]}
    assert kinds == {"territory", "place"}
    assert {f["properties"]["day"] for f in doc["features"]} == {"2024-12-08"}


def test_html_export_references_nothing_external(seed_view) -> None:  # type: ignore[no-untyped-def]
    from dashboard import downloads, mapview

    _, view, gaz, base = seed_view
    cities = [("Damascus", 33.51, 36.29)]
    page = downloads.html(view, dt.date(2024, 12, 8), base, cities, gaz).decode("utf-8")
    assert export.external_urls(page) == []
    assert "/app/static/" not in page
    assert all(
        path.read_text(encoding="utf-8")[:200] in page
        for url, path in mapview.ASSET_FILES.items()
        if url.endswith(".js")
    )


def test_csv_and_gif_exports(seed_view) -> None:  # type: ignore[no-untyped-def]
    import csv

    from dashboard import downloads
    from geo.timeline import period_days

    build, view, gaz, base = seed_view
    rows = list(csv.DictReader(io.StringIO(downloads.events_csv(view, build.articles).decode())))
    assert rows and {"event_id", "excerpt", "origin"} <= set(rows[0])
    gif = Image.open(io.BytesIO(downloads.gif(view, period_days()[:3], base, gaz)))
    assert gif.format == "GIF" and gif.n_frames == 3


def test_export_buttons_are_there(app: AppTest) -> None:
    labels = [e.proto.label for e in app.main if type(e.proto).__name__ == "DownloadButton"]
    assert labels == [
        "PNG snapshot",
        "HTML map",
        "GeoJSON (day)",
        "GeoPackage (day)",
        "Events CSV",
        "GIF of all days",
    ]


def test_streamlit_folium_still_has_what_the_fast_map_uses() -> None:
    import streamlit_folium

    from dashboard import fastmap

    assert [n for n in fastmap.REQUIRED if not hasattr(streamlit_folium, n)] == []


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
    seeds = sorted((Path(APP).parents[1] / "seeds").glob("*.txt"))
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
    assert not at.get("file_uploader") or all(
        u.label != "Add .txt, .html or .md articles" for u in at.get("file_uploader")
    )
    at.slider(key="day").set_value(dt.date(2024, 12, 8)).run()
    assert _has(_map_args(at)["feature_group"], "Damascus — HTS-led coalition")
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
