"""Territory: the outline, atoms of cells, daily control areas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.errors import DataError
from geo.gazetteer import Gazetteer
from geo.inference import Control
from geo.profile import load_profile, read_profile
from geo.sites import build_sites, site_cells
from geo.territory import (
    TERRITORY_COLUMNS,
    area_by_actor,
    atoms_of,
    read_outline,
    territory,
    territory_for_day,
)

DAYS = [dt.date(2024, 11, 29), dt.date(2024, 11, 30), dt.date(2024, 12, 1)]
HTS, GOV = "HTS-led coalition", "Government"


@pytest.fixture(scope="module")
def outline() -> gpd.GeoDataFrame:
    return read_outline()


@pytest.fixture(scope="module")
def outline_km2(outline: gpd.GeoDataFrame) -> float:
    return float(outline.to_crs(load_profile().crs).area.sum() / 1e6)


@pytest.fixture(scope="module")
def model(gazetteer: Gazetteer, outline: gpd.GeoDataFrame):
    profile = load_profile()
    sites = build_sites(gazetteer, profile)
    return sites, site_cells(sites, outline, gazetteer, profile)


def _controls(sites, flips: dict[int, list[int]]) -> list[Control]:
    """Everything Government but the sites ``flips[day]`` (HTS that day)."""
    out = []
    for d in range(len(DAYS)):
        ctl = Control.start(np.full(len(sites), GOV, dtype=object), 0)
        for i in flips.get(d, []):
            ctl.controller[i] = HTS
            ctl.status[i] = "changed"
            ctl.basis[i] = "extracted"
        out.append(ctl)
    return out


# ---------------------------------------------------------------------------
# the outline file


def test_read_outline_is_one_polygon_in_wgs84(outline: gpd.GeoDataFrame, outline_km2: float):
    assert outline.crs == "EPSG:4326"
    assert len(outline) == 1
    assert 180_000 < outline_km2 < 190_000  # Syria less the occupied Golan


def test_missing_outline_raises_data_error_naming_the_file(profile_copy: Path):
    profile = read_profile(profile_copy)
    profile.file("outline").unlink()
    with pytest.raises(DataError, match=profile.file("outline").name) as info:
        read_outline(profile)
    assert "\n" not in str(info.value)


def test_corrupt_outline_raises_data_error_naming_the_file(profile_copy: Path):
    profile = read_profile(profile_copy)
    profile.file("outline").write_text('{"type": "FeatureCollection", "feat', encoding="utf-8")
    with pytest.raises(DataError, match=profile.file("outline").name):
        read_outline(profile)


# ---------------------------------------------------------------------------
# days


def test_a_day_is_one_feature_per_key_and_adds_up_to_the_country(model, outline_km2: float):
    sites, cells = model
    hama = sites.index()[load_gazetteer_id("Hama")]
    result = territory(cells, _controls(sites, {1: [hama], 2: [hama]}), DAYS)
    assert list(result.columns) == [*TERRITORY_COLUMNS, "geometry"]
    assert result.crs == "EPSG:4326"
    assert not result.duplicated(
        ["day", "controller", "status", "basis", "sparsely_populated"]
    ).any()
    for _, day in result.groupby("day"):
        assert day["area_km2"].sum() == pytest.approx(outline_km2, rel=0.001)
        assert day.geometry.is_valid.all()
    assert set(result["sparsely_populated"]) == {True, False}
    day2 = result[result["day"] == DAYS[1]]
    assert (day2["controller"] == HTS).any()
    assert not (result[result["day"] == DAYS[0]]["controller"] == HTS).any()


def test_a_flipped_site_moves_its_cell_between_actors(model):
    sites, cells = model
    hama = sites.index()[load_gazetteer_id("Hama")]
    result = territory(cells, _controls(sites, {1: [hama]}), DAYS)
    areas = area_by_actor(result).pivot(index="day", columns="controller", values="area_km2")
    own = cells.area_km2[cells.site == hama].sum()
    assert areas.loc[DAYS[1], HTS] == pytest.approx(own)
    assert areas.loc[DAYS[0], GOV] - areas.loc[DAYS[1], GOV] == pytest.approx(own)
    assert areas.loc[DAYS[2], HTS] == 0  # listed with nothing left


def test_one_day_equals_the_same_day_of_all_days(model):
    sites, cells = model
    controls = _controls(sites, {1: [0, 1, 2]})
    atoms = atoms_of(cells, controls, DAYS)
    alone = territory_for_day(atoms, 1)
    every = territory(cells, controls, DAYS)
    every = every[every["day"] == DAYS[1]].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        pd.DataFrame(alone.drop(columns="geometry")), pd.DataFrame(every.drop(columns="geometry"))
    )
    assert len(atoms.geometry) < len(cells.site) / 10  # cells merged into far fewer atoms


def test_atoms_want_days(model):
    _, cells = model
    with pytest.raises(ValueError, match="no days"):
        atoms_of(cells, [], [])


def load_gazetteer_id(name: str) -> str:
    from geo.gazetteer import load_gazetteer

    return load_gazetteer().lookup(name, country="SY")[0].id
