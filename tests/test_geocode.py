"""Geocoders: the offline gazetteer as a geopy Geocoder, the cache, and the plugin registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderTimedOut
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.errors import ConfigurationError, GeocoderUnavailable
from geo.geocode import (
    GEOCODERS,
    CachedGeocoder,
    FallbackGeocoder,
    GazetteerGeocoder,
    GeocoderFallbackWarning,
    get_geocoder,
)


class GeocoderContract:
    """What every frontline geocoder must do; subclassed per backend (after geopy's tests)."""

    def make(self, tmp_path: Path) -> Any:
        raise NotImplementedError

    def test_known_name_gives_a_location(self, tmp_path: Path) -> None:
        loc = self.make(tmp_path).geocode("Aleppo")
        assert isinstance(loc, Location)
        assert abs(loc.latitude - 36.2) < 0.1 and abs(loc.longitude - 37.16) < 0.1

    def test_unknown_name_gives_none(self, tmp_path: Path) -> None:
        assert self.make(tmp_path).geocode("Qwzxv Plateau of Nowhere") is None

    def test_exactly_one_false_gives_a_list(self, tmp_path: Path) -> None:
        locs = self.make(tmp_path).geocode("Aleppo", exactly_one=False)
        assert isinstance(locs, list) and all(isinstance(x, Location) for x in locs)


class TestGazetteerGeocoder(GeocoderContract):
    def make(self, tmp_path: Path) -> GazetteerGeocoder:
        return GazetteerGeocoder()

    def test_is_a_geopy_geocoder_with_the_row_in_raw(self) -> None:
        geocoder = GazetteerGeocoder()
        assert isinstance(geocoder, Geocoder)
        loc = geocoder.geocode("Deir ez-Zour")
        assert loc.raw["id"] == "gn:170794" and loc.raw["country"] == "SY"

    def test_country_suffix_and_keyword_restrict(self) -> None:
        geocoder = GazetteerGeocoder()
        assert geocoder.geocode("Tripoli").raw["country"] == "LB"
        assert geocoder.geocode("Tripoli, Libya").raw["country"] == "LY"
        assert geocoder.geocode("Tripoli", country="ly").raw["country"] == "LY"

    def test_spelling_variants_and_fuzzy(self) -> None:
        geocoder = GazetteerGeocoder()
        for name in ("Menbij", "Saraqeb", "Jarmanah", "Jaramanna"):
            assert geocoder.geocode(name) is not None, name

    def test_query_must_be_a_string(self) -> None:
        with pytest.raises(TypeError, match="query must be a string"):
            GazetteerGeocoder().geocode(None)  # type: ignore[arg-type]

    def test_works_with_geopandas_geocode(self) -> None:
        frame = gpd.tools.geocode(
            ["Aleppo", "Palmyra", "Nowhere Qwzxv"], provider=GazetteerGeocoder
        )
        assert frame.crs == "EPSG:4326"
        assert frame.geometry.iloc[0].y == pytest.approx(36.2, abs=0.1)
        assert frame.geometry.iloc[1].x == pytest.approx(38.28, abs=0.1)
        assert frame.geometry.iloc[2].is_empty

    @pytest.mark.parametrize(
        ("query", "kind", "lat", "lon"),
        [
            ("حماة", "populated place", 35.13, 36.76),
            ("Tadmur", "populated place", 34.56, 38.28),
            ("Damascus international airport", "airport", 33.41, 36.52),
            ("Saydnaya prison", "prison", 33.66, 36.33),
            ("the Homs countryside", "region", 34.72, 36.72),
            ("Quneitra province", "governorate", 33.03, 35.78),
        ],
    )
    def test_answers_from_the_whole_index(
        self, query: str, kind: str, lat: float, lon: float
    ) -> None:
        loc = GazetteerGeocoder().geocode(query)
        assert loc is not None and loc.raw["kind"] == kind, query
        assert abs(loc.latitude - lat) < 0.35 and abs(loc.longitude - lon) < 0.35

    def test_all_candidates_ranked_and_named_as_people_know_them(self) -> None:
        found = GazetteerGeocoder().geocode("Hama", exactly_one=False)
        assert [loc.raw["kind"] for loc in found][:1] == ["populated place"]
        assert {"governorate", "district"} <= {loc.raw["kind"] for loc in found}
        first = found[0].raw
        assert (first["name"], first["gazetteer_name"]) == ("Hama", "Ḩamāh")
        assert first["name_ar"] in {"حماة", "حماه"}  # both spellings of the Arabic name

    def test_works_with_the_rate_limiter(self) -> None:
        limited = RateLimiter(GazetteerGeocoder().geocode, min_delay_seconds=0)
        assert limited("Hama").raw["country"] == "SY"


class SavedAnswerAdapter(BaseSyncAdapter):
    """Answers every request from a saved file and counts calls (stands in for the network)."""

    calls = 0
    body: Any = None
    fail = False

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        type(self).calls += 1
        if type(self).fail:
            raise GeocoderTimedOut("saved adapter: timed out")
        return type(self).body

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        return json.dumps(self.get_json(url, timeout=timeout, headers=headers))


@pytest.fixture
def nominatim(data_dir: Path) -> Nominatim:
    SavedAnswerAdapter.calls = 0
    SavedAnswerAdapter.fail = False
    SavedAnswerAdapter.body = json.loads((data_dir / "nominatim" / "aleppo.json").read_text())
    return Nominatim(user_agent="frontline-tests", adapter_factory=SavedAnswerAdapter)


class TestCachedNominatim(GeocoderContract):
    @pytest.fixture(autouse=True)
    def _service(self, nominatim: Nominatim) -> None:
        self.service = nominatim

    def make(self, tmp_path: Path) -> CachedGeocoder:
        return CachedGeocoder(
            self.service, tmp_path / "cache.sqlite", min_delay_seconds=0, error_wait_seconds=0
        )

    def test_unknown_name_gives_none(self, tmp_path: Path) -> None:
        SavedAnswerAdapter.body = []
        super().test_unknown_name_gives_none(tmp_path)

    def test_each_query_goes_out_once(self, tmp_path: Path) -> None:
        cached = self.make(tmp_path)
        first = cached.geocode("Aleppo")
        again = CachedGeocoder(self.service, tmp_path / "cache.sqlite").geocode("Aleppo")
        assert SavedAnswerAdapter.calls == 1
        assert (again.latitude, again.longitude, again.address) == (
            first.latitude,
            first.longitude,
            first.address,
        )
        assert again.raw["display_name"].startswith("Aleppo")

    def test_service_failure_is_geocoder_unavailable(self, tmp_path: Path) -> None:
        SavedAnswerAdapter.fail = True
        with pytest.raises(GeocoderUnavailable, match="'Aleppo'"):
            self.make(tmp_path).geocode("Aleppo")


def test_registry_builds_each_geocoder(tmp_path: Path) -> None:
    assert set(GEOCODERS) >= {"gazetteer", "nominatim"}
    assert isinstance(get_geocoder(), GazetteerGeocoder)
    online = get_geocoder(
        "nominatim", cache_dir=tmp_path, adapter_factory=SavedAnswerAdapter, fallback=False
    )
    assert isinstance(online, CachedGeocoder) and isinstance(online.geocoder, Nominatim)
    assert isinstance(
        get_geocoder("nominatim", cache_dir=tmp_path, adapter_factory=SavedAnswerAdapter),
        FallbackGeocoder,
    )


def test_a_failing_online_geocoder_falls_back_to_the_gazetteer(
    nominatim: Nominatim, tmp_path: Path
) -> None:
    SavedAnswerAdapter.fail = True
    online = FallbackGeocoder(
        CachedGeocoder(
            nominatim,
            tmp_path / "c.sqlite",
            min_delay_seconds=0,
            max_retries=0,
            error_wait_seconds=0,
        )
    )
    with pytest.warns(GeocoderFallbackWarning, match="offline gazetteer"):
        loc = online.geocode("Deir ez-Zour")
    assert loc.raw["id"] == "gn:170794"


def test_a_working_online_geocoder_is_used(nominatim: Nominatim, tmp_path: Path) -> None:
    online = FallbackGeocoder(CachedGeocoder(nominatim, tmp_path / "c.sqlite", min_delay_seconds=0))
    assert online.geocode("Aleppo").raw["display_name"].startswith("Aleppo")


def test_unknown_geocoder_name() -> None:
    with pytest.raises(ConfigurationError, match="unknown geocoder 'nope'"):
        get_geocoder("nope")
