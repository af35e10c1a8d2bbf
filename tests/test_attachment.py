"""Which places a trigger is about: objects, lists, passives, fronted places, anaphora, regions."""

from __future__ import annotations

import pytest

from geo.articles import parse_article
from geo.attachment import gap_reading
from geo.events import ControlEvent, extract_events
from geo.gazetteer import Gazetteer
from geo.toponyms import find_mentions
from geo.triggers import find_triggers


def _events(text: str, gazetteer: Gazetteer, day: str = "2024-12-07") -> list[ControlEvent]:
    article = parse_article(f"date {day}\n{text}".encode(), path="t.txt")
    return extract_events(article, find_mentions(article, gazetteer), gazetteer=gazetteer)


def _places(text: str, gazetteer: Gazetteer) -> set[str]:
    return {e.place.name for e in _events(text, gazetteer)}


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # the object's head is a common noun
        ("Rebels seized the strategic hilltop town of Kafr Nabl.", {"Kafr Nabl"}),
        ("Fighters took over army positions at the Menagh air base.", {"Minaq Air Base"}),
        ("Insurgents captured key locations including Ariha and Sarmin.", {"Ariha", "Sarmin"}),
        ("The rebels seized nine villages, Anadan and Hayyan among them.", {"Anadan", "Hayyan"}),
        ("Rebels took control of much of Tabqa.", {"Tabqa"}),
        # lists run on through their glue
        (
            "Rebels captured Anadan, Hayyan, and also the town of Kafr Hamra.",
            {"Anadan", "Hayyan", "Kafr Hamra"},
        ),
        ("Rebels captured Jasim and the road between Daraa and Quneitra, as well as Nawa.",
         {"Jasim", "Nawa"}),  # a list runs on past the ends of a route
        ("Fighters liberated three towns in a day: Ariha, Sarmin and Taftanaz.",
         {"Ariha", "Sarmin", "Taftanaz"}),
        # the place before a passive or an intransitive verb
        ("Morek and Latamneh were among the places taken.", {"Morek", "Al-Latamneh"}),
        ("Sarmin, a small town east of Idlib, had also fallen.", {"Sarmin"}),
        # fronted, inside the subject, after "where"
        ("In Shahba, local factions took over the police headquarters.", {"Shahba"}),
        ("Local fighters in the town of Jasim have seized the security branch.", {"Jasim"}),
        # an aside that locates the fronted scene by another place is not the scene
        ("In Zabadani and nearby Madaya, in the hills west of Damascus, young men took over"
         " the party offices.", {"Zabadani", "Madaya"}),
        ("In Inkhil, north of Daraa, local fighters seized the police station.", {"Inkhil"}),
        ("In Suwayda province, where crowds have protested against Damascus since 2023, local"
         " armed men took over the governorate building on Friday.", {"As-Suwayda"}),
        # a relative clause with no subject's own "had" is no inverted conditional
        ("East of Daraa, fighters of a brigade, which had been part of the army for years, seized"
         " the security branches in Busra al-Sham on Friday.", {"Bosra"}),
        # an aside that describes the scene, however long, leaves it the scene
        ("In Nawa, birthplace of a poet who wrote of the 1925 revolt, young men took over the"
         " police post on Friday.", {"Nawa"}),
        ("Residents fled the Tabqa area, where fighting continued into the night.", {"Tabqa"}),
        # the place a relative clause hangs on is the verb's object
        ("Tanks stood on the hills above Masyaf, which rebels seized on Friday.", {"Masyaf"}),
        ("Engineers surveyed the ruins of Ariha, which the army had abandoned on Friday.",
         {"Ariha"}),
        ("Crowds cheered in the squares of Sarmin, which fighters entered on Friday.",
         {"Sarmin"}),
        ("In Aleppo, which rebels entered on Friday, the districts of Sheikh Maqsoud and"
         " Ashrafieh remain under Kurdish protection.", {"Aleppo"}),
        # a capital standing for its state is no place a pronoun points back to
        ("Fighters entered Sarmin after the forces of the Damascus government abandoned it.",
         {"Sarmin"}),
        ("Rebels moved into Masyaf once units loyal to the Homs authorities had left it.",
         {"Masyaf"}),
        # ... but a town's government buildings are in the town
        ("Fighters took over Masyaf's government buildings on Friday.", {"Masyaf"}),
        ("Rebels seized the Sarmin government offices and raised their flag.", {"Sarmin"}),
        # pictures place a force as a sighting does
        ("Footage posted on Friday showed SDF units inside Sarmin.", {"Sarmin"}),
        ("Israeli troops moved into the UN-patrolled part of Quneitra province.", {"Quneitra"}),
        ("This morning there is footage of rebels in the main square of Ariha.", {"Ariha"}),
        ("Fighters were seen in the streets of Masyaf on Friday.", {"Masyaf"}),
        # a report that names no place happened where its witnesses are
        ("Residents of Sarmin and Ariha reported the army abandoning its posts.",
         {"Sarmin", "Ariha"}),
        ("Residents of Masyaf said soldiers had pulled out before dawn.", {"Masyaf"}),
        # fighting that goes on somewhere, its sides named first
        ("Heavy fighting is still under way across Masyaf, residents said.", {"Masyaf"}),
        ("Clashes between the SNA and the SDF continue near Ariha.", {"Ariha"}),
        # fighting with the forces that hold a place is fighting there
        ("The same factions attacked Kurdish units in the area of Tal Rifaat.", {"Tal Rifaat"}),
        ("Rebels attacked army troops in Masyaf overnight.", {"Masyaf"}),
        ("Battles between rebels and army units raged around Sarmin.", {"Sarmin"}),
        # a digest line headed by its place, the trigger naming none of its own
        ("Palmyra: army units pulled out overnight.", {"Palmyra"}),
        ("06:40 UTC - Masyaf - rebels entered the town centre.", {"Masyaf"}),
        ("- Tal Rifaat: the SNA took full control.", {"Tal Rifaat"}),
        # where the force came from is not where it went
        ("Palmyra: fighters from the Tanf area entered this morning.", {"Palmyra"}),
        ("Masyaf - units from Sarmin entered before dawn.", {"Masyaf"}),
        # pronouns and definite descriptions point back
        ("Fighters reached Ariha and Sarmin and seized them.", {"Ariha", "Sarmin"}),
        ("Talks on Ariha and Sarmin failed. Rebels entered the two towns over the next days.",
         {"Ariha", "Sarmin"}),
        # a city that only sets the clock is no antecedent
        ("Rebels entered Sarmin at noon, the same hour in Aleppo, after the army left the city.",
         {"Sarmin"}),
        # a place named as where a move started is the city only when no other is
        ("Rebels attacked Sarmin with drones launched from the Ariha area. Fighting went on"
         " at the edge of the city.", {"Sarmin"}),
        # "the villages around it" are unnamed ones, and no city is a village
        ("Rebels held Ariha. They overran Sarmin and the villages around it.", {"Sarmin"}),
        ("Rebels held Idlib. They overran Sarmin and then the villages on Friday.", {"Sarmin"}),
        # the army's word for leaving, with the place in the subject
        ("Units stationed in Masyaf had been redeployed on Friday to new lines.", {"Masyaf"}),
        ("Units shelled Masyaf for days, then on Friday entered parts of it.", {"Masyaf"}),
        ("Rebels attacked Masyaf. By nightfall the town had fallen.", {"Masyaf"}),
        ("Army units held out in Sarmin and Ariha. Rebels took those towns on Friday.",
         {"Sarmin", "Ariha"}),
        ("The army kept posts in Qamishli and Hasakah. The SDF took over these government"
         " enclaves on Saturday.", {"Qamishli", "Al-Hasakah"}),
    ],
)  # fmt: skip
def test_the_places_a_trigger_is_about(gazetteer: Gazetteer, text: str, places: set[str]) -> None:
    assert _places(text, gazetteer) == places


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The SDF moved into Masyaf on Friday. A week later rebels took over its government"
         " buildings.", "Masyaf"),
        ("Fighters reached Ariha and seized its main state institutions.", "Ariha"),
        ("Fighters took over Masyaf's government buildings on Friday.", "Masyaf"),
    ],
)  # fmt: skip
def test_a_towns_government_buildings_taken_is_the_town_taken(
    gazetteer: Gazetteer, text: str, place: str
) -> None:
    """ "its government buildings": the last town named, in the sentence or the one before."""
    assert (place, "captured") in {(e.place.name, e.kind) for e in _events(text, gazetteer)}


@pytest.mark.parametrize(
    "text",
    [
        "Rebels pushed from Ariha towards the coast.",  # a start, not an object
        "Rebels took the highway linking Homs and Tartus.",  # a route's ends
        "Insurgents captured dozens of soldiers in Masyaf.",  # people, not a place
        "Rebels seized the airport near Qardaha.",  # a landmark for another object
        "The army withdrew overnight, residents of Masyaf said.",  # a bare withdrawal, no label
        "Homs: the army denied that it had withdrawn.",  # a label, and a denial
        "Ariha: residents said troops retreated to Qardaha.",  # the line's place is elsewhere
        "Aid trucks unloaded in Masyaf, which rebels never entered.",  # a denial, relative
        "Families stayed in Qardaha, which remains under army control.",  # a state, no event
        "Residents of Masyaf said the road to Ariha was quiet.",  # no report at all
        "The army dismissed as fake the pictures that supposedly showed rebels inside Ariha.",
        "A video from 2016 shows rebels in the main square of Masyaf.",  # history
        "Clashes between Homs and Tartus fans marred the match.",  # no fighting verb, no place
        "Rebels shelled Masyaf, then seized its airport.",  # a town's airport is not the town
        "Engineers left Ariha and rebels seized the government buildings.",  # no "its": unknown
    ],
)
def test_places_that_are_not_the_object(gazetteer: Gazetteer, text: str) -> None:
    named = {"Ariha", "Homs", "Tartus", "Masyaf", "Qardaha"}
    assert not _places(text, gazetteer) & named


def test_a_container_is_not_its_own_event(gazetteer: Gazetteer) -> None:
    text = "Rebels took important points in Hama province, including Kafr Zita and Morek."
    assert _places(text, gazetteer) == {"Kafr Zita", "Morek"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Rebels took Quneitra province on Sunday.", "governorate"),
        ("The rebels seized almost the entire southwest.", "region"),
        ("Insurgents captured the countryside of Hama.", "region"),
        ("Fighters took most of Idlib province within a day.", "governorate"),
        ("The SDF seized the eastern Deir ez-Zor countryside.", "region"),
    ],
)
def test_region_claims_are_events_about_the_region(
    gazetteer: Gazetteer, text: str, kind: str
) -> None:
    (event,) = _events(text, gazetteer)
    assert (event.kind, event.place.kind) == ("captured", kind)
    assert gazetteer.shape(event.place.id) is not None  # the territory model gets a polygon


def test_the_two_cities_point_back_to_towns_named_as_regions(gazetteer: Gazetteer) -> None:
    text = "Fighters rose up in northern Daraa and Nawa and took control of the two towns."
    assert {e.place.name for e in _events(text, gazetteer) if e.kind == "captured"} == {
        "Daraa",
        "Nawa",
    }


@pytest.mark.parametrize(
    ("gap", "reading"),
    [
        (" the strategic town of ", "object"),
        (" up positions in parts of ", "part"),
        (" some posts in ", "part"),
        # "and" between the posts' modifiers lists nothing
        (" over army and security posts in ", "part"),
        (" two tanks and ", None),
        # the side's own posts there, or all of them, are the place
        (" its posts in ", "object"),
        (" all their positions in ", "object"),
        (" the outskirts of ", "edge"),
        (" key positions inside ", "inside"),
        (" fast from ", None),
        (" dozens of soldiers in ", None),
    ],
)
def test_gap_readings(gap: str, reading: str | None) -> None:
    text = f"rebels took{gap}x"
    trigger = find_triggers(text)[0]
    assert gap_reading(text, trigger.end, len(text) - 1, trigger) == reading
