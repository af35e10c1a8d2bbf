"""The resolution rules at thirty times more names, one family of sentences per rule.

The sentences are ours; positions are approximate (public maps), checked within a few km.
"""

from __future__ import annotations

import pytest

from geo.articles import parse_article
from geo.evaluate import haversine_km
from geo.gazetteer import Gazetteer
from geo.models import Mention
from geo.toponyms import find_mentions


def _mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    return find_mentions(parse_article(text.encode(), path="case.txt"), gazetteer)


def _one(text: str, surface: str, gazetteer: Gazetteer) -> Mention:
    found = [m for m in _mentions(text, gazetteer) if m.surface == surface]
    assert len(found) == 1, [(m.surface, m.place.name) for m in _mentions(text, gazetteer)]
    return found[0]


def _near(m: Mention, lat: float, lon: float, km: float) -> bool:
    return haversine_km(m.place.lat, m.place.lon, lat, lon) <= km


# ---------------------------------------------------------------------------- facilities


@pytest.mark.parametrize(
    ("text", "surface", "kind", "lat", "lon"),
    [
        (
            "Rebels overran the Abu al-Duhur military airport on Sunday.",
            "Abu al-Duhur military airport",
            "air base",
            35.73,
            37.10,
        ),
        (
            "Flights stopped at Damascus international airport after dusk.",
            "Damascus international airport",
            "airport",
            33.41,
            36.52,
        ),
        (
            "Trucks queued at the Nasib-Jaber border crossing for a second day.",
            "Nasib-Jaber border crossing",
            "border crossing",
            32.55,
            36.20,
        ),
        ("Fighters stormed Base 46 west of the city.", "Base 46", "military base", 36.16, 36.90),
        ("Columns reached Brigade 52 by nightfall.", "Brigade 52", "military base", 32.76, 36.35),
        (
            "Fighters took the Defense Factories south-east of Safira.",
            "Defense Factories",
            "military base",
            36.05,
            37.40,
        ),
        ("Families waited outside Saydnaya prison.", "Saydnaya prison", "prison", 33.66, 36.33),
        ("The Tishreen Dam changed hands again.", "Tishreen Dam", "dam", 36.38, 38.18),
        (
            "A Syrian military airbase near the central city of Hama was abandoned.",
            "military airbase",
            "air base",
            35.12,
            36.71,
        ),
    ],
)
def test_facility_phrases_resolve_to_the_facility_not_the_town(
    text: str, surface: str, kind: str, lat: float, lon: float, gazetteer: Gazetteer
) -> None:
    m = _one(text, surface, gazetteer)
    assert m.place.kind == kind, m.place
    assert _near(m, lat, lon, 5), m.place


def test_a_facility_phrase_without_a_known_facility_keeps_the_town(gazetteer: Gazetteer) -> None:
    (m,) = _mentions("The crossing at Jarabulus reopened; Jarabulus crossing is busy.", gazetteer)[
        :1
    ]
    assert m.place.kind in {"populated place", "border crossing"}
    assert _near(m, 36.82, 38.01, 5)


# ---------------------------------------------------------------------------- inside a city


@pytest.mark.parametrize(
    ("text", "surface", "city_lat", "city_lon"),
    [
        ("Fighting reached the Salah al-Din district of Aleppo.", "Salah al-Din", 36.20, 37.16),
        ("Rebels entered Mashhad and Sukkari in Aleppo.", "Mashhad", 36.20, 37.16),
        ("Rebels entered Mashhad and Sukkari in Aleppo.", "Sukkari", 36.20, 37.16),
        ("Crowds filled Umayyad Square in Damascus.", "Umayyad Square", 33.51, 36.29),
        ("Protesters gathered in Al-Karama Square in Sweida.", "Al-Karama Square", 32.71, 36.57),
        ("The SDF still held Sheikh Maqsoud in Aleppo city.", "Sheikh Maqsoud", 36.20, 37.16),
        ("Families sheltered in Suleimaniyeh and Jdeideh in Aleppo.", "Jdeideh", 36.20, 37.16),
        (
            "Bells rang at the Forty Martyrs Cathedral in Aleppo.",
            "Forty Martyrs Cathedral",
            36.20,
            37.16,
        ),
    ],
)
def test_places_inside_a_city_resolve_inside_it(
    text: str, surface: str, city_lat: float, city_lon: float, gazetteer: Gazetteer
) -> None:
    m = _one(text, surface, gazetteer)
    assert m.place.kind in {"neighbourhood", "square", "landmark"}, m.place
    assert _near(m, city_lat, city_lon, 12), m.place


@pytest.mark.parametrize(
    ("text", "surface", "city_lat", "city_lon"),
    [
        # a bare part of a city is that of the city named around it, even a paragraph back
        ("Rebels held Hama by noon.\n\nCrowds climbed the Citadel at dusk.", "Citadel",
         35.14, 36.75),
        ("Aleppo was quiet. Fighters filmed themselves at the Citadel.", "Citadel", 36.20, 37.16),
        ("In Homs, shops in the Old City reopened.", "Old City", 34.73, 36.72),
        ("Damascus woke to gunfire. In the Old City, people stayed home.", "Old City",
         33.51, 36.31),
        ("Homs was calm on Monday, residents said.\n\nA baker near the Clock Tower square said"
         " the night had been quiet.", "Clock Tower square", 34.73, 36.71),
    ],
)  # fmt: skip
def test_a_bare_city_part_is_the_one_of_the_city_named_around_it(
    text: str, surface: str, city_lat: float, city_lon: float, gazetteer: Gazetteer
) -> None:
    m = _one(text, surface, gazetteer)
    assert m.place.country == "SY" and _near(m, city_lat, city_lon, 3), m.place


_FILLER = " Convoys moved along the highway through the day, residents said." * 6


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        # a town listed with its neighbour beats a same-named district of a city the
        # article names only pages away
        (
            "Shelling hit Homs on Monday." + _FILLER + " The towns of Nubl and Zahraa, north"
            " of Aleppo, were emptied by evening.",
            "Zahraa",
            36.37,
            37.0,
        ),
        (
            "Homs was tense." + _FILLER + " Families fled Nubl and al-Zahraa overnight.",
            "al-Zahraa",
            36.37,
            37.0,
        ),
        # with its city in the same sentence, the district is meant
        ("In Homs, shells fell on the Zahra district at dawn.", "Zahra", 34.72, 36.74),
    ],
)
def test_a_city_part_needs_its_city_close_by(
    text: str, surface: str, lat: float, lon: float, gazetteer: Gazetteer
) -> None:
    m = _one(text, surface, gazetteer)
    assert _near(m, lat, lon, 5), m.place


def test_a_named_old_city_elsewhere_stays_there(gazetteer: Gazetteer) -> None:
    m = _one("Pilgrims filled Jerusalem's Old City. Homs was calm.", "Old City", gazetteer)
    assert m.place.country != "SY"


def test_a_karama_square_is_no_village_called_karama(gazetteer: Gazetteer) -> None:
    m = _one("Protesters gathered in Al-Karama Square in Sweida.", "Al-Karama Square", gazetteer)
    assert m.place.admin1 == "As-Suwayda"


# ---------------------------------------------------------------------------- regions


@pytest.mark.parametrize(
    ("text", "surface", "kinds", "lat", "lon", "km"),
    [
        (
            "Clashes spread across the Homs countryside.",
            "Homs countryside",
            {"region"},
            34.72,
            36.72,
            40,
        ),
        (
            "Shelling hit the Aleppo countryside overnight.",
            "Aleppo countryside",
            {"region"},
            36.20,
            37.16,
            40,
        ),
        ("Rebels advanced in western Aleppo.", "western Aleppo", {"region"}, 36.20, 36.95, 25),
        ("Shelling resumed in eastern Idlib.", "eastern Idlib", {"region"}, 35.90, 36.85, 30),
        (
            "Israeli troops entered Quneitra province.",
            "Quneitra province",
            {"governorate"},
            33.0,
            35.8,
            40,
        ),
        (
            "The factions seized almost the entire southwest.",
            "the entire southwest",
            {"region"},
            32.85,
            36.05,
            60,
        ),
        (
            "Local groups rose across the countryside of Hama.",
            "Hama",
            {"region"},
            35.13,
            36.76,
            40,
        ),
    ],
)
def test_regions_are_regions(
    text: str,
    surface: str,
    kinds: set[str],
    lat: float,
    lon: float,
    km: float,
    gazetteer: Gazetteer,
) -> None:
    found = [m for m in _mentions(text, gazetteer) if surface in m.surface]
    assert found, [(m.surface, m.place.name) for m in _mentions(text, gazetteer)]
    m = found[0]
    assert m.place.kind in kinds, m.place
    assert _near(m, lat, lon, km), m.place
    assert gazetteer.shape(m.place.id) is not None, "a region event needs the region's polygon"


@pytest.mark.parametrize("bearing_word", ["northern", "southern", "eastern", "western"])
def test_a_compass_word_narrows_the_countryside_to_its_side(
    bearing_word: str, gazetteer: Gazetteer
) -> None:
    m = _one(f"Fighting spread to {bearing_word} Hama.", f"{bearing_word} Hama", gazetteer)
    town = gazetteer.place(m.place.parent)
    assert town is not None and town.name == "Hama"
    dlat, dlon = m.place.lat - town.lat, m.place.lon - town.lon
    side = {"northern": dlat > 0.05, "southern": dlat < -0.05, "eastern": dlon > 0.05}
    assert side.get(bearing_word, dlon < -0.05), (m.place.lat, m.place.lon)


@pytest.mark.parametrize("bearing_word", ["northern", "southern", "eastern", "western"])
@pytest.mark.parametrize(
    "template",
    [
        "Shelling hit Hama's {} countryside overnight.",
        "Shelling hit the {} countryside of Hama overnight.",
        "Shelling hit the Hama {} countryside overnight.",
    ],
)
def test_the_compass_word_of_a_countryside_phrase_sets_its_side(
    template: str, bearing_word: str, gazetteer: Gazetteer
) -> None:
    # north is bearing 0: a side that reads as false must still be a side
    found = [m for m in _mentions(template.format(bearing_word), gazetteer) if m.place.parent]
    assert found, template
    town = gazetteer.place(found[0].place.parent)
    assert town is not None and town.name == "Hama"
    dlat, dlon = found[0].place.lat - town.lat, found[0].place.lon - town.lon
    side = {"northern": dlat > 0.05, "southern": dlat < -0.05, "eastern": dlon > 0.05}
    assert side.get(bearing_word, dlon < -0.05), (found[0].place.id, dlat, dlon)


# ---------------------------------------------------------------------------- coherence


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("Fighters took Anjara, Urum al-Kubra and Sheikh Aqil on the first day.", 36.31, 36.94),
        ("East of al-Bab, clashes went on near Sheikh Aqil and Qabasin.", 36.37, 37.51),
    ],
)
def test_same_named_villages_resolve_near_the_articles_other_places(
    text: str, lat: float, lon: float, gazetteer: Gazetteer
) -> None:
    m = _one(text, "Sheikh Aqil", gazetteer)
    assert _near(m, lat, lon, 5), (m.place.lat, m.place.lon)


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        # a region of the profile's table against a town of the same name 350 km away
        ("Families fled Tal Rifaat and Shahba for Tabqa.", "Shahba", 36.45, 37.12),
        ("Protesters gathered in Shahba and Suwayda city.", "Shahba", 32.86, 36.63),
        # the Deir ez-Zor banks against Iraqi towns of the same names
        ("The SDF held the Jazira; Mayadin, on the Shamiya, was empty.", "Shamiya", 34.95, 40.3),
        # a crossing against a village of that name far to the north
        (
            "In Daraa, lorries waited at Jaber before the Nasib crossing reopened.",
            "Jaber",
            32.52,
            36.19,
        ),
    ],
)
def test_a_curated_region_or_facility_competes_with_a_homonym_by_nearness(
    text: str, surface: str, lat: float, lon: float, gazetteer: Gazetteer
) -> None:
    m = _one(text, surface, gazetteer)
    assert _near(m, lat, lon, 15), (m.place.name, m.place.lat, m.place.lon)


def test_a_misspelt_village_in_a_list_takes_the_nearest_spelling(gazetteer: Gazetteer) -> None:
    m = _one("They captured Anjara, Urm Al-Kubra and Kafr Basin.", "Urm Al-Kubra", gazetteer)
    assert m.method.startswith("fuzzy") and _near(m, 36.15, 36.95, 5)


# ---------------------------------------------------------------------------- not places


@pytest.mark.parametrize(
    "text",
    [
        "Ghazi said the rebels were close.",
        "The SDF deployed its Deir ez-Zor Military Council in the city.",
        "The Karama movement called for calm.",
        "President Bashar al-Assad fled the country.",
        "Abbas told reporters the talks had failed.",
        "War came back to the north.",
        "Base commanders met on Nov 30.",
    ],
)
def test_people_organisations_and_words_are_not_places(text: str, gazetteer: Gazetteer) -> None:
    found = [(m.surface, m.place.name) for m in _mentions(text, gazetteer)]
    assert found == [], found


# ---------------------------------------------------------------------- own name first


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        # sources list "Kobani" among Afrin's variants; the town called Kobani comes first
        ("Turkish drones struck near Kobani on Monday.", "Kobani", 36.89, 38.35),
        ("The SNA took Afrin in 2018 and now eyes Kobani.", "Kobani", 36.89, 38.35),
        (
            "After Aleppo and Tal Rifaat fell, SNA commanders said Kobani could be next.",
            "Kobani",
            36.89,
            38.35,
        ),
        ("Residents of Afrin said the road to Kobani was cut.", "Afrin", 36.51, 36.87),
        # our own region table names it; an Iraqi town has it only among its other names
        ("Tribal elders of the Jazira met on Monday.", "Jazira", 36.6, 40.9),
    ],
)
def test_a_place_s_own_name_beats_another_s_variant(
    text: str, surface: str, lat: float, lon: float, gazetteer: Gazetteer
) -> None:
    assert _near(_one(text, surface, gazetteer), lat, lon, 5)


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("Kurdish fighters left the Shahba area north of Aleppo.", "Shahba", "region"),
        ("Crowds met in Suwayda. Kurdish fighters later left the Shahba area.", "Shahba", "region"),
        ("Kurdish fighters left the Shahba region on Monday.", "Shahba region", "region"),
        # no region of that name: "the X area" is still the town
        ("Fighting reached the Manbij area overnight.", "Manbij", "populated place"),
        ("Shelling hit the Saraqib area.", "Saraqib", "populated place"),
    ],
)
def test_the_x_area_is_the_region_when_one_has_that_name(
    text: str, surface: str, kind: str, gazetteer: Gazetteer
) -> None:
    assert _one(text, surface, gazetteer).place.kind == kind
