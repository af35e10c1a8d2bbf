"""Control tables: rows of places and who holds them, in a report's Markdown table."""

from __future__ import annotations

import pytest

from geo.articles import parse_article
from geo.controltables import control_rows
from geo.events import extract_events
from geo.gazetteer import Gazetteer
from geo.toponyms import find_mentions

HEADED = """Published: 6 December 2024

Rebels (the opposition) and the Syrian Democratic Forces (SDF) moved again this week.

| Town | Area | Control changed on | Controlling party as of 6 Dec | Notes |
|---|---|---|---|---|
| Sarmin | Idlib | 29 Nov | opposition | few residents left |
| Masyaf | Hama | No change | army | talks under way |
| Ariha | Idlib | 30 Nov | Unconfirmed | no access |
| Deir Hafer | Aleppo east | early December | SDF | date not confirmed |
"""


def _events(text: str, gazetteer: Gazetteer) -> set[tuple[str, str, str, str]]:
    article = parse_article(text.encode(), path="t.md")
    found = extract_events(article, find_mentions(article, gazetteer), gazetteer=gazetteer)
    return {
        (e.place.name, e.kind, e.actor, str(e.day))
        for e in found
        if e.actor_basis in {"table", "region"}
    }


def test_each_row_with_a_named_holder_is_a_capture(gazetteer: Gazetteer) -> None:
    assert _events(HEADED, gazetteer) == {
        ("Sarmin", "captured", "HTS-led coalition", "2024-11-29"),
        # no day in its cell: the report's own day, approximately
        ("Deir Hafer", "captured", "SDF", "2024-12-06"),
    }


def test_the_date_column_is_not_read_as_the_holder() -> None:
    (first, *_rest) = control_rows(HEADED)
    assert HEADED[first.holder.start : first.holder.end].strip() == "opposition"
    assert first.day is not None and HEADED[first.day.start : first.day.end].strip() == "29 Nov"


@pytest.mark.parametrize(
    "text",
    [
        # no holder column: figures, not control
        "| Town | Displaced |\n|---|---|\n| Sarmin | 4,000 |\n",
        # pipes with no rule line under a header are no table
        "| Sarmin | opposition |\n| Ariha | army |\n",
        # a row with a missing cell is left out rather than read askew
        "| Town | Held by |\n|---|---|\n| Sarmin |\n",
    ],
)
def test_what_is_no_control_table(text: str) -> None:
    assert control_rows(text) == []


def test_an_html_table_reads_as_the_markdown_one(gazetteer: Gazetteer) -> None:
    rows = "".join(
        f"<tr><td>{town}</td><td>{day}</td><td>{holder}</td></tr>"
        for town, day, holder in [
            ("Sarmin", "29 Nov", "opposition"),
            ("Masyaf", "No change", "army"),
        ]
    )
    page = (
        "<p>Published: 6 December 2024</p><p>Rebels moved again this week.</p><table><thead>"
        "<tr><th>Town</th><th>Taken on</th><th>Held by</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    article = parse_article(page.encode(), path="t.html")
    found = extract_events(article, find_mentions(article, gazetteer), gazetteer=gazetteer)
    assert {
        (e.place.name, e.actor, str(e.day)) for e in found if e.actor_basis in {"table", "region"}
    } == {("Sarmin", "HTS-led coalition", "2024-11-29")}


def test_a_row_fought_over_is_contested(gazetteer: Gazetteer) -> None:
    table = (
        "Published: 6 December 2024\n\n"
        "| Town | Changed on | Held by |\n|---|---|---|\n"
        "| Sarmin | (changed hands twice) | Unconfirmed |\n"
        "| Ariha | 2 Dec | Contested |\n"
        "| Masyaf | 3 Dec | Unconfirmed |\n"
    )
    article = parse_article(table.encode(), path="t.md")
    found = extract_events(article, find_mentions(article, gazetteer), gazetteer=gazetteer)
    assert {(e.place.name, e.kind, e.actor) for e in found} == {
        ("Sarmin", "contested", "unknown"),
        ("Ariha", "contested", "unknown"),
    }
