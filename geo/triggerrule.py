"""The trigger lexicon's building blocks: a rule, its kinds, and phrase fragments the
rules of :mod:`geo.triggerwords` and :mod:`geo.fightwords` share."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIGHT_GOES_ON", "INTO", "KINDS", "OBJ", "SAME", "STRENGTH", "Rule", "rule"]

KINDS = ("captured", "entered", "contested", "uprising", "withdrawal")
#: The kind of a trigger that repeats the report before it in its sentence ("followed by")
SAME = "same"
#: One place, one event per report: a capture says more than an entry, an entry more
#: than a withdrawal, a withdrawal more than an uprising or fighting.
STRENGTH = {"captured": 4, "entered": 3, "withdrawal": 2, "uprising": 1, "contested": 0}
#: what fighting does where it is reported ("raged in", "is under way on", "continue near")
FIGHT_GOES_ON = (
    r"broke\s+out|erupted|rag(?:ed|es|e)|continu(?:ed|es|e)|intensified|flared(?:\s+up)?"
    r"|escalated|began|started|spread|took\s+place"
    r"|(?:is|are|was|were)\s+(?:(?:still|also|now)\s+)?(?:under\s*way|raging|ongoing|continuing"
    r"|going\s+on)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger pattern: what it reports, where its place stands, what its subject is."""

    pattern: str  # on ASCII-lowered text, anchored where a head word starts
    heads: tuple[str, ...]  # the words a match can start with (a prefix is enough)
    kind: str
    form: str  # after | before | near
    strength: float
    role: str = "agent"  # agent | loser | state | giver | seen (an agent the clause names)
    gap: str = "wide"  # how much may stand between trigger and place: wide | narrow


#: The object between a verb and its particle: "drove the army out of", "forced X back from"
OBJ = r"(?:\s+[\w'’-]+){0,4}?\s+"
#: Entered: not "came into force", "into effect", "into view"
INTO = (
    # "moved north into X": a bearing may stand between the verb and "into"
    r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:wards?)?\s+)?"
    r"(?:into|inside)\b(?!\s+(?:force|effect|being|play|view|contact|question|power|office))"
)


def rule(pattern: str, heads: str, spec: str) -> Rule:
    """A rule from its pattern, its head words and ``"kind form strength role gap"``."""
    kind, form, strength, role, gap = spec.split()
    return Rule(pattern, tuple(heads.split()), kind, form, float(strength), role, gap)
