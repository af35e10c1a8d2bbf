"""The trigger lexicon: each kind in the forms outlets write it, and each trap it must refuse.

Sentences are written for these tests; each is read end to end (places, triggers, filters)
against an article dated Saturday 7 December 2024.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geo.articles import parse_article
from geo.events import ControlEvent, extract_events
from geo.filters import rejected
from geo.gazetteer import Gazetteer
from geo.models import Span
from geo.toponyms import find_mentions
from geo.triggers import STRENGTH, find_triggers

PERIOD = (dt.date(2024, 11, 27), dt.date(2024, 12, 8))


def _events(text: str, gazetteer: Gazetteer, day: str = "2024-12-07") -> list[ControlEvent]:
    article = parse_article(f"date {day}\n{text}".encode(), path="t.txt")
    return extract_events(article, find_mentions(article, gazetteer), gazetteer=gazetteer)


def _kinds(text: str, gazetteer: Gazetteer) -> set[tuple[str, str]]:
    return {(e.kind, e.place.name) for e in _events(text, gazetteer)}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Insurgents overran Saraqib before dawn.", "Saraqib"),
        ("The opposition wrested Morek from the army.", "Morek"),
        ("Rebel units have taken full control of Masyaf.", "Masyaf"),
        ("Fighters established their hold over the town of Salamiyah.", "Salamiyah"),
        ("Government troops regained control of Suran after a day of fighting.", "Suran"),
        ("Khan Shaykhun fell to the insurgents late on Friday.", "Khan Shaykhun"),
        ("Latamneh has fallen, a commander said.", "Al-Latamneh"),
        ("Kafr Zita was captured by opposition fighters.", "Kafr Zita"),
        ("Jisr al-Shughur came under the control of rebel groups.", "Jisr al-Shughur"),
        ("Ariha, Sarmin and Taftanaz were among the towns seized by the rebels.", "Taftanaz"),
        ("Regime forces were expelled from Maarat Misrin on Friday.", "Maarrat Misrin"),
        ("The army lost control of Qardaha overnight.", "Qardaha"),
        ("Rebels drove government troops out of Baniyas.", "Baniyas"),
        ("The fall of Hama stunned the capital.", "Hama"),
        ("Fighters brought six districts of Homs under their control.", "Homs"),
        ("Insurgents now hold the town of Tabqa, residents said.", "Tabqa"),
        ("By early Sunday they said they held all of Masyaf.", "Masyaf"),
        ("Rebels have been in control of Masyaf since Sunday.", "Masyaf"),
        ("The SDF had taken over Deir ez-Zor city and the town of Al-Mayadeen.", "Al-Mayadin"),
        ("Rastan and Talbiseh went over on Friday morning, without a fight.", "Talbiseh"),
        ("The ministry said army units had regained the village of Maardis.", "Marus"),
        ("The 46th Regiment base fell on Thursday.", "Base 46"),
        ("The army left Masyaf, and the militants control the whole city.", "Masyaf"),
        (
            "Rebels got into Masyaf last night. The town was theirs before the sun came up.",
            "Masyaf",
        ),
        (
            "Jabal Zayn al-Abidin was abandoned, and the militants took the height by noon.",
            "Jabal Zayn al-Abidin",
        ),
        ("A statement declared the city of Sarmin liberated and the old regime gone.", "Sarmin"),
        ('Command: Masyaf city "fully liberated".', "Masyaf"),
        ("Sarmin now fully taken, the command said.", "Sarmin"),
        ('Commanders said they had "liberated" three towns: Sarmin, Ariha and Masyaf.', "Ariha"),
        (
            "Rebels reached Masyaf on Friday and declared the town captured in the early hours of"
            " Saturday.",
            "Masyaf",
        ),
        ("Local factions said they had secured Sarmin by Saturday morning.", "Sarmin"),
        # the past told in an aside about the subject does not date the main clause
        (
            "On Friday, local groups, most of them rebels who made peace with the state years"
            " ago, took control of Sarmin.",
            "Sarmin",
        ),
        ("Local groups, who signed deals six years ago, took control of Ariha.", "Ariha"),
        # a timeline's present tense, plural or with the holder inside the phrase
        ("On 6 December Sarmin and Ariha fall to the opposition.", "Ariha"),
        ("On 30 November most of Masyaf comes under opposition control.", "Masyaf"),
        # a flag raised over a place, or flying over it now, marks its new holder
        ("Fighters hoisted their banner-green flag over Sarmin's town hall.", "Sarmin"),
        ("The opposition flag now flies over the castle of Masyaf.", "Masyaf"),
    ],
)
def test_captures(gazetteer: Gazetteer, text: str, place: str) -> None:
    assert ("captured", place) in _kinds(text, gazetteer)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Rebel columns moved into Salamiyah at noon.", "Salamiyah"),
        ("Opposition fighters made their way into the town of Rastan.", "Al-Rastan"),
        ("Fighters broke into the Sednaya prison at dawn.", "Saydnaya prison"),
        ("Footage shows rebels going into Talbiseh.", "Talbiseh"),
        ("Insurgents pushed into the eastern districts of Hama.", "Hama"),
        ("Rebel units were inside Homs by the evening.", "Homs"),
        # forces seen in a town are in it
        ("SDF units were also reported on Friday in Mayadin.", "Al-Mayadin"),
        ("Opposition fighters have been seen in Latakia since the morning.", "Latakia"),
        ("Rebel fighters were spotted inside Jableh on Sunday.", "Jableh"),
        ("Confirmed: HTS fighters inside Masyaf, western districts.", "Masyaf"),
        ("The militants infiltrated the towns of Rastan and Talbiseh on Friday.", "Talbiseh"),
        ("By Sunday the factions had set up checkpoints at the entrances of Ariha.", "Ariha"),
        (
            "The Free Syrian Army, based at al-Tanf, moved north into Palmyra on Saturday.",
            "Palmyra",
        ),
        # an adjective of ruin is a light word; an aside after the place dates nothing
        ("Tanks rolled into the ruined town of Quneitra, empty since 1974.", "Quneitra"),
        ("Rebel columns pushed deep into Ariha before dawn.", "Ariha"),
        (
            "At midday the fighters broke open Saydnaya prison and freed the inmates.",
            "Saydnaya prison",
        ),
    ],
)
def test_entries(gazetteer: Gazetteer, text: str, place: str) -> None:
    assert ("entered", place) in _kinds(text, gazetteer)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Government troops withdrew from the desert city of Palmyra.", "Palmyra"),
        ("The army pulled out of Qaryatayn overnight.", "Al-Qaryatayn"),
        ("Regime forces redeployed outside Hama, the ministry said.", "Hama"),
        ("The army handed Deir ez-Zor over to Kurdish-led fighters.", "Deir ez-Zor"),
        ("Government soldiers fled Mhardeh as the rebels approached.", "Mhardeh"),
        ("The SDF abandoned its positions in the town of Deir Hafer.", "Deir Hafer"),
        ("Troops evacuated Sukhnah and headed west.", "Al-Sukhnah"),
        ("The army drove the attackers back from Morek.", "Morek"),
        ("By Friday evening no army unit remained anywhere in Masyaf.", "Masyaf"),
        ("Some units had been redeployed from positions around Masyaf, a source said.", "Masyaf"),
        # the clause hangs on the farms, not on the town at whose edge they lie: no entry
        (
            "The army drove the militants back from the farms on the edge of Masyaf that they"
            " had infiltrated.",
            "Masyaf",
        ),
        ("The SDF withdrew its fighters and thousands of civilians from Deir Hafer.", "Deir Hafer"),
        ("Regime troops melted away from Souran before dawn.", "Suran"),
        ("Government units regrouped from Sarmin to prepared positions further south.", "Sarmin"),
        # a force named by the place it held, in a passive
        (
            "The personnel of the Abu al-Duhur airfield were withdrawn in good order on Friday.",
            "Abu ad Duhur Air Base",
        ),
        # all of a side's posts in a city are the city; some of its positions are not
        ("The army abandoned its posts in Deir ez-Zor on Friday.", "Deir ez-Zor"),
    ],
)
def test_withdrawals_in_their_forms(gazetteer: Gazetteer, text: str, place: str) -> None:
    assert ("withdrawal", place) in _kinds(text, gazetteer)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Heavy fighting raged on the outskirts of Hama.", "Hama"),
        ("Clashes broke out near Nawa on Friday.", "Nawa"),
        ("Clashes were still reported on Tuesday near the Tishreen Dam.", "Tishreen Dam"),
        ("Rebels besieged Salamiyah.", "Salamiyah"),
        ("Insurgents were closing in on Homs.", "Homs"),
        ("Opposition fighters reached the gates of Homs.", "Homs"),
        ("Rebels advanced to within 10 km of Damascus.", "Damascus"),
        ("The rebels captured the outskirts of Hama.", "Hama"),  # the edge: fighting for it
        ("Turkish-backed factions launched an attack on the Ariha area on Saturday.", "Ariha"),
        ("The SNA mounted an assault against Sarmin.", "Sarmin"),
        ("On Tuesday the factions opened a new front against Manbij.", "Manbij"),
        ("Our man reported fierce clashes since dawn at the northern entrances of Hama.", "Hama"),
        ("Heavy fighting is going on at Qamhana.", "Qamhana"),
    ],
)
def test_fighting_for_a_place_is_contested(gazetteer: Gazetteer, text: str, place: str) -> None:
    assert _kinds(text, gazetteer) == {("contested", place)}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Residents of Jableh rose up against the garrison.", "Jableh"),
        ("In Baniyas, locals took up arms and drove out the police.", "Baniyas"),
        ("Crowds in Masyaf toppled a statue of the late president.", "Masyaf"),
    ],
)
def test_uprisings(gazetteer: Gazetteer, text: str, place: str) -> None:
    assert ("uprising", place) in _kinds(text, gazetteer)


def test_a_past_year_in_an_aside_leaves_the_main_clause_a_report(gazetteer: Gazetteer) -> None:
    text = "Fighters in the south, where the uprising began in 2011, rose up in Nawa on Friday."
    assert _kinds(text, gazetteer) == {("uprising", "Nawa")}
    text = "Rebels, who took Aleppo in 2016, entered Masyaf."
    assert _kinds(text, gazetteer) == {("entered", "Masyaf")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 04:40 - Morek and Suran confirmed HTS-held after a night of fighting.",
         {("captured", "Morek", "HTS-led coalition"), ("captured", "Suran", "HTS-led coalition")}),
        ("Tadef taken, SNA now astride the road.", {("captured", "Tadef", "unknown")}),
        ("Masyaf (the castle town) fully in HTS hands.",
         {("captured", "Masyaf", "HTS-led coalition")}),
        ("Manbij firmly under SNA control since Monday.", {("captured", "Manbij", "SNA")}),
        ("E Idlib axis: Ariha and Sarmin captured overnight.",
         {("captured", "Ariha", "unknown"), ("captured", "Sarmin", "unknown")}),
        # a participle of people, not of the place before it
        ("Soldiers from Masyaf captured on Friday were shown on TV.", set()),
        ("Dozens of soldiers captured in Hama were paraded.", set()),
    ],
)  # fmt: skip
def test_a_digest_s_telegraphic_predicates(
    gazetteer: Gazetteer, text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert {(e.kind, e.place.name, e.actor) for e in _events(text, gazetteer)} == expected


@pytest.mark.parametrize(
    "text",
    [
        "The army has long been seen as weak in Hama.",
        "Cases of cholera were reported in Idlib.",
        "Civilians were seen in Masyaf queuing for bread.",
    ],
)
def test_being_seen_somewhere_is_an_entry_only_for_forces(gazetteer: Gazetteer, text: str) -> None:
    assert _events(text, gazetteer) == []


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers deserted their posts in Mhardeh, residents said.",
        "Conscripts in Qardaha defected, a monitor said.",
        "Protests broke out in several districts of Tartus.",
    ],
)
def test_desertions_and_protests_are_not_uprisings(gazetteer: Gazetteer, text: str) -> None:
    assert _events(text, gazetteer) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Rebels entered Homs and captured it by the evening.", "captured"),
        ("Fighters clashed with troops in Hama before they entered Hama.", "entered"),
        ("Troops withdrew from Hama; the rebels then seized Hama.", "captured"),
        ("Residents of Hama rose up, and rebels moved into Hama.", "entered"),
    ],
)
def test_one_place_one_strongest_event_per_report(
    gazetteer: Gazetteer, text: str, kind: str
) -> None:
    (event,) = _events(text, gazetteer)
    assert event.kind == kind
    assert STRENGTH[kind] == max(STRENGTH[k] for k in ("captured", "entered") if k == kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sarmin changed hands on 4 December, followed by Ariha and Taftanaz on 5 December.",
            {("captured", "Sarmin", "2024-12-04"), ("captured", "Ariha", "2024-12-05"),
             ("captured", "Taftanaz", "2024-12-05")},
        ),
        (
            "On Wednesday the army pulled out of Masyaf, followed a day later by Salamiyah.",
            {("withdrawal", "Masyaf", "2024-12-04"), ("withdrawal", "Salamiyah", "2024-12-05")},
        ),
        # each list after its own "and", dated by the day after it
        (
            "Ariha taken on Nov. 30, followed by Sarmin on Dec. 1 and Masyaf and Suran on Dec. 5.",
            {("captured", "Ariha", "2024-11-30"), ("captured", "Sarmin", "2024-12-01"),
             ("captured", "Masyaf", "2024-12-05"), ("captured", "Suran", "2024-12-05")},
        ),
        # the day before "followed by" is the first report's, not the sequence's
        ("Insurgents overran Saraqib on Friday, followed soon by Sarmin.",
         {("captured", "Saraqib", "2024-12-06"), ("captured", "Sarmin", "2024-12-07")}),
        # a sequence of other things repeats no report
        ("The strike on Ariha was followed by a statement from Sarmin.", set()),
        ("Rebels took Morek; the talks were followed by calm in Suran.",
         {("captured", "Morek", "2024-12-07")}),
        ("The army denied that Masyaf had fallen, followed by a denial about Ariha.", set()),
        # "Y followed": the names that open the clause had the last report's fate, later
        ("Rebels captured Jasim on Friday. Nawa and Tafas followed on Saturday.",
         {("captured", "Jasim", "2024-12-06"), ("captured", "Nawa", "2024-12-07"),
          ("captured", "Tafas", "2024-12-07")}),
        ("Saraqib fell on Friday and Sarmin followed a day later.",
         {("captured", "Saraqib", "2024-12-06"), ("captured", "Sarmin", "2024-12-07")}),
        ("Rebels took Morek on Friday. Protests in Suran followed.",
         {("captured", "Morek", "2024-12-06")}),
        ("A statement on Ariha followed on Saturday.", set()),
    ],
)  # fmt: skip
def test_a_sequence_repeats_the_report_before_it(
    gazetteer: Gazetteer, text: str, expected: set[tuple[str, str, str]]
) -> None:
    got = {(e.kind, e.place.name, str(e.day)) for e in _events(text, gazetteer)}
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "The two sides reached a ceasefire deal in Manbij.",  # not the fighting's edge
        "Rebels advanced in Idlib and Aleppo provinces.",  # progress somewhere, no place taken
        "Aid convoys moved towards Homs.",
    ],
)
def test_approach_verbs_need_their_place_right_after(gazetteer: Gazetteer, text: str) -> None:
    assert _events(text, gazetteer) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("State media denied that the rebels had entered Salamiyah.", "denial"),
        ("The army insisted that Suran had not fallen.", "denial"),
        ("Rumours that Masyaf had fallen proved false.", "denial"),
        ("The government flag still flies over Masyaf, state media said.", "no change"),
        ("If Masyaf should fall to the rebels, the coast is next.", "hypothetical"),
        ("There has been no serious fighting in Masyaf since the offensive began.", "denial"),
        ("I think it was Sunday, they took Masyaf, right?", "a question put to be confirmed"),
        ("The rebels broke open a new front near Masyaf.", "a front, not a place entered"),
        ("Mediators secured the release of detainees held in Masyaf.", "not a place taken"),
        ("The SNA now holds the areas secured in Masyaf in 2018.", "a participle, and history"),
        ("Rebels took Masyaf years ago, before the truce.", "history"),
        ("Protesters raised the opposition flag in Suwayda in 2023.", "history, and a protest"),
        ("There is no truth to reports that Masyaf has fallen, officials said.", "denial"),
        ("A source said there was no basis for claims that rebels had entered Suran.", "denial"),
        ("Should the rebels capture Homs, the coast would be cut off.", "inverted conditional"),
        ("Were the army to leave Hama, the road south would open.", "inverted conditional"),
        ("If fighters take Salamiyah, Homs is exposed.", "conditional"),
        ("The rebels vowed to march on Raqqa next.", "intention"),
        ("Rebels are trying to capture Manbij.", "attempt"),
        ("Rebels, who took Aleppo in 2016, were quiet.", "history in an aside"),
        ("Ankara revived its old plan of occupying Kobani.", "a plan"),
        ("Fresh military reinforcements had arrived in Hama city.", "the holder's reinforcements"),
        ("Families fled Homs, fearing a battle for the city.", "a fear"),
        ("Israeli jets struck Masyaf in October.", "remote violence"),
        (
            "The army fought in Qusayr in 2013, when it expelled the rebels from the city.",
            "history led by its year",
        ),
        ("Masyaf has been under the control of the state since then.", "a holder since long ago"),
        (
            "Verdict: FALSE. Posts claiming that rebels had captured Homs spread fast.",
            "a fact-check's verdict",
        ),
        ('Claim 4: "Rebels enter Masyaf"', "a claim under check"),
        ("Army units were redeploying from Hama to the Aleppo front.", "a redeployment"),
        ("Russian jets struck army forces inside Hama.", "forces struck, not seen"),
        ("The SNA made no secret of its ambition to take Manbij.", "an ambition"),
        ("The army recaptured Palmyra in 2017.", "history"),
        ("In 2012, when rebels took half of Aleppo, the city was split.", "history"),
        ("Fighters have entered Quneitra several times before.", "history"),
        ("The advance looks like the fall of Mosul a decade ago.", "analogy"),
        ("Russian jets bombed Saraqib overnight.", "remote violence, a foreign force"),
        ("Government artillery shelled Ariha.", "remote violence"),
        ("Drone strikes hit Idlib city.", "remote violence"),
        ("Iraqi forces took control of Al-Qaim on the border.", "outside Syria"),
        ("Thousands of civilians fled Homs toward the coast.", "people leaving"),
        ("Fighters from the Tanf area moved towards the edge of Qaryatayn.", "no event at Tanf"),
        (
            "Channels that claimed the city of Hama had fallen were spreading lies, a source said.",
            "a claim called lies",
        ),
        ("CORRECTION: An earlier version of this entry said the SNA had taken Sarmin.",
         "a correction quoting what it withdraws"),
        ("Aid groups were collecting food for the families arriving in Masyaf.", "people arriving"),
        ("Officials in Masyaf said they were bracing for an attack on the town.", "a fear"),
        ("The militants sent messages promising to leave Mhardeh alone.", "a promise"),
        ("Drones struck a car near Sarmin on Tuesday, killing two, and hit the outskirts of Ariha.",
         "remote violence"),
        ("A delegation of the Kurdish parties arrived in Qamishli on Tuesday for talks.",
         "visitors arriving"),
        ("Before we go on, a correction. On Thursday I said the SNA had taken Manbij.",
         "a correction announced before"),
        ("Officials went over the plans in Homs.", "no town changing sides"),
        ("The choice is theirs, Hama officials said.", "a choice, not a town"),
        ("Families fled Sarmin and the surrounding villages.", "people leaving"),
        ("Whoever thinks he can enter Masyaf will pay a heavy price, the commander said.",
         "a threat"),
        ("Missile strikes had destroyed a militant headquarters on the outskirts of Ariha.",
         "remote violence at an edge"),
        ("Iraqi militias crossed into Syria at Masyaf to help the government.",
         "the holder's reinforcements"),
        ("DENIAL: the news that rebels have reached Masyaf is not true.", "a denial heading"),
        ("Reports that rebels entered Masyaf are not true, the army said.", "called not true"),
        ("The army withdrew its ambassador from Amman.", "a diplomat, not a force"),
        ("Fighters captured and executed soldiers in Hama.", "people, not a place"),
        ("The campaign opened a new front on social media in Homs.", "no front against a place"),
    ],
)  # fmt: skip
def test_traps(gazetteer: Gazetteer, text: str, why: str) -> None:
    kinds = _kinds(text, gazetteer)
    assert not any(k != "contested" or "Tanf" in p for k, p in kinds), why
    if why != "no event at Tanf":
        assert kinds == set(), why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rebels took control of the town", [("captured", "after", "agent")]),
        ("troops were expelled from the town", [("captured", "after", "loser")]),
        ("the town fell to the rebels", [("captured", "before", "agent")]),
        ("rebels now hold the town", [("captured", "after", "state")]),
        ("the army handed the base over to them", [("withdrawal", "after", "giver")]),
        ("they took prisoners", []),
        ("the rebel-controlled towns", []),
        ("a ceasefire came into force", []),
    ],
)
def test_rules_read_kind_form_and_role(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(t.kind, t.form, t.role) for t in find_triggers(text)] == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("officials denied that rebels had taken the town", "denial"),
        ("if the rebels take the town", "hypothetical"),
        ("rebels took the town in 2016", "history"),
        ("jets attacked the town", "remote violence"),
        ("rebels took the town", None),
    ],
)
def test_rejected_names_the_reason(text: str, reason: str | None) -> None:
    trigger = find_triggers(text)[-1]
    whole = Span(0, len(text))
    assert rejected(text, trigger, whole, whole, PERIOD) == reason
