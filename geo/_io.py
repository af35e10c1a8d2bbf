"""File I/O at the edges: CSV tables read into one-line errors, files replaced atomically.

Every data file frontline reads (the profile's tables, the fetched sources, analysts'
CSVs) goes through :func:`read_rows`, so a missing column, bad bytes or a malformed row is
always one :class:`~geo.errors.DataError` naming the file and the line; every file it
writes goes through :func:`write_atomic`, so a reader never sees half a file and a failed
write leaves the previous one as it was.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from .errors import DataError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "geojson_text",
    "listed",
    "number",
    "read_rows",
    "read_table",
    "whole",
    "write_atomic",
    "write_csv",
]


def read_rows(
    path: Path, required: Sequence[str], *, strict: bool = False
) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` for every row of a CSV, cells stripped; header checked.

    ``strict`` also refuses a row with more fields than the header has columns (analysts'
    files, where a stray comma shifts every cell). A UTF-8 byte-order mark is accepted.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [h.strip() for h in reader.fieldnames or ()]
            missing = [c for c in required if c not in header]
            if missing:
                msg = f"{path}:1: missing column {missing[0]!r} (needs {', '.join(required)})"
                raise DataError(msg)
            rows = []
            for row in reader:
                if strict and None in row:
                    msg = f"{path}:{reader.line_num}: more fields than columns"
                    raise DataError(msg)
                rows.append(
                    (
                        reader.line_num,
                        {k.strip(): (v or "").strip() for k, v in row.items() if k is not None},
                    )
                )
            return rows
    except DataError:
        raise
    except UnicodeDecodeError as err:
        msg = f"{path}: not UTF-8 text (byte {err.start})"
        raise DataError(msg) from err
    except csv.Error as err:
        msg = f"{path}: malformed CSV ({err})"
        raise DataError(msg) from err
    except OSError as err:
        msg = f"{path}: cannot read ({err.strerror or err})"
        raise DataError(msg) from err


def listed(value: str | None) -> tuple[str, ...]:
    """A ``|``-separated cell as its items."""
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def whole(value: object) -> int:
    """A count cell (``""``, ``"12"``, ``"12.0"``) as an int; unreadable is 0."""
    try:
        return int(float(value or 0))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def number(value: object, path: Path, what: str) -> float:
    """A number cell, or one DataError naming the file and what the number is."""
    try:
        found = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        found = math.nan
    if math.isnan(found):
        msg = f"{path}: {what} is not a number ({value!r})"
        raise DataError(msg)
    return found


def read_table(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a CSV (see :func:`read_rows`), without their line numbers."""
    return [row for _, row in read_rows(path, required)]


def read_vector(path: Path, what: str) -> gpd.GeoDataFrame:
    """A vector file (GeoJSON, GeoPackage, shapefile) as a frame; a missing or unreadable
    file is one :class:`DataError` naming it and saying what it was for (``what``)."""
    import geopandas as gpd  # only the callers that draw maps pay for it

    if not path.is_file():
        msg = f"{path}: {what} file not found"
        raise DataError(msg)
    try:
        return gpd.read_file(path)
    except (OSError, RuntimeError, ValueError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        msg = f"{path}: cannot read {what} file ({first})"
        raise DataError(msg) from err


def write_atomic(
    path: Path,
    write: Callable[[TextIO], object] | Callable[[BinaryIO], object],
    *,
    binary: bool = False,
) -> None:
    """Write ``path`` through ``write(file)`` into a temporary file, then rename it over.

    A target that is not a regular file (``/dev/null``, a named pipe) is written to as it
    is: replacing it would turn ``/dev/null`` into a plain file, for every user.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        with path.open("wb" if binary else "w", **({} if binary else _TEXT)) as f:  # type: ignore[call-overload]
            write(f)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else _TEXT)) as f:  # type: ignore[call-overload]
            write(f)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEXT = {"encoding": "utf-8", "newline": ""}


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as CSV, the bytes ``DataFrame.to_csv(index=False)`` writes, several times as
    fast: whole columns formatted in Arrow, or the csv module where Arrow would differ."""
    lines = _arrow_lines(frame)
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        if lines is not None:
            f.write(os.linesep.join(lines) + os.linesep)
            return
        columns = []
        for name in frame.columns:
            column = frame[name]
            missing = column.isna()
            if missing.any():  # pandas writes a missing value as an empty field
                column = column.astype(object).where(~missing, None)
            columns.append(column.tolist())
        writer = csv.writer(f, lineterminator=os.linesep)
        writer.writerow(frame.columns)
        writer.writerows(zip(*columns, strict=True))


#: what makes the csv module quote a field (its delimiter, quote character and line ends)
_NEEDS_QUOTES = '[",\r\n]'
#: floats whose shortest form Python prints without an exponent (Arrow's range is narrower:
#: it writes 1e+10, so its own exponents are checked on the text it gives)
_PLAIN_FLOATS = (1e-4, 1e16)


def _arrow_lines(frame: pd.DataFrame) -> list[str] | None:
    """The header and every row as CSV lines, or None when a cell needs what only the csv
    module does: quotes, or a type Arrow prints another way (exponents, dates, objects)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(frame.columns) < 2 or any(re.search(_NEEDS_QUOTES, str(c)) for c in frame.columns):
        return None  # a lone empty field is quoted
    cells = []
    for name in frame.columns:
        column = frame[name]
        kind = column.dtype.kind
        if kind == "b":
            cells.append(pc.if_else(pa.array(column, from_pandas=True), "True", "False"))
        elif kind in "iu":
            cells.append(pc.cast(pa.array(column, from_pandas=True), pa.string()))
        elif kind == "f" and column.dtype.itemsize == 8:
            values = column.to_numpy(dtype=float, na_value=np.nan)
            size = np.abs(values[np.isfinite(values) & (values != 0)])
            low, high = _PLAIN_FLOATS
            if np.isinf(values).any() or ((size < low) | (size >= high)).any():
                return None
            numbers = pa.array(values, from_pandas=True)  # NaN: a missing value, an empty field
            text = pc.cast(numbers, pa.string())  # Arrow prints 3.0 as "3", Python as "3.0"
            if pc.any(pc.match_substring(text, "e")).as_py():
                return None
            whole = pc.equal(numbers, pc.floor(numbers))
            cells.append(pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text))
        elif kind == "O" or isinstance(column.dtype, pd.StringDtype):
            try:
                text = pa.array(column, type=pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                return None  # not all strings
            if pc.any(pc.match_substring_regex(text, _NEEDS_QUOTES)).as_py():
                return None
            cells.append(text)
        else:
            return None
    rows = pc.binary_join_element_wise(*cells, ",", null_handling="replace")
    return [",".join(map(str, frame.columns)), *rows.to_pylist()]


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """``frame`` as a GeoJSON FeatureCollection, the features ``to_json(drop_id=True)`` gives,
    with GEOS writing the geometries in one call (geopandas walks each coordinate in Python)."""
    import json

    import shapely

    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    columns = frame.drop(columns=frame.geometry.name)
    cells = columns.astype(object).where(columns.notna(), None)  # NaN: null, as geopandas
    geometries = shapely.to_geojson(frame.geometry.array)
    features = ", ".join(
        f'{{"type": "Feature", "properties": {json.dumps(properties)}, '
        f'"geometry": {"null" if geometry is None else geometry}}}'
        for properties, geometry in zip(cells.to_dict("records"), geometries, strict=True)
    )
    return f'{{"type": "FeatureCollection", "features": [{features}]}}'
