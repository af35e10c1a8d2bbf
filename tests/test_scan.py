"""The searches that skip text (geo.scan, the time phrases) give what the plain regex gives."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from geo import anaphora, attachment, events, filters, reportdays, timephrases, triggers
from geo.scan import Gated, finditer_at, mark_starts, positions

#: Pieces that make the patterns match, half match and not match, glued at random.
_PIECES = st.sampled_from(
    [" ", ".", ",", ";", "—", "–", "-", "\n", "\u00a0", "x", "a", "the", "city", "that", "but",
     "and", "while", "though", "although", "false", "was", "is", "19", "20", "2012", "1999",
     "proved", "time", "ago", "years", "past", "town", "two", "towns", "was fallen", "linking",
     "between", "connects", "cities of", "Photo", "(AFP Photo)", "(", ")", "AFP/Getty", ":",
     "?", "which"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)


@given(_TEXTS, st.integers(0, 40), st.integers(0, 40))
def test_gated_searches_as_the_plain_pattern(text: str, pos: int, end: int) -> None:
    for gated in (
        *(filters._FALSE_AFTER, filters._HISTORY, filters._YEAR, filters._YEAR_LEAD),
        *(events._CAPTION, reportdays._BOUNDARY, attachment._ROUTE_BEFORE),
    ):
        assert isinstance(gated, Gated)
        plain = gated.pattern
        found, expected = gated.search(text, pos, end), plain.search(text, pos, end)
        assert (found and found.span()) == (expected and expected.span())
        assert gated.findall(text, pos, end) == plain.findall(text, pos, end)
        got = [m.span() for m in gated.finditer(text, pos, end)]
        assert got == [m.span() for m in plain.finditer(text, pos, end)]


@given(_TEXTS)
def test_clause_boundaries_as_a_full_scan(text: str) -> None:
    starts = mark_starts(text, triggers._CLAUSE_MARKS)
    found = [m.span() for m in finditer_at(triggers._CLAUSE_BOUNDARY, text, starts, len(text))]
    assert found == [m.span() for m in triggers._CLAUSE_BOUNDARY.finditer(text)]


@given(_TEXTS, st.integers(0, 40), st.integers(0, 60))
def test_anaphors_tried_where_the_stands(text: str, start: int, end: int) -> None:
    at = positions(text, "the", start, end)
    found = [m.span() for m in finditer_at(anaphora._ANAPHOR, text, at, end)]
    assert found == [m.span() for m in anaphora._ANAPHOR.finditer(text, start, end)]


def test_positions_overlap_and_stay_inside() -> None:
    assert list(positions("aaaa", "aa", 0, 4)) == [0, 1, 2]
    assert list(positions("aaaa", "aa", 1, 3)) == [1]
    assert Gated(re.compile(r"\bx\b"), "x").search("a x b").span() == (2, 3)


_TIME_PIECES = st.sampled_from(
    [" ", ",", ".", "-", "/", "on", "by", "the", "friday", "fridays", "dec", "december", "7",
     "2024", "12", "a", "day", "earlier", "last", "week", "in", "three", "days", "ago", "x",
     "early", "morning", "yesterday", "that", "over", "septembers", "another"]
)  # fmt: skip


@given(st.lists(_TIME_PIECES, max_size=30).map("".join), st.integers(0, 60), st.integers(0, 90))
def test_time_phrases_searched_where_one_can_start(text: str, lo: int, hi: int) -> None:
    found, expected = timephrases._search(text, lo, hi), timephrases._TIME_RX.search(text, lo, hi)
    assert (found and found.span()) == (expected and expected.span())
