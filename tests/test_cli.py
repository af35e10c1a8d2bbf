"""The command line as scripts use it: columns, formats, bad files and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import EXIT_FATAL, EXIT_OK, EXIT_PARTIAL, main

CONTRACT = ["article", "start", "end", "surface", "place", "lat", "lon", "country"]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_places_csv_has_the_contract_columns(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["places", str(seeds_dir)]) == EXIT_OK
    out, err = capsys.readouterr()
    rows = _rows(out)
    assert list(rows[0])[: len(CONTRACT)] == CONTRACT
    assert {r["article"] for r in rows} == {p.name for p in seeds_dir.glob("*.txt")}
    assert any(r["surface"] == "Deir al-Zor" and r["place"] == "Deir ez-Zor" for r in rows)
    assert any(r["surface"] == "eastern Deir ez-Zour" and r["country"] == "SY" for r in rows)
    assert err.count("\n") == 1 and err.startswith("places: 5 articles")


def test_places_csv_names_each_place_as_its_source_spells_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The label is the name readers know; the source's own spelling and the Arabic name
    sit beside it, so an analyst can check a match against Arabic-language reporting."""
    (tmp_path / "a.txt").write_text("Fighters entered Hama and then Palmyra on Thursday.\n")
    assert main(["places", str(tmp_path), "-q"]) == EXIT_OK
    rows = {r["place"]: r for r in _rows(capsys.readouterr().out)}
    assert {"Hama", "Palmyra"} <= set(rows)
    for name in ("Hama", "Palmyra"):
        assert rows[name]["gazetteer_name"] and rows[name]["gazetteer_name"] != name
        # Arabic letters, not a transliteration
        assert any("\u0600" <= ch <= "\u06ff" for ch in rows[name]["name_ar"]), rows[name]


def test_places_geojson_to_a_file(seeds_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "places.geojson"
    code = main(
        [
            "places",
            str(seeds_dir / "004_83b615d4bad64db3.txt"),
            "--format",
            "geojson",
            "-o",
            str(target),
            "-q",
        ]
    )
    assert code == EXIT_OK
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    feature = doc["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert (lat, lon) == (feature["properties"]["lat"], feature["properties"]["lon"])
    assert set(CONTRACT) <= set(feature["properties"])


def _bad_files(folder: Path) -> dict[str, bytes]:
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 4,
        "latin1.txt": "Rebels entered Hama, said Fran\u00e7ois.".encode("latin-1"),
        "tags.html": b"<div><p><b></b></p><br/></div>",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    (folder / "good.txt").write_text(
        "date 2024-12-05\nFighters entered Hama on Thursday.\n", encoding="utf-8"
    )
    return files


def test_bad_files_are_skipped_with_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _bad_files(tmp_path)
    code = main(["places", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == EXIT_PARTIAL
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    for name in ("empty.txt", "binary.txt", "latin1.txt", "tags.html", "huge.txt"):
        assert sum(name in w for w in warnings) == 1, (name, warnings)
    assert [r["surface"] for r in _rows(out)] == ["Hama"]
    assert "5 skipped" in err


def test_nothing_readable_is_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["places", str(tmp_path / "empty.txt")]) == EXIT_FATAL
    assert main(["places", str(tmp_path / "missing.txt")]) == EXIT_FATAL
    err = capsys.readouterr().err
    assert "missing.txt" in err and "Traceback" not in err


def test_failed_write_keeps_the_previous_output(seeds_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous\n")
    code = main(["places", str(seeds_dir), "-o", str(tmp_path / "no" / "dir" / "out.csv"), "-q"])
    assert code == EXIT_FATAL
    assert target.read_text() == "previous\n"


def test_module_entry_point_and_help(seeds_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "geo", "places", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--format" in run.stdout and "PATH" in run.stdout
    run = subprocess.run(
        [sys.executable, "-m", "geo", "places", str(seeds_dir), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == EXIT_OK and run.stderr == ""
    assert run.stdout.startswith(",".join(CONTRACT))


def test_table_format_lists_each_place_once(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["places", str(seeds_dir), "--format", "table", "-q"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("place")
    damascus = [line for line in lines if line.startswith("Damascus ")]
    assert len(damascus) == 1 and " SY " in damascus[0]
    assert any(line.startswith("Deir ez-Zor ") and "Deir al-Zor" in line for line in lines)
    # "eastern Deir ez-Zour" names the city's eastern countryside, a region of its own
    assert any(line.startswith("eastern Deir ez-Zor") and " region " in line for line in lines)


def test_output_to_a_device_or_pipe_writes_to_it_and_leaves_it_be(
    seeds_dir: Path, tmp_path: Path
) -> None:
    """``-o /dev/null`` once replaced /dev/null with a plain file (the atomic rename); a
    named pipe stands in for the device here, so a regression cannot break the machine."""
    import os
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(pipe.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    try:
        code = main(["events", str(seeds_dir), "-o", str(pipe), "-q"])
    finally:
        if reader.is_alive():  # unblock the reader if nothing opened the pipe
            with pipe.open("w"):
                pass
        reader.join(timeout=60)
    assert code == EXIT_OK
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received and received[0].startswith("event_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left


def test_the_package_and_the_help_import_no_stage() -> None:
    """``import geo`` and ``python -m geo --help`` load neither geopandas nor a stage."""
    code = (
        "import sys, geo, geo.cli; geo.cli._parser().format_help(); "
        "print(sorted(m for m in ('geopandas', 'shapely', 'streamlit', 'geo.events', "
        "'geo.toponyms', 'geo.export', 'dashboard') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_the_engine_choices_are_the_corpus_engines() -> None:
    from geo import cli as module
    from geo.engines import ENGINES

    assert tuple(module.ENGINE_NAMES) == tuple(ENGINES)
