"""The conflict profile: what frontline knows about one war, read from one data folder.

Reading news is the same in every war; the period, the country, its outline, the
projected CRS, the actors (side, colour, whether their advances pull fronts), the
baseline and the attribution are not. They live in ``geo/profiles/<slug>/profile.toml``
beside the files it names, so the stages take a :class:`Profile` as a value and no
module names a country, a year or an actor. ``load_profile()`` gives the one named by
:data:`geo.settings.profile`.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import settings
from .errors import DataError

__all__ = ["Actor", "Operation", "Profile", "load_profile", "profile_dir", "read_profile"]

PROFILE_FILE = "profile.toml"
_ROLES = frozenset({"", "generic", "uprising", "state", "unknown"})
_FILES = (
    "outline",
    "governorates",
    "neighbours",
    "neighbour_lines",
    "baseline",
    "curated",
    "actor_phrases",
    "aliases",
)
_OPTIONAL_FILES = frozenset(
    {
        "neighbours",
        "neighbour_lines",
        "aliases",
        "governorates",
        "common_names",
        "regions",
        "places",
        "outlets",
    }
)


@dataclass(frozen=True, slots=True)
class Operation:
    """A named offensive and the day it began, so "the fourth day of the offensive" and
    "three days into Dawn of Freedom" have a date."""

    names: tuple[str, ...]
    start: dt.date


@dataclass(frozen=True, slots=True)
class Actor:
    """One side's armed force or authority, as the map draws it."""

    name: str
    side: str
    colour: str
    advances: bool = False
    role: str = ""
    capital: str = ""


class _Role:
    """A profile's actor of one role, read as an attribute (a profile has one of each).

    Found once per profile and kept in its ``__dict__``, which an attribute read then finds
    first (as :func:`functools.cached_property` does): the event reader asks per trigger.
    """

    def __init__(self, role: str, doc: str) -> None:
        self.role, self.__doc__ = role, doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, profile: Profile, owner: type | None = None) -> str:
        name = next(a.name for a in profile.actors if a.role == self.role)
        profile.__dict__[self.name] = name  # a frozen dataclass: its dict, not setattr
        return name


@dataclass(frozen=True, eq=False)
class Profile:
    """One war: its period, country, outline, CRS, actors and curated inputs."""

    slug: str
    folder: Path
    title: str
    caption: str
    country: str
    neighbours: tuple[str, ...]
    start: dt.date
    end: dt.date
    crs: str
    center: tuple[float, float]
    attribution: str
    actors: tuple[Actor, ...]
    files: Mapping[str, Path]
    generic_by_region: Mapping[str, str] = field(default_factory=dict)
    cities: tuple[str, ...] = ()
    snapshot_cities: tuple[str, ...] = ()
    #: fixed map labels (seas): text, lon, lat, rotation in degrees
    labels: tuple[tuple[str, float, float, float], ...] = ()
    gazetteer: Mapping[str, Any] = field(default_factory=dict)
    #: how the profile's evaluation corpus is scored (``geo.evaluate``): its box and sides
    evaluation: Mapping[str, Any] = field(default_factory=dict)
    #: named offensives; the first is what an unnamed "the offensive" counts from
    operations: tuple[Operation, ...] = ()

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end

    @property
    def region(self) -> tuple[str, ...]:
        """The country and its neighbours, in the order disambiguation prefers them."""
        return (self.country, *self.neighbours)

    @property
    def baseline_day(self) -> dt.date:
        return self.start - dt.timedelta(days=1)

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def actor_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actors)

    def actor(self, name: str) -> Actor:
        for a in self.actors:
            if a.name == name:
                return a
        msg = f"{name!r} is not an actor of profile {self.slug!r}"
        raise KeyError(msg)

    unknown = _Role("unknown", "The controller of ground nobody is known to hold.")
    generic = _Role("generic", 'Who generic words ("rebels") name where no region says otherwise.')
    uprising = _Role("uprising", "Who holds a place whose own people rose up.")
    state = _Role("state", "The state's forces (whose capital's fall is a collapse).")

    @property
    def palette(self) -> dict[str, str]:
        return {a.name: a.colour for a in self.actors}

    @property
    def advancing(self) -> frozenset[str]:
        return frozenset(a.name for a in self.actors if a.advances)

    def side_of(self, actor: str) -> str:
        return next((a.side for a in self.actors if a.name == actor), actor)

    def file(self, key: str) -> Path:
        """The path of one of the profile's files (``outline``, ``baseline``, ...)."""
        try:
            return self.files[key]
        except KeyError:
            msg = f"{self.folder / PROFILE_FILE}: names no {key!r} file"
            raise DataError(msg) from None


def profile_dir(name: str | Path) -> Path:
    """A profile's folder: a path, or the name of one shipped in ``geo/profiles``."""
    path = Path(name)
    if path.is_dir() or len(path.parts) > 1:
        return path
    return settings.profiles_dir / str(name)


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"{where}: {value!r} is not a date (YYYY-MM-DD)"
    raise DataError(msg)


def _actor(raw: Mapping[str, Any], where: str) -> Actor:
    try:
        actor = Actor(
            name=str(raw["name"]),
            side=str(raw.get("side", raw["name"])),
            colour=str(raw["colour"]),
            advances=bool(raw.get("advances", False)),
            role=str(raw.get("role", "")),
            capital=str(raw.get("capital", "")),
        )
    except KeyError as err:
        msg = f"{where}: an actor lacks {err.args[0]!r}"
        raise DataError(msg) from None
    if actor.role not in _ROLES:
        msg = f"{where}: actor {actor.name!r} has an unknown role {actor.role!r}"
        raise DataError(msg)
    return actor


def read_profile(folder: str | Path) -> Profile:
    """Read and check ``profile.toml``; any problem is one :class:`DataError` naming the file."""
    folder = profile_dir(folder)
    path = folder / PROFILE_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: no conflict profile here"
        raise DataError(msg) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        msg = f"{path}: cannot read the profile ({err})"
        raise DataError(msg) from err
    try:
        period = raw["period"]
        start, end = _date(period["start"], str(path)), _date(period["end"], str(path))
        actors = tuple(_actor(a, str(path)) for a in raw["actors"])
        names = raw.get("files", {})
        files = {k: folder / str(v) for k, v in names.items()}
        missing = [k for k in _FILES if k not in files and k not in _OPTIONAL_FILES]
        if missing:
            msg = f"{path}: [files] lacks {', '.join(missing)}"
            raise DataError(msg)
        profile = Profile(
            slug=str(raw.get("slug", folder.name)),
            folder=folder,
            title=str(raw.get("title", folder.name)),
            caption=str(raw.get("caption", "")),
            country=str(raw["country"]).upper(),
            neighbours=tuple(str(c).upper() for c in raw.get("neighbours", ())),
            start=start,
            end=end,
            crs=str(raw["crs"]),
            center=tuple(float(x) for x in raw.get("center", (0.0, 0.0)))[:2],  # type: ignore[arg-type]
            attribution=" ".join(str(raw.get("attribution", "")).split()),
            actors=actors,
            files=files,
            generic_by_region=dict(raw.get("generic_by_region", {})),
            cities=tuple(raw.get("map", {}).get("cities", ())),
            snapshot_cities=tuple(raw.get("map", {}).get("snapshot_cities", ())),
            labels=tuple(
                (str(x["text"]), float(x["lon"]), float(x["lat"]), float(x.get("rotation", 0)))
                for x in raw.get("map", {}).get("labels", ())
            ),
            gazetteer=dict(raw.get("gazetteer", {})),
            evaluation=dict(raw.get("evaluation", {})),
            operations=tuple(
                Operation(tuple(str(n) for n in x["names"]), _date(x["start"], str(path)))
                for x in raw.get("operations", ())
            ),
        )
    except DataError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        msg = f"{path}: bad or missing value ({err!r})"
        raise DataError(msg) from err
    if end < start:
        msg = f"{path}: the period ends ({end}) before it starts ({start})"
        raise DataError(msg)
    for role in ("unknown", "generic", "uprising", "state"):
        if sum(a.role == role for a in actors) != 1:
            msg = f"{path}: exactly one actor must have role {role!r}"
            raise DataError(msg)
    if len(set(profile.actor_names)) != len(actors):
        msg = f"{path}: an actor is listed twice"
        raise DataError(msg)
    for region, actor in profile.generic_by_region.items():
        if actor not in profile.actor_names:
            msg = f"{path}: generic_by_region {region!r} names unknown actor {actor!r}"
            raise DataError(msg)
    return profile


@functools.lru_cache(maxsize=8)
def _cached(folder: Path) -> Profile:
    return read_profile(folder)


def load_profile(name: str | Path | None = None) -> Profile:
    """The profile named (a folder or a shipped slug), by default :data:`settings.profile`."""
    name = name or settings.profile
    if isinstance(name, str) and "/" not in name and "\\" not in name:
        return _by_slug(name, settings.profiles_dir)  # every article asks: no disk look-up
    return _cached(profile_dir(name).resolve())


@functools.lru_cache(maxsize=8)
def _by_slug(slug: str, profiles: Path) -> Profile:
    return _cached(profile_dir(slug).resolve())
