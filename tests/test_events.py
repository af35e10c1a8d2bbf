"""Event extraction: the gold set, unseen articles, every rule, every date phrase."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from geo.articles import parse_article, read_article
from geo.evaluate import haversine_km, read_gold_events, read_traps, score_events
from geo.events import ControlEvent, extract_events, find_time_expressions
from geo.gazetteer import Gazetteer
from geo.toponyms import find_mentions

SATURDAY = dt.date(2024, 12, 7)


def _events(text: str, gazetteer: Gazetteer, day: str = "2024-12-07") -> list[ControlEvent]:
    article = parse_article(f"date {day}\n{text}".encode(), path="t.txt")
    return extract_events(article, find_mentions(article, gazetteer))


def _summary(events: list[ControlEvent]) -> set[tuple[str, str, str]]:
    return {(e.kind, e.place.name, e.actor) for e in events}


def test_seed_gold_set(seeds_dir: Path, eval_dir: Path, gazetteer: Gazetteer) -> None:
    pairs, texts = [], {}
    for path in sorted(seeds_dir.glob("*.txt")):
        article = read_article(path)
        texts[article.name] = article.text
        pairs += [
            (article.name, e) for e in extract_events(article, find_mentions(article, gazetteer))
        ]
    score = score_events(
        pairs,
        read_gold_events(eval_dir / "seed_events.csv"),
        read_traps(eval_dir / "seed_traps.csv"),
        texts,
    )
    print(
        f"seed events: P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}, "
        f"day {score.dated_right}/{score.dated}, traps hit {len(score.traps_hit)}/{score.traps}"
    )
    assert score.f1 >= 0.90, (score.missed, score.wrong)
    assert score.day_accuracy >= 0.90, score.wrong_days
    assert score.traps_hit == ()


def test_unseen_articles(data_dir: Path, gazetteer: Gazetteer) -> None:
    """Articles written for the tests: other places, outlets, phrasing and date styles."""
    with (data_dir / "unseen_events.csv").open(encoding="utf-8") as f:
        gold = list(csv.DictReader(f))
    with (data_dir / "unseen_event_traps.csv").open(encoding="utf-8") as f:
        traps = list(csv.DictReader(f))
    problems = []
    for path in sorted((data_dir / "unseen_events").iterdir()):
        article = read_article(path)
        events = extract_events(article, find_mentions(article, gazetteer))
        for row in (r for r in gold if r["file"] == path.name):
            distance = {
                e.id: haversine_km(e.place.lat, e.place.lon, float(row["lat"]), float(row["lon"]))
                for e in events
            }
            match = sorted(
                (e for e in events if e.kind == row["kind"] and distance[e.id] <= 25),
                key=lambda e: distance[e.id],
            )
            if not match:
                problems.append(f"missed {row['kind']} {row['place']}")
            elif (match[0].actor, str(match[0].day)) != (row["actor"], row["date"]):
                problems.append(
                    f"{row['place']}: {match[0].actor} {match[0].day}, "
                    f"want {row['actor']} {row['date']}"
                )
        for row in (r for r in traps if r["file"] == path.name):
            named = {
                m.place.id for m in find_mentions(article, gazetteer) if m.surface in row["text"]
            }
            problems += [f"trap {row['text']!r}" for e in events if e.place.id in named]
        expected = sum(r["file"] == path.name for r in gold)
        if len(events) > expected:
            problems.append(f"{path.name}: {len(events)} events, {expected} expected")
    assert problems == []


@pytest.mark.parametrize(
    ("phrase", "day", "precision"),
    [
        ("on Friday", dt.date(2024, 12, 6), "exact"),
        ("on Saturday", SATURDAY, "exact"),
        ("last Saturday", dt.date(2024, 11, 30), "exact"),
        ("late on Thursday", dt.date(2024, 12, 5), "exact"),
        ("yesterday", dt.date(2024, 12, 6), "exact"),
        ("today", SATURDAY, "exact"),
        ("a week ago", dt.date(2024, 11, 30), "approximate"),
        ("two days ago", dt.date(2024, 12, 5), "exact"),
        ("3 days ago", dt.date(2024, 12, 4), "exact"),
        ("a day earlier", dt.date(2024, 12, 6), "exact"),
        ("the previous day", dt.date(2024, 12, 6), "exact"),
        ("a day later", dt.date(2024, 12, 8), "exact"),
        ("late on December 7", SATURDAY, "exact"),
        ("on December 6", dt.date(2024, 12, 6), "exact"),
        ("Dec. 5, 2024", dt.date(2024, 12, 5), "exact"),
        ("5th December", dt.date(2024, 12, 5), "exact"),
        ("30 November", dt.date(2024, 11, 30), "exact"),
        ("Nov 29", dt.date(2024, 11, 29), "exact"),
        ("2024-12-08", dt.date(2024, 12, 8), "exact"),
        ("within 24 hours", SATURDAY, "approximate"),
        ("overnight", dt.date(2024, 12, 6), "approximate"),
        ("last week", dt.date(2024, 11, 30), "approximate"),
    ],
)
def test_time_expressions(phrase: str, day: dt.date, precision: str) -> None:
    (found,) = find_time_expressions(f"It happened {phrase}, they said.", SATURDAY)
    assert (found.text.lower(), found.day, found.precision) == (phrase.lower(), day, precision)


def test_a_day_earlier_counts_from_the_last_day_named() -> None:
    found = find_time_expressions("On Tuesday it began. A day earlier it was calm.", SATURDAY)
    assert [t.day for t in found] == [dt.date(2024, 12, 3), dt.date(2024, 12, 2)]


PERIOD = (dt.date(2024, 11, 27), dt.date(2024, 12, 8))
D = dt.date


def _one(phrase: str, base: dt.date = SATURDAY, anchor: dt.date | None = None) -> tuple:
    (found,) = find_time_expressions(f"It happened {phrase}, they said.", base, anchor=anchor,
                                     period=PERIOD)  # fmt: skip
    return found.text, found.day, found.precision


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("on Friday, November 29", D(2024, 11, 29)),
        ("Tuesday, 3 December", D(2024, 12, 3)),
        ("on Sunday, Dec. 1", D(2024, 12, 1)),
        ("late on Monday, December 2, 2024", D(2024, 12, 2)),
        ("on Thursday, Nov. 28", D(2024, 11, 28)),
    ],
)
def test_an_explicit_date_beats_its_weekday(phrase: str, day: dt.date) -> None:
    # an article of Friday 6 December: the weekday alone would give another day
    assert _one(phrase, base=D(2024, 12, 6)) == (phrase, day, "exact")


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("by Nov. 30", D(2024, 11, 30)),
        ("by Saturday", SATURDAY),
        ("until December 2", D(2024, 12, 2)),
        ("since Wednesday", D(2024, 12, 4)),
        ("as of 3 December", D(2024, 12, 3)),
        ("Nov. 27-28", D(2024, 11, 27)),
        ("29-30 November", D(2024, 11, 29)),
        ("December 1, 2", D(2024, 12, 1)),
        ("earlier this week", D(2024, 12, 5)),
        ("late last week", D(2024, 11, 30)),
        ("in recent days", D(2024, 12, 5)),
        ("late last month", D(2024, 11, 25)),
        ("a few days ago", D(2024, 12, 4)),
    ],
)
def test_bounds_ranges_and_spans_are_approximate(phrase: str, day: dt.date) -> None:
    assert _one(phrase) == (phrase, day, "approximate")


@pytest.mark.parametrize(
    ("phrase", "day", "precision"),
    [
        ("late Saturday", SATURDAY, "exact"),
        ("late Friday night", D(2024, 12, 6), "exact"),
        ("early Sunday morning", D(2024, 12, 1), "exact"),
        ("Thursday's", D(2024, 12, 5), "exact"),
        ("on Dec. 1", D(2024, 12, 1), "exact"),
        ("yesterday", D(2024, 12, 6), "exact"),
        ("last night", D(2024, 12, 6), "approximate"),
        ("this morning", SATURDAY, "exact"),
        ("earlier in the day", SATURDAY, "exact"),
        ("later in the day", SATURDAY, "exact"),
        ("two weeks ago", D(2024, 11, 23), "approximate"),
    ],
)
def test_phrases_counted_from_the_article_day(phrase: str, day: dt.date, precision: str) -> None:
    assert _one(phrase, anchor=D(2024, 11, 28)) == (phrase, day, precision)


@pytest.mark.parametrize(
    ("phrase", "day", "precision"),
    [
        ("that day", D(2024, 12, 3), "exact"),
        ("later that day", D(2024, 12, 3), "exact"),
        ("on the same day", D(2024, 12, 3), "exact"),
        ("the following day", D(2024, 12, 4), "exact"),
        ("two days later", D(2024, 12, 5), "exact"),
        ("the day before", D(2024, 12, 2), "exact"),
        # recaps count on from the last day named, never past the article's day
        ("in three days", D(2024, 12, 6), "approximate"),
        ("within a day", D(2024, 12, 4), "approximate"),
        ("over the next week", SATURDAY, "approximate"),
        ("in the space of two days", D(2024, 12, 5), "approximate"),
    ],
)
def test_phrases_counted_from_the_last_day_named(phrase: str, day: dt.date, precision: str) -> None:
    assert _one(phrase, anchor=D(2024, 12, 3)) == (phrase, day, precision)


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("on 03-12-2024", D(2024, 12, 3)),
        ("on 03/12/2024", D(2024, 12, 3)),
        ("on 3.12.2024", D(2024, 12, 3)),
        ("on 12/25/2024", D(2024, 12, 25)),
        ("on 2024-12-03", D(2024, 12, 3)),
    ],
)
def test_numeric_dates_in_the_text_are_day_first(phrase: str, day: dt.date) -> None:
    assert _one(phrase) == (phrase, day, "exact")


@pytest.mark.parametrize(
    ("phrase", "day"),
    [("on January 3", D(2025, 1, 3)), ("on 28 November", D(2024, 11, 28)),
     ("on March 5", D(2025, 3, 5)), ("on Oct. 30", D(2024, 10, 30))],
)  # fmt: skip
def test_yearless_dates_take_the_year_of_the_period(phrase: str, day: dt.date) -> None:
    assert _one(phrase)[1] == day
    assert find_time_expressions(phrase, None, period=PERIOD)[0].day == day


def test_no_article_date_means_no_relative_day() -> None:
    assert find_time_expressions("on Friday", None)[0].day is None
    assert find_time_expressions("on 6 December 2024", None)[0].day == dt.date(2024, 12, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels captured Hama on Thursday.", {("captured", "Ḩamāh", "HTS-led coalition")}),
        ("Hama fell to opposition fighters.", {("captured", "Ḩamāh", "HTS-led coalition")}),
        (
            "Homs, a city of 775,000 people, has fallen, residents said.",
            {("captured", "Homs", "unknown")},
        ),
        ("The fall of Homs stunned the region.", {("captured", "Homs", "unknown")}),
        ("Rebels entered the central city of Homs.", {("entered", "Homs", "HTS-led coalition")}),
        ("Insurgents were bearing down on Homs.", {("contested", "Homs", "HTS-led coalition")}),
        (
            "Government forces withdrew from Hama overnight.",
            {("withdrawal", "Ḩamāh", "Government")},
        ),
        ("The SDF took control of Deir ez-Zor.", {("captured", "Deir ez-Zor", "SDF")}),
        (
            "The SNA seized Tal Rifaat while the SDF entered Deir ez-Zor.",
            {("captured", "Tall Rif‘at", "SNA"), ("entered", "Deir ez-Zor", "SDF")},
        ),
        (
            "Rebels captured Aleppo in the north, Hama in the center and Homs.",
            {
                ("captured", "Aleppo", "HTS-led coalition"),
                ("captured", "Ḩamāh", "HTS-led coalition"),
                ("captured", "Homs", "HTS-led coalition"),
            },
        ),
        (
            "Fighters rose up in Nawa and Busra al-Sham and took control of the two towns.",
            {
                ("captured", "Nawá", "Southern Operations Room"),
                ("captured", "Buşrá ash Shām", "Southern Operations Room"),
            },
        ),
        (
            "Protesters in the Damascus suburb of Jaramana tore down a statue.",
            {("uprising", "Jaramānā", "local uprising")},
        ),
        (
            "Druze factions took over government buildings in Suweida.",
            {("captured", "As-Suwayda", "Suwayda factions")},
        ),
        ("The SNA captured Al Bab on Sunday.", {("captured", "Al Bāb", "SNA")}),
        (
            "HAMA, Dec 4 - Rebels moved into the town of Al Bab, a monitor said.",
            {("entered", "Al Bāb", "HTS-led coalition")},
        ),
    ],
)
def test_reports_of_change(
    gazetteer: Gazetteer, text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert _summary(_events(text, gazetteer)) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("State television said the insurgents had not penetrated Homs.", "denial"),
        ("The army denied that rebels had entered Hama.", "denial"),
        ("If the rebels take Homs, Damascus is exposed.", "conditional"),
        ("Once the rebels take Homs, the road is open.", "conditional"),
        ("Rebels could seize Homs within days.", "modal"),
        ("An attack on Damascus would trigger a response.", "hypothetical"),
        ("Seizing Homs would cut Damascus off from the coast.", "gerund subject with a modal"),
        ("Rebels plan to capture Homs next.", "intention"),
        ("Government forces recaptured Aleppo in 2016.", "history"),
        ("It brings to mind how the Taliban seized Kabul.", "analogy, and not Syria"),
        ("Iraqi border guards took control of al-Qaim.", "outside Syria"),
        ("The Russian military began evacuating its base in Khmeimim.", "a foreign force"),
        ("Civilians fled Homs towards the coast.", "people leaving, not a force"),
        ("Abu Mohammad al-Golani entered politics.", "a person's name"),
        ("Rebels were in the final moments of liberating Homs.", "not yet done"),
    ],
)
def test_not_a_change_of_control(gazetteer: Gazetteer, text: str, why: str) -> None:
    assert _events(text, gazetteer) == [], why


def test_each_time_phrase_dates_its_own_clause(gazetteer: Gazetteer) -> None:
    events = _events(
        "A day earlier, fighters captured Hama, and rebels have seized Aleppo.",
        gazetteer,
        day="2024-12-06",
    )
    days = {e.place.name: (e.day, e.day_precision, e.day_cue) for e in events}
    assert days["Ḩamāh"] == (dt.date(2024, 12, 5), "exact", "A day earlier")
    assert days["Aleppo"] == (dt.date(2024, 12, 6), "approximate", "article date")


def test_photo_caption_date_is_only_a_bound(gazetteer: Gazetteer) -> None:
    (e,) = _events(
        "A man waves a flag after fighters took control of Hama, Dec. 7, 2024. (AFP Photo)",
        gazetteer,
    )
    assert e.day == SATURDAY and e.day_precision == "approximate"


def test_generic_actor_is_mapped_by_region_and_marked(gazetteer: Gazetteer) -> None:
    (south,) = _events("Rebels took control of Daraa.", gazetteer)
    (north,) = _events("Rebels took control of Idlib.", gazetteer)
    assert (south.actor, south.actor_basis) == ("Southern Operations Room", "region")
    assert (north.actor, north.actor_basis, north.actor_raw) == (
        "HTS-led coalition",
        "generic",
        "Rebels",
    )


def test_evidence_spans_point_into_the_text(gazetteer: Gazetteer) -> None:
    article = parse_article(b"date 2024-12-07\nRebels seized Hama on Thursday.", path="t.txt")
    (e,) = extract_events(article, find_mentions(article, gazetteer))
    text = article.text
    assert text[e.trigger.start : e.trigger.end] == "seized"
    assert text[e.place_span.start : e.place_span.end] == "Hama"
    assert e.excerpt == text[e.sentence.start : e.sentence.end]
    assert e.origin == "extracted" and len(e.id) == 16
    again = extract_events(article, find_mentions(article, gazetteer))
    assert again[0].id == e.id


def test_one_event_per_place_and_kind_and_captures_subsume(gazetteer: Gazetteer) -> None:
    events = _events(
        "Rebels advanced on Homs. Rebels captured Homs on Saturday. "
        "They took Homs after a day of fighting.",
        gazetteer,
    )
    assert [(e.kind, e.day) for e in events] == [("captured", SATURDAY)]
