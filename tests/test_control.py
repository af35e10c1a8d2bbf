"""The daily walk: events on days, region and point targets, the rules in order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from geo.baseline import site_baseline
from geo.control import daily_control, state_table, target_of
from geo.gazetteer import Gazetteer
from geo.models import Place
from geo.profile import load_profile
from geo.sites import build_sites
from geo.timeline import FusedEvent

D = dt.date
HTS, GOV = "HTS-led coalition", "Government"


@pytest.fixture(scope="module")
def world(gazetteer: Gazetteer):
    profile = load_profile()
    sites = build_sites(gazetteer, profile)
    baseline, _ = site_baseline(sites, profile, gazetteer)
    return profile, sites, baseline


def event(place: Place, kind: str, actor: str, day: dt.date | None, n: int = 0) -> FusedEvent:
    return FusedEvent(
        f"e{n}-{place.id}-{kind}",
        place,
        kind,
        actor,
        day,
        "exact",
        day,
        day,
        False,
        0.9,
        "extracted",
        (),
    )


def town(gazetteer: Gazetteer, name: str) -> Place:
    return gazetteer.lookup(name, country="SY")[0]


def walk(world, gazetteer, fused):
    profile, sites, baseline = world
    controls = daily_control(sites, baseline, fused, profile=profile, gazetteer=gazetteer)
    return state_table(sites, controls, profile.days())


def row(state, place: Place, day: dt.date):
    r = state[(state.site_id == place.id) & (state.day == day)].iloc[0]
    return r.controller, r.status, r.basis


def test_a_capture_changes_hands_on_its_day_and_holds_after(world, gazetteer):
    hama = town(gazetteer, "Hama")
    state = walk(world, gazetteer, [event(hama, "captured", HTS, D(2024, 12, 5))])
    assert row(state, hama, D(2024, 12, 4)) == (GOV, "held", "baseline")
    assert row(state, hama, D(2024, 12, 5)) == (HTS, "changed", "extracted")
    assert row(state, hama, D(2024, 12, 6)) == (HTS, "held", "extracted")
    later = state[(state.site_id == hama.id) & (state.day == D(2024, 12, 8))].iloc[0]
    assert later.since == D(2024, 12, 5) and later.event_ids


def test_events_before_the_period_apply_on_its_first_day_and_undated_ones_never(world, gazetteer):
    hama, homs = town(gazetteer, "Hama"), town(gazetteer, "Homs")
    state = walk(
        world,
        gazetteer,
        [event(hama, "captured", HTS, D(2024, 11, 20)), event(homs, "captured", HTS, None)],
    )
    assert row(state, hama, D(2024, 11, 27))[0] == HTS
    assert set(state[state.site_id == homs.id].controller) == {GOV}


def test_a_region_event_acts_on_the_sites_inside_its_shape(world, gazetteer):
    _, sites, _ = world
    unit = next(
        p for p in gazetteer.places.values() if p.kind == "governorate" and p.name == "Daraa"
    )
    target = target_of(
        event(unit, "captured", HTS, D(2024, 12, 6)), sites, sites.index(), gazetteer
    )
    assert target.inside is not None and len(target.inside) > 100
    state = walk(
        world, gazetteer, [event(unit, "captured", "Southern Operations Room", D(2024, 12, 6))]
    )
    daraa = town(gazetteer, "Daraa")
    assert row(state, daraa, D(2024, 12, 6)) == ("Southern Operations Room", "changed", "region")


def test_a_point_that_is_no_site_acts_on_the_nearest_site(world, gazetteer):
    _, sites, _ = world
    hama = town(gazetteer, "Hama")
    spot = Place("cu:spot", "a square", hama.lat + 0.001, hama.lon, "SY", kind="square")
    target = target_of(
        event(spot, "captured", HTS, D(2024, 12, 5)), sites, sites.index(), gazetteer
    )
    assert sites.ids[target.site] == hama.id and target.inside is None


def test_the_capitals_fall_collapses_the_states_ground(world, gazetteer):
    damascus = town(gazetteer, "Damascus")
    state = walk(world, gazetteer, [event(damascus, "captured", HTS, D(2024, 12, 8))])
    day = state[state.day == D(2024, 12, 8)]
    gov = day[day.controller == GOV]
    assert (gov.status == "uncertain").all() and (gov.basis == "collapse").any()
    before = state[state.day == D(2024, 12, 7)]
    assert (before[before.controller == GOV].status == "held").all()


def test_a_withdrawal_by_a_side_that_does_not_hold_the_place_changes_nothing(world, gazetteer):
    idlib = town(gazetteer, "Idlib")
    state = walk(world, gazetteer, [event(idlib, "withdrawal", GOV, D(2024, 12, 1))])
    assert row(state, idlib, D(2024, 12, 1)) == (HTS, "held", "baseline")


def test_state_table_mirrors_event_places_that_are_no_site(world, gazetteer):
    profile, sites, baseline = world
    controls = daily_control(sites, baseline, [], profile=profile, gazetteer=gazetteer)
    i = int(np.flatnonzero(sites.ids == town(gazetteer, "Hama").id)[0])
    state = state_table(
        sites, controls, profile.days(), extra=[("x:1", "Hama square", 35.1, 36.7, i)]
    )
    mirror = state[state.site_id == "x:1"]
    assert len(mirror) == len(profile.days()) and set(mirror.shares) == {sites.ids[i]}
    assert len(state) == (len(sites) + 1) * len(profile.days())
