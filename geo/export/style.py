"""How control is drawn: one table of fills, edges and markers for every map frontline makes.

Why: the live map, the PNG, the GIF and the HTML export must paint the same colours, and
each legend swatch must be the colour actually painted. So every fill is a flat colour,
the actor's colour blended once over the land colour at the opacity of its *variant*
(held, inferred, desert, contested, uncertain), and the legend is made from the same
:class:`Fill` values the map is drawn with. Provenance (``basis``) is named the same way
everywhere: "reported" (an article's sentence), "curated" (an analyst's cited row, the
baseline included) or "inferred (<rule>)" (the territory model).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .colour import blend

__all__ = [
    "LAND",
    "NEIGHBOURS",
    "SEA",
    "VARIANTS",
    "Fill",
    "Legend",
    "LegendRow",
    "Marker",
    "fill_for",
    "held_colours",
    "is_inferred",
    "legend_for",
    "marker_for",
    "marker_radius",
    "provenance",
    "variant_of",
]

#: The country's base colour under the territory (fills are blended over it).
LAND = "#FFFFFF"
#: The sea, and whatever lies beyond the neighbours.
SEA = "#DDEBF4"
#: The neighbouring countries.
NEIGHBOURS = "#E8E8E8"
#: The selection ring (white under, dark dashed over) and the "changed hands" ring.
SELECTED = "#111111"
#: A controller's colour where nobody is known to hold the ground.
MISSING = "#BBBBBB"
#: The ways ground is drawn, in legend order, with the opacity of the actor's colour.
VARIANTS = ("held", "inferred", "desert", "contested", "uncertain")
_ALPHA = {"held": 0.85, "inferred": 0.40, "desert": 0.25, "contested": 0.40, "uncertain": 0.25}
#: What each legend column means, for the footnote under the legend.
VARIANT_NOTES = {
    "held": "held: reported or curated",
    "inferred": "inferred: by the territory model, never reported",
    "desert": "desert: sparsely populated, lighter",
    "contested": "contested: hatched, dashed edge",
    "uncertain": "uncertain: nobody can vouch for it any more (last holder, grey hatch)",
}
REPORTED = frozenset({"extracted"})
CURATED = frozenset({"curated", "baseline"})


@dataclass(frozen=True)
class Fill:
    """How one piece of ground is painted: a flat colour, maybe a hatch, an edge."""

    colour: str
    hatch: str = ""  # "" | "/" (lines up to the right) | "\\" (lines down to the right)
    hatch_colour: str = "#000000"
    edge: str = ""  # "" for none
    edge_width: float = 0.0
    dash: str = ""  # Leaflet dashArray, "" for solid


@dataclass(frozen=True)
class Marker:
    """How one place is drawn: a circle sized in pixels, and a ring if it changed hands."""

    radius: float
    fill: str
    edge: str
    edge_width: float
    dash: str = ""
    ring: float = 0.0  # radius of the "changed hands that day" ring, 0 for none


@dataclass(frozen=True)
class LegendRow:
    actor: str
    #: one per column of the legend: the fill drawn for this actor, ``None`` if not drawn
    cells: tuple[Fill | None, ...]


@dataclass(frozen=True)
class Legend:
    columns: tuple[str, ...]
    rows: tuple[LegendRow, ...]
    #: the inference rules behind the day's inferred ground, named
    rules: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(VARIANT_NOTES[c] for c in self.columns)


def is_inferred(basis: object) -> bool:
    """Whether ground or a place stands on the territory model rather than a source."""
    return str(basis) not in REPORTED | CURATED


def provenance(basis: object) -> str:
    """``basis`` in the three words every output uses: reported, curated, inferred (rule)."""
    text = str(basis)
    if text in REPORTED:
        return "reported"
    if text == "baseline":
        return "curated (baseline)"
    if text in CURATED:
        return "curated"
    return "inferred" if text in {"inferred", "", "nan", "None"} else f"inferred ({text})"


def variant_of(status: object, basis: object, sparse: object = False) -> str:
    """Which of :data:`VARIANTS` a piece of ground is drawn as."""
    if status == "uncertain":
        return "uncertain"
    if status == "contested":
        return "contested"
    if _truthy(sparse):
        return "desert"
    return "inferred" if is_inferred(basis) else "held"


def _truthy(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "sparse"}
    return bool(value)


def fill_for(colour: str, variant: str) -> Fill:
    """The fill of ``variant`` ground held (or last held) by an actor of ``colour``."""
    if variant not in _ALPHA:
        msg = f"unknown variant {variant!r}; use one of {', '.join(VARIANTS)}"
        raise ValueError(msg)
    flat = blend(colour, _ALPHA[variant], LAND)
    if variant == "contested":
        return Fill(flat, "/", "#000000", "#000000", 1.6, "6 4")
    if variant == "uncertain":
        return Fill(flat, "\\", "#6E6E6E", "#6E6E6E", 1.2, "2 3")
    if variant == "inferred":
        return Fill(flat, edge="#555555", edge_width=0.6, dash="2 3")
    return Fill(flat)


def held_colours(palette: Mapping[str, str]) -> dict[str, str]:
    """Each actor's colour as drawn on held ground (charts use these, to match the map)."""
    return {name: fill_for(colour, "held").colour for name, colour in palette.items()}


def marker_radius(population: object) -> float:
    """A place's circle radius in screen pixels: 3 for villages, 6 for the largest cities.

    Pixels, not kilometres, so a city never hides the territory around it at any zoom.
    """
    try:
        pop = float(population)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pop = 0.0
    if not math.isfinite(pop) or pop <= 1000:
        return 3.0
    return round(3.0 + min(math.log10(pop) - 3.0, 3.4) * 0.9, 1)


def marker_for(colour: str, status: object, population: object, *, changed: bool) -> Marker:
    """A place's circle: filled like the ground its holder holds, edged by its status."""
    radius = marker_radius(population)
    ring = radius + 3.5 if changed else 0.0
    if status == "contested":
        return Marker(radius, fill_for(colour, "contested").colour, "#000000", 1.6, "2 2", ring)
    if status == "uncertain":
        return Marker(radius, fill_for(colour, "uncertain").colour, "#6E6E6E", 1.4, "2 2", ring)
    return Marker(radius, fill_for(colour, "held").colour, "#1A1A1A", 1.0, "", ring)


def legend_for(
    territory_day: pd.DataFrame,
    places_day: pd.DataFrame,
    palette: Mapping[str, str],
) -> Legend:
    """The legend of one day's map: a row per actor drawn, a column per variant drawn.

    Each cell is the very :class:`Fill` the map paints for that actor and variant that
    day, ``None`` where that actor has no such ground; the markers' fills are the held
    ones. Actors come in the profile's order, unknown names after them.
    """
    drawn: dict[str, set[str]] = {}
    rules: list[str] = []
    for controller, basis, v in _variants(territory_day):
        drawn.setdefault(controller, set()).add(v)
        if is_inferred(basis) and str(basis) not in rules:
            rules.append(str(basis))
    if not places_day.empty:
        for controller, status in zip(places_day["controller"], places_day["status"], strict=True):
            v = status if status in ("contested", "uncertain") else "held"
            drawn.setdefault(str(controller), set()).add(v)
    columns = tuple(v for v in VARIANTS if any(v in s for s in drawn.values()))
    order = [*palette, *sorted(set(drawn) - set(palette))]
    rows = tuple(
        LegendRow(
            actor,
            tuple(
                fill_for(palette.get(actor, MISSING), v) if v in drawn[actor] else None
                for v in columns
            ),
        )
        for actor in order
        if actor in drawn
    )
    return Legend(columns, rows, tuple(provenance(r) for r in rules))


def fills_of(territory_day: pd.DataFrame, palette: Mapping[str, str]) -> Iterable[Fill]:
    """The fill of each row of a day's territory, in order."""
    for controller, _, v in _variants(territory_day):
        yield fill_for(palette.get(controller, MISSING), v)


def _variants(territory_day: pd.DataFrame) -> Iterable[tuple[str, object, str]]:
    """(controller, basis, variant) of each row of a day's territory, in order."""
    if territory_day.empty:
        return
    sparse = (
        territory_day["sparsely_populated"]
        if "sparsely_populated" in territory_day.columns
        else pd.Series(False, index=territory_day.index)
    )
    for controller, status, basis, desert in zip(
        territory_day["controller"],
        territory_day["status"],
        territory_day["basis"],
        sparse,
        strict=True,
    ):
        yield str(controller), basis, variant_of(status, basis, desert)
