"""Regex searches that skip the text no match can start in, with exactly the same results.

``re`` tries a pattern at every position unless the pattern begins with a literal, and
most of the event reader's patterns begin with ``\\b`` or a look-behind. Each match holds
a literal known in advance (a word, a punctuation mark), so a search first looks for
those (a pattern of plain literals, which ``re`` scans for by their first characters, or
one automaton pass) and tries the full pattern only where one stands: a stretch of text
with none of them cannot hold a match, so skipping it changes nothing.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Iterator

import ahocorasick

__all__ = ["Gated", "finditer_at", "mark_starts", "positions"]


class Gated:
    """A regex searched only where one of ``literals`` stands, every match holding one."""

    __slots__ = ("hint", "pattern")

    def __init__(self, pattern: re.Pattern[str], *literals: str) -> None:
        self.pattern = pattern
        self.hint = re.compile("|".join(re.escape(x) for x in literals))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``."""
        if self.hint.search(text, pos, endpos) is None:
            return None
        return self.pattern.search(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text, pos, endpos)``."""
        if self.hint.search(text, pos, endpos) is None:
            return iter(())
        return self.pattern.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        """``pattern.findall(text, pos, endpos)``."""
        if self.hint.search(text, pos, endpos) is None:
            return []
        return self.pattern.findall(text, pos, endpos)


@functools.cache
def _automaton(marks: tuple[tuple[str, int], ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for mark, offset in marks:
        automaton.add_word(mark, len(mark) - 1 - offset)
    automaton.make_automaton()
    return automaton


def mark_starts(text: str, marks: tuple[tuple[str, int], ...]) -> list[int]:
    """Where a match can start, sorted: where each ``(mark, offset)``'s literal stands, plus
    its offset (-1: the match starts one character before the mark)."""
    return sorted({max(0, end - back) for end, back in _automaton(marks).iter(text)})


def positions(text: str, literal: str, start: int, end: int) -> Iterator[int]:
    """Where ``literal`` starts in ``text[start:end]`` (whole, overlapping), left to right."""
    at = text.find(literal, start, end)
    while at >= 0:
        yield at
        at = text.find(literal, at + 1, end)


def finditer_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, end)`` tried only at ``starts`` (sorted, from ``pos``),
    which must hold every position where a match can begin: the same matches,
    non-overlapping, left to right (the pattern must not match the empty string)."""
    done = 0
    for at in starts:
        if at < done:
            continue
        m = pattern.match(text, at, end)
        if m:
            done = m.end()
            yield m
