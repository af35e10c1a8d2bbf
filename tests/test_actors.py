"""Actors in each outlet's words, regional readings of generic words, subjects, and claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.actors import actor_lexicon, framing, load_actor_lexicon, read_outlet_rows
from geo.articles import parse_article
from geo.claims import claim_source
from geo.errors import DataError
from geo.events import ControlEvent, extract_events
from geo.gazetteer import Gazetteer
from geo.models import Span
from geo.profile import load_profile, read_profile
from geo.toponyms import find_mentions


def _events(text: str, gazetteer: Gazetteer, head: str = "date 2024-12-07") -> list[ControlEvent]:
    article = parse_article(f"{head}\n{text}".encode(), path="t.txt")
    return extract_events(article, find_mentions(article, gazetteer), gazetteer=gazetteer)


def _actor(text: str, gazetteer: Gazetteer, head: str = "date 2024-12-07") -> str:
    (event,) = _events(text, gazetteer, head)
    return event.actor


TURKISH = "https://news.example.com.tr/2024/12/07/story\nThe PKK/YPG keeps losing ground."
AXIS = "date 2024-12-07\nTakfiri groups and Jabhat al-Nusra militants are active."
KURDISH = "date 2024-12-07\nThe Autonomous Administration of Rojava issued a statement."


@pytest.mark.parametrize(
    ("head", "text", "actor"),
    [
        # a Turkish state outlet: the "terror group" is the SDF, "the army" the SNA
        (TURKISH, "The terror group abandoned Tal Rifaat overnight.", "SDF"),
        (TURKISH, "The national army liberated Tal Rifaat on Saturday.", "SNA"),
        (TURKISH, "Army units cleared the town of Manbij.", "SNA"),
        # the same words elsewhere
        ("date 2024-12-07", "Army units retook the town of Morek.", "Government"),
        # an Iranian or Russian outlet: the "terrorists" are the opposition
        (AXIS, "Terrorists overran the town of Morek.", "HTS-led coalition"),
        (AXIS, "Popular forces recaptured the town of Suran.", "Government"),
        # a Kurdish outlet: "mercenaries" are the Turkish-backed factions
        (KURDISH, "Mercenaries occupied the village of Ain Daqna.", "SNA"),
        # shared vocabulary
        ("date 2024-12-07", "Turkiye-backed factions seized Tal Rifaat.", "SNA"),
        ("date 2024-12-07", "The Syrian National Army seized Tal Rifaat.", "SNA"),
        ("date 2024-12-07", "Israeli tanks moved into Khan Arnabah.", "Israeli army"),
        ("date 2024-12-07", "The Free Syrian Army took control of Palmyra.", "Free Syrian Army"),
    ],
)
def test_outlet_vocabularies(gazetteer: Gazetteer, head: str, text: str, actor: str) -> None:
    assert _actor(text, gazetteer, head) == actor


@pytest.mark.parametrize(
    ("head", "family"),
    [
        (TURKISH, "turkish"),
        (AXIS, "axis"),
        (KURDISH, "kurdish"),
        ("date 2024-12-07\nTurkiye said nothing.", ""),  # one stray word is not an outlet
    ],
)
def test_framing(head: str, family: str) -> None:
    article = parse_article(f"{head}\nRebels took Hama.".encode(), path="t.txt")
    assert framing(article, load_profile()) == family


@pytest.mark.parametrize(
    ("text", "actor", "basis"),
    [
        ("Opposition factions took control of Izraa.", "Southern Operations Room", "region"),
        ("The Military Operations Command seized Shahba.", "Suwayda factions", "region"),
        ("Anti-regime forces captured Saraqib.", "HTS-led coalition", "generic"),
        ("The Southern Operations Room captured Saraqib.", "Southern Operations Room", "text"),
    ],
)
def test_generic_words_are_read_by_where_they_fight(
    gazetteer: Gazetteer, text: str, actor: str, basis: str
) -> None:
    (event,) = _events(text, gazetteer)
    assert (event.actor, event.actor_basis) == (actor, basis)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("HTS and allied factions took Morek.", "HTS-led coalition"),  # the head of a list
        ("The SNA, an alliance of factions, now holds Manbij.", "SNA"),  # an apposition
        ("The insurgents who toppled the government took Homs.", "HTS-led coalition"),
        ("Factions hostile to the government moved into Jasim.", "Southern Operations Room"),
        ("The SDF, which holds the east bank, took Deir Hafer.", "SDF"),
        ("Fighters of the SDF took Deir Hafer.", "SDF"),
        ("Kurdish YPG fighters left Deir Hafer.", "SDF"),
        # a force said to belong to another acts for it
        ("Tribal fighters affiliated with the SDF took control of Hajin.", "SDF"),
        ("Clan fighters fighting for the SDF entered Hajin.", "SDF"),
        ("Tribal fighters took control of Hajin.", "local uprising"),
        # the force the verb names is no member's: the rising is against the SDF
        ("Tribesmen rose up against the SDF in Hajin.", "local uprising"),
        ("After fighting regime forces, rebels seized Morek.", "HTS-led coalition"),
        ("Military sources said the army retook Suran.", "Government"),
        ("Morek fell to the SNA.", "SNA"),
        ("The army handed Deir ez-Zor over to the SDF.", "SDF"),  # who moves in
        ("Regime forces were expelled from Jasim.", "unknown"),  # the loser is not the gainer
        ("The SNA took Tadef. It then seized Al-Bab.", "SNA"),
        # who left in a subordinate clause is not who entered after it
        ("Rebels pushed on, taking Morek after the army withdrew, and entering Suran.",
         "HTS-led coalition"),
        ("When the SDF withdrew, the SNA entered Manbij.", "SNA"),
        # an abbreviation the article defines names the same actor
        ("The Military Operations Command (MOC) was shelled. Later the MOC took Morek.",
         "HTS-led coalition"),
        ("Units of the Syrian National Army (NSA) regrouped. The NSA then took Tadef.", "SNA"),
        # a long clause cut at its reach keeps the subject the cut runs through
        ("More than 100,000 people have left in convoys for Tabqa and Raqqa since Turkish-backed"
         " factions of the so-called Syrian National Army attacked the area last Saturday and"
         " seized Deir Hafer on Sunday.", "SNA"),
    ],
)  # fmt: skip
def test_the_subject_of_a_trigger(gazetteer: Gazetteer, text: str, actor: str) -> None:
    events = _events(text, gazetteer)
    assert events[-1].actor == actor


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The army said it had retook Suran.", "The army"),
        ("Rebels claimed they had captured Hama.", "Rebels"),
        ("Hama fell to the rebels, according to the monitor.", "the monitor"),
        ("Rebel sources said on Friday that fighters had taken Daraa.", "Rebel sources"),
        ("The rebels took Hama, witnesses said.", "witnesses"),
        ("The rebels took Hama on Thursday.", ""),
    ],
)
def test_claims_keep_their_source(gazetteer: Gazetteer, text: str, source: str) -> None:
    (event,) = _events(text, gazetteer)
    assert event.claimed_by == source
    sentence = Span(0, len(text))
    assert claim_source(text, sentence, text.index(" took") if " took" in text else 0) in {
        source,
        "",
    }


def test_an_abbreviation_is_an_actor_only_where_the_article_defines_it() -> None:
    lexicon = actor_lexicon(load_profile(), "")
    text = "a moc of wood. the military operations command (moc) said the moc held it."
    assert [(text[m.start : m.end], m.actor) for m in lexicon.find(text)] == [
        ("military operations command", "HTS-led coalition"),
        ("moc", "HTS-led coalition"),
    ]
    assert lexicon.find("the moc held it.") == []


def test_the_lexicons_load_and_merge() -> None:
    profile = load_profile()
    shared = load_actor_lexicon(profile)
    turkish = actor_lexicon(profile, "turkish")
    assert shared.actors["the army"] == profile.state
    assert turkish.actors["the army"] == "SNA"
    assert {r["family"] for r in read_outlet_rows(profile)} >= {"turkish", "axis", "kurdish"}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("turkish,phrase,terror cell,Nobody,", "unknown actor"),
        ("turkish,guess,terror cell,SDF,", "match must be"),
    ],
)
def test_a_bad_outlet_row_is_one_line_naming_the_file(
    profile_copy: Path, row: str, problem: str
) -> None:
    table = profile_copy / "outlets.csv"
    table.write_text(table.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=problem) as err:
        read_outlet_rows(read_profile(profile_copy))
    assert "outlets.csv" in str(err.value) and "\n" not in str(err.value)
