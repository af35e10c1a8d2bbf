"""The baseline of every site: the sub-district table and its cited overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.baseline import read_overrides, site_baseline
from geo.errors import DataError
from geo.gazetteer import Gazetteer
from geo.profile import load_profile
from geo.sites import build_sites


@pytest.fixture(scope="module")
def baseline(gazetteer: Gazetteer):
    profile = load_profile()
    sites = build_sites(gazetteer, profile)
    controller, source = site_baseline(sites, profile, gazetteer)
    return sites, controller, source


def _of(baseline, gazetteer: Gazetteer, name: str) -> tuple[str, str]:
    sites, controller, source = baseline
    place = gazetteer.lookup(name, country="SY")[0]
    i = sites.index()[place.id]
    return controller[i], source[i]


@pytest.mark.parametrize(
    ("name", "controller"),
    [
        ("Sheikh Maqsoud", "SDF"),
        ("Abu Kamal", "Government"),
        ("Hajin", "SDF"),
        ("Nubl", "Government"),
        ("Tal Rifaat", "SDF"),
        ("Idlib", "HTS-led coalition"),
        ("Afrin", "SNA"),
        ("Qamishli", "SDF"),
        ("Deir ez-Zor", "Government"),
        ("Al-Mayadin", "Government"),
        ("Al-Busayrah", "SDF"),
        ("Aleppo", "Government"),
    ],
)
def test_the_baseline_gives_the_controller_public_maps_show(baseline, gazetteer, name, controller):
    got, source = _of(baseline, gazetteer, name)
    assert got == controller
    assert source  # every site cites the row it comes from


def test_every_site_has_a_controller_the_profile_knows(baseline):
    _, controller, source = baseline
    assert set(controller) <= set(load_profile().actor_names)
    assert all(source)


def test_every_override_cites_its_maps(gazetteer: Gazetteer):
    for o in read_overrides(load_profile(), gazetteer):
        assert "26 Nov 2024" in o.source and o.controller


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,Martians,,35,38,5,,,src", "unknown controller"),
        ("x,SDF,,,,,,,", "'source' is empty"),
        ("x,SDF,,35,,5,,,src", "needs place_id"),
        ("x,SDF,gn:nowhere,,,5,,,src", "unknown place"),
    ],
)
def test_a_bad_override_row_is_one_line_naming_it(
    tmp_path: Path, gazetteer: Gazetteer, row: str, message: str
):
    path = tmp_path / "overrides.csv"
    path.write_text(
        "name,controller,place_id,lat,lon,radius_km,wkt,admin1,source\n" + row + "\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=message) as info:
        read_overrides(load_profile(), gazetteer, path)
    assert "overrides.csv:2" in str(info.value) and "\n" not in str(info.value)
