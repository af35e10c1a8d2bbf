"""A made-up war in a made-up country: the whole pipeline runs on any profile.

``tests/data/profiles/tiny`` is another country (three towns of Ruritania), two armed
actors and three days in 2031, with no dataset, no district polygon and no airfield. If a
stage still assumed Syria, its places, its actors or 2024, this is where it shows.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import mapview
from geo import settings
from geo.build import check_data
from geo.cli import EXIT_OK, main
from geo.profile import load_profile

TINY = Path(__file__).parent / "data" / "profiles" / "tiny"
DAYS = ["2031-03-01", "2031-03-02", "2031-03-03"]


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny profile in use, with its own index folder (``main`` sets the profile)."""
    monkeypatch.setattr(settings, "profile", TINY)
    monkeypatch.setattr(settings, "index_dir", tmp_path / "index")
    return TINY


@pytest.fixture
def tiny_build(tiny: Path, tmp_path: Path) -> Path:
    out = tmp_path / "build"
    args = ["--profile", str(tiny), "build", str(tiny / "articles"), "--out", str(out)]
    assert main([*args, "--no-cache", "-q"]) == EXIT_OK
    return out


def test_the_profile_is_read_as_another_war(tiny: Path) -> None:
    profile = load_profile()
    assert profile.country == "RT" and [d.isoformat() for d in profile.days()] == DAYS
    assert profile.state == "Crown" and profile.generic == "Black Elphberg"
    check = check_data()
    # the profile's three towns are its only sites (the world's capitals come as neighbours)
    assert check.profile == "tiny" and check.places["profile"] == 3 and check.sites == 3


def test_the_pipeline_maps_the_made_up_war(tiny_build: Path) -> None:
    state = pd.read_csv(tiny_build / "state.csv", keep_default_na=False)
    held = {(r.place, r.day): r.controller for r in state.itertuples()}
    assert sorted(state["day"].unique()) == DAYS
    assert held[("Zenda", DAYS[0])] == "Black Elphberg"  # captured on Saturday 1 March
    assert [held[("Strelsau", d)] for d in DAYS] == ["Crown", "Crown", "Black Elphberg"]
    assert all(held[("Hentzau", d)] == "Black Elphberg" for d in DAYS)  # the baseline
    assert set(state["site_id"]) == {"rt:strelsau", "rt:zenda", "rt:hentzau"}

    events = pd.read_csv(tiny_build / "events.csv", keep_default_na=False)
    assert set(zip(events["place"], events["kind"], events["day"], strict=True)) == {
        ("Zenda", "captured", DAYS[0]),
        ("Strelsau", "entered", DAYS[2]),
    }
    assert set(events["actor"]) == {"Black Elphberg"}
    assert events["excerpt"].str.len().gt(0).all()

    territory = json.loads((tiny_build / "territory.geojson").read_text(encoding="utf-8"))
    by_day: dict[str, set[str]] = {}
    for feature in territory["features"]:
        props = feature["properties"]
        by_day.setdefault(props["day"][:10], set()).add(props["controller"])
    assert sorted(by_day) == DAYS
    assert by_day[DAYS[0]] == {"Crown", "Black Elphberg"}
    assert by_day[DAYS[2]] == {"Black Elphberg"}

    areas = pd.read_csv(tiny_build / "areas.csv")
    day3 = areas[(areas["day"] == DAYS[2]) & (areas["area_km2"] > 0)]
    assert list(day3["controller"]) == ["Black Elphberg"]
    total = areas.groupby("day")["area_km2"].sum()
    assert total.max() - total.min() < 1.0  # the same country every day, cut differently


def test_places_are_found_in_the_made_up_gazetteer_only(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "places.csv"
    assert main(["--profile", str(tiny), "places", str(tiny / "articles"), "-o", str(out)]) == 0
    places = pd.read_csv(out, keep_default_na=False)
    assert set(places["place_id"]) <= {"rt:strelsau", "rt:zenda", "rt:hentzau"}
    assert {"Zenda", "Strelsau"} <= set(places["place"])


def test_the_dashboard_shows_the_made_up_war(
    tiny_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app on the tiny build: its three days, its towns and actors, no Syria."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FRONTLINE_BUILD", str(tiny_build))
    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    monkeypatch.setattr(settings, "reviews_url", f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    app = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
    at = AppTest.from_file(app, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    day = at.slider(key="day")
    ends = [dt.datetime.fromtimestamp(t / 1e6, dt.UTC).date() for t in (day.min, day.max)]
    assert ends == [dt.date(2031, 3, 1), dt.date(2031, 3, 3)]  # (the proto holds microseconds)
    day.set_value(dt.date(2031, 3, 3)).run()
    assert "3 March 2031" in at.header[0].value

    (component,) = [e for e in at.main if type(e.proto).__name__ == "BidiComponent"]
    data = json.loads(component.proto.json)
    layer, sites = json.loads(data["layer"]), json.loads(data["sites"])
    labels = {html.unescape(p["label"]) for p in mapview.drawn_places(layer, sites)}
    assert any(label.startswith("Strelsau — Black Elphberg") for label in labels), labels
    page = " ".join(
        str(e.value) for kind in (at.title, at.header, at.markdown, at.caption) for e in kind
    )
    assert "Syria" not in page and "Syria" not in component.proto.json
