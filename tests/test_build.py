"""The build folder: contents, the story the seeds tell, atomic replacement, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo.build import BUILD_FILES, read_build, run, write_build
from geo.cli import EXIT_FATAL, EXIT_OK, EXIT_PARTIAL, main

EVENT_CONTRACT = [
    "event_id",
    "article",
    "place",
    "lat",
    "lon",
    "kind",
    "actor",
    "day",
    "confidence",
    "excerpt",
]
STATE_CONTRACT = ["place", "lat", "lon", "day", "controller", "status"]


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("builds") / "build"
    assert main(["build", str(seeds_dir), "--out", str(out), "-q"]) == EXIT_OK
    return out


def test_build_writes_every_file_with_the_contract_columns(seed_build: Path) -> None:
    assert sorted(p.name for p in seed_build.iterdir()) == sorted(BUILD_FILES)
    with (seed_build / "events.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f))[: len(EVENT_CONTRACT)] == EVENT_CONTRACT
    with (seed_build / "state.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f))[: len(STATE_CONTRACT)] == STATE_CONTRACT
    doc = json.loads((seed_build / "territory.geojson").read_text(encoding="utf-8"))
    days = {feat["properties"]["day"] for feat in doc["features"]}
    assert len(days) == 12 and min(days) == "2024-11-27" and max(days) == "2024-12-08"
    assert all({"controller", "status"} <= set(feat["properties"]) for feat in doc["features"])


def _changes(seed_build: Path) -> dict[str, tuple[str, str]]:
    tables = read_build(seed_build)
    state = tables["state"]
    changed = state[(state.status == "changed") & (state.basis == "extracted")]
    return {r.place: (r.day, r.controller) for r in changed.itertuples()}


def test_the_seeds_tell_the_offensive(seed_build: Path) -> None:
    """Each change comes from the articles' own text (basis extracted)."""
    changes = _changes(seed_build)
    assert changes["Aleppo"] == ("2024-11-30", "HTS-led coalition")
    assert changes["Hama"] == ("2024-12-05", "HTS-led coalition")
    assert changes["Daraa"] == ("2024-12-06", "Southern Operations Room")
    assert changes["Suwayda"] == ("2024-12-06", "Suwayda factions")
    assert changes["eastern Deir ez-Zor countryside"] == ("2024-12-06", "SDF")  # a region
    assert changes["Homs"] == ("2024-12-07", "HTS-led coalition")
    assert changes["Damascus"] == ("2024-12-08", "HTS-led coalition")


def test_events_rows_carry_their_evidence(seed_build: Path) -> None:
    events = read_build(seed_build)["events"]
    assert set(events.origin) == {"extracted"}
    for r in events.itertuples():
        assert r.excerpt[r.excerpt_place_start : r.excerpt_place_end]
        assert r.day == "" or dt.date.fromisoformat(r.day)
    aleppo = events[events.place == "Aleppo"]
    assert aleppo.event_id.nunique() == 1 and aleppo.article.nunique() == len(aleppo)


def test_areas_add_up_and_move(seed_build: Path) -> None:
    areas = pd.read_csv(seed_build / "areas.csv")
    totals = areas.groupby("day").area_km2.sum()
    assert (totals.max() - totals.min()) / totals.max() < 0.001
    hts = areas[areas.controller == "HTS-led coalition"].set_index("day").area_km2
    assert hts["2024-12-08"] > hts["2024-11-27"]


def test_inferred_ground_is_marked(seed_build: Path) -> None:
    state = read_build(seed_build)["state"]
    assert set(state.basis) <= {"baseline", "extracted", "curated", "inferred"}
    assert (state.basis == "inferred").any()


def test_bad_curated_file_keeps_the_previous_build(
    seed_build: Path, tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "build"
    shutil.copytree(seed_build, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "curated.csv"
    bad.write_text("place,kind,actor,day,source\nHama,captured,SNA,Dec 5,ref\n", encoding="utf-8")
    code = main(["build", str(seeds_dir), "--out", str(out), "--curated", str(bad), "-q"])
    err = capsys.readouterr().err
    assert code == EXIT_FATAL
    assert err.strip().count("\n") == 0 and "curated.csv:2: column 'day'" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failure_while_writing_keeps_the_previous_build(
    seed_build: Path, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    shutil.copytree(seed_build, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    build = run([seeds_dir])

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("geo.build._articles_frame", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_build(build, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build.")]


def test_interrupted_swap_is_recovered(seed_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(seed_build, out.with_name(".build.old"))  # killed between the renames
    assert "events" in read_build(out) and out.is_dir()


def test_skipped_files_are_named_and_the_rest_is_built(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    code = main(["build", str(corpus), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == EXIT_PARTIAL
    assert sum("broken.txt" in line for line in err.splitlines()) == 1
    assert "2024-12-08" in err and "Damascus entered by HTS-led coalition" in err
    assert (tmp_path / "out" / "events.csv").is_file()


def test_events_command(seeds_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "events.geojson"
    assert main(["events", str(seeds_dir), "--format", "geojson", "-o", str(target), "-q"]) == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    assert set(EVENT_CONTRACT) <= set(props)


def test_a_build_killed_half_way_leaves_the_previous_one_and_the_next_recovers(
    seed_build: Path, tmp_path: Path, seeds_dir: Path
) -> None:
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "build"
    shutil.copytree(seed_build, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def writing(name: str = "") -> bool:
        """A new build folder is being written (holding ``name``, if given)."""
        return any((tmp / name).exists() for tmp in tmp_path.glob(".build.*.tmp"))

    # killed at once, once the new folder is made, and late in its writing: moments the
    # process reaches whatever the machine's speed (a build that ends first is fine too)
    for moment in (lambda: True, writing, lambda: writing("events.sqlite")):
        proc = subprocess.Popen(
            [sys.executable, "-m", "geo", "build", str(seeds_dir), "--out", str(out), "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 600
        while not moment() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        folder = out if out.is_dir() else out.with_name(".build.old")
        assert {p.name for p in folder.iterdir()} == set(before)  # a whole build, old or new
        assert read_build(out)["events"].shape[0] > 0  # usable (recovers an interrupted swap)
    assert main(["build", str(seeds_dir), "--out", str(out), "-q"]) == EXIT_OK
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build.")]
    assert {p.name for p in out.iterdir()} == set(before)
