"""Digest lines: a tracker's or a telegram channel's one-line reports headed by their place.

"Palmyra: SAA pulled out overnight", "04:05 - Hama - rebels entered the centre",
"Talbiseh - taken by the opposition", "Hama city - opposition (HTS-led) since Thursday":
the trigger names no place of its own, the line's label does. Split out of
:mod:`geo.attachment`, which asks these readers when the ordinary forms find nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .models import Mention, Span
from .triggers import Trigger

if TYPE_CHECKING:
    from .attachment import Groups

__all__ = ["labelled", "opening", "section_heads", "status", "telegraphed"]

_STOP = re.compile(r"[.;:!?]")


def opening(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups, lead: re.Pattern[str]
) -> tuple[Mention, ...] | None:
    """The sentence's first list of places, before the trigger, when only ``lead`` (a
    preposition, a bullet, a time stamp) stands before it."""
    first = groups.starting_after(sentence.start)
    if first is None or first[-1].end >= trigger.start:
        return None
    return first if lead.fullmatch(lowered, sentence.start, first[0].start) else None


#: What may stand before a line's label: a bullet, a number, a time stamp ("04:05 -")
_LABEL_LEAD = re.compile(
    r"\s*(?:[-*\u2022\u2013\u2014]\s*|\d{1,2}[.)]\s+)?"
    r"(?:\d{1,2}[:.h]\d{2}\s*(?:utc|gmt|local|am|pm)?\s*[-\u2013\u2014:|]\s*)?"
)
#: The label's end: "Palmyra: ...", "Hama city - ...", "Tal Rifaat | ..."
_LABEL_END = re.compile(
    r"\s*(?:(?:city|town|village|province|countryside|airport|base|crossing)\s*)?"
    r"(?:\([^()]{0,40}\)\s*)?"  # "Quneitra city (Baath city) - ..."
    r"(?::|\s[-\u2013\u2014|])\s+"
)


_ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?$")


def labelled(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "Palmyra: SAA pulled out overnight", "04:05 - Hama - rebels entered the centre": a
    digest line headed by its place, the trigger naming none of its own."""
    first = opening(lowered, trigger, sentence, groups, _LABEL_LEAD)
    if first is None:
        return []
    label = _LABEL_END.match(lowered, first[-1].end)
    if label is None or label.end() > trigger.start:
        return []
    if any(
        first[-1].end < g[0].start < trigger.start and not _ORIGIN.search(lowered, 0, g[0].start)
        for g in groups.groups
    ):
        return []  # another place between, unless where the force came from ("from X")
    if _STOP.search(lowered, label.end(), trigger.start):
        return []
    return [(x, "label") for x in first]


#: a status line's side: a few words, no verb ("opposition (HTS-led)", "local factions")
_SIDE_ONLY = re.compile(r"\s*(?:(?![a-z]+(?:ed|ing)\b)[a-z][\w/-]*\s*){1,4}")


def status(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "Hama city - opposition (HTS-led) since Thursday": a digest line's label, a side
    and nothing else, then "since" and when."""
    found = labelled(lowered, trigger, sentence, groups)
    if not found:
        return []
    label = _LABEL_END.match(lowered, found[-1][0].end)
    side = _ASIDE_PARENS.sub("", lowered[label.end() : trigger.start]) if label else ""
    return found if _SIDE_ONLY.fullmatch(side) else []


#: What may open a telegraphic clause before its names: a bullet, a stamp, a label's end
_CLAUSE_OPENING = re.compile(
    r"(?:^|[.:;,!?\u2013\u2014]|\s-)\s*(?:[-*\u2022]\s*)?(?:(?:and\s+)?(?:then|once|so|but)\s+|and\s+)?"
    r"(?:the\s+(?:town|city|village)s?\s+of\s+)?$"
)
#: "declaring the city of X liberated": the participle is the declaration's complement
_DECLARING = re.compile(
    r"\b(?:declar(?:e|ed|es|ing)|proclaim(?:ed|ing|s)?|pronounc(?:e|ed|es|ing))\s+"
    r"(?:the\s+(?:town|city|village)s?\s+of\s+)?$"
)


_ASIDE_PARENS = re.compile(r"\s*\([^()]{0,60}\)")
#: "Saraqib had gone on Friday": an auxiliary between the name and its participle
_AUX = re.compile(r"\s*(?:had|has|have)(?:\s+(?:already|now|also))?\s*")
#: 'Homs city "fully liberated"', "Masyaf now fully taken": a label's words before its participle
_QUALIFIED = re.compile(
    r"\s*(?:(?:city|town|village)\s*)?[\"“‘']?\s*(?:(?:now|fully|completely|entirely|officially)\s+)+"
)


def telegraphed(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "Al-Zarbah taken, HTS astride the M5", "X and Y confirmed HTS-held": the names that
    open the clause, straight before the participle (not "soldiers from X captured")."""
    group = groups.ending_before(trigger.start)
    if group is None or group[0].start < sentence.start:
        return []
    between = _ASIDE_PARENS.sub("", lowered[group[-1].end : trigger.start])
    # "Talbiseh - taken by the opposition": a digest line's label, then its participle
    if between.strip(" '\u2019s") and not (
        _LABEL_END.fullmatch(between) or _AUX.fullmatch(between) or _QUALIFIED.fullmatch(between)
    ):
        return []
    lead = lowered[max(sentence.start, group[0].start - 40) : group[0].start]
    if _DECLARING.search(lead):
        return [(x, "before") for x in group]
    if sentence.start < group[0].start - 40 and not re.search(r"[.:;,!?\u2013\u2014]", lead):
        return []
    return [(x, "before") for x in group] if _CLAUSE_OPENING.search(lead) else []


#: A section heading: short, no sentence's end ("## Tal Rifaat", "Qamishli and Hasakah")
_HEADING_MAX = 80
_HEADING_END = re.compile(r"[.!?\"\u201d]\s*$")
#: What a heading may hold besides its places: marks, "and", "city", "the countryside"
_HEADING_GLUE = re.compile(
    r"[\s#*>\-\u2022\u2013\u2014:,&/()]*(?:(?:and|the|city|town|village|province|countryside"
    r"|front|area|region|in|of)\b[\s,&/:()\-\u2013\u2014]*)*"
)


def section_heads(
    lowered: str, paragraphs: Sequence[Span], mentions: Sequence[Mention]
) -> list[tuple[Mention, ...]]:
    """Per paragraph, the places of the section heading it stands under ("## Tal Rifaat",
    a blog's town by town): a short paragraph that is only place names heads the ones
    after it up to the next short paragraph without a sentence's end. The first paragraph
    (a headline or a kicker) heads nothing."""
    heads: list[tuple[Mention, ...]] = []
    current: tuple[Mention, ...] = ()
    starts = [m.start for m in mentions]
    for i, p in enumerate(paragraphs):
        short = p.end - p.start <= _HEADING_MAX and not _HEADING_END.search(lowered, p.start, p.end)
        if short and i:
            lo, hi = bisect_left(starts, p.start), bisect_left(starts, p.end)
            inside = [m for m in mentions[lo:hi] if m.end <= p.end and m.place.kind != "country"]
            current = tuple(inside) if inside and _only_places(lowered, p, inside) else ()
            heads.append(())
            continue
        heads.append(current)
    return heads


def _only_places(lowered: str, p: Span, inside: Sequence[Mention]) -> bool:
    at = p.start
    for m in inside:
        if m.start < at or not _HEADING_GLUE.fullmatch(lowered, at, m.start):
            return False
        at = m.end
    return _HEADING_GLUE.fullmatch(lowered, at, p.end) is not None
