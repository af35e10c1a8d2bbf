"""The gazetteer: transliteration skeletons, the shipped data, and bad data files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.gazetteer import Gazetteer, build_gazetteer, consonant_key, light_fold, normalise
from geo.index import read_gazetteer
from geo.models import Place
from geo.profile import read_profile


@pytest.mark.parametrize(
    ("a", "b", "rule"),
    [
        ("Ḩamāh", "Hamah", "diacritics"),
        ("Sa‘sa‘", "Sa'sa'", "curly and straight apostrophes"),
        ("Sa`sa`", "Saʿsaʿ", "backtick and ayn"),
        ("Al-Bab", "Bab", "article al-"),
        ("el-Bab", "al Bab", "article el-"),
        ("Deir ez-Zor", "Deir Zor", "article ez-"),
        ("Ras al-Ain", "Ras el Ain", "article inside a name"),
        ("ash-Shaddadi", "Shaddadi", "article ash-"),
        ("an-Nabk", "Nabk", "article an-"),
        ("ad-Dumayr", "Dumayr", "article ad-"),
        ("as-Suwayda", "Suwayda", "article as-"),
        ("ar-Raqqa", "Raqqa", "article ar-"),
        ("Deir Hafer", "Dayr Hafer", "Deir/Dayr"),
        ("Dair Atiyah", "Deir Atiyah", "Dair/Deir"),
        ("Tal Abyad", "Tell Abyad", "Tal/Tell"),
        ("Tall Rifat", "Tel Rifat", "Tall/Tel"),
        ("Raqqa", "Raqa", "doubled letters"),
        ("Talbisseh", "Talbiseh", "doubled s"),
        ("Tadmour", "Tadmur", "ou/u"),
        ("Tadmor", "Tadmur", "o/u"),
        ("Qamishlee", "Qamishli", "ee/i"),
        ("Sweida", "Suwayda", "ei/ay and uw"),
        ("Qusair", "Qusayr", "ai/ay"),
        ("Qaem", "Qaim", "ae/ai"),
        ("Hasakah", "Hasaka", "final h after a vowel"),
        ("Talbiseh", "Talbisah", "ta marbuta -eh/-ah"),
        ("Sheikh Maqsoud", "Shaykh Maqsud", "Sheikh/Shaykh"),
        ("Jebel Zawiya", "Jabal Zawiya", "Jebel/Jabal"),
        ("Kfar Nabl", "Kafr Nabl", "Kfar/Kafr"),
        ("Ain Issa", "Ayn Issa", "Ain/Ayn"),
        ("Abou Kamal", "Abu Kamal", "Abou/Abu"),
        ("Tir Maalah", "Teir Maalah", "Tir/Teir"),
        ("Tair Maalah", "Tayr Maalah", "Tair/Tayr"),
        ("Qardaha", "Kardaha", "q/k"),
        ("Syria’s", "Syria", "possessive"),
        ("Aleppo Intl Airport", "Aleppo International Airport", "Intl"),
        ("Aleppo Int'l Airport", "Aleppo International Airport", "Int'l"),
        ("Saadallah Jabiri Sq", "Saadallah Jabiri Square", "Sq"),
        ("Mt Hermon", "Mount Hermon", "Mt"),
    ],
)
def test_spellings_share_a_skeleton(a: str, b: str, rule: str) -> None:
    assert normalise(a) == normalise(b), rule


@pytest.mark.parametrize(
    ("a", "b"),
    [("Homs", "Hama"), ("Aleppo", "Afrin"), ("Idlib", "Izra"), ("Deir ez-Zor", "Deir Hafer")],
)
def test_different_places_keep_different_skeletons(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


def test_consonant_key_drops_vowels() -> None:
    assert consonant_key(normalise("Jarmana")) == consonant_key(normalise("Jaramana"))


def test_light_fold_keeps_vowels_and_articles() -> None:
    assert light_fold("  Ma‘arrat  an-Nu‘mān ") == "ma'arrat an-nu'man"


@pytest.mark.parametrize(
    ("name", "country", "lat", "lon"),
    [
        ("Aleppo", "SY", 36.20, 37.16),
        ("Halab", "SY", 36.20, 37.16),
        ("Deir ez-Zour", "SY", 35.34, 40.14),
        ("Dayr az Zawr", "SY", 35.34, 40.14),
        ("Palmyra", "SY", 34.56, 38.28),
        ("Abu Kamal", "SY", 34.45, 40.92),
        ("Tal Rifaat", "SY", 36.47, 37.09),
        ("Khmeimim", "SY", 35.40, 35.95),
        ("Al-Qaim", "IQ", 34.39, 40.99),
        ("Moscow", "RU", 55.75, 37.62),
        ("Beirut", "LB", 33.89, 35.50),
    ],
)
def test_lookup_ranks_the_expected_place_first(
    gazetteer: Gazetteer, name: str, country: str, lat: float, lon: float
) -> None:
    best = gazetteer.lookup(name)[0]
    assert best.country == country
    assert abs(best.lat - lat) < 0.2 and abs(best.lon - lon) < 0.2


def test_lookup_country_filter(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Tripoli")[0].country == "LB"
    assert gazetteer.lookup("Tripoli", country="ly")[0].country == "LY"
    assert gazetteer.lookup("Tripoli", country="SY") == []


def test_city_outranks_admin_unit_of_the_same_name(gazetteer: Gazetteer) -> None:
    kinds = [p.kind for p in gazetteer.lookup("Homs")]
    assert kinds[0] == "populated place"
    assert {"governorate", "district"} <= set(kinds)
    ranked = gazetteer.rank(gazetteer.candidates("Homs"), kinds=["governorate"])
    assert ranked[0].kind == "governorate"


def test_false_friends_are_not_places(gazetteer: Gazetteer) -> None:
    for word in ("Of", "Sam", "Some", "Sarin", "Assad"):
        assert gazetteer.lookup(word) == [], word
    assert {e.category for e in gazetteer.entries("Hayat Tahrir al-Sham")} == {"org"}


def test_every_alias_resolves(gazetteer: Gazetteer) -> None:
    for key in ("Jarmana", "Mezzeh", "Golan Heights", "Kuweires", "Hmeimim"):
        assert gazetteer.lookup(key), key


def test_missing_file_is_one_clear_error(profile_copy: Path) -> None:
    (profile_copy / "place_aliases.csv").unlink()
    with pytest.raises(DataError, match=r"place_aliases\.csv") as info:
        read_gazetteer(read_profile(profile_copy))
    assert "\n" not in str(info.value)


def test_alias_to_unknown_place_is_rejected(profile_copy: Path) -> None:
    with (profile_copy / "place_aliases.csv").open("a", encoding="utf-8") as f:
        f.write("Nowhere,gn:0,,,,,,,,test\n")
    with pytest.raises(DataError, match="unknown place 'gn:0'"):
        read_gazetteer(read_profile(profile_copy))


def test_binary_data_file_is_one_clear_error(tmp_path: Path) -> None:
    from geo import settings

    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    (data / "countries.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match=r"countries\.csv"):
        read_gazetteer(data_dir=data)


def _town(pid: str, name: str, lat: float, lon: float, population: int, *aliases: str) -> Place:
    return Place(pid, name, lat, lon, "SY", population=population, aliases=aliases)


@pytest.mark.parametrize(
    ("other", "kept"),
    [
        # a town's variant that is another town's own name 140 km away: a wrong record
        (_town("gn:2", "Qubayn", 36.9, 38.4, 50_000), False),
        # villages share names all the time: a hamlet of that name proves nothing
        (_town("gn:2", "Qubayn", 36.9, 38.4, 0), True),
        # the same spot under two records is no contradiction
        (_town("gn:2", "Qubayn", 36.52, 36.88, 50_000), True),
    ],
)
def test_a_variant_that_is_another_town_s_own_name_is_dropped(other: Place, kept: bool) -> None:
    first = _town("gn:1", "Arwan", 36.51, 36.87, 48_000, "Qubayn")
    gaz = build_gazetteer(
        [first, other], [], countries=[], false_friends=[], given_names=(), focus="SY"
    )
    refs = {e.ref for e in gaz.keys[normalise("Qubayn")]}
    assert ("gn:1" in refs) is kept
    assert "gn:2" in refs
