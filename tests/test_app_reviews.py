"""Reviewing events in the dashboard, end to end through AppTest: each action, undo, raw view."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import mapview
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
    (component,) = [e for e in at.main if type(e.proto).__name__ == "BidiComponent"]
    data = json.loads(component.proto.json)
    layer, sites = json.loads(data["layer"]), json.loads(data["sites"])
    return {html.unescape(p["label"]) for p in mapview.drawn_places(layer, sites)}


def _captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


def test_confirm_marks_the_event_with_who_when_and_the_machine_s_confidence(
    app: AppTest, damascus_entry: FusedEvent
) -> None:
    app.button(key=f"confirm-{damascus_entry.id}").click().run()
    (title,) = [t for t in _titles(app) if "· entered ·" in t]
    assert "confirmed by Analyst A" in title
    # the machine's confidence, not a silent 1.00
    assert f"machine confidence {damascus_entry.confidence:.2f}" in title.replace("\\", "")
    assert "1.00" not in title
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert any(c.startswith("✔ confirmed by Analyst A") and today in c for c in _captions(app)), (
        _captions(app)
    )


def test_a_reviewer_s_own_reviews_can_be_filtered(app: AppTest, damascus_entry: FusedEvent) -> None:
    app.button(key=f"confirm-{damascus_entry.id}").click().run()
    app.text_input(key="reviewer").set_value("Analyst B").run()
    app.text_input(key=f"correct-reason-{damascus_entry.id}").set_value("late on the 7th").run()
    app.date_input(key=f"correct-day-{damascus_entry.id}").set_value(dt.date(2024, 12, 7)).run()
    app.button(key=f"correct-{damascus_entry.id}").click().run()
    both = [c for c in _captions(app) if c.startswith(("✔", "✎"))]
    assert any("by Analyst A" in c for c in both) and any("by Analyst B" in c for c in both)
    assert any("day 2024-12-08 → 2024-12-07" in c and "late on the 7th" in c for c in both)
    assert set(app.selectbox(key="reviews_by").options) == {"everyone", "Analyst A", "Analyst B"}
    app.selectbox(key="reviews_by").set_value("Analyst A").run()
    shown = [c for c in _captions(app) if c.startswith(("✔", "✎"))]
    assert shown and all("by Analyst A" in c for c in shown)
    assert app.query_params.get("by") in ("Analyst A", ["Analyst A"])
    assert any("Reviews by Analyst A (1)" in e.label for e in app.expander)


def test_reject_removes_the_event_from_the_map(app: AppTest, damascus_entry: FusedEvent) -> None:
    assert any(label.startswith("Damascus — HTS-led coalition") for label in _labels(app))
    app.text_input(key=f"reject-reason-{damascus_entry.id}").set_value("misdated report").run()
    app.button(key=f"reject-{damascus_entry.id}").click().run()
    assert not any("· entered ·" in t for t in _titles(app))
    assert not any(label.startswith("Damascus — HTS-led coalition") for label in _labels(app))
    # the rejected event is still named, struck through, with who rejected it and why
    assert any(m.value.startswith("~~") and "entered" in m.value for m in app.markdown)
    assert any(
        c.startswith("✘ rejected by Analyst A") and "why: misdated report" in c
        for c in _captions(app)
    )
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
        t.startswith("**2024\\-12\\-07")
        and "entered" in t
        and "corrected by Analyst A" in t
        and f"{damascus_entry.confidence:.2f}" in t.replace("\\", "")
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
