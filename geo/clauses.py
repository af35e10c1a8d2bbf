"""Places a clause hangs on: "the X area, where fighting ...", "X, which they entered".

The trigger stands in a subordinate clause and names no place of its own; the place is
the noun the clause modifies. Split out of :mod:`geo.attachment`, which asks these
readers when the object, a pronoun and the place before the verb find nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .models import Mention, Span
from .triggers import Trigger, boundary_between

if TYPE_CHECKING:
    from .attachment import Groups

__all__ = ["relative", "where", "witnessed"]

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
