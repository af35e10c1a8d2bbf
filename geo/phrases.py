"""What the words around a place name ask for: a level, a facility, a countryside.

"Homs province" is the governorate, "the Nasib border crossing" the crossing, "Abu
al-Duhur military airport" the air base, "the western countryside of Aleppo" and
"eastern Idlib" regions. :func:`context_of` reads the few words before and after a
mention (pure regexes, anchored at the mention, so the cost is per mention, not per
article) and says which kinds of place the phrase asks for and how far it reaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .regions import direction_of

__all__ = ["FACILITY_KINDS", "Context", "context_of", "plural_level_after"]

_F = re.IGNORECASE
_DIR = (
    r"north(?:-?(?:east|west))?(?:ern)?|south(?:-?(?:east|west))?(?:ern)?|east(?:ern)?"
    r"|west(?:ern)?"
)
_COUNTRY_WORDS = r"countryside|hinterland|rural\s+areas|countryside\s+areas"

#: What kinds a facility word asks for.
FACILITY_KINDS: dict[str, tuple[str, ...]] = {
    "air": ("air base", "airport", "heliport", "military base"),
    "crossing": ("border crossing",),
    "prison": ("prison",),
    "dam": ("dam",),
    "bridge": ("bridge",),
    "square": ("square", "landmark"),
    "citadel": ("landmark",),
    "base": ("military base", "air base"),
}
_FACILITY_AFTER = re.compile(
    r"(?:['’]s)?(?:-[A-Z][\w'’]*)?\s+(?:"
    r"(?P<air>(?:military\s+|international\s+|civil(?:ian)?\s+)?(?:air\s?base|airbase|airport"
    r"|airfield|air\s+field|air\s+strip|airstrip|helipad|heliport))"
    r"|(?P<crossing>(?:border\s+)?crossing(?:\s+point)?|border\s+post|border\s+gate)"
    r"|(?P<prison>(?:central\s+|military\s+)?prison)"
    r"|(?P<dam>dam)"
    r"|(?P<bridge>bridge)"
    r"|(?P<square>square|roundabout)"
    r"|(?P<citadel>citadel|castle)"
    r"|(?P<base>(?:military\s+)?base|barracks|garrison))\b",
    _F,
)
_LEVEL_AFTER = re.compile(
    # "the Manbij district centre" is the town that seats it
    r"(?:['’]s)?\s+(?:(?P<gov>provinces?|governorates?)"
    r"|(?P<district>districts?(?!\s+(?:cent(?:re|er)|seat|capital)\b))"
    r"|(?P<sub>sub-?districts?|subdistricts?)"
    # "the Shahba area", "the Qalamoun region": a region of that name if there is one
    r"|(?P<region>area|region|pocket|enclave))\b",
    _F,
)
_LEVEL_BEFORE = re.compile(  # "the northern districts of Homs" are the city's neighbourhoods
    r"\b(?:(?P<gov>provinces?|governorates?)|(?P<district>district))\s+of\s+(?:the\s+)?$", _F
)
_COUNTRYSIDE_AFTER = re.compile(
    rf"(?:['’]s)?\s+(?:(?P<dir>{_DIR})\s+)?(?:{_COUNTRY_WORDS})\b",
    _F,
)
_COUNTRYSIDE_BEFORE = re.compile(
    rf"\b(?:(?P<dir1>{_DIR})\s+)?(?:{_COUNTRY_WORDS})\s+(?:(?:to\s+the\s+)?(?P<dir2>{_DIR})\s+)?"
    r"of\s+(?:the\s+)?(?:city\s+of\s+|province\s+of\s+)?$"
    rf"|\b(?:(?P<dir3>{_DIR})\s+)?rural\s+$",
    _F,
)
#: "western Aleppo", "the north-west of Aleppo province": a part of a place
_PART_BEFORE = re.compile(rf"(?<![\w-])(?P<dir>{_DIR})\s+(?:(?:part|parts)\s+of\s+)?$", _F)
_PART_OF_BEFORE = re.compile(rf"\b(?:the\s+)?(?P<dir>{_DIR})\s+of\s+(?:the\s+)?$", _F)
_PART_OF_AFTER = re.compile(r"(?:['’]s)?\s+(?:provinces?|governorates?|countryside)\b", _F)
_WINDOW = 60
#: every cue before a name holds one of these words, every cue after starts like this:
#: most names have neither, and skip the cue patterns
_ANY_BEFORE = re.compile(
    r"provinc|governorat|district|countryside|hinterland|rural|north|south|east|west", _F
)


@dataclass(frozen=True, slots=True)
class Context:
    """What the phrase around a mention asks for, and where the whole phrase ends."""

    kinds: tuple[str, ...] = ()
    facility: str = ""
    countryside: bool = False
    bearing: float | None = None
    start: int = 0
    end: int = 0

    @property
    def region(self) -> bool:
        return self.countryside or self.bearing is not None


def _bearing(match: re.Match[str], *groups: str) -> float | None:
    words = [match.group(g) for g in groups if match.group(g)]
    return direction_of(words[0]) if words else None


def context_of(text: str, start: int, end: int) -> Context:
    """The cues around ``text[start:end]``, a place name found by the recogniser."""
    before = text[max(0, start - _WINDOW) : start]
    after = text[end : end + 1]
    if not (after.isspace() or (after and after in "'’-")):
        if not _ANY_BEFORE.search(before):
            return Context(start=start, end=end)
    elif not _ANY_BEFORE.search(before):
        return _after_only(text, start, end)
    facility = _FACILITY_AFTER.match(text, end)
    if facility:
        name = facility.lastgroup or ""
        return Context(FACILITY_KINDS[name], name, start=start, end=facility.end())
    level = _LEVEL_AFTER.match(text, end)
    level_before = _LEVEL_BEFORE.search(before)
    kinds: tuple[str, ...] = ()
    found = level or level_before
    if found:
        kinds = _level_kinds(found)
    if level and level.group("region"):
        level = None  # asks for a region, but "the Manbij area" is still Manbij's name
    rural = _COUNTRYSIDE_AFTER.match(text, end)
    if rural:
        # "the western Aleppo countryside", "Aleppo's western countryside"
        side = _PART_BEFORE.search(before)
        bearing = _bearing(rural, "dir")
        if bearing is None and side:  # (north is 0.0: not a test of truth)
            bearing = _bearing(side, "dir")
        first = start - len(before) + side.start() if side and not rural.group("dir") else start
        return Context(kinds, countryside=True, bearing=bearing, start=first, end=rural.end())
    rural_before = _COUNTRYSIDE_BEFORE.search(before)
    if rural_before:
        bearing = _bearing(rural_before, "dir1", "dir2", "dir3")
        return Context(
            kinds,
            countryside=True,
            bearing=bearing,
            start=start - len(before) + rural_before.start(),
            end=end,
        )
    part = _PART_BEFORE.search(before)
    part_of = None if part else _PART_OF_BEFORE.search(before)
    if part_of and not _PART_OF_AFTER.match(text, end):
        part_of = None  # "west of Aleppo" places something else; "north of Hama province" is one
    found_part = part or part_of
    if found_part:
        return Context(
            kinds,
            bearing=_bearing(found_part, "dir"),
            start=start - len(before) + found_part.start(),
            end=level.end() if level else end,
        )
    return Context(kinds, start=start, end=level.end() if level else end)


def _level_kinds(found: re.Match[str]) -> tuple[str, ...]:
    """The kinds a level word asks for ("province": governorate, "area": region)."""
    groups = found.groupdict()
    if groups.get("gov"):
        return ("governorate",)
    if groups.get("sub"):
        return ("subdistrict",)
    if groups.get("region"):
        return ("region",)
    return ("district", "neighbourhood")


_PLURAL_AFTER = re.compile(r"\s+(?P<gov>provinces|governorates)\b|\s+(?P<district>districts)\b", _F)


def plural_level_after(text: str, end: int) -> tuple[str, ...]:
    """The level a plural noun after a name gives its list ("Aleppo and Idlib provinces")."""
    m = _PLURAL_AFTER.match(text, end)
    if not m:
        return ()
    return ("governorate",) if m.group("gov") else ("district",)


def _after_only(text: str, start: int, end: int) -> Context:
    """:func:`context_of` when nothing before the name can be a cue."""
    facility = _FACILITY_AFTER.match(text, end)
    if facility:
        name = facility.lastgroup or ""
        return Context(FACILITY_KINDS[name], name, start=start, end=facility.end())
    level = _LEVEL_AFTER.match(text, end)
    kinds = _level_kinds(level) if level else ()
    if level and level.group("region"):
        level = None
    rural = _COUNTRYSIDE_AFTER.match(text, end)
    if rural:
        bearing = _bearing(rural, "dir")
        return Context(kinds, countryside=True, bearing=bearing, start=start, end=rural.end())
    return Context(kinds, start=start, end=level.end() if level else end)
