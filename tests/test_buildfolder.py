"""The build folder's codec and format, and the one pipeline behind `build` and `events`."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from geo.build import BUILD_FORMAT, Build, check_data, extract, open_build, run, write_build
from geo.cli import EXIT_FATAL, EXIT_OK, main
from geo.errors import DataError
from geo.profile import load_profile
from geo.reviews import Review
from geo.reviewstore import ReviewStore


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[Build, Path]:
    build = run([seeds_dir], store=None)
    out = write_build(build, tmp_path_factory.mktemp("folder") / "build")
    return build, out


def test_opening_a_folder_gives_back_every_field_of_every_event(built: tuple[Build, Path]) -> None:
    build, out = built
    opened = open_build(out)
    assert len(opened.fused) == len(build.fused) > 0
    for mine, theirs in zip(build.fused, opened.fused, strict=True):
        # excerpts stay in their own table, read when a place is clicked
        blank = tuple(dataclasses.replace(r, excerpt="") for r in mine.reports)
        assert dataclasses.replace(mine, reports=blank) == theirs
        for a, b in zip(
            (mine.place, *(r.place for r in mine.reports)),
            (
                theirs.place,
                *(r.place for r in theirs.reports),
            ),
            strict=True,
        ):
            # fields that do not take part in equality survive too (Arabic name, spelling)
            assert dataclasses.asdict(a) == dataclasses.asdict(b)
    place = build.fused[0].place.id
    assert opened.excerpts_of(place) == build.excerpts_of(place)


def test_events_are_stored_by_field_name(built: tuple[Build, Path]) -> None:
    _, out = built
    with closing(sqlite3.connect(out / "events.sqlite")) as db:
        (data,) = db.execute("SELECT data FROM events LIMIT 1").fetchone()
    event = json.loads(data)
    assert {"id", "place", "kind", "actor", "day", "reports"} <= set(event)
    assert {"id", "name", "lat", "lon", "name_ar"} <= set(event["place"])
    assert {"sentence", "trigger", "place_span", "claimed_by"} <= set(event["reports"][0])
    assert all(r["excerpt"] == "" for r in event["reports"])


@pytest.mark.parametrize("format_", [None, 1, BUILD_FORMAT + 1])
def test_a_folder_of_another_format_is_refused_in_one_line(
    built: tuple[Build, Path], tmp_path: Path, format_: int | None
) -> None:
    _, out = built
    copy = tmp_path / "old"
    copy.mkdir()
    for f in out.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    if format_ is None:
        del manifest["format"]
    else:
        manifest["format"] = format_
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DataError) as info:
        open_build(copy)
    message = str(info.value)
    assert "\n" not in message and str(copy) in message and "rebuild" in message


def test_a_truncated_events_table_is_one_line(built: tuple[Build, Path], tmp_path: Path) -> None:
    _, out = built
    copy = tmp_path / "broken"
    copy.mkdir()
    for f in out.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    with closing(sqlite3.connect(copy / "events.sqlite")) as db, db:
        db.execute("UPDATE events SET data = '{\"id\": 1}' WHERE rowid = 1")
    with pytest.raises(DataError) as info:
        open_build(copy)
    assert "\n" not in str(info.value) and "not a readable build folder" in str(info.value)


def test_the_events_command_prints_the_events_a_build_writes(
    seeds_dir: Path, tmp_path: Path
) -> None:
    curated = load_profile().file("curated")
    out, printed = tmp_path / "build", tmp_path / "events.csv"
    assert main(["build", str(seeds_dir), "--out", str(out), "--no-cache", "-q"]) == EXIT_OK
    code = main(["events", str(seeds_dir), "--curated", str(curated), "-o", str(printed), "-q"])
    assert code == EXIT_OK
    assert printed.read_bytes() == (out / "events.csv").read_bytes()
    # without --curated: the articles' own events, none of the analysts' rows
    main(["events", str(seeds_dir), "-o", str(printed), "-q"])
    alone = pd.read_csv(printed, keep_default_na=False)
    assert len(alone) and (alone["origin"] == "extracted").all()


def test_reviews_reach_the_events_command_as_they_reach_a_build(
    tmp_path: Path, seeds_dir: Path
) -> None:
    found = extract([seeds_dir], curated=False, store=None)
    target = next(f for f in found.fused if f.kind == "captured")
    url = f"sqlite:///{tmp_path / 'reviews.sqlite'}"
    with ReviewStore(url) as store:
        store.add(
            Review(
                "reject", target.id, tuple(r.id for r in target.reports), "ana", reason="duplicate"
            )
        )
    empty = tmp_path / "none.csv"
    empty.write_text(load_profile().file("curated").read_text().splitlines()[0] + "\n")
    out, printed = tmp_path / "build", tmp_path / "events.csv"
    options = ["--curated", str(empty), "--reviews", url]
    assert main(["build", str(seeds_dir), "--out", str(out), "--no-cache", "-q", *options]) == 0
    assert main(["events", str(seeds_dir), "-o", str(printed), "-q", *options]) == EXIT_OK
    assert printed.read_bytes() == (out / "events.csv").read_bytes()
    assert target.id not in set(pd.read_csv(printed)["event_id"])


def test_check_data_reads_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    check = check_data()
    assert check.profile == load_profile().slug
    assert check.sites > 100 and check.baseline > 0 and sum(check.places.values()) > check.sites
    assert main(["data"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == check.summary()


def test_check_data_names_a_bad_file(
    profile_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo import settings

    monkeypatch.setattr(settings, "profile", settings.profile)  # main() sets it
    bad = profile_copy / load_profile().file("baseline").name
    bad.write_text("site_id,name\nx,y\n", encoding="utf-8")
    assert main(["--profile", str(profile_copy), "data"]) == EXIT_FATAL
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert bad.name in line
