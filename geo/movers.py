"""People who move without holding ground: families leaving, visitors arriving.

A withdrawal or an arrival is a control change only when a force makes it. "Families who
left Homs", "residents fled X", "a delegation arrived in X" change nobody's ground; "the
defenders of X pulled out", "units stationed in X were redeployed" do. Split out of
:mod:`geo.events`, which asks :func:`not_a_force` of every withdrawal and entry it finds.
"""

from __future__ import annotations

import re

from .models import Span
from .triggers import Trigger

__all__ = ["not_a_force"]

#: a withdrawal that says a force moved: "pulling their men out of X"
_FORCE_MOVED = re.compile(
    r"\b(?:men|troops|forces|units?|fighters|soldiers?|garrisons?|personnel)\b"
)
#: a force named by its place, or what it leaves behind: "the defenders of X pulled out",
#: "the barracks in X stood open", "units stationed in X had been redeployed"
_POSTS_LEFT = re.compile(
    r"\b(?:barracks|garrisons?|checkpoints?|positions|posts|bases?|headquarters|defenders"
    r"|troops|forces|fighters|soldiers|units|militias?|personnel|crews?)"
    r"\s+(?:(?:stationed|based|deployed|positioned)\s+)?(?:in|at|of|around)\s+"
    r"(?:the\s+)?(?:[a-z-]+\s+){0,2}?$"
)
#: arrivals of people: "families arriving in X", "refugees returned to X"
_ARRIVING = re.compile(r"arriv|return|flock|stream|pour|flood")
#: who leaves or reaches a town without holding it, straight before the verb
_CIVILIANS = re.compile(
    r"\b(?:families|residents|civilians|people|refugees|inhabitants|villagers|locals|thousands"
    r"|displaced|returnees|evacuees|hundreds|tens\s+of\s+thousands|christians|students"
    r"|diplomats|journalists)(?:\s+(?:who|that|had|have|has|had\s+already|then))*\s+$"
)
#: visitors, anywhere in the subject: "a delegation of the Kurdistan Region's parties"
_VISITORS = re.compile(
    r"\b(?:delegations?|envoys?|officials|ministers?|journalists|reporters|diplomats|monitors"
    r"|aid\s+(?:workers|convoys?|trucks)|inspectors)\b"
)


def not_a_force(
    lowered: str, trigger: Trigger, clause: Span, place_start: int, *, named_force: bool
) -> bool:
    """Whether a withdrawal or an entry is people moving, not a force (``named_force``:
    the clause's subject is a side of the war)."""
    arriving = trigger.kind == "entered" and _ARRIVING.match(lowered, trigger.start)
    if trigger.kind != "withdrawal" and not arriving:
        return False
    if (
        trigger.kind == "withdrawal"
        and not named_force
        and not _FORCE_MOVED.search(lowered, trigger.start, trigger.end)
        and not _POSTS_LEFT.search(lowered, max(clause.start, place_start - 40), place_start)
    ):
        return True  # people leaving a town is not a force withdrawing from it
    if _CIVILIANS.search(lowered, max(clause.start, trigger.start - 40), trigger.start):
        return True  # "families who left Homs", "families arriving in X"
    return bool(
        arriving and _VISITORS.search(lowered, max(clause.start, trigger.start - 60), trigger.start)
    )  # "a delegation of the parties arrived in X": visitors
