"""The control of every site on every day: fused events walked through the written rules.

Day by day from the baseline (:mod:`geo.baseline`): yesterday's state carries over
(``changed`` becomes ``held``, a contested mark expires), then the day's events apply —
region events first, then each place's own reports, weakest kind first so the strongest
has the last word — then the inferred rules of :mod:`geo.inference` run on what changed:
hinterland and fronts for every reported change of side, collapse when an actor's capital
falls or it withdraws from a region, stale evidence last. Events dated before the period
apply on its first day; undated events and those after it move nothing.

An event's place is a site when the gazetteer's place is one; a region (a shape: a
governorate, district, named or derived region) or a sub-district (the sites assigned to
it) acts on the sites inside; any other point (a landmark, a square, an analyst's
coordinates) acts on the nearest site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import inference as rules
from .events import STRENGTH
from .gazetteer import Gazetteer
from .inference import REPORTED, REVERSAL_DAYS, Context, Control
from .profile import Profile
from .sites import Sites
from .timeline import FusedEvent

__all__ = ["STATE_COLUMNS", "Target", "daily_control", "state_table", "target_of"]

STATE_COLUMNS = (
    "site_id",
    "place",
    "lat",
    "lon",
    "day",
    "controller",
    "status",
    "since",
    "basis",
    "event_ids",
    "confidence",
    "shares",
)
_TAKES = frozenset({"captured", "entered", "uprising"})
_SHAPED = frozenset({"region", "governorate", "district"})


@dataclass(frozen=True, slots=True)
class Target:
    """Where an event acts: one site (``site``) or the sites of a region (``inside``)."""

    site: int
    inside: np.ndarray | None = None


def target_of(f: FusedEvent, sites: Sites, index: dict[str, int], gazetteer: Gazetteer) -> Target:
    place = f.place
    if place.id in index:
        return Target(index[place.id])
    if place.kind in _SHAPED:
        shape = gazetteer.shape(place.id)
        if shape is not None:
            inside = sites.within(shape)
            if len(inside):
                return Target(sites.nearest(place.lat, place.lon), inside)
    if place.kind == "subdistrict":
        inside = np.flatnonzero(sites.subdistrict == place.id)
        if len(inside):
            return Target(sites.nearest(place.lat, place.lon), inside)
    return Target(sites.nearest(place.lat, place.lon))


def _carry(prev: Control, day: int) -> Control:
    out = prev.copy()
    out.status[out.status == "changed"] = "held"
    expired = (out.status == "contested") & (out.contested_until < day)
    out.status[expired] = "held"
    return out


def _capitals(profile: Profile, sites: Sites, gazetteer: Gazetteer) -> dict[str, int]:
    index = sites.index()
    found = {}
    for actor in profile.actors:
        if not actor.capital:
            continue
        towns = [
            p for p in gazetteer.lookup(actor.capital, country=profile.country) if p.id in index
        ]
        if towns:
            found[actor.name] = index[towns[0].id]
    return found


def daily_control(
    sites: Sites,
    baseline: np.ndarray,
    fused: Sequence[FusedEvent],
    *,
    profile: Profile,
    gazetteer: Gazetteer,
    days: Sequence[dt.date] | None = None,
) -> list[Control]:
    """The :class:`Control` of every day of ``days`` (the profile's period by default)."""
    days = list(days or profile.days())
    ctx = Context(
        sites=sites,
        side={a.name: a.side for a in profile.actors},
        advancing=profile.advancing,
        unknown=profile.unknown,
    )
    index = sites.index()
    first, last = days[0].toordinal(), days[-1].toordinal()
    by_day: dict[int, list[tuple[FusedEvent, Target]]] = {}
    for f in fused:
        if f.day is None or f.day.toordinal() > last:
            continue
        by_day.setdefault(max(f.day.toordinal(), first), []).append(
            (f, target_of(f, sites, index, gazetteer))
        )
    capitals = _capitals(profile, sites, gazetteer)
    ctl = Control.start(baseline, first - 1)
    out = []
    for day in days:
        d = day.toordinal()
        eve = ctl
        ctl = _carry(ctl, d)
        todays = sorted(
            by_day.get(d, []),
            key=lambda ft: (ft[1].inside is None, STRENGTH[ft[0].kind], ft[0].id),
        )
        moved: list[tuple[int, str, FusedEvent]] = []
        later = []
        for f, target in todays:
            if _vacates(ctl, ctx, f, target):
                later.append((f, target))
            else:
                ctl = _apply(ctl, ctx, f, target, d, moved)
        for i, loser, f in moved:
            if (
                ctx.side.get(ctl.controller[i]) == ctx.side.get(loser)
                or ctl.basis[i] not in REPORTED
            ):
                continue
            ctl = rules.hinterland(ctl, ctx, i, loser, d, f.confidence, f.id)
            ctl = rules.front(ctl, ctx, eve, i, loser, d, f.confidence, f.id)
        # withdrawals and unnamed captures last: who is near to move in is known by now
        for f, target in later:
            ctl = _apply(ctl, ctx, f, target, d, moved)
        for actor, i in capitals.items():
            if eve.controller[i] == actor and ctx.side.get(ctl.controller[i]) != ctx.side.get(
                actor
            ):
                ctl = rules.collapse(ctl, ctx, actor, d, ctl.events[i])
        ctl = rules.stale(ctl, ctx, d)
        out.append(ctl)
    return out


def _vacates(ctl: Control, ctx: Context, f: FusedEvent, target: Target) -> bool:
    """Whether an event leaves ground to whoever is near (a withdrawal by the holder's
    side, or a capture by a force the text does not name)."""
    unnamed = f.actor == ctx.unknown or f.actor not in ctx.side
    if target.inside is not None:
        return f.kind == "withdrawal"
    holder = ctl.controller[target.site]
    if f.kind == "withdrawal":
        return unnamed or ctx.side.get(f.actor) == ctx.side.get(holder)
    return unnamed and f.kind != "contested"


def _reverses(ctl: Control, ctx: Context, i: int, side: str, day: int) -> float | None:
    """The confidence of the report that took site ``i`` from ``side`` within
    :data:`REVERSAL_DAYS`, if one did: a report handing it back must match it."""
    if ctl.lost[i] >= day - REVERSAL_DAYS and ctl.lost_side[i] == side and ctl.basis[i] in REPORTED:
        return float(ctl.taken[i])
    return None


def _apply(
    ctl: Control,
    ctx: Context,
    f: FusedEvent,
    target: Target,
    day: int,
    moved: list[tuple[int, str, FusedEvent]],
) -> Control:
    basis = "curated" if f.origin == "curated" else "extracted"
    unnamed = f.actor == ctx.unknown or f.actor not in ctx.side
    if target.inside is not None:
        inside = target.inside
        if f.kind == "contested":
            return rules.region(ctl, ctx, inside, f.actor, day, f.confidence, f.id, fighting=True)
        if f.kind == "withdrawal":
            if (ctl.controller[inside] == f.actor).any():
                return rules.collapse(ctl, ctx, f.actor, day, f.id, inside)
            return (
                ctl if unnamed else rules.region(ctl, ctx, inside, f.actor, day, f.confidence, f.id)
            )
        if unnamed:
            return ctl
        return rules.region(ctl, ctx, inside, f.actor, day, f.confidence, f.id)
    i = target.site
    loser = ctl.controller[i]
    if f.kind == "contested":
        return rules.contested(ctl, ctx, i, day, f.confidence, f.id)
    if _vacates(ctl, ctx, f, target):
        if loser == ctx.unknown:
            return ctl
        if f.kind != "withdrawal" and ctl.lost[i] >= day - REVERSAL_DAYS:
            return ctl  # an unnamed force took what its holder took days ago: the same take
        # the holder's side leaving ground it took days ago must be as sure as the taking
        taken = ctl.lost[i] >= day - REVERSAL_DAYS and ctl.basis[i] in REPORTED
        if taken and f.confidence < ctl.taken[i]:
            return rules.contested(ctl, ctx, i, day, f.confidence, f.id)
        return rules.vacated(ctl, ctx, i, day, f.confidence, f.id)
    if f.kind == "withdrawal":
        return ctl  # a side that does not hold the site left it: nothing changes hands
    previous = _reverses(ctl, ctx, i, ctx.side.get(f.actor, f.actor), day)
    out = rules.reported(
        ctl, ctx, i, f.actor, day, f.confidence, f.id, basis=basis, previous=previous
    )
    if out.controller[i] != loser:
        moved.append((i, loser, f))
    return out


def _dates(ordinals: np.ndarray) -> np.ndarray:
    values, inverse = np.unique(ordinals, return_inverse=True)
    table = np.array([dt.date.fromordinal(int(v)) if v > 0 else None for v in values], dtype=object)
    return table[inverse]


def state_table(
    sites: Sites,
    controls: Sequence[Control],
    days: Sequence[dt.date],
    *,
    extra: Sequence[tuple[str, str, float, float, int]] = (),
    last: Sequence[str] = (),
) -> pd.DataFrame:
    """The daily state as a table: one row per site and day (see :data:`STATE_COLUMNS`).

    ``extra`` adds event places that are no site, ``(id, name, lat, lon, site)``: each
    gets the row of the site whose cell it stands in, ``shares`` naming that site. Within
    a day, the rows of ``last`` ids come after all others, in that order (the event
    places: what the map draws on top).
    """
    n = len(sites)
    extra_idx = np.array([e[4] for e in extra], dtype=int)
    rows_idx = np.concatenate([np.arange(n), extra_idx])
    ids = np.concatenate([sites.ids, np.array([e[0] for e in extra], dtype=object)])
    rank = pd.Series(ids).map({pid: k for k, pid in enumerate(last)}).fillna(-1).to_numpy()
    order = np.argsort(rank, kind="stable")
    rows_idx, ids = rows_idx[order], ids[order]
    names = np.concatenate([sites.names, np.array([e[1] for e in extra], dtype=object)])[order]
    lat = np.concatenate([sites.lat, np.array([e[2] for e in extra], dtype=float)])[order]
    lon = np.concatenate([sites.lon, np.array([e[3] for e in extra], dtype=float)])[order]
    shares = np.concatenate([np.full(n, "", dtype=object), sites.ids[extra_idx]])[order]
    k = len(days)

    def daily(column: str) -> np.ndarray:
        return np.concatenate([getattr(ctl, column)[rows_idx] for ctl in controls])

    # one frame from whole columns: twelve frames and a concat convert every string twice
    return pd.DataFrame(
        {
            "site_id": np.tile(ids, k),
            "place": np.tile(names, k),
            "lat": np.tile(lat, k),
            "lon": np.tile(lon, k),
            "day": np.repeat(np.array(list(days), dtype=object), len(ids)),
            "controller": daily("controller"),
            "status": daily("status"),
            "since": _dates(daily("since")),
            "basis": daily("basis"),
            "event_ids": daily("events"),
            "confidence": daily("confidence"),
            "shares": np.tile(shares, k),
        }
    )
