"""Places that a trigger's clause, not its object, names.

"the X area, where fighting ...", "X, which they entered": the trigger stands in a
subordinate clause and the place is the noun the clause modifies. "In X, local factions
took over ...": the scene set up front. "Fighters in the town of X seized ...": the place
inside the subject. "Residents of X reported ...": where the witnesses are. Split out of
:mod:`geo.attachment`, which asks these readers when the object, a pronoun and the place
before the verb find nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .digestlines import opening
from .models import Mention, Span
from .triggers import Trigger, boundary_between

if TYPE_CHECKING:
    from .attachment import Groups

__all__ = ["fronted", "located_subject", "relative", "where", "witnessed"]

#: the trigger has an object of its own ("where rebels seized the airport")
_OWN_OBJECT = re.compile(r"\s+(?:the|a|an|its|their|his|several|some|many|two|three)\s")
_WHERE = re.compile(r"\s*(?:[a-z-]+\s*){0,2}?,\s*where\s*$")


def where(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "the X area, where fighting ...": the place before a "where" clause, when the
    trigger has no object of its own ("where rebels seized the airport" is about the airport)."""
    if _OWN_OBJECT.match(lowered, trigger.end):
        return []
    start = max(sentence.start, trigger.start - 120)
    at = lowered.rfind("where", start, trigger.start)
    if at < 0 or boundary_between(lowered, at + 5, trigger.start):
        return []
    group = groups.ending_before(at)
    if group is None or group[-1].end < sentence.start:
        return []
    if _WHERE.match(lowered, group[-1].end, at + 5):
        return [(x, "where") for x in group]
    return []


#: "X, which they entered", "X, which rebels had seized": the place is the verb's object
_RELATIVE = re.compile(
    r",?\s*(?:which|that)\s+"
    r"(?:(?!(?:not|never|no|remains?|remained|is|was|are|were|stays?|stayed|lies)\b)[\w'’-]+\s+)"
    r"{1,4}?"
    r"(?:(?:had|has|have|also|then|later|quickly|first)\s+)*$"
)


#: a place that completes another noun, which the clause then hangs on
_PART_OF = re.compile(
    r"\b(?:outskirts|areas?|parts?|positions|edges?|districts|neighbou?rhoods|suburbs|quarters"
    r"|approaches|gates|entrances|villages|countryside)\s+(?:[a-z-]+\s+)?of\s+(?:the\s+)?$"
)
#: ", which ...": a clause that can only hang on the noun before its comma
_WHICH = re.compile(r"\s*,\s*which\s")


def relative(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups, *, which_only: bool = False
) -> list[tuple[Mention, str]]:
    """ "the buffer zone in X, which they entered on Sunday": the place a relative clause
    hangs on, when the trigger has no object of its own."""
    if _OWN_OBJECT.match(lowered, trigger.end):
        return []
    group = groups.ending_before(trigger.start)
    if group is None or group[-1].end < sentence.start:
        return []
    if which_only and not _WHICH.match(lowered, group[-1].end):
        return []  # "no confirmation from X that its troops have left Y": no relative
    if _PART_OF.search(lowered, max(sentence.start, group[0].start - 40), group[0].start):
        return []  # "villages at the edge of X that rebels had held": the villages
    if _RELATIVE.fullmatch(lowered, group[-1].end, trigger.start):
        return [(x, "relative") for x in group]
    return []


#: "residents of X reported the army abandoning its posts": where the witnesses are
_WITNESSES_OF = re.compile(
    r"\b(?:residents|inhabitants|people|locals|townspeople|witnesses)\s+(?:of|in)\s+"
    r"(?:the\s+(?:towns?|city|village|suburbs?)\s+of\s+)?$"
)
_SAID = re.compile(
    r"\s+(?:(?:said|reported|described|told\s+[\w\s]{1,20}?|saw|watched|heard)\s+"
    r"(?:that\s+|seeing\s+|how\s+)?)(?:[\w'’-]+\s+){0,5}$"
)


def witnessed(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "residents of X and Y reported the army abandoning its posts": a report whose
    trigger names no place happened where its witnesses are."""
    group = groups.ending_before(trigger.start)
    if group is None or group[0].start < sentence.start:
        return []
    lead = max(sentence.start, group[0].start - 40)
    if not _WITNESSES_OF.search(lowered, lead, group[0].start):
        return []
    if not _SAID.fullmatch(lowered, group[-1].end, trigger.start):
        return []
    return [(x, "witnessed") for x in group]


#: Area nouns a place name follows with "of" ("the city of X", "the countryside of X").
_AREAS = "city, town, village, province, countryside, district, area, region"


def _either(phrases: str) -> str:
    """A regex alternation of the comma-separated ``phrases``, in their order; a space in
    a phrase matches any run of white space."""
    return "|".join(p.strip().replace(" ", r"\s+") for p in phrases.split(","))


def _located_by(lead: str, prepositions: str, areas: str) -> re.Pattern[str]:
    """What stands before a place a preposition locates something in, up to the name: "in
    X", "on the outskirts of the town of X" (after ``lead``, up to two words between)."""
    return re.compile(
        rf"{lead}(?:{_either(prepositions)})\s+(?:the\s+)?(?:[a-z-]+\s+){{0,2}}?"
        rf"(?:(?:{_either(areas)})\s+of\s+(?:the\s+)?)?$"
    )


#: "In the town of X, rebels ...": the words from a sentence's start to a fronted place
_FRONTED = _located_by(
    r"\s*(?:(?:and|but|meanwhile|elsewhere|further\s+south|further\s+north),?\s+)?",
    "in, inside, across, throughout, around, near, outside, on the outskirts of,"
    " in the vicinity of",
    # a fronted phrase names parts of a town too: "In the southern suburb of X, ..."
    f"{_AREAS}, suburb, suburbs, neighbourhood, neighbourhoods, neighborhood, neighborhoods,"
    " quarter",
)
#: what describes a fronted scene: "birthplace of ...", "a town of ...", "home to ..."
_SCENE_ASIDE = re.compile(
    r"\s*(?:the\s+|an?\s+)?(?:birthplace|hometown|home|seat|capital|stronghold|heartland|cradle"
    r"|town|city|village|district|centre|center|where|whose)\b"
)
#: "In the suburbs of X itself, in A, B and C, ...": a second phrase that narrows the scene
_NARROWED = re.compile(
    r"\s*(?:itself\s*)?,\s*(?:in|inside|at)\s+(?:the\s+(?:towns?|villages?)\s+of\s+)?"
)
#: ", in the mountains west of Z": an aside that places the scene by another place
_LOCATING = re.compile(
    r"\s*,\s*(?:[a-z-]+\s+){0,5}?(?:of|near|outside|beyond|from|towards?)\s+(?:the\s+)?"
)


def fronted(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "In X, local factions took over the intelligence offices": the scene set up front."""
    first = opening(lowered, trigger, sentence, groups, _FRONTED)
    if first is None:
        return []
    # "In X and nearby Y, in the hills west of Z, ...": a place that only locates them
    scene_end = first[-1].end
    aside_end = _aside_end(lowered, scene_end, trigger.start)
    for g in groups.groups:
        if scene_end <= g[0].start < aside_end:
            continue  # "In X, where the community has protested against Damascus since ..."
        if scene_end <= g[0].start < trigger.start:
            if _NARROWED.fullmatch(lowered, scene_end, g[0].start):
                first = g
            elif not _LOCATING.fullmatch(lowered, scene_end, g[0].start):
                return []
            scene_end = g[-1].end
    rest = lowered[scene_end : trigger.start]
    comma = rest.find(",")
    if comma < 0:
        return []
    if boundary_between(lowered, scene_end + comma + 1, trigger.start):
        # "In X, birthplace of Y, who led the 1925 revolt, young men took over ...": an
        # aside between commas describes the scene; the clause after its last comma acts
        last = rest.rfind(",")
        aside = rest[comma + 1 : last]
        if last == comma or not _SCENE_ASIDE.match(aside):
            return []
        if boundary_between(lowered, scene_end + last + 1, trigger.start):
            return []
    return [(x, "fronted") for x in first]


def _aside_end(lowered: str, scene_end: int, trigger_start: int) -> int:
    """Where a describing aside right after a fronted scene closes (its last comma before
    the trigger), or ``scene_end`` when there is none."""
    rest = lowered[scene_end:trigger_start]
    comma, last = rest.find(","), rest.rfind(",")
    if comma < 0 or last == comma or not _SCENE_ASIDE.match(rest[comma + 1 : last]):
        return scene_end
    return scene_end + last


_IN_BEFORE = _located_by(r"\b", "in, inside, at, from", f"{_AREAS}, suburb, neighbou?rhood")
#: A force named by the place it holds: "the garrison of X", "the defenders of X"
_FORCE_OF = re.compile(
    r"\b(?:garrison|defenders|personnel|crews?|troops|forces|units|soldiers|fighters|army"
    r"|militias?)\s+of\s+(?:the\s+)?(?:(?:town|city|village|base)\s+of\s+)?$"
)
_AUX_ONLY = re.compile(
    r"\s*(?:city|town|village)?\s*(?:(?:have|has|had|were|was|been|also|now|reportedly|apparently|then|later"
    r"|quickly|swiftly|finally|themselves)\s+)*"
)


def located_subject(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "Local fighters in the town of X have taken over the security branch": the place
    inside the subject when the object names none."""
    if trigger.form not in {"after", "label"}:
        return []
    group = groups.ending_before(trigger.start)
    if group is None or group[0].start < sentence.start:
        return []
    if not _AUX_ONLY.fullmatch(lowered, group[-1].end, trigger.start):
        return []
    lead = max(sentence.start, group[0].start - 50)
    located = _IN_BEFORE.search(lowered, lead, group[0].start)
    if located and trigger.kind == "entered" and located.group().lstrip().startswith("from"):
        return []  # "fighters from al-Tanf entered": where they came from, not where they went
    if not located and not (
        trigger.form == "label" and _FORCE_OF.search(lowered, lead, group[0].start)
    ):
        return []
    return [(x, "fronted") for x in group]
