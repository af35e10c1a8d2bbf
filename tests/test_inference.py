"""The inference rules, one family of cases each, on small made-up maps (km grids)."""

from __future__ import annotations

import numpy as np
import pytest

from geo import inference as rules
from geo.inference import (
    CONTACT_KM,
    FRESH_DAYS,
    FRONT_MAX_KM,
    REVERSAL_DAYS,
    STALE_DAYS,
    STALE_NEAR_KM,
    VACATED_REACH_KM,
    Context,
    Control,
)
from geo.sites import Sites

GOV, HTS, SNA, SDF, UP, UNK = "Gov", "Reb", "Ally", "Kurd", "Crowd", "unknown"
SIDES = {GOV: "gov", HTS: "opp", SNA: "opp", SDF: "sdf", UP: "opp", UNK: "unknown"}
DAY = 1000  # an ordinal


def sites(rows: list[tuple]) -> Sites:
    """``(id, x_km, y_km[, district[, subdistrict[, seat[, city]]]])`` rows."""
    full = [(*r, *("d1", "s1", "", False)[len(r) - 3 :]) for r in rows]
    col = list(zip(*full, strict=True))
    n = len(rows)
    return Sites(
        ids=np.array(col[0], dtype=object),
        names=np.array(col[0], dtype=object),
        kinds=np.full(n, "populated place", dtype=object),
        lat=np.zeros(n),
        lon=np.zeros(n),
        x=np.array(col[1], dtype=float) * 1000.0,
        y=np.array(col[2], dtype=float) * 1000.0,
        district=np.array(col[3], dtype=object),
        subdistrict=np.array(col[4], dtype=object),
        seat=np.array(col[5], dtype=object),
        city=np.array(col[6], dtype=bool),
        population=np.full(n, 500),
        crs="EPSG:32637",
    )


def context(s: Sites) -> Context:
    return Context(sites=s, side=SIDES, advancing=frozenset({HTS, SNA, SDF}), unknown=UNK)


def start(s: Sites, controllers: list[str], day: int = DAY - 10) -> Control:
    return Control.start(np.array(controllers, dtype=object), day)


def at(ctl: Control, s: Sites, site: str) -> tuple[str, str, str]:
    i = list(s.ids).index(site)
    return ctl.controller[i], ctl.status[i], ctl.basis[i]


# ---------------------------------------------------------------------------
# reported


def test_a_report_hands_its_site_over_and_says_so():
    s = sites([("a", 0, 0), ("b", 5, 0)])
    ctl = rules.reported(start(s, [GOV, GOV]), context(s), 0, HTS, DAY, 0.8, "e1")
    assert at(ctl, s, "a") == (HTS, "changed", "extracted")
    assert ctl.since[0] == DAY and ctl.evidence[0] == DAY and ctl.events[0] == "e1"
    assert ctl.lost[0] == DAY and ctl.lost_side[0] == "gov" and ctl.taken[0] == 0.8
    assert at(ctl, s, "b") == (GOV, "held", "baseline")


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [(0.5, (HTS, "contested", "extracted")), (0.9, (GOV, "changed", "extracted"))],
)
def test_a_reversal_must_be_as_sure_as_the_report_it_reverses(confidence, expected):
    s = sites([("a", 0, 0)])
    ctx = context(s)
    ctl = rules.reported(start(s, [GOV]), ctx, 0, HTS, DAY, 0.8, "took")
    ctl = rules.reported(ctl, ctx, 0, GOV, DAY + 2, confidence, "back", previous=0.8)
    assert at(ctl, s, "a") == expected


def test_contested_keeps_the_controller_and_records_the_event():
    s = sites([("a", 0, 0)])
    ctl = rules.contested(start(s, [GOV]), context(s), 0, DAY, 0.4, "fight")
    assert at(ctl, s, "a") == (GOV, "contested", "baseline")
    assert ctl.contested_until[0] == DAY + rules.CONTESTED_DAYS - 1


# ---------------------------------------------------------------------------
# region


def test_a_region_event_takes_the_other_sides_sites_inside_and_spares_allies():
    s = sites([("in-gov", 0, 0), ("in-ally", 2, 0), ("out", 50, 0)])
    ctl = rules.region(start(s, [GOV, SNA, GOV]), context(s), np.array([0, 1]), HTS, DAY, 1.0, "r")
    assert at(ctl, s, "in-gov") == (HTS, "changed", "region")
    assert at(ctl, s, "in-ally") == (SNA, "held", "baseline")
    assert at(ctl, s, "out") == (GOV, "held", "baseline")
    assert ctl.confidence[0] == pytest.approx(rules.REGION_FACTOR)


@pytest.mark.parametrize(("gap_km", "contested"), [(CONTACT_KM - 1, True), (CONTACT_KM + 5, False)])
def test_a_contested_region_touches_only_the_ground_near_the_actor(gap_km, contested):
    s = sites([("ours", 0, 0), ("theirs", gap_km, 0)])
    ctl = rules.region(
        start(s, [HTS, GOV]), context(s), np.array([1]), HTS, DAY, 0.6, "c", fighting=True
    )
    assert (at(ctl, s, "theirs")[1] == "contested") is contested


# ---------------------------------------------------------------------------
# vacated


@pytest.mark.parametrize(
    ("distance_km", "expected"),
    [(VACATED_REACH_KM - 5, HTS), (VACATED_REACH_KM + 5, UNK)],
)
def test_a_vacated_site_goes_uncertain_to_the_nearest_other_side_within_reach(
    distance_km, expected
):
    s = sites([("left", 0, 0), ("rebel", distance_km, 0), ("army", 3, 0)])
    ctl = rules.vacated(start(s, [GOV, HTS, GOV]), context(s), 0, DAY, 0.7, "w")
    assert at(ctl, s, "left") == (expected, "uncertain", "vacated")


# ---------------------------------------------------------------------------
# hinterland


DISTRICT = [
    ("seat", 0, 0, "d1", "s1", "district", False),
    ("behind", -6, 0, "d1", "s1"),  # on the rebels' side of the new line
    ("far-edge", 18, 0, "d1", "s2"),  # nearer the army's ground next door
    ("rebel-town", -12, 0, "d0", "s0"),
    ("army-town", 22, 0, "d2", "s3"),
    ("reported", 9, 6, "d1", "s1"),
]


def _seat_taken(seat_kind: str = "district", city: bool = False) -> tuple[Sites, Control]:
    rows = [(*DISTRICT[0][:5], seat_kind, city), *DISTRICT[1:]]
    s = sites(rows)
    ctl = start(s, [GOV, GOV, GOV, HTS, GOV, GOV])
    ctx = context(s)
    ctl = rules.reported(ctl, ctx, 5, GOV, DAY - 1, 0.9, "held-out")
    return s, rules.reported(ctl, ctx, 0, HTS, DAY, 1.0, "seat")


def test_a_fallen_district_seat_carries_the_district_behind_the_new_line():
    s, ctl = _seat_taken()
    ctl = rules.hinterland(ctl, context(s), 0, GOV, DAY, 1.0, "seat")
    assert at(ctl, s, "behind") == (HTS, "held", "hinterland")
    assert at(ctl, s, "far-edge") == (GOV, "held", "baseline")  # nearer the army
    assert at(ctl, s, "reported") == (GOV, "held", "extracted")  # reported: never moved
    assert at(ctl, s, "army-town")[0] == GOV  # another district
    assert ctl.confidence[1] == pytest.approx(rules.HINTERLAND_FACTOR)


@pytest.mark.parametrize(("seat", "city", "moves"), [("", True, True), ("", False, False)])
def test_a_city_carries_its_district_and_a_village_nothing(seat, city, moves):
    s, ctl = _seat_taken(seat, city)
    ctl = rules.hinterland(ctl, context(s), 0, GOV, DAY, 1.0, "seat")
    assert (at(ctl, s, "behind")[0] == HTS) is moves


def test_a_subdistrict_seat_carries_only_its_subdistrict():
    rows = [
        ("seat", 0, 0, "d1", "s1", "subdistrict"),
        ("same", -5, 0, "d1", "s1"),
        ("other", -5, 3, "d1", "s2"),
        ("rebels", -10, 0, "d0", "s0"),
    ]
    s = sites(rows)
    ctx = context(s)
    ctl = rules.reported(start(s, [GOV, GOV, GOV, HTS]), ctx, 0, HTS, DAY, 1.0, "e")
    ctl = rules.hinterland(ctl, ctx, 0, GOV, DAY, 1.0, "e")
    assert at(ctl, s, "same")[0] == HTS and at(ctl, s, "other")[0] == GOV


# ---------------------------------------------------------------------------
# fronts


def _advance(controllers: list[str], actor: str = HTS, jump_km: float = 40.0):
    rows = [
        ("base", 0, 0),
        ("taken", jump_km, 0),
        ("between", jump_km / 2, 1),
        ("off-axis", jump_km / 2, jump_km / 2),
        ("beyond", jump_km + 10, 0),
    ]
    s = sites(rows)
    ctx = context(s)
    eve = start(s, controllers)
    ctl = rules.reported(eve, ctx, 1, actor, DAY, 1.0, "e")
    return s, rules.front(ctl, ctx, eve, 1, controllers[1], DAY, 1.0, "e")


def test_a_front_takes_the_ground_between_the_actors_area_and_its_gain():
    s, ctl = _advance([HTS, GOV, GOV, GOV, GOV])
    assert at(ctl, s, "between") == (HTS, "held", "front")
    assert at(ctl, s, "off-axis")[0] == GOV
    assert at(ctl, s, "beyond")[0] == GOV
    assert ctl.confidence[2] == pytest.approx(rules.FRONT_FACTOR)


def test_an_allys_area_counts_as_the_actors_base():
    s, ctl = _advance([SNA, GOV, GOV, GOV, GOV])
    assert at(ctl, s, "between") == (HTS, "held", "front")


@pytest.mark.parametrize(
    ("controllers", "actor", "jump", "why"),
    [
        ([HTS, GOV, GOV, GOV, GOV], UP, 40.0, "a crowd does not advance"),
        ([GOV, GOV, GOV, GOV, GOV], HTS, 40.0, "no ground of its side to advance from"),
        ([HTS, GOV, GOV, GOV, GOV], HTS, FRONT_MAX_KM + 10, "too long a jump"),
        ([HTS, GOV, SDF, GOV, GOV], HTS, 40.0, "a third side's site is not the loser's"),
    ],
)
def test_no_front_without_an_advance_from_the_actors_side(controllers, actor, jump, why):
    s, ctl = _advance(controllers, actor, jump)
    assert at(ctl, s, "between")[0] == controllers[2], why


# ---------------------------------------------------------------------------
# collapse and stale


def test_collapse_turns_ground_without_fresh_evidence_uncertain():
    s = sites([("old", 0, 0), ("fresh", 200, 0), ("near-rebels", 300, 0), ("rebels", 310, 0)])
    ctx = context(s)
    ctl = start(s, [GOV, GOV, GOV, HTS], day=DAY - 10)
    ctl = rules.reported(ctl, ctx, 1, GOV, DAY - FRESH_DAYS + 1, 0.9, "holding")
    ctl = rules.collapse(ctl, ctx, GOV, DAY, "capital")
    assert at(ctl, s, "old") == (GOV, "uncertain", "collapse")  # kept as who held it last
    assert at(ctl, s, "fresh") == (GOV, "held", "extracted")
    assert at(ctl, s, "near-rebels") == (HTS, "uncertain", "collapse")
    assert at(ctl, s, "rebels") == (HTS, "held", "baseline")


def test_collapse_in_a_region_stays_in_it():
    s = sites([("in", 0, 0), ("out", 200, 0)])
    ctl = rules.collapse(start(s, [GOV, GOV]), context(s), GOV, DAY, "w", np.array([0]))
    assert at(ctl, s, "in")[1] == "uncertain" and at(ctl, s, "out")[1] == "held"


@pytest.mark.parametrize(
    ("distance_km", "evidence_age", "uncertain"),
    [
        (STALE_NEAR_KM - 5, STALE_DAYS + 1, True),
        (STALE_NEAR_KM + 10, STALE_DAYS + 1, False),  # the front moved far away
        (STALE_NEAR_KM - 5, STALE_DAYS - 1, False),  # evidence still recent
    ],
)
def test_stale_evidence_beside_a_moving_front_turns_uncertain(distance_km, evidence_age, uncertain):
    s = sites([("lost", 0, 0), ("quiet", distance_km, 0)])
    ctx = context(s)
    ctl = start(s, [GOV, GOV], day=DAY - evidence_age)
    ctl = rules.reported(ctl, ctx, 0, HTS, DAY - 1, 0.9, "e")
    ctl = rules.stale(ctl, ctx, DAY)
    assert (at(ctl, s, "quiet") == (GOV, "uncertain", "stale")) is uncertain


def test_rules_do_not_change_their_input():
    s = sites([("a", 0, 0), ("b", 5, 0)])
    before = start(s, [GOV, HTS])
    snapshot = before.controller.copy()
    rules.vacated(before, context(s), 0, DAY, 0.5, "w")
    rules.collapse(before, context(s), GOV, DAY, "c")
    assert (before.controller == snapshot).all() and (before.status == "held").all()
    assert REVERSAL_DAYS > 0


# ---------------------------------------------------------------------------
# the nearest site: an R-tree above a size, brute force below, the same answers


@pytest.mark.parametrize("limit", [0, 10**12])  # R-tree always, brute force always
def test_the_nearest_site_is_the_same_by_r_tree_and_by_brute_force(monkeypatch, limit):
    rng = np.random.default_rng(7)
    n = 400
    xy = rng.integers(0, 60, size=(n, 2)).astype(float)  # a coarse grid: many ties
    s = sites([(f"s{i}", x, y) for i, (x, y) in enumerate(xy)])
    idx, targets = np.arange(0, n, 3), np.arange(1, n, 2)
    d2 = (s.x[idx, None] - s.x[targets][None, :]) ** 2 + (s.y[idx, None] - s.y[targets]) ** 2
    monkeypatch.setattr(rules, "_BRUTE_FORCE_PAIRS", limit)
    dist, which = rules._nearest_of(s, idx, targets)
    assert (which == d2.argmin(axis=1)).all()  # of equidistant sites, the first
    assert np.allclose(dist, np.sqrt(d2.min(axis=1)) / 1000.0)


def test_sides_of_controllers_outside_the_vocabulary_are_their_own():
    ctx = context(sites([("a", 0, 0)]))
    got = ctx.sides(np.array([GOV, "Stranger", HTS, None, GOV], dtype=object))
    assert list(got) == ["gov", "Stranger", "opp", None, "gov"]
