"""geo._io: CSV tables read into one-line errors, files replaced atomically."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from geo._io import read_rows, read_table, read_vector, write_atomic
from geo.errors import DataError


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n", r":1: missing column 'c'"),
        (b"a,c\n\xff\xfe,2\n", r"not UTF-8 text"),
        (b"", r":1: missing column 'a'"),
    ],
)
def test_a_bad_table_is_one_line_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as info:
        read_rows(path, ("a", "c"))
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_a_missing_table_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.csv: cannot read"):
        read_table(tmp_path / "nope.csv", ("a",))


def test_rows_come_stripped_with_their_line_numbers_and_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffa, b\n 1 ,x\n2, y \n".encode())
    assert read_rows(path, ("a", "b")) == [(2, {"a": "1", "b": "x"}), (3, {"a": "2", "b": "y"})]


def test_strict_refuses_a_row_longer_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2,3\n")
    assert read_rows(path, ("a",)) == [(2, {"a": "1", "b": "2"})]
    with pytest.raises(DataError, match=r":2: more fields than columns"):
        read_rows(path, ("a",), strict=True)


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("previous")

    def half(f: object) -> None:
        f.write("half")  # type: ignore[attr-defined]
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, half)
    assert path.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


def test_writes_replace_text_and_bytes(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", lambda f: f.write("é\n"))
    write_atomic(tmp_path / "b.bin", lambda f: f.write(b"\x00\x01"), binary=True)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "é\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text()), daemon=True)
    reader.start()
    write_atomic(pipe, lambda f: f.write("through"))
    reader.join(timeout=30)
    assert got == ["through"] and pipe.is_fifo()


@pytest.mark.parametrize(
    ("content", "said"),
    [(None, "outline file not found"), (b"{not json", "cannot read outline file")],
)
def test_a_bad_vector_file_is_one_line_naming_it(
    tmp_path: Path, content: bytes | None, said: str
) -> None:
    path = tmp_path / "outline.geojson"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as err:
        read_vector(path, "outline")
    assert str(err.value).startswith(f"{path}: {said}") and "\n" not in str(err.value)


def test_a_vector_file_is_read_as_a_frame(tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},'
        '"geometry":{"type":"Point","coordinates":[36.2,33.5]}}]}'
    )
    frame = read_vector(path, "test")
    assert len(frame) == 1 and frame.crs.to_epsg() == 4326 and frame["n"].tolist() == [1]


def test_write_csv_writes_what_pandas_writes(tmp_path: Path) -> None:
    import pandas as pd

    from geo._io import write_csv

    frame = pd.DataFrame(
        {
            "name": ["Aleppo", 'say "x", then', "line\nbreak", None],
            "lat": [36.2, float("nan"), 1e-05, 35.0],
            "n": [1, 2, 3, 4],
            "flag": [True, False, True, False],
        }
    )
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(frame, ours)
    frame.to_csv(theirs, index=False)
    assert ours.read_bytes() == theirs.read_bytes()


def _pandas_bytes(frame: object, tmp: Path) -> bytes:
    frame.to_csv(tmp, index=False)  # type: ignore[attr-defined]
    return tmp.read_bytes()


_CELLS = {
    "float": st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1e6, max_value=1e6).map(lambda x: round(x, 5)),
    "int": st.integers(min_value=-(2**62), max_value=2**62),
    "bool": st.booleans(),
    "text": st.none() | st.text(max_size=8) | st.sampled_from(["Tal Rifaat", "", "a,b", '"q"']),
}


@given(
    st.lists(st.sampled_from(sorted(_CELLS)), min_size=1, max_size=4).flatmap(
        lambda kinds: st.tuples(
            st.just(kinds),
            st.lists(st.tuples(*(_CELLS[k] for k in kinds)), max_size=6),
        )
    )
)
# where Python's and Arrow's shortest forms part: Arrow writes an exponent from 1e10 on,
# Python only from 1e16 (and below 1e-4, where both do but print it differently)
@example((["float", "bool"], [(1e10, False)]))
@example((["float"] * 2, [(12345678901.5, 1e15), (9.99e15, -1e16)]))
@example((["float"] * 2, [(1e-4, 0.5), (-9e-5, 1e-7)]))
def test_write_csv_is_byte_for_byte_what_pandas_writes(case: tuple[list[str], list]) -> None:
    import tempfile

    import pandas as pd

    from geo._io import write_csv

    kinds, rows = case
    names = [f"{k}{i}" for i, k in enumerate(kinds)]
    frame = pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "ours.csv"
        write_csv(frame, ours)
        assert ours.read_bytes() == _pandas_bytes(frame, Path(tmp) / "theirs.csv")


def test_write_csv_formats_plain_columns_in_arrow(tmp_path: Path) -> None:
    """The fast path is taken for a build's usual columns, and gives pandas' bytes."""
    import pandas as pd

    from geo._io import _arrow_lines, write_csv

    frame = pd.DataFrame(
        {
            "place": ["Aleppo", None, "Tal Rifaat"],
            "lat": [36.2, float("nan"), 35.0],
            "confidence": [1.0, 0.55, -0.0],
            "n": [1, 2, 3],
            "held": [True, False, True],
        }
    )
    assert _arrow_lines(frame) is not None
    ours = tmp_path / "ours.csv"
    write_csv(frame, ours)
    assert ours.read_bytes() == _pandas_bytes(frame, tmp_path / "theirs.csv")


def test_geojson_text_has_the_features_geopandas_writes() -> None:
    import json

    import geopandas as gpd
    from shapely.geometry import MultiPolygon, Point, box

    from geo._io import geojson_text

    frame = gpd.GeoDataFrame(
        {
            "day": ["2024-11-27", None, "2024-12-08"],
            "controller": ["Government", "SDF", 'a "quoted", name'],
            "sparsely_populated": [False, True, False],
            "area_km2": [63155.95808023683, float("nan"), 0.1 + 0.2],
        },
        geometry=[
            MultiPolygon([box(36.5, 34.3, 36.58, 34.40), box(37, 35, 37.1, 35.1)]),
            None,
            Point(36.123456789012345, 33.5),
        ],
        crs="EPSG:4326",
    )
    ours = json.loads(geojson_text(frame))
    assert ours == json.loads(frame.to_json(drop_id=True))
    projected = json.loads(geojson_text(frame.to_crs("EPSG:32637")))
    assert projected["features"][2]["geometry"]["coordinates"] == pytest.approx(
        [36.123456789, 33.5]
    )
