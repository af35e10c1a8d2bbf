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
from geo.inference import BASES, STATUSES
from geo.profile import load_profile

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
    changed = state[(state.status == "changed") & state.basis.isin(["extracted", "region"])]
    return {r.place: (r.day, r.controller) for r in changed.itertuples()}


def test_the_seeds_tell_the_offensive(seed_build: Path) -> None:
    """Each change comes from the articles' own text (a place's or a region's report)."""
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


def test_every_area_names_the_rule_that_drew_it(seed_build: Path) -> None:
    tables = read_build(seed_build)
    state, territory = tables["state"], tables["territory"]
    assert set(state.basis) <= set(BASES) and set(territory.basis) <= set(BASES)
    assert set(state.status) <= set(STATUSES) and set(territory.status) <= set(STATUSES)
    assert {"front", "hinterland", "collapse"} <= set(state.basis)
    assert "uncertain" in set(territory.status) and set(territory["sparsely_populated"]) == {
        True,
        False,
    }
    # an inferred site names the event that drove it
    inferred = state[state.basis.isin(["front", "hinterland"])]
    assert (inferred.event_ids != "").all()


def _shares(areas: pd.DataFrame, territory: pd.DataFrame) -> pd.DataFrame:
    total = areas.groupby("day").area_km2.sum()
    held = territory[territory.status != "uncertain"]
    held = held.assign(day=held["day"].astype(str).str[:10])
    table = held.groupby(["day", "controller"]).area_km2.sum().unstack(fill_value=0.0)
    return table.div(total, axis=0) * 100


def test_the_governments_share_falls_with_the_offensive(seed_build: Path) -> None:
    """Built from the seeds alone: 55-70 % held by the Government on 27 November, at most
    20 % on 8 December (held, not uncertain). Prints every actor's share per day."""
    tables = read_build(seed_build)
    shares = _shares(tables["areas"], tables["territory"])
    uncertain = tables["territory"][tables["territory"].status == "uncertain"]
    uncertain = uncertain.assign(day=uncertain["day"].astype(str).str[:10])
    share_unc = (
        uncertain.groupby("day").area_km2.sum() / tables["areas"].groupby("day").area_km2.sum()
    )
    print("\nshare of the country held (%), seeds alone; 'uncertain' apart:")
    print(
        shares.assign(uncertain=(share_unc * 100).reindex(shares.index, fill_value=0))
        .round(1)
        .to_string()
    )
    assert 55 <= shares.loc["2024-11-27", "Government"] <= 70
    assert shares.loc["2024-12-08"].get("Government", 0.0) <= 20


def _side_at(territory: pd.DataFrame, day: str, lat: float, lon: float) -> str:
    from shapely import Point

    days = territory["day"].astype(str).str[:10]
    sub = territory[(days == day) & territory.contains(Point(lon, lat))]  # (x=lon, y=lat)
    return load_profile().side_of(sub.iloc[0].controller) if len(sub) else "?"


SNAPSHOT_DAYS = ("2024-11-27", "2024-11-30", "2024-12-05", "2024-12-07", "2024-12-08")
#: (town, first snapshot day it shows on the opposition's side)
FRONT_TOWNS = [
    ("Aleppo", "2024-11-30"),
    ("Khan Tuman", "2024-11-30"),  # Aleppo's countryside goes with Aleppo
    ("Talbiseh", "2024-12-07"),  # the M5 between Hama and Homs goes with Homs
    ("Hama", "2024-12-05"),
    ("Homs", "2024-12-07"),
    ("Daraa", "2024-12-07"),
    ("Suwayda", "2024-12-07"),
    ("Damascus", "2024-12-08"),
]


def test_snapshots_of_five_days_show_the_front_moving(seed_build: Path) -> None:
    """PNG snapshots (into the git-ignored screenshots/snapshots) of the five days, and
    the side of each front town on them."""
    from geo import export
    from geo.build import open_build
    from geo.gazetteer import load_gazetteer
    from geo.views import Filters, make_view, places_on, territory_on

    build = open_build(seed_build)
    view, gaz, base = make_view(build, Filters()), load_gazetteer(), export.read_basemap()
    folder = Path(__file__).resolve().parents[1] / "screenshots" / "snapshots"
    folder.mkdir(parents=True, exist_ok=True)
    for day in SNAPSHOT_DAYS:
        d = dt.date.fromisoformat(day)
        png = export.snapshot_png(territory_on(view, d), places_on(view, d, gaz), base, day=d)
        assert png.startswith(b"\x89PNG")
        (folder / f"map-{day}.png").write_bytes(png)
    territory = read_build(seed_build)["territory"]
    for name, first in FRONT_TOWNS:
        town = gaz.lookup(name, country="SY")[0]
        for day in SNAPSHOT_DAYS:
            side = _side_at(territory, day, town.lat, town.lon)
            want_opposition = day >= first
            assert (side == "opposition") is want_opposition, (name, day, side)


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

    monkeypatch.setattr("geo.buildfolder._articles_frame", disk_full)
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
