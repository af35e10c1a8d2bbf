"""Control-change events: who took, entered, contested, rose up in or left which place, when.

A rule-based reader, sentence by sentence, over the places :mod:`geo.toponyms` found:

1. **Triggers** (:mod:`geo.triggers`): clause patterns with a kind, the form that says
   where their place stands and the role of their subject (the side that gains, that
   loses, or a holder whose state is reported).
2. **Places** (:mod:`geo.attachment`): a trigger's object noun phrase, the list it
   heads, a place before a passive, after "where", fronted ("In X, ..."), or named before
   and called "the city" or "them". Only places of the profile's country count; a region
   (a governorate, "the Hama countryside", "the entire southwest") is an event about the
   region, carried with its place, whose polygon the gazetteer holds.
3. **Filters** (:func:`geo.filters.rejected`): denials, hypotheticals, analogies,
   history, remote violence; foreign forces' and civilians' own moves.
4. **Actors and claims** (:mod:`geo.actors`): the subject in the outlet's own vocabulary,
   generic words mapped by region, the paragraph's actor for "they"; the source that
   claims the change ("the army said") kept with it.
5. **Days** (:mod:`geo.timephrases`): the time phrase nearest the trigger; else the day
   named earlier in the paragraph or its date heading; else the article's date
   (:func:`geo.dates.fallback_day`), approximate. Photo captions only bound the day.

One place, one event per report: the strongest kind a report gives a place is its event
(captured > entered > withdrawal > uprising > contested), dated as exactly as the report
allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .actors import (
    FOREIGN,
    ActorLexicon,
    ActorMatch,
    actor_lexicon,
    framing,
    load_actor_lexicon,
    pronoun_subject,
    subject,
)
from .anaphora import anaphors, as_towns, reachable_sentences
from .attachment import Groups, place_groups, places_for
from .claims import claim_source
from .controltables import table_events
from .dates import ascii_lower, fallback_day
from .digestlines import section_heads
from .filters import rejected
from .models import Article, ControlEvent, Mention, Place, Span
from .movers import not_a_force
from .profile import Profile, load_profile
from .reportdays import (
    carries_day,
    heading_day,
    lead_day,
    report_day,
    scene_time,
    stamped_sections,
    time_owners,
)
from .scan import Gated
from .sequences import repeated
from .timephrases import TimeExpression, find_time_expressions, headings, operations_of
from .triggers import KINDS, SAME, STRENGTH, Trigger, clause_of, find_triggers

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = [
    "KINDS",
    "STRENGTH",
    "ControlEvent",
    "TimeExpression",
    "extract_events",
    "find_time_expressions",
    "load_actor_lexicon",
    "with_day",
]


_CAPTION = Gated(
    re.compile(r"\((?:[A-Z][\w.]*\s+)?Photos?\)|\b[A-Z]{2,}/[A-Z][a-z]|\bPhoto:|\(Photo"),
    "Photo",
    "/",
)
_QUALIFIED = re.compile(
    r"(?:['’]s?)?\s*(?:suburbs?|countryside|outskirts|provinces?|governorates?"
    r"|districts?(?!\s+(?:cent(?:re|er)|seat|capital)\b)"  # "the Manbij district centre": the town
    r"|regions?|residents?|neighbou?rhoods?|quarters?|sectors?|fronts?|frontlines?)\b"
)
#: "the Tanf-based Free Syrian Army", "Tehran-backed militias": a place that only
#: describes an actor is no event's place, nor what "the town" points back to
_ATTRIBUTIVE = re.compile(r"-(?:based|backed|born|aligned|allied|affiliated)\b", re.IGNORECASE)
_QUOTES = frozenset("\"“”'‘")
#: "since they opened the offensive on Wednesday": when something began, not a day the
#: paragraph's next report happened on
_SINCE_CLAUSE = re.compile(r"\bsince\b[^,;.]*$")
_PRECISION_RANK = {"exact": 0, "approximate": 1, "unknown": 2}
_REGION_KINDS = frozenset({"region", "governorate", "district", "subdistrict"})
_CITY_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class _Actors:
    """The article's actor phrases in text order, with where each starts (to bisect)."""

    matches: list[ActorMatch]
    starts: list[int]

    def spans_in(self, span: Span) -> list[Span]:
        """Where the phrases that start inside ``span`` stand."""
        lo, hi = bisect_left(self.starts, span.start), bisect_left(self.starts, span.end)
        return [Span(a.start, a.end) for a in self.matches[lo:hi]]


@dataclass(frozen=True, slots=True)
class _Context:
    """What an article gives every sentence: its text, times, actors, dates and profile."""

    article: Article
    lowered: str
    lexicon: ActorLexicon
    actors: _Actors
    fallback: dt.date | None


def extract_events(
    article: Article,
    mentions: Iterable[Mention],
    *,
    lexicon: ActorLexicon | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[ControlEvent]:
    """Control-change events reported in ``article``: one per place, its strongest kind.

    Actors are the phrases of ``lexicon``'s profile (by default the shipped one), read the
    way the article's family of outlets writes them unless ``lexicon`` is already one
    family's; ``gazetteer`` lets "the two cities" point back to the towns of regions named
    after them.
    """
    profile = lexicon.profile if lexicon is not None else load_profile()
    text = article.text
    lowered = ascii_lower(text)
    if lexicon is None or not lexicon.family:
        lexicon = actor_lexicon(profile, framing(article, profile, lowered))
    in_article = _outermost(sorted((m for m in mentions if m.article_id == article.id
                                    and not _ATTRIBUTIVE.match(text, m.end)),
                                   key=lambda m: m.start))  # fmt: skip
    if not in_article or (not article.sentences and not text):
        return []
    starts = [m.start for m in in_article]
    period = profile.period
    ops = operations_of(profile.operations)
    evidence = article.published_evidence
    sections = headings(text, article.paragraphs, evidence, article.published, period)
    times_all = [
        t
        for lo, hi, base in stamped_sections(article, sections)
        for t in find_time_expressions(
            text, base, start=lo, end=hi, period=period, lowered=lowered, operations=ops
        )
    ]
    time_starts = [t.start for t in times_all]
    paragraph_starts = [p.start for p in article.paragraphs]
    actors, fallback = lexicon.find(lowered), fallback_day(article.published, evidence, period)
    ctx = _Context(article, lowered, lexicon, _Actors(actors, [a.start for a in actors]), fallback)
    triggers = find_triggers(lowered, reachable_sentences(article, starts))
    trigger_starts = [t.start for t in triggers]
    heads = section_heads(lowered, article.paragraphs, in_article)
    paragraph, carried_day, carried_actor, lead = -1, None, None, None
    previous: _Found | None = None  # the paragraph's last report ("Y followed on Monday")
    events: list[ControlEvent] = []
    for sentence in article.sentences if article.paragraphs else (Span(0, len(text)),):
        if (p := bisect_right(paragraph_starts, sentence.start) - 1) != paragraph:
            # the day stays in its paragraph; the actor last named carries on ("they", passives)
            paragraph, carried_day, previous = p, heading_day(sections, p), None
            lead = lead_day(text, article.paragraphs[p], times_all, time_starts) if p >= 0 else None
        lo, hi = bisect_left(time_starts, sentence.start), bisect_left(time_starts, sentence.end)
        times = [t for t in times_all[lo:hi] if t.end <= sentence.end]
        quoted = text[sentence.start : sentence.start + 1] in _QUOTES
        dating = any(t.kind != "clock" for t in times)  # "before dawn" dates nothing
        day_context = None if dating or quoted else carried_day
        if times and not _CAPTION.search(text, sentence.start, sentence.end + 40):
            naming = [
                t
                for t in times
                if t.names_day
                and not lowered.startswith("since", t.start)
                and not _SINCE_CLAUSE.search(lowered, max(sentence.start, t.start - 60), t.start)
            ]
            # "entered X that night, after taking Y a day earlier": the story goes on at the
            # night, not at the flashback a clause looked back to
            told = [t for t in naming if t.kind != "before"] or naming
            carried_day = told[-1] if told else carried_day
            if lead is not None and carried_day is not None and carried_day.start == lead.start:
                carried_day = lead  # "- 2 December – ...": the entry's day, as a heading's
        lo, hi = (
            bisect_left(trigger_starts, sentence.start),
            bisect_left(trigger_starts, sentence.end),
        )
        here_triggers = [t for t in triggers[lo:hi] if t.end <= sentence.end]
        if not here_triggers:
            continue
        lo, hi = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        here = [m for m in in_article[lo:hi] if m.end <= sentence.end]
        back = paragraph_starts[max(0, p - 1)] if paragraph_starts else 0
        pointed = anaphors(text, lowered, sentence, in_article, starts, back, profile.country)
        here = sorted(here + as_towns(pointed, gazetteer), key=lambda m: m.start)
        head = heads[p] if 0 <= p < len(heads) else ()
        if not here and not head:
            continue
        groups = replace(place_groups(lowered, here), heading=head)
        skip = [Span(t.start, t.end) for t in times]
        found, carried_actor = _reports(
            ctx, sentence, here_triggers, groups, skip, carried_actor, previous
        )
        previous = found[-1] if found else previous
        events.extend(_dated(ctx, found, times, sentence, day_context))
    events += table_events(article, lowered, in_article, actors, times_all, profile, fallback)
    return _one_per_place(events)


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Mentions not inside a longer one ("Hama province" in "northern Hama province")."""
    return [
        m
        for i, m in enumerate(mentions)
        if not any(
            o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in mentions[max(0, i - 2) : i + 3]
        )
    ]


@dataclass(frozen=True, slots=True)
class _Found:
    """A trigger attached to a place, its actor decided, before it is dated."""

    trigger: Trigger
    mention: Mention
    kind: str
    actor: str
    actor_raw: str
    basis: str
    how: str
    claimed_by: str


def _reports(
    ctx: _Context,
    sentence: Span,
    triggers: list[Trigger],
    groups: Groups,
    skip: list[Span],
    carried: ActorMatch | None,
    previous: _Found | None = None,
) -> tuple[list[_Found], ActorMatch | None]:
    """The sentence's triggers attached to places, filtered, with their actors (``previous``:
    the paragraph's last report before the sentence)."""
    profile = ctx.lexicon.profile
    text, lowered = ctx.article.text, ctx.lowered
    out: list[_Found] = []
    in_sentence: list[Span] | None = None
    for trigger in triggers:
        if trigger.kind == SAME and trigger.form == "before":
            last = out[-1] if out else previous
            attached = [
                m for m, how in places_for(lowered, trigger, sentence, groups, skip)
                if how == "before"
            ]  # fmt: skip
            # the names open their clause: "Nawa and Tafas followed", not "protests in X followed"
            if (
                last is not None
                and attached
                and _FOLLOWER.search(lowered[sentence.start : attached[0].start])
            ):
                out += [replace(last, trigger=trigger, mention=m, how="list") for m in attached]
            continue
        if trigger.kind == SAME:
            out += repeated(lowered, trigger, sentence, groups, skip, out)
            continue
        gap_skip = skip
        if trigger.kind == "contested":  # "fighting regime forces in X": the forces are light
            if in_sentence is None:
                in_sentence = ctx.actors.spans_in(sentence)
            gap_skip = skip + in_sentence
        attached = places_for(lowered, trigger, sentence, groups, gap_skip)
        left = _vacated(trigger, out)
        if not attached and left:  # "the army left X, and the rebels moved in"
            attached = [(f.mention, "vacated") for f in left]
        if not attached:
            continue
        clause = clause_of(lowered, sentence, trigger.start, trigger.end)
        if rejected(lowered, trigger, clause, sentence, profile.period):
            continue
        last_end = max(m.end for m, _ in attached)
        found = subject(
            lowered, ctx.actors.matches, ctx.actors.starts, Span(trigger.start, trigger.end),
            trigger.form, trigger.role, clause, sentence, last_end,
        )  # fmt: skip
        if found is not None and found[1] in {"text", "agent"} and found[0].actor != FOREIGN:
            carried = found[0]
        if found is None and carried is not None:
            use_carried = trigger.role != "loser" or carried.actor != profile.state
            if use_carried and (
                pronoun_subject(lowered, clause, trigger.start)
                or trigger.form in {"before", "telegraph"}
                or trigger.role == "loser"
                or not _subject_named(lowered, clause, trigger)
            ):
                found = (carried, "paragraph")
        if found is not None and found[0].actor == FOREIGN:
            continue
        if trigger.role == "seen" and (found is None or found[1] not in {"text", "agent"}):
            continue  # presence says something only of a force the clause names
        actor, raw, basis = _actor(ctx, trigger, found)
        claimed = claim_source(text, sentence, trigger.start)
        for mention, how in attached:
            kind = trigger.kind
            if how == "edge" and kind in {"captured", "entered"}:
                kind = "contested"
            elif how == "inside" and kind == "captured":
                kind = "entered"
            elif how == "part" and kind == "withdrawal" and _city(mention.place):
                continue  # pulling back from positions in a city leaves the city held
            if actor == profile.uprising and kind in {"captured", "entered"} and basis != "default":
                kind = "uprising"
            elif (
                kind == "entered"
                and _LOCALS.search(raw)
                and _STATE_BUILDING.match(lowered, trigger.end)
            ):
                kind = "uprising"  # "local gunmen stormed the governorate building"
            named = actor not in {profile.unknown, profile.uprising}
            if not_a_force(lowered, trigger, clause, mention.start, named_force=named):
                continue  # families leaving, visitors arriving: nobody's ground changes
            out.append(_Found(trigger, mention, kind, actor, raw, basis, how, claimed))
    return out, carried


def _vacated(trigger: Trigger, before: list[_Found]) -> list[_Found]:
    """The sentence's withdrawals before a bare entry ("pulled out, and the factions rolled
    in"): the places the entry is about when it names none."""
    if trigger.form != "label" or trigger.kind != "entered":
        return []
    return [f for f in before if f.kind == "withdrawal" and f.trigger.end <= trigger.start]


def _city(place: Place) -> bool:
    """A place big enough for one side to leave some of its positions and hold the rest."""
    return place.kind not in _REGION_KINDS and place.population >= _CITY_POPULATION


def _subject_named(lowered: str, clause: Span, trigger: Trigger) -> bool:
    """Whether words stand before the trigger in its clause (a subject we could not name)."""
    return bool(lowered[clause.start : trigger.start].strip())


def _actor(
    ctx: _Context, trigger: Trigger, found: tuple[ActorMatch, str] | None
) -> tuple[str, str, str]:
    """(actor, raw words, basis) for a trigger's subject; generic words mapped by region."""
    profile = ctx.lexicon.profile
    if found is None:
        if trigger.kind == "uprising":
            return profile.uprising, ctx.article.text[trigger.start : trigger.end], "default"
        return profile.unknown, "", "default"
    match, basis = found
    raw = ctx.article.text[match.start : match.end]
    actor = match.actor
    if trigger.kind == "uprising" and actor in {profile.unknown, profile.state}:
        return profile.uprising, raw, basis  # soldiers defecting, crowds rising
    if match.generic:
        return actor, raw, "generic"
    return actor, raw, basis


def _regional(profile: Profile, actor: str, basis: str, place: Place) -> tuple[str, str]:
    """Generic words ("rebels") name the profile's actor for the place's governorate."""
    if basis != "generic":
        return actor, basis
    regional = profile.generic_by_region.get(place.admin1)
    return (regional, "region") if regional else (actor, basis)


def _dated(
    ctx: _Context,
    found: list[_Found],
    times: list[TimeExpression],
    sentence: Span,
    carried: TimeExpression | None,
) -> list[ControlEvent]:
    """Reports of one sentence with their days: each time phrase dates its nearest trigger."""
    article, text = ctx.article, ctx.article.text
    profile = ctx.lexicon.profile
    owner = time_owners(list(dict.fromkeys(f.trigger for f in found)), times, ctx.lowered)
    caption = bool(_CAPTION.search(text, sentence.start, min(len(text), sentence.end + 40)))
    scene = scene_time(times, sentence, ctx.lowered)
    # "pulled back from the outskirts of X on Tuesday": two triggers, one place, one moment
    at_place = {f.mention.start: owner[f.trigger] for f in found if f.trigger in owner}
    out = []
    for f in found:
        place, mention, trigger = f.mention.place, f.mention, f.trigger
        if place.country != profile.country:
            continue
        if (
            f.kind not in {"contested"}
            and place.kind not in _REGION_KINDS
            and _QUALIFIED.match(ctx.lowered, mention.end)
        ):
            continue  # "Damascus suburbs", "the Hama countryside": not the city itself
        actor, basis = _regional(profile, f.actor, f.basis, place)
        # a holder in the present tense is the article's, unless a stamp heads it: a live
        # entry or a channel's message says who holds X at its own time
        stamped = carried is not None and carried.kind in {"heading", "stamp"}
        own = carried if stamped or carries_day(trigger, ctx.lowered) else None
        # "On 7 December X was taken, and ... took Y"
        time = owner.get(trigger) or at_place.get(mention.start) or scene
        if time is not None and time.kind == "clock":
            time = scene  # "drove in before dawn": the hour, not the day
        if f.how == "dated":  # "seized X on Friday and Y on Saturday": Y's own day
            time = next((t for t in times if 0 <= t.start - mention.end <= _OWN_TIME), time)
        if (
            time is None
            and trigger.kind != SAME  # "followed soon by X": later, not the same day
            and carries_day(trigger, ctx.lowered)
            and not _PRESENT_BEFORE.search(ctx.lowered, max(0, trigger.start - 12), trigger.start)
        ):
            # "got into the capital early on Sunday, and by mid-morning controlled it"
            time = _told_before(trigger, owner)
        day, precision, cue = report_day(time, own, ctx.fallback, caption)
        word = text[trigger.start : trigger.end].split()[0].lower()
        confidence = trigger.strength - (0.1 if word.endswith("ing") else 0.0)
        confidence += {"text": 0.1, "agent": 0.1, "generic": 0.05, "region": 0.05}.get(basis, 0.0)
        confidence += 0.05 if precision == "exact" else 0.0
        confidence -= 0.05 if f.claimed_by else 0.0
        confidence = round(max(0.05, min(1.0, confidence * (0.5 + mention.confidence / 2))), 2)
        out.append(
            ControlEvent(
                id=_event_id(article.id, trigger, mention),
                article_id=article.id,
                place=place,
                kind=f.kind,
                actor=actor,
                actor_raw=f.actor_raw,
                actor_basis=basis,
                day=day,
                day_precision=precision,
                day_cue=cue,
                confidence=confidence,
                sentence=sentence,
                trigger=Span(trigger.start, trigger.end),
                place_span=Span(mention.start, mention.end),
                excerpt=text[sentence.start : sentence.end],
                claimed_by=f.claimed_by,
            )
        )
    return out


#: what may stand before the names that "followed": the sentence's start, a comma, "and"
_FOLLOWER = re.compile(
    r"(?:^|[,;:]\s+|\s(?:and|then)\s+)(?:the\s+(?:towns?|cities|city|villages?)\s+of\s+)?$"
)
#: people of the place itself, and the state's buildings they take: an uprising
_LOCALS = re.compile(
    r"\b(?:local|locals|young\s+men|residents|townspeople|protesters|gunmen|villagers|tribesmen)\b",
    re.IGNORECASE,
)
_STATE_BUILDING = re.compile(
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:governorate|government|police|security|municipal"
    r"|municipality|party|intelligence|baath)\s+(?:building|command|stations?|headquarters|posts?"
    r"|branch(?:es)?|offices?|hq)\b"
)
#: how far after a name of a dated list its own time phrase may stand (characters)
_OWN_TIME = 60
#: "... and rebels have seized X": news of the article's day, not the sequence's
_PRESENT_BEFORE = re.compile(r"\b(?:has|have|is|are|now)\s+(?:\w+ly\s+)?$")


def _told_before(trigger: Trigger, owner: dict[Trigger, TimeExpression]) -> TimeExpression | None:
    """The day of the sentence's last dated trigger before this one, which a sequence told
    in one sentence goes on from."""
    before = [(t.start, time) for t, time in owner.items() if t.start < trigger.start]
    if not before:
        return None
    time = max(before, key=lambda pair: pair[0])[1]
    # a day the phrase names itself ("on Sunday", "7 December"), not one counted from
    # another ("a day after capturing X, ...": that day is the first report's)
    return time if time.names_day and time.kind in {"absolute", "weekday"} else None


def _event_id(article_id: str, trigger: Trigger, mention: Mention) -> str:
    spans = f"{trigger.start}-{trigger.end}:{mention.start}-{mention.end}"
    key = f"{article_id}:{spans}:{mention.place.id}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _one_per_place(events: list[ControlEvent]) -> list[ControlEvent]:
    """The strongest kind a report gives each place, dated as exactly as it allows.

    A region named after a town ("southern X") that a sentence also reports at the town
    itself, as strongly or more, is that town's report.
    """
    at_town = {(e.sentence.start, e.place.id): STRENGTH[e.kind] for e in events}
    events = [
        e
        for e in events
        if not (
            e.place.kind == "region"
            and e.place.parent
            and at_town.get((e.sentence.start, e.place.parent), -1) >= STRENGTH[e.kind]
        )
    ]
    best: dict[str, ControlEvent] = {}
    for e in events:
        old = best.get(e.place.id)
        if old is None or _rank(e) < _rank(old):
            best[e.place.id] = e
    kept = list(best.values()) + _first_entries(events, best)
    return sorted(kept, key=lambda e: e.trigger.start)


def _first_entries(events: list[ControlEvent], best: dict[str, ControlEvent]) -> list[ControlEvent]:
    """Entries a report dates exactly to a day before the capture it gives the same place.

    "Fighters drove into X on Friday ... by Saturday evening X was theirs" is two steps of
    the fall, each with its day; an entry on the capture's own day is only its weaker report.
    """
    first: dict[str, ControlEvent] = {}
    for e in sorted(events, key=lambda e: (e.day or dt.date.max, -e.confidence)):
        top = best[e.place.id]
        steps = e.kind == "entered" and top.kind == "captured" and e.day_precision == "exact"
        if steps and e.day is not None and top.day is not None and e.day < top.day:
            first.setdefault(e.place.id, e)
    return list(first.values())


def _rank(e: ControlEvent) -> tuple[int, int, float]:
    return (-STRENGTH[e.kind], _PRECISION_RANK[e.day_precision], -e.confidence)


def with_day(event: ControlEvent, day: dt.date | None, precision: str) -> ControlEvent:
    """A copy with another day (curation and review use it)."""
    return replace(event, day=day, day_precision=precision)
