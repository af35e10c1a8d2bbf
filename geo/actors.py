"""Who gains, in the words each outlet uses for them, and who says so.

Actors are named from the profile's ``actor_phrases`` table (phrase → actor; ``generic``
marks words such as "rebels" or "Military Operations Command" that name whoever fights
where the place is, mapped by the profile's ``generic_by_region``). Outlets have habits:
a Turkish state outlet's "terror group" and "PKK/YPG" is the SDF and its "army" the SNA, an
Iranian or Russian outlet's "terrorists" is the opposition, a Kurdish outlet's
"mercenaries" the Turkish-backed factions. Those habits are data too: the profile's
``outlets`` table gives each family of outlets the markers that reveal it (a domain, words
only that family writes) and the phrases it reads differently. :func:`framing` picks an
article's family; :func:`actor_lexicon` merges its phrases over the shared ones.

The subject of a trigger is the actor nearest before it in its clause, the head of a
coordination ("HTS and allied factions" is HTS), not a word inside a relative clause ("the
insurgents who brought down the government"). A claim is kept with its source:
:func:`claim_source` reads "the army said", "rebels claimed", "according to the monitor".
"""

from __future__ import annotations

import csv
import functools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from .dates import ASCII_LOWER, ascii_lower
from .errors import DataError
from .models import Article, Span
from .profile import Profile, load_profile
from .triggers import CLAUSE_REACH

__all__ = [
    "FOREIGN",
    "SOURCE",
    "ActorLexicon",
    "ActorMatch",
    "actor_lexicon",
    "framing",
    "load_actor_lexicon",
    "read_outlet_rows",
]

#: Civilians' and foreign states' own moves: not a change of control.
FOREIGN = "foreign"
#: Who reports a change ("military sources", "witnesses"): never who makes it.
SOURCE = "source"


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """An actor phrase found in an article."""

    start: int
    end: int
    actor: str
    generic: bool


@dataclass(frozen=True, eq=False)
class ActorLexicon:
    """Actor phrases (lower-cased) and the profile that gives their roles and regions."""

    actors: dict[str, str]
    generic: frozenset[str]
    profile: Profile
    family: str = ""
    automaton: ahocorasick.Automaton | None = None

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """All phrases as one case-insensitive regex, longest first (for tools that scan text)."""
        phrases = sorted(self.actors, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)

    def find(self, lowered: str) -> list[ActorMatch]:
        """Every actor phrase in an ASCII-lowered text; where phrases overlap the longest wins
        ("the military operations command" over "the military")."""
        assert self.automaton is not None
        spans = []
        for end, phrase in self.automaton.iter(lowered):
            start = end - len(phrase) + 1
            if (start and lowered[start - 1].isalnum()) or (
                end + 1 < len(lowered) and lowered[end + 1].isalnum()
            ):
                continue
            spans.append((start, end + 1, phrase))
        spans.sort(key=lambda s: (s[0], -s[1]))
        taken: list[tuple[int, int, str]] = []
        for span in spans:
            if not taken or span[0] >= taken[-1][1]:
                taken.append(span)
            elif span[1] - span[0] > taken[-1][1] - taken[-1][0] and (
                len(taken) < 2 or span[0] >= taken[-2][1]
            ):
                taken[-1] = span  # a longer phrase starting inside the last one wins
        found = [ActorMatch(a, b, self.actors[p], p in self.generic) for a, b, p in taken]
        return _with_abbreviations(lowered, found, self.actors)


#: "the Military Operations Command (MOC)": an abbreviation an article defines for an actor
_DEFINED = re.compile(r"\s*\(([a-z]{2,6})\)")


def _with_abbreviations(
    lowered: str, found: list[ActorMatch], known: dict[str, str]
) -> list[ActorMatch]:
    """``found`` and the uses of the abbreviations the article defines after them ("the
    MOC has held Damascus"), as the actor they abbreviate."""
    defined = {}
    for match in found:
        d = _DEFINED.match(lowered, match.end)
        if d and d.group(1) not in known:
            defined.setdefault(d.group(1), match)
    if not defined:
        return found
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(defined)})(?![\w-])")
    taken = [(m.start, m.end) for m in found]
    more = [
        ActorMatch(u.start(), u.end(), defined[u.group()].actor, defined[u.group()].generic)
        for u in pattern.finditer(lowered)
        if u.start() > defined[u.group()].end  # used after it is defined
        and not any(a <= u.start() < b for a, b in taken)
        and lowered[u.start() - 1] != "("
    ]
    return sorted(found + more, key=lambda m: m.start)


def _read_rows(path: Path, needed: set[str], what: str) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if not needed <= set(reader.fieldnames or ()):
                msg = f"{path}: needs the columns {','.join(sorted(needed))}"
                raise DataError(msg)
            return list(reader)
    except DataError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        msg = f"{path}: cannot read the {what} ({err})"
        raise DataError(msg) from err


def _checked(profile: Profile, path: Path, line: int, actor: str) -> str:
    actor = actor.strip()
    if actor not in profile.actor_names and actor not in {FOREIGN, SOURCE}:
        msg = f"{path}:{line}: unknown actor {actor!r}; use one of {', '.join(profile.actor_names)}"
        raise DataError(msg)
    return actor


@functools.lru_cache(maxsize=8)
def _base(profile: Profile) -> tuple[dict[str, str], frozenset[str]]:
    path = profile.file("actor_phrases")
    actors: dict[str, str] = {}
    generic = set()
    for line, row in enumerate(_read_rows(path, {"phrase", "actor"}, "actor lexicon"), start=2):
        phrase = row["phrase"].strip().translate(ASCII_LOWER)
        actors[phrase] = _checked(profile, path, line, row["actor"])
        if (row.get("generic") or "").strip().lower() in {"yes", "true", "1"}:
            generic.add(phrase)
    return actors, frozenset(generic)


def read_outlet_rows(profile: Profile) -> list[dict[str, str]]:
    """The profile's outlet vocabularies (``family,match,text,actor,note``); none is fine."""
    path = profile.files.get("outlets")
    if path is None:
        return []
    rows = _read_rows(path, {"family", "match", "text", "actor"}, "outlet vocabularies")
    for line, row in enumerate(rows, start=2):
        if row["match"] not in {"domain", "marker", "phrase"}:
            msg = f"{path}:{line}: match must be domain, marker or phrase, not {row['match']!r}"
            raise DataError(msg)
        if row["match"] == "phrase":
            _checked(profile, path, line, row["actor"])
    return rows


def load_actor_lexicon(profile: Profile | None = None) -> ActorLexicon:
    """The shared actor phrases of a profile (no outlet's habits)."""
    return actor_lexicon(profile or load_profile(), "")


@functools.lru_cache(maxsize=32)
def actor_lexicon(profile: Profile, family: str) -> ActorLexicon:
    """The shared phrases with one family's readings laid over them."""
    actors, generic = _base(profile)
    actors = dict(actors)
    for row in read_outlet_rows(profile):
        if row["family"] == family and row["match"] == "phrase":
            phrase = row["text"].strip().translate(ASCII_LOWER)
            actors[phrase] = row["actor"].strip()
    automaton = ahocorasick.Automaton()
    for phrase in actors:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    return ActorLexicon(actors, generic, profile, family, automaton)


@functools.lru_cache(maxsize=8)
def _markers(profile: Profile) -> tuple[tuple[str, str, str], ...]:
    """(family, domain | marker, text ASCII-lowered) of the profile's outlet table."""
    return tuple(
        (r["family"], r["match"], r["text"].strip().translate(ASCII_LOWER))
        for r in read_outlet_rows(profile)
        if r["match"] in {"domain", "marker"}
    )


@functools.lru_cache(maxsize=8)
def _marker_automaton(profile: Profile) -> ahocorasick.Automaton | None:
    words = {t for _, match, t in _markers(profile) if match == "marker"}
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


_FRAMING_MIN = 2
_HOST = re.compile(r"https?://([a-z0-9.-]+)")


def framing(article: Article, profile: Profile, lowered: str | None = None) -> str:
    """The family of outlets an article reads like: its domain counts two, each use of a
    marker phrase one (three at most a phrase); the family with most wins if it has two,
    a tie means none (one stray word does not make an outlet). ``lowered`` is the text
    ASCII-lowered, when the caller has it."""
    lowered = ascii_lower(article.text) if lowered is None else lowered
    outlet = (article.outlet or "").lower()
    top = lowered[:300]
    automaton = _marker_automaton(profile)
    uses = Counter(word for _, word in automaton.iter(lowered)) if automaton else Counter()
    scores: dict[str, int] = {}
    for family, match, key in _markers(profile):
        if match == "domain":
            hit = outlet.endswith(key) or _domain_in(top, key)
            scores[family] = scores.get(family, 0) + 2 * hit
        else:
            scores[family] = scores.get(family, 0) + min(3, uses[key])
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < _FRAMING_MIN:
        return ""
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return ""
    return ranked[0][0]


def _domain_in(top: str, suffix: str) -> bool:
    """Whether a web address near the top of the text has a host ending in ``suffix``."""
    return any(host.endswith(suffix) for host in _HOST.findall(top))


# ---------------------------------------------------------------------------
# the subject of a trigger

_COORDINATION = re.compile(
    r"^\s*(?:\([^()]{0,30}\)\s*)?(?:,\s*)?(?:and|together\s+with|along\s+with|alongside|with"
    r"|backed\s+by|led\s+by|headed\s+by|joined\s+by|supported\s+by|including|as\s+well\s+as)"
    r"\s+(?:by\s+)?(?:the\s+|other\s+|allied\s+|its\s+|their\s+)*"
)
#: "the SNA, an alliance of factions, now holds X": an apposition names no one new
_APPOSITION = re.compile(r"^\s*(?:\([^()]{0,30}\))?\s*,\s*(?:an?|the)\s+[^,]{0,60}$")
_RELATIVE = re.compile(r"\b(?:who|which|that|whose|whom)\b")
_RECIPIENT = re.compile(r"[^.;:!?]{0,40}?\bto\s+(?:the\s+)?")
_FROM_END = re.compile(r"\b(?:from|out\s+of)$")
_RELATIVE_OPENING = re.compile(r",\s*(?:which|who)\s*$")
_ANTECEDENT_GAP = re.compile(r"\s*(?:\([^()]{0,30}\))?\s*,\s*(?:which|who)\s*")
_BY_END = re.compile(r"\bby\s*$")
_ARTICLE = re.compile(r"(?:the|an|a)\s+")
_AGENT = re.compile(r"(?:[^.;:!?]{0,40}?\b(?:to|by|of)\s+)?\s*")
_PRONOUN_SUBJECT = re.compile(r"\b(?:they|it|its|their|which|who|that)\b")


@dataclass(frozen=True, slots=True)
class Subject:
    """Who a trigger's clause names as acting, and how that was decided."""

    actor: str
    raw: str
    basis: str  # text | agent | sentence | paragraph


#: forms whose place stands first ("X fell", "X taken"): their subject is no actor
_PLACE_FIRST = frozenset({"before", "telegraph"})


def subject(
    lowered: str,
    matches: Sequence[ActorMatch],
    starts: Sequence[int],
    trigger: Span,
    form: str,
    role: str,
    clause: Span,
    sentence: Span,
    place_end: int,
) -> tuple[ActorMatch, str] | None:
    """The actor a trigger's clause names, and how it was found.

    The subject before an active trigger (for ``loser`` triggers the subject lost the
    place, and a passive's subject is the place itself, so neither counts), else the
    agent after it ("fell to X", "captured by X"), else, when the clause's subject is a
    pronoun or left out ("..., taking X"), the sentence's first actor. Actors that are
    objects ("offensive against the regime", "fighting regime forces") are never subjects.
    """
    starts, matches = _actors_only(matches, starts)
    lo, hi = bisect_left(starts, clause.start), bisect_left(starts, trigger.start)
    if (
        lo > 0
        and matches[lo - 1].end > clause.start
        and all(_object(lowered, m, sentence.start) for m in matches[lo:hi])
    ):
        lo -= 1  # a clause cut at its reach through its subject keeps it
    if role == "giver":  # "handed X over to Y": Y moves in
        to = _RECIPIENT.match(lowered, max(trigger.end, place_end))
        i = bisect_left(starts, to.end()) if to else len(matches)
        if to and i < len(matches) and matches[i].start == to.end():
            return matches[i], "agent"
    inside = bisect_left(starts, trigger.start)
    passive = form in _PLACE_FIRST
    if (passive or role == "seen") and inside < len(matches) and matches[inside].end <= trigger.end:
        # "X is now in rebel hands", "came under SDF control", "footage showed SDF units in X"
        return matches[inside], "agent"
    if not passive and role != "loser":
        before = [
            m
            for m in matches[lo:hi]
            if m.end <= trigger.start
            and not _object(lowered, m, sentence.start)
            and not _in_subordinate(lowered, m, trigger.start, sentence.start)
        ]
        if before:
            speaker = _speaker(lowered, matches, before[-1], sentence.start)
            return speaker or _head(lowered, before, trigger.start), "text"
    # "liberated from the SDF", "withdrew from": who follows "from" lost the place; past
    # the place, "by" still names who took it ("were driven out of X by the army")
    agent = _AGENT.match(lowered, max(trigger.end, place_end))
    if agent and _FROM_END.search(lowered, trigger.start, trigger.end):
        agent = agent if place_end > trigger.end and _BY_END.search(agent.group()) else None
    if agent:
        # "by the army", "by an army counterattack": the phrase may hold an article
        at = agent.end()
        article = _ARTICLE.match(lowered, at)
        bare = article.end() if article else at
        i = bisect_left(starts, at)
        if i < len(matches) and matches[i].start in {at, bare}:
            return matches[i], "agent"
    if role == "loser":
        return None
    antecedent = relative_antecedent(lowered, matches, starts, clause)
    if antecedent is not None:
        return antecedent, "text"
    subject_words = lowered[clause.start : trigger.start]
    if _GERUND_OPENING.fullmatch(lowered, sentence.start, trigger.end):
        # "Besides capturing X, rebels rose up in Y": the subject comes after
        later = [m for m in matches[hi:] if m.start >= place_end and m.end <= sentence.end]
        later = [m for m in later if not _object(lowered, m, sentence.start)]
        if later:
            return later[0], "sentence"
    cut = clause.start > sentence.start and trigger.start - clause.start >= CLAUSE_REACH
    if (
        passive
        or cut  # a long sentence: its subject stands before the clause's reach
        or pronoun_subject(lowered, clause, trigger.start)
        or not subject_words.strip()
        or _PARTICIPIAL.match(subject_words)
    ):
        lo = bisect_left(starts, sentence.start)
        earlier = [
            m
            for m in matches[lo:hi]
            if m.end <= clause.start
            and not _object(lowered, m, sentence.start)
            and not _in_subordinate(lowered, m, trigger.start, sentence.start)
        ]
        if earlier:
            return _head(lowered, earlier), "sentence"
    return None


_OBJECT_BEFORE = re.compile(
    r"\b(?:against|with|to|from|on|for|toward|towards|at|into|onto|over|versus|between"
    r"|(?<!led )(?<!headed )(?<!spearheaded )by"
    r"|fighting|fought|battling|attacking|attacked|opposed\s+to|loyal\s+to|of|expelled"
    r"|ousted|defeated|routed|repelled|pushed|drove|forced|dealing|struck|striking|targeted"
    r"|targeting|shelled|shelling|bombed|bombing|hit|hitting)\s+(?:the\s+|a\s+|an\s+|its\s+"
    r"|their\s+|his\s+)?(?:(?!(?:that|which|who|and|but|after|before|while|as|when|said|says"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|evening|night|dawn"
    r"|\d+)\b)[\w'’.-]+\s+){0,2}$"
)
_PARTICIPIAL = re.compile(r"\W*[a-z-]+ing\b")
_GERUND_OPENING = re.compile(
    r"\W*(?:besides|after|before|since|while|by|upon|on|following|having|in\s+addition\s+to)?\s*"
    r"[a-z-]+ing(?:\s+(?:over|back|control\s+of))?"
)
_QUANTITY_OF = re.compile(
    r"(?:fighters|forces|troops|units|members|militants|thousands|hundreds|dozens|scores|some"
    r"|many|most|all|groups|columns|convoys|battalions|brigades|elements|remnants|rest)\s+of\s+"
    r"(?:the\s+)?(?:[\w'’.-]+\s+){0,2}$"
)
_FORCE_OF = re.compile(r"^\s+of\s+(?:the\s+)?$")
_MEMBERSHIP = (
    r"(?:affiliated\s+(?:with|to)|loyal\s+to|belonging\s+to|attached\s+to|fighting\s+for"
    r"|under\s+the\s+command\s+of|in\s+the\s+ranks\s+of)\s+(?:the\s+)?"
)
_MEMBER_OF = re.compile(rf"^\s+{_MEMBERSHIP}$")
_MEMBER_TAIL = re.compile(rf"\b{_MEMBERSHIP}$")


def _actors_only(
    matches: Sequence[ActorMatch], starts: Sequence[int]
) -> tuple[Sequence[int], Sequence[ActorMatch]]:
    """The matches that name actors (not the sources that report them)."""
    if not any(m.actor == SOURCE for m in matches):
        return starts, matches
    kept = [m for m in matches if m.actor != SOURCE]
    return [m.start for m in kept], kept


#: a subordinate clause's opening word: "..., capturing X after the army withdrew, and ..."
_SUBORDINATOR = re.compile(
    r"\b(?:after|before|as|when|while|since|because|once|until|although|though|whereas)\s"
    r"[^,;:]*$"
)


def _in_subordinate(lowered: str, m: ActorMatch, trigger_start: int, floor: int) -> bool:
    """Whether an actor is the subject of a subordinate clause closed before the trigger
    ("capturing Hama after the army withdrew, and entering Homs": not the army's entry)."""
    if "," not in lowered[m.end : trigger_start]:
        return False
    return _SUBORDINATOR.search(lowered, max(floor, m.start - 80), m.start) is not None


def _object(lowered: str, m: ActorMatch, floor: int) -> bool:
    """Whether an actor phrase is the object of a preposition or a verb, not a subject
    (``floor``: where its sentence starts)."""
    if lowered.startswith(("'", "’"), m.end):
        return False  # "the rebels' capture of X": a possessive names the agent
    before = lowered[max(floor, m.start - 40) : m.start]
    hit = _OBJECT_BEFORE.search(before)
    if hit is None or _MEMBER_TAIL.search(before):
        return False  # "fighters loyal to the SDF" name the SDF as who acts
    # "fighters of the SDF": the force nouns' "of" names the actor itself
    return not (hit.group().startswith("of") and _QUANTITY_OF.search(before))


#: "X says its fighters ...": a possessive after the speaker points back to it
_OWN_FORCE = re.compile(
    r"\b(?:says?|said|claims?|claimed|reports?|reported|announced?|adds?|added)\s+(?:that\s+)?"
    r"(?:its|their)\s+$"
)


#: between a speaker and its verb: nothing, or a relative clause in commas
_SPEAKER_END = re.compile(r"\s*(?:,\s*(?:which|who)\b[^;:.]*?,)?\s*")


def _speaker(
    lowered: str, matches: Sequence[ActorMatch], head: ActorMatch, start: int
) -> ActorMatch | None:
    """ "The Syrian Free Army, which ..., says its fighters entered X": a generic force owned
    by the speaker before it is the speaker's."""
    own = (
        _OWN_FORCE.search(lowered, max(start, head.start - 40), head.start)
        if head.generic
        else None
    )
    if own is None:
        return None
    for m in reversed([m for m in matches if start <= m.start and m.end <= own.start()]):
        if _SPEAKER_END.fullmatch(lowered, m.end, own.start()):
            return m
    return None


def _head(lowered: str, before: Sequence[ActorMatch], until: int | None = None) -> ActorMatch:
    """The head of the last noun phrase naming actors: "HTS and allied factions" → HTS, "the
    insurgents who brought down the government" → the insurgents, "fighters of the SDF" →
    the SDF."""
    i = len(before) - 1
    while i > 0:
        between = lowered[before[i - 1].end : before[i].start]
        if (_FORCE_OF.match(between) and before[i - 1].generic) or _MEMBER_OF.match(between):
            break  # "fighters of the SDF", "tribal fighters loyal to the SDF": the SDF
        if not between.strip(" -") and before[i].generic:
            i -= 1  # "Kurdish YPG fighters": the generic noun takes its modifier's actor
            continue
        if _RELATIVE.search(between) or _COORDINATION.match(between):
            i -= 1
            continue
        closes = until is not None and lowered[before[i].end : until].lstrip().startswith(",")
        if closes and _APPOSITION.match(between):
            i -= 1
            continue
        break
    return before[i]


def pronoun_subject(lowered: str, clause: Span, trigger_start: int) -> bool:
    """Whether the clause's subject is a pronoun ("they", "it", "which"): its actor is the
    last one named."""
    return _PRONOUN_SUBJECT.search(lowered, max(0, clause.start - 7), trigger_start) is not None


def relative_antecedent(
    lowered: str, matches: Sequence[ActorMatch], starts: Sequence[int], clause: Span
) -> ActorMatch | None:
    """ "the SNA, which seized X": the actor named right before a relative pronoun."""
    if not _RELATIVE_OPENING.search(lowered, max(0, clause.start - 8), clause.start + 1):
        return None
    i = bisect_left(starts, clause.start) - 1
    if i < 0:
        return None
    m = matches[i]
    return m if _ANTECEDENT_GAP.fullmatch(lowered, m.end, clause.start) else None


def matches_in(
    matches: Sequence[ActorMatch], starts: Sequence[int], span: Span
) -> list[ActorMatch]:
    """The actor phrases inside a span."""
    return [m for m in matches[bisect_left(starts, span.start) : bisect_right(starts, span.end)]
            if m.end <= span.end]  # fmt: skip
