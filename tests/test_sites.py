"""Sites (the gazetteer's towns and facilities) and the cells of ground they stand for."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.gazetteer import Gazetteer
from geo.profile import load_profile
from geo.sites import SETTLED_KM, SITE_KINDS, Cells, build_sites, site_cells
from geo.territory import read_outline


@pytest.fixture(scope="module")
def sites(gazetteer: Gazetteer):
    return build_sites(gazetteer, load_profile())


@pytest.fixture(scope="module")
def cells(sites, gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory) -> Cells:
    return site_cells(
        sites, read_outline(), gazetteer, load_profile(), cache_dir=tmp_path_factory.mktemp("c")
    )


def test_sites_are_the_countrys_towns_and_facilities(sites, gazetteer: Gazetteer):
    assert len(sites) > 9_000
    assert set(sites.kinds) <= SITE_KINDS
    assert {"populated place", "air base", "border crossing", "neighbourhood"} <= set(sites.kinds)
    assert all(gazetteer.places[i].country == load_profile().country for i in sites.ids)
    assert len(set(sites.ids)) == len(sites)


def test_no_two_sites_share_a_spot(sites):
    xy = np.round(np.column_stack([sites.x, sites.y]) / 100.0)
    assert len(np.unique(xy, axis=0)) == len(sites)


@pytest.mark.parametrize(
    ("name", "seat"),
    [("Hama", "district"), ("Maarat al-Numan", "district"), ("Saraqib", "subdistrict")],
)
def test_seats_are_marked(sites, gazetteer: Gazetteer, name: str, seat: str):
    place = gazetteer.lookup(name, country="SY")[0]
    i = sites.index()[place.id]
    assert sites.seat[i] == seat


def test_every_site_has_a_district_and_a_subdistrict_of_that_district(sites):
    assert all(d.startswith("os:") for d in sites.district)
    assert all(sub.startswith(d) for sub, d in zip(sites.subdistrict, sites.district, strict=True))


def test_cells_tile_the_outline_as_a_clean_coverage(cells: Cells, sites):
    outline = read_outline().to_crs(sites.crs).geometry.iloc[0]
    assert cells.area_km2.sum() == pytest.approx(outline.area / 1e6, rel=0.001)
    assert shapely.coverage_is_valid(cells.geometry)
    assert set(np.unique(cells.site)) <= set(range(len(sites)))


def test_the_desert_is_sparse_and_towns_are_settled(cells: Cells, sites, gazetteer: Gazetteer):
    assert 0.2 < cells.area_km2[cells.sparse].sum() / cells.area_km2.sum() < 0.6
    settled = cells.geometry[~cells.sparse]
    own = np.flatnonzero(~cells.sparse)
    # a settled cell lies around its own site (but for sites just outside the outline)
    hits = shapely.contains(settled, sites.points[cells.site[own]])
    assert hits.mean() > 0.97
    # sparse ground is far from every site
    sparse_points = shapely.point_on_surface(cells.geometry[cells.sparse])
    tree = shapely.STRtree(sites.points)
    _, dist = tree.query_nearest(sparse_points, return_distance=True)
    assert np.median(dist) > SETTLED_KM * 1000.0


def test_cells_are_kept_and_read_back(sites, gazetteer: Gazetteer, tmp_path: Path):
    profile = load_profile()
    gazetteer.derived.clear()
    first = site_cells(sites, read_outline(), gazetteer, profile, cache_dir=tmp_path)
    assert list(tmp_path.glob("cells-*.pickle"))
    gazetteer.derived.clear()
    again = site_cells(sites, read_outline(), gazetteer, profile, cache_dir=tmp_path)
    assert np.array_equal(first.site, again.site)
    assert shapely.equals(first.geometry, again.geometry).all()


def test_nearest_and_within(sites, gazetteer: Gazetteer):
    hama = gazetteer.lookup("Hama", country="SY")[0]
    assert sites.ids[sites.nearest(hama.lat, hama.lon)] == hama.id
    box = shapely.box(hama.lon - 0.05, hama.lat - 0.05, hama.lon + 0.05, hama.lat + 0.05)
    inside = sites.within(box)
    assert sites.index()[hama.id] in inside
    frame = sites.frame()
    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs == sites.crs
