"""Which places a trigger is about: its object, a list, a place named before it, "the city".

Reports rarely put the place right after the verb. The object is a noun phrase whose
head is often a common noun ("seized the central district of X", "took over regime
positions at X", "has taken key locations including X, Y and Z", "seizing seven
villages, X and Y among them"), lists run on through glue ("X, Y and Z, and also from
the town of W"), places stand before passives ("X, Y and Z were among the places
captured"), after "where" ("the X area, where fighting ..."), fronted ("In X, local
factions took over the intelligence offices"), or are named once and then called "the
city", "the two towns", "them".

The words between a trigger and its place are read as a noun phrase: light words
(determiners, quantities, place and facility nouns, adjectives of size and direction),
a few names, times; a verb, a force ("captured dozens of soldiers in X"), a direction of
movement ("pushed from X", "towards X", "between X and Y") ends it. Mentions that only
describe a route ("the highway linking X and Y") are never objects. What "the city" points
back to is :mod:`geo.anaphora`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from .clauses import fronted, located_subject, relative, where, witnessed
from .digestlines import labelled, status, telegraphed
from .models import Mention, Span
from .scan import Gated
from .triggers import Trigger, boundary_between

__all__ = ["Groups", "gap_reading", "place_groups", "places_for"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LIGHT = _words(
    """
    the a an its their his her our this that these those some several many most much all both
    each every any other another more over nearly almost about roughly approximately than number
    numbers dozens dozen hundreds scores couple few part parts large big wide vast huge swathes
    swaths swath chunks chunk rest remainder remaining whole entire majority bulk half key
    strategic strategically important vital major main central northern southern eastern western
    north south east west northeastern northwestern southeastern southwestern north-eastern
    north-western south-eastern south-western northeast northwest southeast southwest ancient
    historic historical old new nearby neighbouring neighboring adjacent surrounding provincial
    capital coastal desert mountain mountainous border frontier industrial rural urban largest
    second third fourth fifth biggest populous predominantly mostly mainly small tiny little
    regional local military civilian commercial international national government regime rebel
    opposition army former frontline front-line besieged embattled sprawling famed famous
    demilitarized demilitarised fortified divided contested isolated beleaguered
    so-called entire city cities town towns village villages hamlet hamlets suburb suburbs
    district districts neighbourhood neighbourhoods neighborhood neighborhoods quarter quarters
    area areas region regions province provinces governorate governorates countryside outskirts
    center centre downtown heart heartland core airport airports airbase airbases air base bases
    academy positions position posts post checkpoints checkpoint sites site locations location
    points point facilities facility buildings building headquarters hq offices office barracks
    crossing crossings road roads highway highways junction hub hubs bridge bridges prison
    streets street square squares entrance entrances
    ruined devastated destroyed damaged shattered battered deserted abandoned empty syrian
    prisons dam dams field fields hill hills hilltop hilltops mount mountain mountains
    settlement settlements stronghold strongholds bastion bastions pocket pockets enclave
    enclaves localities locality territory territories ground land lands plain plains valley
    valleys station stations complex compound compounds depot depots garrison garrisons brigade
    division regiment battalion command police intelligence security zone zones sector sectors
    axis axes front fronts flank flanks side town's city's country's capital's province's
    region's syria's of in at inside within across throughout including such as among them like
    notably namely plus especially particularly chief in control full complete total effective
    back up over
    km kilometres kilometers kilometre kilometer miles mile
    """
)
#: Words that end the object: a direction of movement, a route, a new clause, a speech verb.
_BLOCK = _words(
    """
    from to toward towards near close between linking connecting link connects via through past
    beyond after before while when since until during said says told reported claimed announced
    whether if because despite though although but which who whose where and or nor then against
    by
    """
)
#: Forces, people and things: the object is not a place ("captured dozens of soldiers in X").
_NOT_PLACES = _words(
    """
    forces force troops soldiers soldier fighters fighter militants rebels rebel militias
    militia units members prisoners detainees inmates civilians people residents families
    weapons tanks tank equipment vehicles vehicle ammunition arms officers officer commanders
    men women children hostages bodies convoys convoy supplies prisoner captive captives hostage
    """
)
#: The fighting's own words between "fighting" and its place ("fighting erupted on Friday in X").
_FIGHT_WORDS = _words(
    """
    erupted broke out raged continued escalated intensified flared began started spread reported
    took place were was seen fierce heavy intense fresh renewed street been have has had
    """
)
#: "took positions inside the town": in the place, not all of it
_INSIDE = frozenset({"within", "inside"})
#: "pulled back from positions in the north of X": some of the place, not the place
_PARTS = _words(
    """
    positions position parts part areas sector sectors districts neighbourhoods neighborhoods
    quarters points posts sites locations
    """
)
#: what before "positions in X" says they were all of the side's positions there
_WHOLE = frozenset({"its", "their", "all"})
_EDGE = frozenset({"outskirts", "edge", "edges", "gates", "vicinity", "approaches", "periphery"})
_HYPHEN_OK = (
    "-held", "-controlled", "-majority", "-populated", "-dominated", "-backed", "-led", "-run",
    "-based", "-linked", "-affiliated", "-occupied", "-besieged", "-largest", "-biggest",
    "-patrolled", "-monitored", "-administered",
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’\-.]*|[,()\"“”:']")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)?$|\d+(?:,\d{3})+$")
_MAX_WIDE, _MAX_NARROW, _MAX_UNKNOWN = 14, 6, 3


def _light(token: str) -> bool:
    word = token.removesuffix("'s").removesuffix("’s")
    if word in _LIGHT or _ORDINAL.match(word):
        return True
    return "-" in word and (word.endswith(_HYPHEN_OK) or word.split("-", 1)[0] in _LIGHT)


def gap_reading(
    lowered: str, start: int, end: int, trigger: Trigger, skip: Sequence[Span] = ()
) -> str | None:
    """How the words in ``lowered[start:end]`` join a trigger to the place after them.

    ``None`` when they do not (a verb, a force, a direction, a new clause); ``"edge"`` when
    they name a place's outskirts or gates (a capture there is fighting for it);
    ``"inside"`` for positions within it (a capture there is an entry); ``"part"`` for some
    of it ("positions in X": a withdrawal from there leaves the place held); else ``"object"``.
    ``skip`` are spans (times, actors) read as light.
    """
    if end <= start:
        return "object"
    gap = _without(lowered, start, end, skip)
    colon = gap.rstrip().endswith(":")  # "liberated four towns in a day: X, Y and Z"
    if boundary_between(lowered, start, start + gap.rstrip().rfind(":") if colon else end):
        return None
    contested = trigger.kind == "contested"
    between = contested and "between" in lowered[max(0, start - 9) : end]
    tokens = _TOKEN.findall(gap)
    wide = trigger.gap == "wide"
    if len(tokens) > (_MAX_WIDE if wide else _MAX_NARROW):
        return None
    unknown, edge, inside, part = 0, False, False, False
    for i, token in enumerate(tokens):
        if token in ",()\"“”'":
            continue
        if token == ":":
            if i != len(tokens) - 1 or not wide:
                return None
            continue
        if contested and (token in _FIGHT_WORDS or (between and token == "and")):
            continue
        # "attacked Kurdish units in the area of X": fighting with the forces in a place
        force = token in _NOT_PLACES or (i + 1 < len(tokens) and tokens[i + 1] in _NOT_PLACES)
        if contested and force:
            continue
        if token == "and" and any(t in _PARTS for t in tokens[i + 1 : i + 3]):
            continue  # "army and security posts in X": modifiers of the posts, no list
        if token in _BLOCK:
            return None
        if token in _NOT_PLACES and not contested:
            return None
        edge = edge or token in _EDGE
        inside = inside or token in _INSIDE
        # "positions in X" are some of it; "its posts in X", "all their positions in X" all
        part = part or (
            token in _PARTS
            and i + 1 < len(tokens)
            and tokens[i + 1] in {"of", "in"}
            and (i == 0 or tokens[i - 1] not in _WHOLE)
        )
        if _light(token):
            continue
        if not wide or token.endswith(("ing", "ed")):
            return None
        unknown += 1
        if unknown > _MAX_UNKNOWN:
            return None
    return "edge" if edge else "inside" if inside else "part" if part else "object"


def _without(lowered: str, start: int, end: int, skip: Sequence[Span]) -> str:
    """``lowered[start:end]`` with the spans in ``skip`` blanked (offsets kept)."""
    inside = [s for s in skip if s.start < end and s.end > start]
    if not inside:
        return lowered[start:end]
    chars = list(lowered[start:end])
    for s in inside:
        for i in range(max(s.start, start), min(s.end, end)):
            chars[i - start] = " "
    return "".join(chars)


# ---------------------------------------------------------------------------
# groups: the places a list names together

_GLUE = re.compile(
    r"\s*(?:\([^()]{0,30}\)\s*)?(?:\s+in\s+the\s+[a-z-]+)?(?:\s+(?:city|town|province))?"
    r"\s*(?:,\s*|\s+)(?:(?:and|or|as\s+well\s+as|plus|along\s+with|together\s+with|in\s+addition\s+to"
    r"|including|such\s+as|among\s+them|notably|namely|especially|but\s+also)\s+)?"
    r"(?:(?:also|even|then)\s+)?(?:(?:from|in|into|at|on|of)\s+)?(?:the\s+)?"
    r"(?:(?:[a-z]+-[a-z]+|nearby|neighbouring|neighboring|key|strategic|important|main|major"
    r"|southern|northern|eastern|western|central|border|frontier|coastal|desert|mountain"
    r"|ancient|rebel-held|government-held|regime-held|besieged|small|large|surrounding)\s+)*"
    r"(?:(?:city|town|village|cities|towns|villages|suburbs?|district|districts|settlement"
    r"|area|areas|neighbou?rhoods?|region|province|airport|base)\s+(?:of\s+)?)?$"
)
_GLUE_WORD = re.compile(
    r"(?:,|\band\b|\bor\b|\bas\s+well\s+as\b|\bplus\b|\bwith\b|\bincluding\b|\bsuch\s+as\b"
    r"|\bamong\s+them\b|\bnotably\b|\bnamely\b|\bin\s+addition\s+to\b|\balso\b)"
)
_INCLUDING = re.compile(r"\s*,?\s*(?:including|such\s+as|among\s+them|notably|namely)\s")
_ROUTE_BEFORE = Gated(
    re.compile(
        r"\b(?:between|linking|link|links|connecting|connects|joining)\s+(?:the\s+)?"
        r"(?:(?:cities|towns|city|town|capital|provinces?)\s+(?:of\s+)?)?$"
    ),
    *("between", "link", "connect", "joining"),
)
_ROUTE_AND = re.compile(r"\s*(?:,\s*|\s+and\s+|\s+with\s+|\s+to\s+)(?:the\s+)?")
_REGION_KINDS = frozenset({"region", "governorate", "district", "subdistrict"})
#: "the day after Aleppo, Saraqib and X went": a place that dates, not one of the list
_TIME_ANCHOR = re.compile(r"\b(?:day|days|week|weeks|hours)\s+(?:after|before)\s+(?:the\s+)?$")
#: "the forces of the Damascus government": a capital standing for a state, not a place
#: ("Masyaf's government buildings" are the town's, taken with it)
_METONYM = re.compile(
    r"['’]?s?\s+(?:government|regime|authorities|administration)\b"
    r"(?!\s+(?:buildings?|offices?|headquarters|hq|compound|complex|quarter|palace|hospital)\b)"
)


@dataclass(frozen=True, slots=True)
class Groups:
    """The mentions of one sentence gathered into lists, in text order."""

    groups: tuple[tuple[Mention, ...], ...]
    #: the places a section heading names ("## Tal Rifaat"), for a bare report under it
    heading: tuple[Mention, ...] = ()

    def starting_after(self, pos: int) -> tuple[Mention, ...] | None:
        return next((g for g in self.groups if g[0].start >= pos), None)

    def ending_before(self, pos: int) -> tuple[Mention, ...] | None:
        return next((g for g in reversed(self.groups) if g[-1].end <= pos), None)


def _is_route(lowered: str, mentions: Sequence[Mention], i: int) -> bool:
    """A mention that only describes a road or a border ("linking X and Y", "between X and Y")."""
    m = mentions[i]
    if _ROUTE_BEFORE.search(lowered, max(0, m.start - 40), m.start):
        return True
    if i and _ROUTE_AND.fullmatch(lowered, mentions[i - 1].end, m.start):
        prev = mentions[i - 1]
        return bool(_ROUTE_BEFORE.search(lowered, max(0, prev.start - 40), prev.start))
    return False


def place_groups(lowered: str, mentions: Sequence[Mention]) -> Groups:
    """Lists of mentions ("X, Y and Z", "X as well as the town of Y"); route ends and
    capitals standing for their states ("the Damascus government") left out.

    A region that is only the container of the list it introduces ("points in X
    province, including Y and Z") is left out of the list.
    """
    route = [_is_route(lowered, mentions, i) for i in range(len(mentions))]
    route_ends = [m.end for m, r in zip(mentions, route, strict=True) if r]
    kept = (
        m
        for m, r in zip(mentions, route, strict=True)
        if not r
        and not _METONYM.match(lowered, m.end)
        and not _TIME_ANCHOR.search(lowered, max(0, m.start - 20), m.start)
    )
    groups: list[list[Mention]] = []
    for m in kept:
        if groups and (groups[-1][-1].start, groups[-1][-1].end) == (m.start, m.end):
            groups[-1].append(m)  # "the two cities": one phrase, two places
            continue
        if groups:
            last = groups[-1][-1]
            # "X and the road between A and B, as well as Y": the list runs on past a route
            i = bisect_left(route_ends, m.start) - 1
            after_route = route_ends[i] if i >= 0 and route_ends[i] > last.end else last.end
            glue = lowered[after_route : m.start]
            if len(glue) <= 80 and _GLUE.fullmatch(glue) and _GLUE_WORD.search(glue):
                if _INCLUDING.match(glue) and last.place.kind in _REGION_KINDS:
                    groups[-1].pop()
                    if not groups[-1]:
                        groups.pop()
                        groups.append([m])
                        continue
                groups[-1].append(m)
                continue
        groups.append([m])
    return Groups(tuple(tuple(g) for g in groups))


# ---------------------------------------------------------------------------
# the place or places a trigger is about

_GAP_BEFORE = re.compile(
    r"\s*(?:['’]s?)?(?:\s*[\"“”'])?(?:\s+(?:on|in|near|along)\s+the\s+[a-z-]+)?(?:\([^()]{0,40}\))?"
    # "the base some 35 km east of Y, best known for ..., was taken": a locator, an aside
    r"(?:\s+(?:some\s+|about\s+|roughly\s+|around\s+)?\d+\s*(?:km|kilomet\w+|miles)\s+"
    r"(?:[a-z-]+\s+)?(?:of|from)\s+[^,.;:!?]{1,40}?(?=,))?"
    r"(?:\s+itself)?\s*(?:,(?:\d[,.]\d|[^,.;:!?]){1,80}?,\s*)?(?:(?:were|was|is|are|has|have|had"
    r"|been|being|also|now|likewise|reportedly|apparently|all|both|quickly|rapidly|swiftly"
    r"|finally|fully|completely|effectively|officially|itself|themselves|city|town|village"
    r"|too|then|subsequently|eventually|later|soon|already|in\s+turn|similarly|too|province"
    r"|area|airport|base|itself|since)\s+)*"
)
_UNIT_KINDS = frozenset({"governorate", "district", "subdistrict", "region"})
_FACILITY_NOUN = re.compile(
    r"\s+(?:(?:military\s+)?air\s?base|airbase|base|airport|airfield|prison|crossing|garrison)\b"
)
#: a place that only says where another is: "35 km east of Y", "near Y"
_LOCATOR = re.compile(
    r"(?:\d+\s*(?:km|kilomet\w+|miles)\s+(?:[a-z-]+\s+)?(?:of|from)|\bnear|\boutside|\bbeside)\s+$"
)
_APPOSITION = re.compile(
    r"[^.;:!?]{0,60}?,?\s*(?:among\s+them|including|such\s+as|notably|namely|chief\s+among\s+them"
    r"|in\s+particular|especially|most\s+notably|naming|listing)\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}?"
)
_PRONOUN = re.compile(
    r"\s+(?:(?:parts?|most|much|some|half|the\s+rest|large\s+parts)\s+of\s+(?=it\b|them\b))?"
    r"(them|it|there|both|all\s+of\s+them|both\s+of\s+them)\b"
)
_NEAR_AFTER, _NEAR_BEFORE = 60, 40
_STOP = re.compile(r"[.;:!?]")


def places_for(
    lowered: str,
    trigger: Trigger,
    sentence: Span,
    groups: Groups,
    skip: Sequence[Span] = (),
) -> list[tuple[Mention, str]]:
    """The mentions a trigger is about, each with how it attached (``object``, ``edge``,
    ``list``, ``before``, ``where``, ``relative``, ``fronted``, ``witnessed``, ``pronoun``,
    ``near``, ``label``, ``telegraph``)."""
    if trigger.form == "label":  # a bare "pulled out", "moved in": where the sentence says
        found = (
            labelled(lowered, trigger, sentence, groups)
            or fronted(lowered, trigger, sentence, groups)
            or located_subject(lowered, trigger, sentence, groups)
            or witnessed(lowered, trigger, sentence, groups)
        )
        if found or any(g[0].start < trigger.start for g in groups.groups):
            return found
        return [(x, "heading") for x in groups.heading]
    if trigger.form == "telegraph":
        return telegraphed(lowered, trigger, sentence, groups) or relative(
            lowered, trigger, sentence, groups
        )
    if trigger.form == "status":
        return status(lowered, trigger, sentence, groups)
    # "In X, which HTS groups entered on Friday, the districts of Y ...": the verb of a
    # relative clause has its object in the antecedent, not in what follows the clause
    found = (
        relative(lowered, trigger, sentence, groups, which_only=True)
        if trigger.form == "after"
        else []
    )
    if not found and trigger.form != "before":
        found = _after(lowered, trigger, sentence, groups, skip)
    if not found and trigger.form in {"before", "near"}:
        found = _before(lowered, trigger, sentence, groups)
    if not found and trigger.form == "before":
        found = _apposition(lowered, trigger, sentence, groups)
    if not found and trigger.form == "after":
        found = (
            _pronoun(lowered, trigger, groups)
            or where(lowered, trigger, sentence, groups)
            or relative(lowered, trigger, sentence, groups)
        )
    if not found:
        found = (
            fronted(lowered, trigger, sentence, groups)
            or located_subject(lowered, trigger, sentence, groups)
            or witnessed(lowered, trigger, sentence, groups)
        )
    return found or labelled(lowered, trigger, sentence, groups)


def _after(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups, skip: Sequence[Span]
) -> list[tuple[Mention, str]]:
    # "brought six districts of X under their control": the object inside the trigger
    inside = next((g for g in groups.groups if trigger.start < g[0].start < trigger.end), None)
    if inside is not None and trigger.form == "after" and inside[-1].end <= trigger.end:
        return [(m, "object") for m in inside]
    group = groups.starting_after(trigger.end)
    if group is None or group[0].start >= sentence.end:
        return []
    if trigger.form == "near":
        gap = lowered[trigger.end : group[0].start]
        near = len(gap) <= _NEAR_AFTER and not boundary_between(
            lowered, trigger.end, group[0].start
        )
        return [(m, "near") for m in group] if near else []
    reading = gap_reading(lowered, trigger.end, group[0].start, trigger, skip)
    if reading is None:
        return _apposition(lowered, trigger, sentence, groups)
    found = [(m, reading if i == 0 else "list") for i, m in enumerate(group)]
    return found + _dated_list(lowered, group, sentence, groups, skip)


#: what joins the names of a list once their time phrases are blanked out
_DATED_LIST = re.compile(
    r"\s*,?\s*(?:and|as\s+well\s+as|then|and\s+then)\s+(?:the\s+(?:towns?|city|village)\s+of\s+)?"
)


def _dated_list(
    lowered: str,
    group: tuple[Mention, ...],
    sentence: Span,
    groups: Groups,
    skip: Sequence[Span],
) -> list[tuple[Mention, str]]:
    """ "seized X on Friday and Y on Saturday": names that go on the object's list after its
    time phrase, each with a day of its own (``"dated"``)."""
    out: list[tuple[Mention, str]] = []
    last = group
    while True:
        following = groups.starting_after(last[-1].end)
        if following is None or following[0].start >= sentence.end:
            return out
        gap = (last[-1].end, following[0].start)
        timed = any(gap[0] <= s.start and s.end <= gap[1] for s in skip)
        if not timed or not _DATED_LIST.fullmatch(_without(lowered, *gap, skip)):
            return out
        out += [(m, "dated") for m in following]
        last = following


def _apposition(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    """ "seized several areas, chief among them X and Y", "have fallen, among them X"."""
    group = groups.starting_after(trigger.end)
    if group is None or group[0].start >= sentence.end:
        return []
    appos = _APPOSITION.match(lowered, trigger.end, group[0].start)
    if appos is None or appos.end() != group[0].start:
        return []
    if boundary_between(lowered, trigger.end, group[0].start):
        return []
    return [(m, "list") for m in group]


def _before(
    lowered: str, trigger: Trigger, sentence: Span, groups: Groups
) -> list[tuple[Mention, str]]:
    earlier = [g for g in groups.groups if g[-1].end <= trigger.start]
    if not earlier or earlier[-1][-1].end <= sentence.start:
        return []
    group = earlier[-1]
    gap_start = group[-1].end
    if trigger.form == "near":
        near = trigger.start - gap_start <= _NEAR_BEFORE and not _STOP.search(
            lowered, gap_start, trigger.start
        )
        return [(m, "near") for m in group] if near else []
    # "X, a town east of Y, had fallen": the place named inside an apposition is not it
    for k, group in enumerate(earlier[-1:-3:-1]):
        if group[-1].end <= sentence.start:
            break
        if (
            k == 0
            and len(earlier) > 1
            and earlier[-2][-1].end > sentence.start
            and _LOCATOR.search(lowered, max(sentence.start, group[0].start - 30), group[0].start)
        ):
            continue  # "35 km east of Y": Y places the subject named before it
        if group[-1].place.kind in _UNIT_KINDS and _FACILITY_NOUN.match(lowered, group[-1].end):
            return []  # "the Idlib province base fell": the base, which the unit only places
        if _GAP_BEFORE.fullmatch(lowered, group[-1].end, trigger.start):
            return (
                []
                if _modifies(lowered, sentence, group[0].start)
                else [(x, "before") for x in group]
            )
    return []


#: "the figures for X are contested": X is the object of what the subject is about
_ABOUT = frozenset({"for", "about", "against", "with", "on", "over", "to", "towards", "toward"})


def _modifies(lowered: str, sentence: Span, start: int) -> bool:
    """Whether a place before a trigger only completes another noun ("the figures for X",
    "the road to X"), not a place word ("the town of X", "the outskirts of X")."""
    words = lowered[max(sentence.start, start - 40) : start].split()
    return len(words) >= 2 and words[-1] in _ABOUT and not _light(words[-2])


def _pronoun(lowered: str, trigger: Trigger, groups: Groups) -> list[tuple[Mention, str]]:
    """ "... and seize them", "captured it", "pulled back from there": the places named
    just before."""
    m = _PRONOUN.match(lowered, trigger.end)
    group = groups.ending_before(trigger.start) if m else None
    if group is None:
        return []
    if m.group(1) in {"it", "there"}:
        return [(group[-1], "pronoun")]
    return [(x, "pronoun") for x in group]
