"""The written rules that turn reported changes of control into the control of every site.

Reporting names a few dozen places; the map has about ten thousand sites. Each rule
below is a small pure function from one day's :class:`Control` (the state of every
site) to the next, with its own ``basis`` label and a confidence, so every site's
colour says which rule drew it. Sites a report or a region event put in someone's
hands (``extracted``, ``curated``, ``region``) are never overwritten by an inferred rule;
a later report overrides anything.

``reported``
    A capture, entry or uprising hands its site to the actor (the event's confidence).
    A *reversal* (the site goes back to the side that lost it within
    :data:`REVERSAL_DAYS`) needs at least the confidence of the report it reverses;
    a weaker one marks the site contested instead. An approach (``contested``) marks
    it contested for :data:`CONTESTED_DAYS`.
``region``
    A capture, entry or uprising of a region ("took Quneitra province", "the Hama
    countryside") hands every site inside its shape held by another side to the actor
    (confidence x :data:`REGION_FACTOR`); a site's own report the same day or later
    wins. A contested region marks the other side's sites within :data:`CONTACT_KM` of
    the actor's ground contested.
``vacated``
    A withdrawal by the holder, or a capture by a force the text does not name, leaves
    the site to the nearest other side's ground within :data:`VACATED_REACH_KM`
    (``uncertain``; nobody if none is that near); x :data:`VACATED_FACTOR`.
``hinterland``
    When a district seat or a city changes hands, the sites of its district held by the
    loser follow the new holder if they lie behind the new line: nearer the new side's
    ground than the loser's remaining ground (outside the district, or reported there).
    A sub-district seat carries its sub-district the same way. x :data:`HINTERLAND_FACTOR`.
``front``
    When an advancing actor takes a place, the loser's sites between it and the
    actor's side's nearest ground on the eve go with it: those whose detour through
    the site adds at most ``min(FRONT_SLACK x D, FRONT_DETOUR_KM)`` to the distance D
    of the advance (an ellipse with the two ends as foci: narrow at the ends, widest
    half way, growing with the jump). Advances longer than :data:`FRONT_MAX_KM` draw
    no front. x :data:`FRONT_FACTOR`.
``collapse``
    When an actor's capital falls, or it withdraws from a region, the ground it still
    holds without fresh evidence (its own report within :data:`FRESH_DAYS`) turns
    ``uncertain``, never silently kept: presumed left to the nearest other side's
    ground within :data:`VACATED_REACH_KM`, else still drawn with its last holder.
``stale``
    Ground whose last evidence is older than :data:`STALE_DAYS` turns ``uncertain``
    when, within :data:`STALE_NEAR_KM`, a site passed from its holder's side to
    another in the last :data:`STALE_DAYS` days: the front moved past it and nobody
    said it held out.

Days are integer ordinals (``date.toordinal()``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

from .sites import Sites

__all__ = [
    "BASES",
    "INFERRED",
    "REPORTED",
    "STATUSES",
    "Context",
    "Control",
    "collapse",
    "contested",
    "front",
    "hinterland",
    "region",
    "reported",
    "stale",
    "vacated",
]

STATUSES: tuple[str, ...] = ("held", "contested", "changed", "uncertain")
BASES: tuple[str, ...] = (
    "baseline",
    "extracted",
    "curated",
    "region",
    "hinterland",
    "front",
    "vacated",
    "collapse",
    "stale",
)
#: Bases of a report (an article's sentence, an analyst's row, a region event).
REPORTED: frozenset[str] = frozenset({"extracted", "curated", "region"})
#: Bases drawn by an inference rule, never reported as such.
INFERRED: frozenset[str] = frozenset({"hinterland", "front", "vacated", "collapse", "stale"})

#: An approach marks a site contested for this many days unless a capture follows.
CONTESTED_DAYS = 3
#: A report returning a site to the side that lost it this many days ago or fewer is a
#: reversal: it must be at least as confident as the report it reverses.
REVERSAL_DAYS = 5
#: Confidence factors of the inferred rules (times the driving event's confidence).
REGION_FACTOR = 0.8
HINTERLAND_FACTOR = 0.7
FRONT_FACTOR = 0.6
VACATED_FACTOR = 0.6
#: A contested region touches the other side's sites this near the actor's ground (km).
CONTACT_KM = 10.0
#: A vacated site goes to the nearest other side's ground this near (km), else nobody.
VACATED_REACH_KM = 50.0
#: Fronts: allowed detour as a share of the advance, capped in km; longest advance.
FRONT_SLACK = 0.12
FRONT_DETOUR_KM = 12.0
FRONT_MAX_KM = 90.0
#: Evidence this recent (days) is fresh: collapse leaves such ground as it is.
FRESH_DAYS = 2
#: Stale: evidence older than this many days, with the front moving this near (km).
STALE_DAYS = 3
STALE_NEAR_KM = 15.0
#: Above this many site pairs the nearest site is found through an R-tree, not by brute force.
_BRUTE_FORCE_PAIRS = 1_000_000


class Mark(NamedTuple):
    """What a rule writes on the sites it moves: their status, the rule's name (``basis``),
    the confidence (a number, or one per site) and the events it rests on."""

    status: str
    basis: str
    confidence: object
    events: str


@dataclass(frozen=True, eq=False)
class Context:
    """What the rules know besides the state: the sites and the actors' sides."""

    sites: Sites
    side: dict[str, str]  # actor -> side
    advancing: frozenset[str]
    unknown: str  # the profile's "nobody" actor

    def sides(self, controllers: np.ndarray) -> np.ndarray:
        """Each controller's side (an actor outside the vocabulary is its own side); a
        handful of distinct actors over ~10^4 sites, so each is looked up once."""
        codes, actors = pd.factorize(np.asarray(controllers, dtype=object))
        # code -1 (a missing controller) takes the last item: None
        return np.array([*(self.side.get(a, a) for a in actors), None], dtype=object)[codes]


@dataclass(frozen=True, eq=False)
class Control:
    """One day's control of every site (arrays indexed like :class:`Sites`).

    ``since`` is the day the controller took it (0: before the period), ``evidence``
    the day of the last evidence for it, ``lost``/``lost_side`` the last day the site
    passed from one side to another and the side it passed from, ``taken`` the
    confidence of the report that made that change.
    """

    controller: np.ndarray
    status: np.ndarray
    basis: np.ndarray
    confidence: np.ndarray
    since: np.ndarray
    evidence: np.ndarray
    events: np.ndarray
    contested_until: np.ndarray
    lost: np.ndarray
    lost_side: np.ndarray
    taken: np.ndarray

    @classmethod
    def start(cls, controller: np.ndarray, day: int, confidence: float = 1.0) -> Control:
        n = len(controller)
        return cls(
            controller=np.asarray(controller, dtype=object).copy(),
            status=np.full(n, "held", dtype=object),
            basis=np.full(n, "baseline", dtype=object),
            confidence=np.full(n, confidence),
            since=np.zeros(n, dtype=np.int64),
            evidence=np.full(n, day, dtype=np.int64),
            events=np.full(n, "", dtype=object),
            contested_until=np.zeros(n, dtype=np.int64),
            lost=np.zeros(n, dtype=np.int64),
            lost_side=np.full(n, "", dtype=object),
            taken=np.zeros(n),
        )

    def copy(self) -> Control:
        return replace(self, **{f.name: getattr(self, f.name).copy() for f in fields(self)})

    def set(
        self,
        idx: np.ndarray | list[int],
        ctx: Context,
        day: int,
        mark: Mark,
        controller: object = None,
    ) -> Control:
        """A copy with the sites ``idx`` marked (their evidence dated ``day``) and, if given,
        moved to ``controller``."""
        status, basis, confidence, events = mark
        idx = np.asarray(idx, dtype=int)
        out = self.copy()
        if not len(idx):
            return out
        if controller is not None:
            new = np.broadcast_to(np.asarray(controller, dtype=object), idx.shape)
            old = out.controller[idx]
            moved = new != old
            old_side, new_side = ctx.sides(old), ctx.sides(new)
            crossed = idx[old_side != new_side]
            out.lost[crossed] = day
            out.lost_side[crossed] = old_side[old_side != new_side]
            out.taken[crossed] = np.broadcast_to(confidence, idx.shape)[old_side != new_side]
            out.since[idx[moved]] = day
            out.controller[idx] = new
        out.status[idx] = status
        out.basis[idx] = basis
        out.confidence[idx] = np.round(np.broadcast_to(confidence, idx.shape), 2)
        out.evidence[idx] = day
        out.events[idx] = events
        out.contested_until[idx] = 0
        return out


def _km(sites: Sites, i: int, others: np.ndarray) -> np.ndarray:
    return np.hypot(sites.x[others] - sites.x[i], sites.y[others] - sites.y[i]) / 1000.0


def _nearest_of(
    sites: Sites, idx: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each site of ``idx``: the distance (km) to the nearest site of ``targets`` and
    that site's position in ``targets``."""
    dist = np.full(len(idx), np.inf)
    which = np.zeros(len(idx), dtype=int)
    if not len(targets) or not len(idx):
        return dist, which
    tx, ty = sites.x[targets], sites.y[targets]
    if len(idx) * len(targets) > _BRUTE_FORCE_PAIRS:
        which[:] = _nearest_in_tree(sites, idx, targets)
        dist[:] = np.sqrt((sites.x[idx] - tx[which]) ** 2 + (sites.y[idx] - ty[which]) ** 2)
        return dist / 1000.0, which
    for start in range(0, len(idx), 256):
        chunk = idx[start : start + 256]
        d2 = (sites.x[chunk, None] - tx[None, :]) ** 2 + (sites.y[chunk, None] - ty[None, :]) ** 2
        k = d2.argmin(axis=1)
        which[start : start + 256] = k
        dist[start : start + 256] = np.sqrt(d2[np.arange(len(chunk)), k]) / 1000.0
    return dist, which


def _nearest_in_tree(sites: Sites, idx: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The position in ``targets`` of each ``idx`` site's nearest, through an R-tree; of
    equidistant ones the first, as ``argmin`` picks."""
    tree = shapely.STRtree(sites.points[targets])
    src, hit = tree.query_nearest(sites.points[idx], all_matches=True)
    order = np.lexsort((hit, src))
    src, hit = src[order], hit[order]
    first = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    which = np.zeros(len(idx), dtype=int)
    which[src[first]] = hit[first]
    return which


def _nearest_km(sites: Sites, idx: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each site of ``idx``, the distance (km) to the nearest site of ``targets``."""
    return _nearest_of(sites, idx, targets)[0]


def _open(ctl: Control) -> np.ndarray:
    """Sites an inferred rule may move: nothing reported holds them."""
    return ~np.isin(ctl.basis, list(REPORTED))


# ---------------------------------------------------------------------------
# reported events


def reported(
    ctl: Control,
    ctx: Context,
    i: int,
    actor: str,
    day: int,
    confidence: float,
    event: str,
    *,
    basis: str = "extracted",
    previous: float | None = None,
) -> Control:
    """A capture, entry or uprising at site ``i``: it goes to ``actor`` (or, for a weak
    reversal, is marked contested). ``previous`` is the confidence of the report that
    took it from ``actor``'s side, when that was within :data:`REVERSAL_DAYS`."""
    if previous is not None and confidence < previous and ctl.controller[i] != actor:
        return contested(ctl, ctx, i, day, confidence, event)
    changed = ctl.controller[i] != actor or (ctl.since[i] == day and ctl.status[i] == "changed")
    status = "changed" if changed else "held"
    return ctl.set([i], ctx, day, Mark(status, basis, confidence, event), actor)


def contested(
    ctl: Control, ctx: Context, i: int | np.ndarray, day: int, confidence: float, event: str
) -> Control:
    """An approach or fighting: contested for :data:`CONTESTED_DAYS`, controller kept."""
    idx = np.atleast_1d(np.asarray(i, dtype=int))
    out = ctl.copy()
    out.status[idx] = "contested"
    out.contested_until[idx] = day + CONTESTED_DAYS - 1
    out.evidence[idx] = day
    out.events[idx] = [";".join(filter(None, (e, event))) for e in out.events[idx]]
    return out


def vacated(
    ctl: Control,
    ctx: Context,
    i: int,
    day: int,
    confidence: float,
    event: str,
    *,
    basis: str = "vacated",
) -> Control:
    """The holder left site ``i`` (or an unnamed force took it): the nearest other
    side's ground within :data:`VACATED_REACH_KM` is presumed to move in, uncertain."""
    sides = ctx.sides(ctl.controller)
    mine = sides[i]
    if ctl.controller[i] == ctx.unknown:
        return ctl
    others = np.flatnonzero(
        (sides != mine) & (ctl.controller != ctx.unknown) & (ctl.status != "uncertain")
    )
    new = ctx.unknown
    if len(others):
        d = _km(ctx.sites, i, others)
        k = int(d.argmin())
        if d[k] <= VACATED_REACH_KM:
            new = ctl.controller[others[k]]
    return ctl.set([i], ctx, day, Mark("uncertain", basis, confidence * VACATED_FACTOR, event), new)


def region(
    ctl: Control,
    ctx: Context,
    inside: np.ndarray,
    actor: str,
    day: int,
    confidence: float,
    event: str,
    *,
    fighting: bool = False,
) -> Control:
    """A region taken: its sites held by another side go to ``actor``. Fought over
    (``fighting``): the other side's sites there near the actor's ground are contested."""
    side = ctx.side.get(actor, actor)
    sides = ctx.sides(ctl.controller)
    theirs = inside[sides[inside] != side]
    if fighting:
        ours = np.flatnonzero((sides == side) & (ctl.status != "uncertain"))
        near = theirs[_nearest_km(ctx.sites, theirs, ours) <= CONTACT_KM]
        return contested(ctl, ctx, near, day, confidence, event) if len(near) else ctl
    take = theirs[ctl.controller[theirs] != actor]
    return ctl.set(
        take, ctx, day, Mark("changed", "region", confidence * REGION_FACTOR, event), actor
    )


# ---------------------------------------------------------------------------
# inferred rules


def hinterland(
    ctl: Control, ctx: Context, seat: int, loser: str, day: int, confidence: float, event: str
) -> Control:
    """A seat or city changed hands: its unit's sites behind the new line follow it."""
    sites = ctx.sites
    if sites.seat[seat] == "district" or sites.city[seat]:
        unit = sites.district == sites.district[seat]
    elif sites.seat[seat] == "subdistrict":
        unit = sites.subdistrict == sites.subdistrict[seat]
    else:
        return ctl
    actor = ctl.controller[seat]
    sides = ctx.sides(ctl.controller)
    candidates = np.flatnonzero(unit & (ctl.controller == loser) & _open(ctl))
    if not len(candidates):
        return ctl
    new_side = np.flatnonzero((sides == ctx.side.get(actor, actor)) & (ctl.status != "uncertain"))
    # the loser's remaining ground: outside the seat's district, or reported
    outside = sites.district != sites.district[seat]
    loser_ground = np.flatnonzero(
        (ctl.controller == loser) & (outside | ~_open(ctl)) & (ctl.status != "uncertain")
    )
    follow = candidates[
        _nearest_km(sites, candidates, new_side) <= _nearest_km(sites, candidates, loser_ground)
    ]
    return ctl.set(
        follow, ctx, day, Mark("held", "hinterland", confidence * HINTERLAND_FACTOR, event), actor
    )


def front(
    ctl: Control,
    ctx: Context,
    eve: Control,
    place: int,
    loser: str,
    day: int,
    confidence: float,
    event: str,
) -> Control:
    """An advancing actor took ``place``: the loser's sites between it and the actor's
    side's nearest ground on the eve (``eve``) go with it."""
    actor = ctl.controller[place]
    if actor not in ctx.advancing:
        return ctl
    sites = ctx.sites
    side = ctx.side.get(actor, actor)
    eve_sides = ctx.sides(eve.controller)
    base = np.flatnonzero((eve_sides == side) & (eve.status != "uncertain"))
    base = base[base != place]
    if not len(base):
        return ctl
    d = _km(sites, place, base)
    k = int(d.argmin())
    jump, anchor = float(d[k]), int(base[k])
    if jump > FRONT_MAX_KM or jump == 0.0:
        return ctl
    candidates = np.flatnonzero((ctl.controller == loser) & _open(ctl))
    detour = _km(sites, place, candidates) + _km(sites, anchor, candidates) - jump
    between = candidates[detour <= min(FRONT_SLACK * jump, FRONT_DETOUR_KM)]
    return ctl.set(
        between, ctx, day, Mark("held", "front", confidence * FRONT_FACTOR, event), actor
    )


def collapse(
    ctl: Control, ctx: Context, actor: str, day: int, event: str, inside: np.ndarray | None = None
) -> Control:
    """``actor``'s ground (inside a region, or everywhere) without fresh evidence turns
    uncertain: a site within :data:`VACATED_REACH_KM` of another side's ground is
    presumed left to the nearest such side (as :func:`vacated`), the rest keeps its
    last holder as controller."""
    held = (ctl.controller == actor) & (ctl.status != "uncertain")
    mask = held & (ctl.evidence < day - FRESH_DAYS + 1)
    if inside is not None:
        within = np.zeros(len(mask), dtype=bool)
        within[inside] = True
        mask &= within
    idx = np.flatnonzero(mask)
    sides = ctx.sides(ctl.controller)
    others = np.flatnonzero(
        (sides != ctx.side.get(actor, actor))
        & (ctl.controller != ctx.unknown)
        & (ctl.status != "uncertain")
    )
    out = ctl.copy()
    if len(idx) and len(others):
        dist, nearest = _nearest_of(ctx.sites, idx, others)
        near = dist <= VACATED_REACH_KM
        moved = idx[near]
        new = ctl.controller[others[nearest[near]]]
        out = out.set(
            moved,
            ctx,
            day,
            Mark("uncertain", "collapse", ctl.confidence[moved] * VACATED_FACTOR, event),
            new,
        )
    out.status[idx] = "uncertain"
    out.basis[idx] = "collapse"
    out.events[idx] = event
    return out


def stale(ctl: Control, ctx: Context, day: int) -> Control:
    """Old evidence beside a front that moved: uncertain."""
    sites = ctx.sites
    recent = np.flatnonzero((ctl.lost > 0) & (ctl.lost > day - STALE_DAYS))
    if not len(recent):
        return ctl
    old = (ctl.evidence < day - STALE_DAYS) & (ctl.status != "uncertain")
    old &= ctl.controller != ctx.unknown
    sides = ctx.sides(ctl.controller)
    idx = np.flatnonzero(old)
    if not len(idx):
        return ctl
    hit = np.zeros(len(idx), dtype=bool)
    for side in np.unique(sides[idx]):
        lost_here = recent[ctl.lost_side[recent] == side]
        mine = np.flatnonzero(sides[idx] == side)
        if len(lost_here) and len(mine):
            hit[mine] = _nearest_km(sites, idx[mine], lost_here) <= STALE_NEAR_KM
    idx = idx[hit]
    out = ctl.copy()
    out.status[idx] = "uncertain"
    out.basis[idx] = "stale"
    return out
