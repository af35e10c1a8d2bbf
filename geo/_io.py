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
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from .errors import DataError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["listed", "number", "read_rows", "read_table", "whole", "write_atomic", "write_csv"]


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
    """``frame`` as CSV, the bytes ``DataFrame.to_csv(index=False)`` writes, about half as fast
    again: the csv module over whole columns (pandas converts every cell on the way)."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        missing = column.isna()
        if missing.any():  # pandas writes a missing value as an empty field
            column = column.astype(object).where(~missing, None)
        columns.append(column.tolist())
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator=os.linesep)
        writer.writerow(frame.columns)
        writer.writerows(zip(*columns, strict=True))
