"""Territory: Voronoi cells, corridors, daily control areas and the outline file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.errors import DataError
from geo.gazetteer import load_gazetteer
from geo.profile import read_profile
from geo.territory import (
    METRIC_CRS,
    area_by_actor,
    build_territory,
    infer_corridors,
    read_outline,
    territory_for_day,
    tessellate,
)

DAY1 = dt.date(2024, 11, 29)
DAY2 = dt.date(2024, 11, 30)
HTS = "HTS-led coalition"
GOV = "Government"

# (site_id, lat, lon, controller): a handful of real towns with made-up baseline controllers
TOWNS = [
    ("idlib", 35.93, 36.63, HTS),
    ("aleppo", 36.20, 37.16, GOV),
    ("maarat", 35.65, 36.67, GOV),  # on the Idlib-Hama road
    ("khan-shaykhun", 35.44, 36.65, GOV),  # on the Idlib-Hama road
    ("hama", 35.13, 36.75, GOV),
    ("homs", 34.73, 36.71, GOV),
    ("latakia", 35.52, 35.79, GOV),
    ("damascus", 33.51, 36.29, GOV),
    ("daraa", 32.62, 36.10, GOV),
    ("raqqa", 35.95, 39.01, "SDF"),
    ("deir-ez-zor", 35.33, 40.14, GOV),
    ("qamishli", 37.05, 41.22, "SDF"),
]


def _state(day: dt.date = DAY1, changes: dict[str, tuple[str, str, str]] | None = None):
    """One day's sites at baseline, with ``changes[site] = (controller, status, basis)``."""
    rows = [
        {
            "site_id": site,
            "lat": lat,
            "lon": lon,
            "day": day,
            "controller": controller,
            "status": "held",
            "basis": "baseline",
        }
        for site, lat, lon, controller in TOWNS
    ]
    frame = pd.DataFrame(rows)
    for site, (controller, status, basis) in (changes or {}).items():
        frame.loc[frame["site_id"] == site, ["controller", "status", "basis"]] = [
            controller,
            status,
            basis,
        ]
    return frame


def _points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"site_id": frame["site_id"]},
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def outline() -> gpd.GeoDataFrame:
    return read_outline()


@pytest.fixture(scope="module")
def outline_km2(outline: gpd.GeoDataFrame) -> float:
    return float(outline.to_crs(METRIC_CRS).area.sum() / 1e6)


@pytest.fixture(scope="module")
def cells(outline: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return tessellate(_points(_state()), outline)


@pytest.fixture(scope="module")
def subdistricts() -> gpd.GeoDataFrame:
    units = [p for p in load_gazetteer().places.values() if p.kind == "subdistrict"]
    frame = pd.DataFrame(
        {
            "site_id": [p.id for p in units],
            "lat": [p.lat for p in units],
            "lon": [p.lon for p in units],
        }
    )
    return _points(frame)


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
# cells


@pytest.mark.parametrize("which", ["towns", "subdistricts"])
def test_cells_tile_the_outline(
    which: str,
    outline: gpd.GeoDataFrame,
    outline_km2: float,
    subdistricts: gpd.GeoDataFrame,
):
    sites = _points(_state()) if which == "towns" else subdistricts
    result = tessellate(sites, outline)
    assert result.crs == METRIC_CRS
    assert result["site_id"].is_unique
    # every site inside Syria has a cell; one in the occupied Golan (Al-Butayhah) may not
    inside = sites[sites.within(outline.geometry.iloc[0])]
    assert set(inside["site_id"]) <= set(result["site_id"]) <= set(sites["site_id"])
    assert len(result) >= len(sites) - 1
    region = outline.to_crs(METRIC_CRS).geometry.iloc[0].buffer(1.0)
    assert result.within(region).all()
    assert result.union_all().area / 1e6 == pytest.approx(outline_km2, rel=0.01)
    # cells do not overlap: their areas add up to the union's
    assert result.area.sum() / 1e6 == pytest.approx(outline_km2, rel=0.01)


def test_each_site_lies_in_its_own_cell(cells: gpd.GeoDataFrame):
    sites = _points(_state()).to_crs(METRIC_CRS).set_index("site_id").geometry
    own = cells.set_index("site_id").geometry
    assert own.contains(sites.loc[own.index]).all()


def test_sites_at_the_same_spot_share_one_cell(outline: gpd.GeoDataFrame, outline_km2: float):
    state = _state()
    twin = state[state["site_id"] == "hama"].assign(site_id="hama-airport")
    state = pd.concat([state, twin], ignore_index=True)
    result = tessellate(_points(state), outline)
    hama = result.set_index("site_id").loc[["hama", "hama-airport"]]
    assert list(hama["cell_id"]) == ["hama", "hama"]
    assert hama.geometry.iloc[0].equals(hama.geometry.iloc[1])
    assert result.union_all().area / 1e6 == pytest.approx(outline_km2, rel=0.01)


def test_a_shared_cell_is_counted_once_and_goes_to_the_reported_site(
    outline: gpd.GeoDataFrame, outline_km2: float
):
    state = _state()
    twin = state[state["site_id"] == "hama"].assign(
        site_id="hama-airport", controller=HTS, status="changed", basis="extracted"
    )
    state = pd.concat([state, twin], ignore_index=True)
    result = territory_for_day(tessellate(_points(state), outline), state)
    assert result["area_km2"].sum() == pytest.approx(outline_km2, rel=0.01)
    assert ((result["controller"] == HTS) & (result["basis"] == "extracted")).any()


def test_first_site_wins_a_shared_cell_between_equals(outline: gpd.GeoDataFrame):
    state = _state()
    twin = state[state["site_id"] == "raqqa"].assign(site_id="raqqa-2", controller=GOV)
    state = pd.concat([state, twin], ignore_index=True)
    cells = tessellate(_points(state), outline)
    alone = territory_for_day(tessellate(_points(_state()), outline), _state())
    assert_geodataframe_equal(territory_for_day(cells, state), alone)


def test_tessellate_refuses_sites_without_crs(outline: gpd.GeoDataFrame):
    sites = _points(_state()).set_crs(None, allow_override=True)
    with pytest.raises(TypeError, match="crs"):
        tessellate(sites, outline)


# ---------------------------------------------------------------------------
# one day's areas


def test_territory_for_day_dissolves_by_controller_status_and_basis(
    cells: gpd.GeoDataFrame, outline_km2: float
):
    state = _state(
        changes={
            "hama": (HTS, "changed", "extracted"),
            "homs": (HTS, "contested", "curated"),
            "aleppo": (HTS, "held", "extracted"),
        }
    )
    result = territory_for_day(cells, state)
    groups = state[["controller", "status", "basis"]].drop_duplicates()
    assert len(result) == len(groups)
    assert list(result.columns) == ["day", "controller", "status", "basis", "area_km2", "geometry"]
    assert result.crs == "EPSG:4326"
    assert (result["day"] == DAY1).all()
    assert (result["area_km2"] > 0).all()
    assert result["area_km2"].sum() == pytest.approx(outline_km2, rel=0.01)
    contested = result[result["status"] == "contested"]
    assert list(contested["controller"]) == [HTS]
    # the km² are those of the cells, not of degrees
    homs = cells.loc[cells["site_id"] == "homs"].area.iloc[0] / 1e6
    assert contested["area_km2"].iloc[0] == pytest.approx(homs)


def test_a_site_missing_from_the_day_is_drawn_as_unknown(
    cells: gpd.GeoDataFrame, outline_km2: float
):
    state = _state()
    result = territory_for_day(cells, state[state["site_id"] != "daraa"])
    assert "unknown" in set(result["controller"])
    assert result["area_km2"].sum() == pytest.approx(outline_km2, rel=0.01)


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        ("controller", "ISIS", "controller 'ISIS'"),
        ("status", "lost", "status 'lost'"),
        ("basis", "rumour", "basis 'rumour'"),
        ("lat", float("nan"), "coordinate for site 'idlib'"),
    ],
)
def test_bad_values_are_refused_by_name(
    cells: gpd.GeoDataFrame, column: str, value: object, error: str
):
    state = _state()
    state[column] = state[column].astype(object)
    state.loc[0, column] = value
    with pytest.raises(ValueError, match=error):
        territory_for_day(cells, state)


def test_territory_for_day_wants_one_day(cells: gpd.GeoDataFrame):
    with pytest.raises(ValueError, match="one day"):
        territory_for_day(cells, pd.concat([_state(DAY1), _state(DAY2)]))


def test_a_flipped_site_moves_its_area_between_actors(cells: gpd.GeoDataFrame):
    day1 = territory_for_day(cells, _state(DAY1))
    day2 = territory_for_day(cells, _state(DAY2, changes={"aleppo": (HTS, "changed", "curated")}))
    areas = area_by_actor(pd.concat([day1, day2], ignore_index=True))
    assert list(areas.columns) == ["day", "controller", "area_km2"]
    table = areas.pivot(index="day", columns="controller", values="area_km2")
    aleppo = cells.loc[cells["site_id"] == "aleppo"].area.iloc[0] / 1e6
    assert table.loc[DAY2, HTS] - table.loc[DAY1, HTS] == pytest.approx(aleppo)
    assert table.loc[DAY1, GOV] - table.loc[DAY2, GOV] == pytest.approx(aleppo)
    assert table.loc[DAY2, "SDF"] == pytest.approx(table.loc[DAY1, "SDF"])


def test_area_by_actor_lists_an_actor_with_nothing_left_as_zero(cells: gpd.GeoDataFrame):
    day2_changes = {site: (HTS, "changed", "extracted") for site in ("raqqa", "qamishli")}
    territory = pd.concat(
        [
            territory_for_day(cells, _state(DAY1)),
            territory_for_day(cells, _state(DAY2, day2_changes)),
        ]
    )
    areas = area_by_actor(territory).set_index(["day", "controller"])["area_km2"]
    assert areas.loc[(DAY1, "SDF")] > 0
    assert areas.loc[(DAY2, "SDF")] == 0


# ---------------------------------------------------------------------------
# corridors


def test_a_far_capture_pulls_the_corridor_into_the_actors_hands():
    state = _state(changes={"hama": (HTS, "changed", "extracted")})
    result = infer_corridors(state).set_index("site_id")
    for site in ("maarat", "khan-shaykhun"):
        assert tuple(result.loc[site, ["controller", "status", "basis"]]) == (
            HTS,
            "held",
            "inferred",
        )
    # off the corridor: untouched
    for site in ("aleppo", "latakia", "homs", "raqqa"):
        assert tuple(result.loc[site, ["controller", "basis"]]) == (
            state.set_index("site_id").loc[site, "controller"],
            "baseline",
        )
    assert tuple(result.loc["hama", ["controller", "status", "basis"]]) == (
        HTS,
        "changed",
        "extracted",
    )


def test_corridors_work_by_position_not_index_label():
    state = _state(changes={"hama": (HTS, "changed", "extracted")})
    by_label = infer_corridors(state)
    repeated = infer_corridors(state.set_axis([0] * len(state)))
    pd.testing.assert_frame_equal(repeated.reset_index(drop=True), by_label)


def test_corridors_never_overwrite_reported_sites():
    state = _state(
        changes={
            "hama": (HTS, "changed", "extracted"),
            "khan-shaykhun": (GOV, "held", "curated"),
            "maarat": ("SNA", "contested", "extracted"),
        }
    )
    result = infer_corridors(state)
    pd.testing.assert_frame_equal(result, state)


def test_infer_corridors_does_not_mutate_its_input():
    state = _state(changes={"hama": (HTS, "changed", "extracted")})
    before = state.copy()
    result = infer_corridors(state)
    pd.testing.assert_frame_equal(state, before)
    assert result is not state
    assert (result["basis"] == "inferred").any()


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"hama": (GOV, "changed", "extracted")}, "the Government does not expand"),
        ({"hama": ("local uprising", "changed", "extracted")}, "nor does a local uprising"),
        ({"hama": (HTS, "contested", "extracted")}, "a contested site is no gain yet"),
        ({"hama": (HTS, "changed", "inferred")}, "only reported gains pull corridors"),
        (
            {"homs": ("SNA", "changed", "extracted")},
            "the SNA has no baseline site here and no site lies within reach of Homs",
        ),
    ],
)
def test_no_corridor_without_a_reported_gain_and_a_starting_area(changes, why):
    state = _state(changes=changes)
    pd.testing.assert_frame_equal(infer_corridors(state), state, obj=why)


def test_an_actor_without_a_starting_area_takes_the_surroundings():
    state = _state(changes={"daraa": ("Southern Operations Room", "changed", "extracted")})
    near = pd.DataFrame(
        [
            {
                "site_id": "daraa-east",
                "lat": 32.64,
                "lon": 36.16,
                "day": DAY1,
                "controller": GOV,
                "status": "held",
                "basis": "baseline",
            }
        ]
    )
    state = pd.concat([state, near], ignore_index=True)
    result = infer_corridors(state, width_km=15.0).set_index("site_id")
    assert tuple(result.loc["daraa-east", ["controller", "basis"]]) == (
        "Southern Operations Room",
        "inferred",
    )
    assert result.loc["damascus", "controller"] == GOV


def test_a_wider_corridor_takes_more():
    state = _state(changes={"homs": (HTS, "changed", "extracted")})
    narrow = infer_corridors(state, width_km=1.0)
    wide = infer_corridors(state, width_km=15.0)
    inferred_narrow = set(narrow.loc[narrow["basis"] == "inferred", "site_id"])
    inferred_wide = set(wide.loc[wide["basis"] == "inferred", "site_id"])
    assert inferred_narrow < inferred_wide
    assert "hama" in inferred_wide


# ---------------------------------------------------------------------------
# all days


def test_build_territory_is_the_days_one_by_one(outline: gpd.GeoDataFrame):
    changes = {"hama": (HTS, "changed", "extracted")}
    state = pd.concat([_state(DAY2, changes), _state(DAY1)], ignore_index=True)
    result = build_territory(state, outline=outline)
    assert result.crs == "EPSG:4326"
    assert list(result["day"]) == sorted(result["day"])
    for _, group in result.groupby("day"):
        assert list(group["controller"]) == sorted(group["controller"])
    cells = tessellate(_points(_state()), outline)
    day2 = territory_for_day(cells, infer_corridors(_state(DAY2, changes)))
    assert_geodataframe_equal(
        result[result["day"] == DAY2].reset_index(drop=True),
        day2,
        check_less_precise=True,
    )
    assert "inferred" in set(day2["basis"])


def test_build_territory_without_inference_has_no_inferred_areas(outline: gpd.GeoDataFrame):
    state = _state(changes={"hama": (HTS, "changed", "extracted")})
    result = build_territory(state, outline=outline, infer=False)
    assert "inferred" not in set(result["basis"])


def test_build_territory_reads_timestamps_as_days(outline: gpd.GeoDataFrame):
    state = _state().assign(day=pd.Timestamp(DAY1))
    result = build_territory(state, outline=outline)
    assert set(result["day"]) == {DAY1}


def test_duplicate_coordinates_do_not_break_the_build(outline: gpd.GeoDataFrame):
    state = _state()
    twins = state.assign(site_id=state["site_id"] + "-twin")
    result = build_territory(pd.concat([state, twins], ignore_index=True), outline=outline)
    assert_geodataframe_equal(result, build_territory(state, outline=outline))
