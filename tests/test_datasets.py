"""Repository datasets: from a local mirror with checksums, or from a pinned archive.

The download path is tested against small archives of our own in the upstream formats
(Who's On First's per-record GeoJSON, Open-Syria's JSON files), served from loopback.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import shutil
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from geo import settings
from geo._io import read_table
from geo.datasets import (
    SOURCE_FILE,
    WOF_COLUMNS,
    WOF_PLACES,
    WOF_POLYGONS,
    Pin,
    fetch_dataset,
    wof_tables,
)
from geo.errors import DataError

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _square(lon: float, lat: float, size: float = 0.2) -> dict[str, object]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _record(wof_id: int, placetype: str, name: str, **props: object) -> dict[str, object]:
    geometry = props.pop("geometry", {"type": "Point", "coordinates": [36.0, 35.0]})
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "wof:id": wof_id,
            "wof:placetype": placetype,
            "wof:name": name,
            "geom:latitude": 35.0,
            "geom:longitude": 36.0,
            "wof:hierarchy": [{"county_id": 2, "region_id": 3}],
            **props,
        },
    }


RECORDS = [
    _record(
        1,
        "locality",
        "Tall Umm Zaytun",
        **{
            "name:ara_x_preferred": ["تل أم زيتون"],
            "name:eng_x_variant": ["Tell Om Zeitoun"],
            "name:fra_x_variant": ["Tell Oumm Zeitoûn"],
            "wof:concordances": {"gn:id": 99001},
            "gn:feature_code": "PPL",
        },
    ),
    _record(2, "county", "Wadi Test", geometry=_square(36.0, 35.0)),
    _record(3, "region", "Test Governorate", geometry=_square(35.9, 34.9, 0.5)),
    _record(4, "locality", "Gone Village", **{"edtf:deprecated": "2020-01-01"}),
    _record(5, "locality", "Moved Village", **{"wof:superseded_by": [6]}),
    _record(7, "venue", "A Shop"),
]


def _wof_archive(records: list[dict[str, object]]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for r in records:
            wof_id = str(r["properties"]["wof:id"])  # type: ignore[index]
            body = json.dumps(r).encode()
            info = tarfile.TarInfo(
                f"whosonfirst-data-admin-xx-{COMMIT}/data/{wof_id}/{wof_id}.geojson"
            )
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        alt = json.dumps(records[0]).encode()  # alternate geometries are left out
        info = tarfile.TarInfo(
            f"whosonfirst-data-admin-xx-{COMMIT}/data/1/1-alt-quattroshapes.geojson"
        )
        info.size = len(alt)
        tar.addfile(info, io.BytesIO(alt))
    return out.getvalue()


OPEN_FILES = {"governorates.json": b"[]", "districts.json": b"[]", "LICENSE.md": b"CC BY 4.0\n"}


def _copy_archive() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, body in OPEN_FILES.items():
            inner = name if name == "LICENSE.md" else f"data/{name}"
            info = tarfile.TarInfo(f"data-geography-{COMMIT}/{inner}")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return out.getvalue()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server over a folder: (base URL, folder)."""
    folder = tmp_path / "www"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


def _wof_pin(**changes: object) -> Pin:
    pin = Pin(
        name="wof-xx",
        title="Who's On First, test country",
        repository="example/whosonfirst-data-admin-xx",
        commit=COMMIT,
        archive="http://127.0.0.1:9/{commit}.tar.gz",
        derive="wof",
        mirror="wof_xx",
        files={WOF_PLACES: "", WOF_POLYGONS: ""},
    )
    return replace(pin, **changes)  # type: ignore[arg-type]


def _copy_pin(**changes: object) -> Pin:
    pin = Pin(
        name="open-xx",
        title="Open test geography",
        repository="example/data-geography",
        commit=COMMIT,
        archive="http://127.0.0.1:9/{commit}.tar.gz",
        derive="copy",
        mirror="open_xx",
        files={name: _sha(body) for name, body in OPEN_FILES.items()},
    )
    return replace(pin, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the mirror


def test_a_mirror_is_copied_after_its_checksums(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror" / "open_xx"
    mirror.mkdir(parents=True)
    for name, body in OPEN_FILES.items():
        (mirror / name).write_bytes(body)
    dest = tmp_path / "sources" / "open-xx"
    said: list[str] = []
    fetch_dataset(_copy_pin(), dest, mirror=tmp_path / "mirror", say=said.append)
    assert said == []  # nothing to download
    assert {p.name for p in dest.iterdir()} == {*OPEN_FILES, SOURCE_FILE}
    record = json.loads((dest / SOURCE_FILE).read_text())
    assert record["commit"] == COMMIT and record["origin"].startswith("mirror ")
    before = (dest / SOURCE_FILE).stat().st_mtime_ns
    fetch_dataset(_copy_pin(), dest, mirror=tmp_path / "mirror")  # fetched already
    assert (dest / SOURCE_FILE).stat().st_mtime_ns == before


@pytest.mark.parametrize("problem", ["changed", "missing"])
def test_a_bad_mirror_file_is_one_line_and_the_previous_copy_stays(
    tmp_path: Path, problem: str
) -> None:
    mirror = tmp_path / "mirror" / "open_xx"
    mirror.mkdir(parents=True)
    for name, body in OPEN_FILES.items():
        (mirror / name).write_bytes(body)
    dest = tmp_path / "sources" / "open-xx"
    fetch_dataset(_copy_pin(), dest, mirror=tmp_path / "mirror")
    kept = {p.name: p.read_bytes() for p in dest.iterdir()}
    if problem == "changed":
        (mirror / "districts.json").write_bytes(b'[{"tampered": true}]')
    else:
        (mirror / "districts.json").unlink()
    with pytest.raises(DataError, match=r"districts\.json") as info:
        fetch_dataset(_copy_pin(), dest, mirror=tmp_path / "mirror", force=True)
    assert "\n" not in str(info.value)
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == kept


# ---------------------------------------------------------------------------- the archive


def test_without_a_mirror_the_pinned_archive_is_downloaded_and_derived(
    tmp_path: Path, served: tuple[str, Path]
) -> None:
    base, folder = served
    (folder / "wof.tar.gz").write_bytes(_wof_archive(RECORDS))
    said: list[str] = []
    dest = fetch_dataset(
        _wof_pin(),
        tmp_path / "wof-xx",
        mirror=tmp_path / "no-mirror",
        url=f"{base}/wof.tar.gz",
        say=said.append,
    )
    assert len(said) == 1 and "downloading" in said[0] and base in said[0]
    rows = read_table(dest / WOF_PLACES, WOF_COLUMNS)
    names = {r["name"]: r for r in rows}
    assert set(names) == {"Tall Umm Zaytun", "Wadi Test", "Test Governorate"}
    village = names["Tall Umm Zaytun"]
    assert village["geonames_id"] == "99001" and village["name_ar"] == "تل أم زيتون"
    assert set(village["alternate_names"].split("|")) == {"Tell Om Zeitoun", "Tell Oumm Zeitoûn"}
    assert (village["county_wof_id"], village["region_wof_id"]) == ("2", "3")
    polygons = json.loads((dest / WOF_POLYGONS).read_text())["features"]
    assert sorted(f["properties"]["placetype"] for f in polygons) == ["county", "region"]


def test_a_copy_archive_takes_the_files_as_they_are(
    tmp_path: Path, served: tuple[str, Path]
) -> None:
    base, folder = served
    (folder / "open.tar.gz").write_bytes(_copy_archive())
    dest = fetch_dataset(
        _copy_pin(),
        tmp_path / "open-xx",
        mirror=None,
        url=f"{base}/open.tar.gz",
        say=lambda _: None,
    )
    assert all((dest / name).read_bytes() == body for name, body in OPEN_FILES.items())


@pytest.mark.parametrize("damage", ["truncated", "not gzip", "empty"])
def test_a_broken_archive_is_one_line_naming_it_and_the_previous_copy_stays(
    tmp_path: Path, served: tuple[str, Path], damage: str
) -> None:
    base, folder = served
    whole = _wof_archive(RECORDS)
    (folder / "wof.tar.gz").write_bytes(whole)
    dest = tmp_path / "wof-xx"
    fetch_dataset(_wof_pin(), dest, mirror=None, url=f"{base}/wof.tar.gz", say=lambda _: None)
    kept = (dest / WOF_PLACES).read_bytes()
    broken = {
        "truncated": whole[: len(whole) // 2],
        "not gzip": b"<html>moved</html>",
        "empty": b"",
    }
    (folder / "wof.tar.gz").write_bytes(broken[damage])
    with pytest.raises(DataError) as info:
        fetch_dataset(
            _wof_pin(), dest, mirror=None, url=f"{base}/wof.tar.gz", say=lambda _: None, force=True
        )
    assert "\n" not in str(info.value) and "archive" in str(info.value)
    assert (dest / WOF_PLACES).read_bytes() == kept


def test_a_copied_file_that_is_not_the_pinned_blob_is_refused(
    tmp_path: Path, served: tuple[str, Path]
) -> None:
    base, folder = served
    (folder / "open.tar.gz").write_bytes(_copy_archive())
    pin = _copy_pin(files={**_copy_pin().files, "districts.json": "0" * 64})
    with pytest.raises(DataError, match=r"districts\.json .*pinned") as info:
        fetch_dataset(pin, tmp_path / "o", mirror=None, url=f"{base}/open.tar.gz", say=print)
    assert "\n" not in str(info.value) and not (tmp_path / "o").exists()


def test_an_unreachable_address_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot download") as info:
        fetch_dataset(
            _wof_pin(), tmp_path / "x", mirror=None, url="http://127.0.0.1:9/x.tar.gz", say=print
        )
    assert "\n" not in str(info.value)


def test_records_that_are_not_current_are_left_out() -> None:
    places, polygons = wof_tables(RECORDS)
    assert {r["wof_id"] for r in places} == {"1", "2", "3"}
    assert len(polygons) == 2


# ---------------------------------------------------------------------------- the index


def test_a_source_table_without_a_column_is_one_line_and_the_index_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo.index import assemble, build_index, index_path
    from geo.profile import load_profile

    index_dir = tmp_path / "index"
    shutil.copytree(Path(settings.index_dir) / "sources", index_dir / "sources")
    monkeypatch.setattr(settings, "index_dir", index_dir)
    profile = load_profile()
    path = build_index(profile, say=lambda _: None)
    kept = path.read_bytes()
    table = index_dir / "sources" / "wof-sy" / WOF_PLACES
    lines = table.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    drop = header.index("name")
    table.write_text(
        "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines[:50]
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=WOF_PLACES) as info:
        assemble(profile, index_dir / "sources")
    assert "\n" not in str(info.value)
    assert index_path(profile).read_bytes() == kept


def test_setup_without_the_shared_folder_says_what_it_downloads_and_builds_an_index(
    tmp_path: Path,
    served: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from geo import cli

    base, folder = served
    (folder / "wof.tar.gz").write_bytes(_wof_archive(RECORDS))
    monkeypatch.setattr(settings, "index_dir", tmp_path / "index")
    monkeypatch.setattr(settings, "profile", settings.profile)  # the CLI sets it
    # a made-up country whose gazetteer takes the two repository datasets
    profile = tmp_path / "tiny"
    shutil.copytree(Path(__file__).parent / "data" / "profiles" / "tiny", profile)
    toml = profile / "profile.toml"
    toml.write_text(toml.read_text().replace("datasets = []", 'datasets = ["wof-sy"]'))
    code = cli.main(
        [
            "--profile",
            str(profile),
            "index",
            "--mirror",
            str(tmp_path / "absent"),
            "--url",
            f"wof-sy={base}/wof.tar.gz",
        ]
    )
    err = capsys.readouterr().err.splitlines()
    assert code == 0, err
    downloads = [line for line in err if "downloading" in line]
    assert len(downloads) == 1 and base in downloads[0]
    assert any(line.startswith("gazetteer index:") for line in err)
    assert (tmp_path / "index" / "gazetteer-tiny.pickle").is_file()
    assert (tmp_path / "index" / "sources" / "wof-sy" / WOF_PLACES).is_file()
