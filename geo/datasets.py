"""Repository datasets: data on no package registry, fetched at set-up time, never committed.

Who's On First and Open-Syria publish their data in public repositories only. The pins
in ``geo/data/datasets.toml`` name each one's repository, commit, files and their
sha256. :func:`fetch_dataset` copies the files from a local mirror (the shared data
folder beside the checkout) after checking every checksum, or, when no mirror is there,
downloads the pinned upstream archive and derives the same tables from it: Who's On
First's per-record GeoJSON files become ``wof_sy_places.csv`` and
``wof_sy_admin_polygons.geojson``; Open-Syria's JSON files are taken as they are.

Nothing here runs at run or test time: ``python -m geo index`` (``make setup``) does.
A bad mirror file, a checksum mismatch, a corrupt or truncated archive or a missing
column is one :class:`~geo.errors.DataError` naming the file, and the previously
fetched copy is kept (a new copy replaces it only once it is whole).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tarfile
import tempfile
import tomllib
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import settings
from ._io import write_atomic
from .errors import DataError

__all__ = [
    "WOF_COLUMNS",
    "Pin",
    "fetch_dataset",
    "read_pins",
    "sha256_of",
    "wof_tables",
]

PINS_FILE = "datasets.toml"
SOURCE_FILE = "SOURCE.json"

#: Columns of the derived Who's On First places table (the mirror's format).
WOF_COLUMNS = (
    "wof_id", "placetype", "geonames_id", "feature_code", "name", "name_ar",
    "alternate_names", "lat", "lon", "population", "county_wof_id", "region_wof_id", "hasc",
)  # fmt: skip
WOF_PLACES = "wof_sy_places.csv"
WOF_POLYGONS = "wof_sy_admin_polygons.geojson"
#: Place types kept from Who's On First; counties and regions also give polygons.
_WOF_PLACETYPES = frozenset({"locality", "county", "region", "neighbourhood", "campus", "country"})
_WOF_POLYGON_TYPES = frozenset({"county", "region"})
_MAX_ARCHIVE_BYTES = 2 * 1024**3
_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class Pin:
    """One repository dataset at one commit, with the checksums of its files."""

    name: str
    title: str
    repository: str
    commit: str
    archive: str
    derive: str  # wof | copy
    mirror: str
    files: Mapping[str, str]  # file name -> sha256
    license: str = ""
    attribution: str = ""

    @property
    def url(self) -> str:
        return self.archive.format(commit=self.commit, repository=self.repository)


def read_pins(path: Path | None = None) -> dict[str, Pin]:
    """The pinned datasets (``geo/data/datasets.toml``)."""
    path = path or settings.data_dir / PINS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return {
            name: Pin(
                name=name,
                title=str(d["title"]),
                repository=str(d["repository"]),
                commit=str(d["commit"]),
                archive=str(d["archive"]),
                derive=str(d.get("derive", "copy")),
                mirror=str(d.get("mirror", name)),
                files=dict(d["files"]),
                license=str(d.get("license", "")),
                attribution=str(d.get("attribution", "")),
            )
            for name, d in raw.items()
        }
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as err:
        msg = f"{path}: cannot read the dataset pins ({err!r})"
        raise DataError(msg) from err


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fetched(pin: Pin, dest: Path) -> bool:
    """Whether ``dest`` already holds this pin's files, unchanged since they were fetched."""
    try:
        record = json.loads((dest / SOURCE_FILE).read_text(encoding="utf-8"))
        if record.get("commit") != pin.commit:
            return False
        return all(sha256_of(dest / f) == record["files"][f] for f in pin.files)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def fetch_dataset(
    pin: Pin,
    dest: Path,
    *,
    mirror: Path | None = None,
    url: str | None = None,
    say: Callable[[str], None] = print,
    force: bool = False,
) -> Path:
    """Put ``pin``'s files into ``dest``: from ``mirror/<pin.mirror>`` if there, else downloaded.

    Returns ``dest``. Already fetched and unchanged: nothing is done (unless ``force``).
    """
    if not force and _fetched(pin, dest):
        return dest
    source = mirror / pin.mirror if mirror is not None else None
    if source is not None and source.is_dir():
        origin = f"mirror {source}"
        build = lambda tmp: _copy_mirror(pin, source, tmp)  # noqa: E731
    else:
        where = url or pin.url
        say(f"{pin.title}: no local copy ({source}); downloading {where}")
        origin = f"download {where}"
        build = lambda tmp: _from_archive(pin, _download(where, tmp), tmp)  # noqa: E731
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        build(tmp)
        record = {
            "dataset": pin.name,
            "repository": pin.repository,
            "commit": pin.commit,
            "origin": origin,
            "files": {f: sha256_of(tmp / f) for f in pin.files},
        }
        (tmp / SOURCE_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")
        _replace_dir(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _replace_dir(new: Path, dest: Path) -> None:
    old = dest.with_name(f".{dest.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    new.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def _copy_mirror(pin: Pin, source: Path, out: Path) -> None:
    """Copy each pinned file after checking its sha256."""
    for name, expected in pin.files.items():
        path = source / name
        if not path.is_file():
            msg = f"{path}: missing from the local copy of {pin.title}"
            raise DataError(msg)
        actual = sha256_of(path)
        if actual != expected:
            msg = (
                f"{path}: checksum mismatch (sha256 {actual[:12]}…, pinned {expected[:12]}…); "
                "the file is not the pinned version"
            )
            raise DataError(msg)
        shutil.copyfile(path, out / name)


def _download(url: str, folder: Path) -> Path:
    """The archive at ``url`` in ``folder`` (a size cap guards against runaway answers)."""
    path = folder / ".archive.tar.gz"
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT_S) as answer, path.open("wb") as out:
            size = 0
            for block in iter(lambda: answer.read(1 << 20), b""):
                size += len(block)
                if size > _MAX_ARCHIVE_BYTES:
                    msg = f"{url}: archive larger than {_MAX_ARCHIVE_BYTES} bytes"
                    raise DataError(msg)
                out.write(block)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        msg = f"{url}: cannot download ({reason})"
        raise DataError(msg) from err
    return path


def _members(archive: Path) -> Iterator[tuple[str, bytes]]:
    """(path inside the repository, bytes) of every regular file, read as a stream."""
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                # GitHub archives put everything under "<repo>-<commit>/"
                inner = member.name.split("/", 1)[1] if "/" in member.name else member.name
                f = tar.extractfile(member)
                if f is not None:
                    yield inner, f.read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as err:
        msg = f"{archive.name}: corrupt or truncated archive ({err})"
        raise DataError(msg) from err


def _from_archive(pin: Pin, archive: Path, out: Path) -> None:
    if pin.derive == "wof":
        records = (
            json.loads(data)
            for inner, data in _members(archive)
            if inner.startswith("data/") and inner.endswith(".geojson") and "-alt-" not in inner
        )
        places, polygons = wof_tables(records)
        _write_csv(out / WOF_PLACES, places)
        (out / WOF_POLYGONS).write_text(
            json.dumps({"type": "FeatureCollection", "features": polygons}, ensure_ascii=False),
            encoding="utf-8",
        )
    else:
        wanted = {f"data/{name}": name for name in pin.files}
        wanted.update({name: name for name in pin.files})  # LICENSE.md sits at the top
        found = set()
        for inner, data in _members(archive):
            if inner in wanted and wanted[inner] not in found:
                (out / wanted[inner]).write_bytes(data)
                found.add(wanted[inner])
        missing = sorted(set(pin.files) - found)
        if missing:
            msg = f"{archive.name}: the archive of {pin.title} lacks {', '.join(missing)}"
            raise DataError(msg)
        # files taken as they are must be the pinned blobs (a derived table cannot be)
        for name, expected in pin.files.items():
            actual = sha256_of(out / name)
            if expected and actual != expected:
                msg = (
                    f"{archive.name}: {name} has sha256 {actual[:12]}…, pinned {expected[:12]}…; "
                    "the archive is not the pinned commit"
                )
                raise DataError(msg)


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    def write(f: Any) -> None:
        writer = csv.DictWriter(f, fieldnames=WOF_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    write_atomic(path, write)


# ---------------------------------------------------------------------------- WOF records


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _current(props: Mapping[str, Any]) -> bool:
    deprecated = str(props.get("edtf:deprecated") or "").strip()
    return (
        not props.get("wof:superseded_by")
        and deprecated in ("", "uuuu")
        and props.get("mz:is_current", 1) not in (0, "0")
    )


def _names(props: Mapping[str, Any], primary: str) -> tuple[str, str]:
    """(Arabic names, every other name) as ``|``-joined lists, from the ``name:*`` keys."""
    arabic: list[str] = []
    other: set[str] = set()
    for key, value in props.items():
        if not key.startswith("name:") or not isinstance(value, list):
            continue
        if key.startswith(("name:ara_x_preferred", "name:ara_x_variant")):
            arabic.extend(str(v) for v in value if str(v) not in arabic)
        else:
            other.update(str(v) for v in value)
    other.discard(primary)
    return "|".join(dict.fromkeys(arabic)), "|".join(sorted(other))


def wof_tables(
    records: Iterator[Mapping[str, Any]] | list[Mapping[str, Any]],
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Who's On First records (GeoJSON features) to the places table and admin polygons."""
    places: list[dict[str, str]] = []
    polygons: list[dict[str, Any]] = []
    for record in records:
        props = record.get("properties") or {}
        placetype = str(props.get("wof:placetype", ""))
        if placetype not in _WOF_PLACETYPES or not _current(props):
            continue
        name = str(props.get("wof:name") or _first(props.get("name:eng_x_preferred")))
        hierarchy = (props.get("wof:hierarchy") or [{}])[0] or {}
        concordances = props.get("wof:concordances") or {}
        name_ar, alternates = _names(props, name)
        row = {
            "wof_id": str(props.get("wof:id", "")),
            "placetype": placetype,
            "geonames_id": _first(concordances.get("gn:id")),
            "feature_code": str(props.get("gn:feature_code") or props.get("gn:fcode") or ""),
            "name": name,
            "name_ar": name_ar,
            "alternate_names": alternates,
            "lat": _first(props.get("geom:latitude")),
            "lon": _first(props.get("geom:longitude")),
            "population": _first(props.get("wof:population") or props.get("gn:population")),
            "county_wof_id": str(hierarchy.get("county_id") or ""),
            "region_wof_id": str(hierarchy.get("region_id") or ""),
            "hasc": _first(concordances.get("hasc:id") or props.get("wof:shortcode")),
        }
        places.append(row)
        geometry = record.get("geometry") or {}
        if placetype in _WOF_POLYGON_TYPES and geometry.get("type") in ("Polygon", "MultiPolygon"):
            polygons.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {
                        "wof_id": int(row["wof_id"]) if row["wof_id"].isdigit() else row["wof_id"],
                        "placetype": placetype,
                        "name": name,
                        "name_ar": name_ar.split("|")[0] if name_ar else "",
                        "region_wof_id": row["region_wof_id"],
                        "hasc": row["hasc"],
                        "geonames_id": row["geonames_id"],
                    },
                }
            )
    if not places:
        msg = "the archive holds no current Who's On First records"
        raise DataError(msg)
    places.sort(key=lambda r: (r["placetype"], r["name"], r["wof_id"]))
    return places, polygons


def read_json(path: Path) -> Any:
    """A fetched JSON file; bad bytes are one line naming it."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as err:
        msg = f"{path}: cannot read ({getattr(err, 'strerror', None) or err})"
        raise DataError(msg) from err
