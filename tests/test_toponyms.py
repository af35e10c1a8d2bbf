"""Place recognition: the gold set, unseen articles, false friends and disambiguation."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from geo.articles import read_article
from geo.evaluate import (
    haversine_km,
    read_gold_places,
    score_places,
    score_places_strict,
)
from geo.gazetteer import Gazetteer
from geo.models import Article, Mention
from geo.toponyms import find_mentions


def _article(text: str) -> Article:
    return Article(id=hashlib.sha256(text.encode()).hexdigest()[:16], path="t.txt", text=text)


def _found(text: str, gazetteer: Gazetteer) -> list[Mention]:
    return find_mentions(_article(text), gazetteer)


def test_seed_gold_set_recall_and_precision(
    seeds_dir: Path, eval_dir: Path, gazetteer: Gazetteer
) -> None:
    pairs = []
    for path in sorted(seeds_dir.glob("*.txt")):
        article = read_article(path)
        pairs += [(article.name, m) for m in find_mentions(article, gazetteer)]
    score = score_places(pairs, read_gold_places(eval_dir / "seed_places.csv"))
    print(f"seed places: recall {score.recall:.3f}, precision {score.precision:.3f}")
    assert score.recall >= 0.97, score.missed
    assert score.precision >= 0.95, [(m.surface, m.place.name) for _, m in score.extra]


def test_development_reports_strict_recall_and_precision(
    eval_dir: Path, gazetteer: Gazetteer
) -> None:
    """Reports from other outlets, scored as the shared scorer does (same name, 15/40 km)."""
    pairs = []
    for path in sorted((eval_dir / "dev" / "articles").glob("*.txt")):
        article = read_article(path)
        pairs += [(article.name, m) for m in find_mentions(article, gazetteer)]
    score = score_places_strict(
        pairs, read_gold_places(eval_dir / "dev" / "places.csv"), country=gazetteer.focus
    )
    print(
        f"development places: recall {score.recall:.3f} ({score.found}/{score.gold}), "
        f"precision {score.precision:.3f} ({score.scored - len(score.extra)}/{score.scored})"
    )
    assert score.recall >= 0.95, [(g.article[:3], g.surface) for g in score.missed]
    assert score.precision >= 0.95, [(a[:3], m.surface, m.place.name) for a, m in score.extra]


@pytest.mark.parametrize(
    "folder",
    [f"blind{n}" for n in ("", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)],
)
def test_reports_written_blind_strict_recall_and_precision(
    eval_dir: Path, gazetteer: Gazetteer, folder: str
) -> None:
    """Reports by writers who had not read the resolver (``eval/blind*``): a floor under
    what the gazetteer and its rules reach on them, so a change that loses them shows."""
    pairs = []
    for path in sorted((eval_dir / folder / "articles").iterdir()):
        article = read_article(path)
        pairs += [(article.name, m) for m in find_mentions(article, gazetteer)]
    gold = read_gold_places(eval_dir / folder / "places.csv")
    score = score_places_strict(pairs, gold, country=gazetteer.focus)
    print(f"{folder} places: recall {score.recall:.3f}, precision {score.precision:.3f}")
    assert score.recall >= 0.93, [(g.article[:3], g.surface) for g in score.missed]
    assert score.precision >= 0.95, [(a[:3], m.surface, m.place.name) for a, m in score.extra]


def test_unseen_articles_resolve(data_dir: Path, gazetteer: Gazetteer) -> None:
    """Articles written for the tests: other places, outlets, spellings and formats."""
    with (data_dir / "unseen_places.csv").open(encoding="utf-8") as f:
        gold = list(csv.DictReader(f))
    missed = []
    for path in sorted((data_dir / "unseen").iterdir()):
        mentions = find_mentions(read_article(path), gazetteer)
        for row in (r for r in gold if r["file"] == path.name):
            if not any(
                row["surface"].lower() in m.surface.lower()
                and haversine_km(m.place.lat, m.place.lon, float(row["lat"]), float(row["lon"]))
                <= 25
                for m in mentions
            ):
                missed.append((path.name, row["surface"]))
    assert missed == []


def test_offsets_index_the_clean_text(seeds_dir: Path, gazetteer: Gazetteer) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        article = read_article(path)
        for m in find_mentions(article, gazetteer):
            assert article.text[m.start : m.end] == m.surface
            assert m.article_id == article.id


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        ("Rebels entered Saraqeb at dawn.", "Saraqeb", 35.86, 36.81),
        ("Troops left Maarat al-Numan on Monday.", "Maarat al-Numan", 35.65, 36.68),
        ("Shelling hit Maarrat al-Nu'man overnight.", "Maarrat al-Nu'man", 35.65, 36.68),
        ("Fighting reached Tal Rifaat.", "Tal Rifaat", 36.47, 37.09),
        ("The Tell Rifaat pocket was cut off.", "Tell Rifaat", 36.47, 37.09),
        ("Jihadists held Palmyra in 2015.", "Palmyra", 34.56, 38.28),
        ("The ruins of Tadmur were damaged.", "Tadmur", 34.56, 38.28),
        ("The crossing at Abu Kamal closed.", "Abu Kamal", 34.45, 40.92),
        ("Residents of Albukamal fled.", "Albukamal", 34.45, 40.92),
        ("Kurdish police patrolled Qamishli.", "Qamishli", 37.05, 41.23),
        ("Officials in Kamishli met.", "Kamishli", 37.05, 41.23),
        ("SDF units left Manbij.", "Manbij", 36.53, 37.95),
        ("SDF units left Menbij.", "Menbij", 36.53, 37.95),
        ("Clashes near Khan Shaykhun.", "Khan Shaykhun", 35.44, 36.65),
        ("Clashes near Khan Sheikhoun.", "Khan Sheikhoun", 35.44, 36.65),
        ("Drones struck Deir Ezzor.", "Deir Ezzor", 35.34, 40.14),
        ("Drones struck Dayr az-Zawr.", "Dayr az-Zawr", 35.34, 40.14),
        ("Protests spread to Sweida.", "Sweida", 32.71, 36.57),
        ("Protests spread to as-Suwayda.", "as-Suwayda", 32.71, 36.57),
        ("Rebels took Daraa.", "Daraa", 32.62, 36.10),
        ("Rebels took Dar'a.", "Dar'a", 32.62, 36.10),
        ("The army quit Raqqa in 2013.", "Raqqa", 35.95, 39.01),
        ("Turkish troops near Tell Abyad.", "Tell Abyad", 36.70, 38.95),
        ("Gunfire in Jisr al-Shughur.", "Jisr al-Shughur", 35.81, 36.32),
    ],
)
def test_places_absent_from_the_seeds(
    gazetteer: Gazetteer, text: str, surface: str, lat: float, lon: float
) -> None:
    mentions = _found(text, gazetteer)
    hits = [m for m in mentions if m.surface == surface]
    assert hits, [(m.surface, m.place.name) for m in mentions]
    assert haversine_km(hits[0].place.lat, hits[0].place.lon, lat, lon) <= 25


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("Abu Mohammad al-Golani, the group's leader, spoke.", "Golan"),
        ("The statue of Hafez Assad was torn down.", "Assad"),
        ("President Bashar al-Assad fled. Assad's aides said nothing.", "Assad"),
        ("Hayat Tahrir al-Sham led the offensive.", "Sham"),
        ("Fighters of Ahrar al-Sham joined them.", "Sham"),
        ("Iran's Quds Force pulled out advisers.", "Quds"),
        ("said the head of studies at the University of Oklahoma.", "Oklahoma"),
        ("said a professor at the University of Damascus.", "Damascus"),
        ("Of the 300 people asked, most agreed.", "Of"),
        ("Some fighters withdrew.", "Some"),
        ("It holds large amounts of Sarin and VX.", "Sarin"),
        ("Tell them we are coming, he said.", "Tell"),
        ("Maher al-Assad commanded the Fourth Division.", "Assad"),
    ],
)
def test_false_friends_are_not_places(gazetteer: Gazetteer, text: str, not_a_place: str) -> None:
    surfaces = [m.surface for m in _found(text, gazetteer)]
    assert not any(not_a_place in s for s in surfaces), surfaces


def test_surname_learned_in_an_article_is_not_a_place(gazetteer: Gazetteer) -> None:
    text = "Mr Hamish Homsi met envoys. Later Homsi said the talks failed in Paris."
    assert [m.surface for m in _found(text, gazetteer)] == ["Paris"]


def test_country_named_before_a_place_decides_it(gazetteer: Gazetteer) -> None:
    lebanon = _found("Crowds gathered in the Lebanese port of Tripoli.", gazetteer)
    libya = _found("Militias clashed in Libya's capital Tripoli on Sunday.", gazetteer)
    assert [m.place.country for m in lebanon] == ["LB"]
    assert [m.place.country for m in libya if m.surface == "Tripoli"] == ["LY"]


def test_article_about_syria_prefers_syria(gazetteer: Gazetteer) -> None:
    (m,) = _found("Fighting in Syria: rebels reached Hama.", gazetteer)
    assert m.place.country == "SY" and m.place.kind == "populated place"


def test_admin_level_after_the_name(gazetteer: Gazetteer) -> None:
    kinds = {
        m.surface: m.place.kind
        for m in _found(
            "Rebels advanced in Idlib province and in Homs Province, then took Homs.", gazetteer
        )
    }
    assert kinds == {
        "Idlib province": "governorate",
        "Homs Province": "governorate",
        "Homs": "populated place",
    }


def test_article_glued_to_a_name_is_part_of_its_surface(gazetteer: Gazetteer) -> None:
    (m,) = _found("soldiers crossed near al-Qaem on the Iraqi side", gazetteer)
    assert m.surface == "al-Qaem" and m.place.country == "IQ"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Rebels captured Al Bab on Monday.", "Al Bab"),
        ("Fighters entered Ar Raqqah at dawn.", "Ar Raqqah"),
        ("The convoy reached Al Bāb late on Tuesday.", "Al Bāb"),
        ("Shelling hit the outskirts of Tell Abyad overnight.", "Tell Abyad"),
    ],
)
def test_a_capitalised_article_before_a_name_is_part_of_its_surface(
    gazetteer: Gazetteer, text: str, surface: str
) -> None:
    """GeoNames writes "Al Bāb": the span must start at the article so triggers reach it."""
    (m,) = _found(text, gazetteer)
    assert m.surface == surface
    assert text[m.start : m.end] == surface


def test_fuzzy_match_needs_a_locative_cue(gazetteer: Gazetteer) -> None:
    cued = _found("Protesters gathered in the suburb of Jaramanah.", gazetteer)
    assert [m.place.name for m in cued] == ["Jaramana"]
    misspelt = _found("Protesters gathered in the suburb of Jaramanna.", gazetteer)
    assert misspelt and misspelt[0].method.startswith(("fuzzy", "normalised"))


def test_unknown_words_are_not_forced_onto_places(gazetteer: Gazetteer) -> None:
    assert _found("Analysts at the Century Foundation disagreed.", gazetteer) == []
    assert _found("", gazetteer) == []


def test_confidence_and_method_are_recorded(gazetteer: Gazetteer) -> None:
    (exact,) = _found("They reached Aleppo.", gazetteer)
    (variant,) = _found("They reached Haleb.", gazetteer)
    assert exact.method.startswith("exact") and exact.confidence >= 0.9
    assert 0 < variant.confidence <= exact.confidence


def test_a_spelling_read_as_a_place_once_is_that_place_bare_too(gazetteer: Gazetteer) -> None:
    text = "Saraqiub: calm returns. Protesters gathered in Saraqiub on Monday."
    found = _found(text, gazetteer)
    assert [(m.surface, m.place.name) for m in found] == [("Saraqiub", "Saraqib")] * 2
    assert _found("Saraqiub: calm returns.", gazetteer) == []  # bare, with no cue anywhere


@pytest.mark.parametrize(
    ("kurdish", "town"),
    [
        ("Minbic", "Manbij"),
        ("Til Rifet", "Tal Rifaat"),
        ("Tebqa", "Tabqa"),
        ("Cindirês", "Jindires"),
        ("Til Koçer", "Al-Yarubiyah"),
        ("Şedadê", "Al-Shaddadi"),
        ("Tişrîn Dam", "Tishreen Dam"),
    ],
)
def test_kurdish_spellings_of_northern_towns(gazetteer: Gazetteer, kurdish: str, town: str):
    (m,) = _found(f"{kurdish}: our forces hold the line", gazetteer)  # no cue before it
    assert m.place.name == town


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SDF units were reported in Mayadin on Friday.", ["Al-Mayadin"]),  # the town
        ("Al-Mayadeen reported that the army had left.", []),  # the broadcaster
    ],
)
def test_a_name_both_place_and_organisation_is_what_its_spelling_says(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert [m.place.name for m in _found(text, gazetteer)] == expected
