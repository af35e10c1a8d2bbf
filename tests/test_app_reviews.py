"""Reviewing events in the dashboard, end to end through AppTest: each action, undo, raw view."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.build import run
from geo.timeline import FusedEvent

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
DAMASCUS = "gn:170654"
LAST = dt.date(2024, 12, 8)


@pytest.fixture(scope="module")
def damascus_entry() -> FusedEvent:
    build = run([ROOT / "seeds"])
    return next(f for f in build.fused if f.place.id == DAMASCUS and f.kind == "entered")


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(settings, "reviews_url", f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["day"] = LAST.isoformat()
    at.query_params["place"] = DAMASCUS
    at.run()
    at.text_input(key="reviewer").set_value("Analyst A").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _titles(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


def _labels(at: AppTest) -> set[str]:
    (component,) = [e for e in at.main if type(e.proto).__name__ == "ComponentInstance"]
    layer = json.loads(component.proto.json_args)["feature_group"]
    return {json.loads(f'"{t}"') for t in re.findall(r'"label": "((?:[^"\\]|\\.)*)"', layer)}


def test_confirm_marks_the_event(app: AppTest, damascus_entry: FusedEvent) -> None:
    app.button(key=f"confirm-{damascus_entry.id}").click().run()
    assert any("entered" in t and "confirmed by a reviewer" in t for t in _titles(app))


def test_reject_removes_the_event_from_the_map(app: AppTest, damascus_entry: FusedEvent) -> None:
    assert any(label.startswith("Damascus — HTS-led coalition") for label in _labels(app))
    app.text_input(key=f"reject-reason-{damascus_entry.id}").set_value("misdated report").run()
    app.button(key=f"reject-{damascus_entry.id}").click().run()
    assert not any("· entered ·" in t for t in _titles(app))
    assert not any(label.startswith("Damascus — HTS-led coalition") for label in _labels(app))
    app.toggle(key="raw").set_value(True).run()  # the machine's output is still there
    assert any(label.startswith("Damascus — HTS-led coalition") for label in _labels(app))


def test_undo_brings_the_event_back(app: AppTest, damascus_entry: FusedEvent) -> None:
    app.text_input(key=f"reject-reason-{damascus_entry.id}").set_value("wrong").run()
    app.button(key=f"reject-{damascus_entry.id}").click().run()
    assert not any("· entered ·" in t for t in _titles(app))
    app.button(key="undo").click().run()
    assert any("· entered ·" in t for t in _titles(app))


def test_correct_changes_the_day(app: AppTest, damascus_entry: FusedEvent) -> None:
    app.date_input(key=f"correct-day-{damascus_entry.id}").set_value(dt.date(2024, 12, 7)).run()
    app.text_input(key=f"correct-reason-{damascus_entry.id}").set_value("entered late on 7th").run()
    app.button(key=f"correct-{damascus_entry.id}").click().run()
    assert any(
        t.startswith("**2024\\-12\\-07") and "entered" in t and "corrected" in t
        for t in _titles(app)
    )


def test_add_an_event_with_a_source(app: AppTest) -> None:
    app.text_input(key="add-place").set_value("Raqqa").run()
    app.selectbox(key="add-actor").set_value("HTS-led coalition").run()
    app.date_input(key="add-day").set_value(dt.date(2024, 12, 8)).run()
    app.text_input(key="add-source").set_value("https://example.org/report").run()
    app.button(key="add-submit").click().run()
    assert not app.exception
    assert any(
        label.startswith("Ar Raqqah — HTS-led coalition")
        or label.startswith("Raqqa — HTS-led coalition")
        for label in _labels(app)
    )


def test_a_corrupt_database_leaves_the_unreviewed_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"this is not a database" * 200)
    monkeypatch.setattr(settings, "reviews_url", f"sqlite:///{bad}")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["day"] = LAST.isoformat()
    at.run()
    assert not at.exception
    assert any("Reviews unavailable" in w.value for w in at.warning)
    assert any(label.startswith("Damascus — HTS-led coalition") for label in _labels(at))
