"""Why a trigger's clause reports no change: denials, hypotheticals and inverted
conditionals, analogies, history, remote violence (air strikes and shelling change
nobody's control).

Each filter is a pattern over the article's ASCII-lowered text, tried inside the clause a
trigger stands in (:func:`geo.triggers.clause_of`) or just before it; :func:`rejected`
names the first that holds, so an analyst sees why a sentence made no event.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import MONTHS
from .models import Span
from .scan import Gated
from .triggers import CLAUSE_REACH, Trigger, boundary_between

__all__ = ["rejected"]

_WINDOW = CLAUSE_REACH

_DENIAL = re.compile(
    r"\b(?:not|n't|never|no\s+longer|failed|fail|fails|unable|denied|deny|denies|denying"
    r"|yet\s+to|without|rather\s+than|instead\s+of|false|rumou?rs?\s+(?:that|of)|nor"
    # "there has been no serious fighting in X", "there was little fighting for X"
    r"|there\s+(?:(?:has|have|had)\s+been|is|are|was|were)\s+(?:no|little|hardly\s+any)"
    # "it had no evidence of fighting inside X", "no sign that troops had left"
    r"|no\s+(?:evidence|sign|signs|confirmation|proof|indication)\s+(?:of|that)"
    # a subject nobody is: "no fighters had entered it", "none of the units left"
    r"|nobody|no\s+one|none\s+of|no\s+(?!doubt\b|matter\b|sooner\b)[a-z-]+(?:\s+[a-z-]+)?"
    r"\s+(?:had|has|have|was|were|is|are))\b"
)
_DENYING_REPORT = re.compile(
    r"\b(?:denied|deny|denies|denying|dismissed|dismissing|rejected|rejecting|rejects|refuted"
    r"|refuting|refutes|contradicted|disputed|disputing|rumou?rs?|false|untrue|baseless"
    # "there is no truth to reports that X has fallen"
    r"|unfounded|fake|no\s+truth|no\s+basis)\b[^.;!?]*$"
)
#: "... reports that X had fallen proved false"
_FALSE = (
    "false", "untrue", "baseless", "unfounded", "wrong", "fake", "fabricated",
    # "reports that the factions had entered X were denied by ..."
    "denied", "refuted", "debunked", "rejected",
    # "channels that claimed X had fallen were spreading lies"
    "lies", "lying", "propaganda", "disinformation", "fabrications",
)  # fmt: skip
_FALSE_AFTER = Gated(re.compile(
    r"\b(?:is|was|are|were|proved|proven|turned\s+out\s+to\s+be|been)\s+(?:\w+\s+)?"
    rf"(?:{'|'.join(_FALSE)}|not\s+(?:true|correct|accurate))\b"
), *_FALSE, "not true", "not correct", "not accurate")  # fmt: skip
#: a correction quoting what it withdraws
_RETRACTED = re.compile(
    r"\b(?:earlier|previous|original|first)\s+version\s+of\s+(?:this|the|our)\s+"
    r"(?:entry|article|story|report|post|update|item|piece)\b[^.;!?]*$"
)
#: a correction announced just before the sentence that quotes what it withdraws
_CORRECTION_BEFORE = re.compile(r"\bcorrection\s*[.:!\-\u2013\u2014]\s*$")
_MODAL = re.compile(
    r"\b(?:if|unless|whether|could|would|might|may(?!\s+\d)|should|shall|will|won't|once"
    r"|threaten(?:s|ed|ing)?\s+to|plans?\s+(?:to|of|for)|planned\s+to|planning\s+to"
    r"|(?:goal|ambition|intention|dream|scheme|designs?)\s+(?:of|to|on)|aim(?:s|ed|ing)?"
    r"\s+(?:to|at)|seek(?:s|ing)?\s+to|sought\s+to|try(?:ing)?\s+to|tries\s+to|tried\s+to"
    r"|attempt(?:s|ed|ing)?\s+to|vow(?:s|ed|ing)?\s+to|intend(?:s|ed|ing)?\s+to|expected\s+to"
    r"|poised\s+to|set\s+to|likely\s+to|possib(?:le|ility|ly)|potential(?:ly)?|fears?\s+(?:of|that)|fearing|afraid\s+of"
    r"|risk(?:s)?\s+of|in\s+order\s+to|ready\s+to|prepar(?:e|es|ed|ing)\s+(?:to|for)"
    r"|want(?:s|ed)?\s+to|going\s+to|about\s+to|hope(?:s|d)?\s+to|in\s+the\s+final\s+moments\s+of"
    r"|on\s+the\s+verge\s+of|on\s+the\s+brink\s+of|meant\s+to|designed\s+to|able\s+to|urged"
    r"|called\s+on|demand(?:ed|s)?|eyes\s+(?:were|are)\s+(?:now\s+)?(?:fixed|set)\s+on"
    r"|next\s+target|would-be|bid\s+to|ahead\s+of|in\s+case|lest"
    # "bracing for an attack on the town": what is feared, not what happened
    r"|brac(?:e|ed|es|ing)\s+(?:themselves\s+|itself\s+)?for"
    r"|promis(?:e|es|ed|ing)\s+to|pledg(?:e|es|ed|ing)\s+to|offer(?:s|ed|ing)?\s+to"
    # "whoever thinks he can enter X will pay a heavy price"
    r"|can|cannot|can't|whoever)\b"
)
#: "Should the rebels take Homs, ...", "Were the army to leave ...": inverted conditionals
_INVERTED = re.compile(
    r"\s*(?:should|were|had)\s+(?!(?:been|not|already|also|just|long|to|being)\b)(?:the\s+)?\w+"
)
_ANALOGY = re.compile(
    r"\b(?:brings?\s+to\s+mind|reminiscent|recall(?:s|ed|ing)?|echo(?:es|ed|ing)|looks?\s+like"
    r"|resembl(?:e|es|ed|ing)"
    r"|similar\s+to|just\s+as|like\s+the|compared?\s+(?:to|with)|much\s+as|mirror(?:s|ed|ing)?)\b"
)
_HISTORY = Gated(re.compile(
    r"\b(?:(?:several|many|numerous|a\s+number\s+of)\s+times\s+(?:before|in\s+the\s+past)"
    r"|in\s+the\s+past|in\s+previous\s+years|(?:years|decades)\s+ago|back\s+in\s+(?:19|20)\d\d"
    r"|for\s+the\s+(?:first|second|third)\s+time\s+since)\b"
), "time", "past", "previous", "ago", "back")  # fmt: skip
#: Air strikes, shelling and drones are remote violence: nobody's ground changes hands.
_REMOTE = re.compile(
    r"\b(?:air\s*strikes?|airstrikes?|air\s+raids?|warplanes?|jets?|aircraft|helicopters?"
    r"|drones?|bomb(?:s|ed|ing|ings|ardment|arded)?|shell(?:s|ed|ing)|missiles?|rockets?"
    r"|artillery|barrel\s+bombs?|air\s+power|aerial|struck|strikes?|hit|pounded|pounding)\b"
)
#: an edge a strike hit: "destroyed a militant headquarters on the outskirts of X"
_EDGE_NOUN = re.compile(r"(?:outskirts|edges?|vicinity|periphery|environs)\b")
_HIT = re.compile(
    r"\b(?:destroyed|destroying|targeted|targeting|shelled|shelling|bombed|bombing)\b"
)
_REMOTE_REACH = 30  # "Russian jets attacked X", "drone attacks on X": the words just before
_YEARS = r"(19[4-9]\d|20\d\d)"  # a year of modern history, as group 1
_YEAR = Gated(re.compile(rf"\b{_YEARS}\b"), "19", "20")
#: a year straight before the trigger's noun, any modern century ("the 1925 revolt")
_YEAR_NAMING = re.compile(r"\b(1[89]\d\d|20\d\d)\s+$")
_YEAR_LEAD = Gated(
    re.compile(
        rf"\b{_YEARS}\b\s*,?\s*(?:when|as|after|before|where)(?:\s+(?:it|they|he|she|we))?\s*$"
    ),
    "19",
    "20",
)
#: "In December 2016, ...", "During the summer of 2013 ...": a year that opens a sentence
#: sets the scene of all of it. The parts, in order:
_SCENE_YEAR = re.compile(
    "".join(
        (
            r"\s*(?:in|by|during|until|through|throughout)\s+",  # the preposition
            r"(?:(?:early|late|mid)[\s-]+)?",  # "early", "mid-"
            r"(?:the\s+(?:spring|summer|autumn|fall|winter)\s+of\s+)?",  # "the summer of"
            rf"(?:(?:{'|'.join(MONTHS)})[a-z]*\.?\s+)?(?:\d{{1,2}},?\s+)?",  # "December 5,"
            rf"{_YEARS}\b",  # the year
        )
    )
)
#: Nouns that can be an event standing as a clause's subject ("Seizing Homs would ...").
_EVENT_NOUNS = frozenset(
    {"fall", "capture", "seizure", "takeover", "liberation", "loss", "surrender", "assault",
     "offensive", "attack", "push", "advance", "fighting", "clashes", "battle", "battles",
     "combat", "outskirts", "edge", "edges", "gates", "entry", "withdrawal", "control"}
)  # fmt: skip


#: a fact-check's verdict on the claim it is about to describe
_CHECKED_CLAIM = re.compile(
    r"\bverdict\s*:\s*(?:false|fake|misleading|unproven|unverified|fabricated|wrong|no\s+evidence)"
    r"[^\n]*$"
)
_VERDICT_REACH = 120
_CLAIM_HEADING = re.compile(
    r"\s*(?:#+\s*)?(?:(?:viral\s+)?claim\s*(?:no\.?\s*)?\d*|denial|denied|rumou?rs?|fake)\s*:"
)
_SINCE = re.compile(r"\bsince\s+(then|(?:19|20)\d\d)\b")
_REINFORCING = re.compile(r"\breinforc(?:ements?|ing|ed)\b")
_REDEPLOYED = re.compile(r"(?:redeploy|reposition|relocat)")
_ONWARD = re.compile(
    r"\s(?:to|towards|toward)\s(?!(?:the\s+)?(?:outskirts|outside|edge)"
    # the purpose an army gives ("to build a defensive line", "to spare civilians"), not a goal
    r"|(?:build|form|establish|create|strengthen|consolidate|protect|defend|spare|preserve"
    r"|save|avoid|prevent|secure|hold|reinforce|shorten|set\s+up)\b)"
)
#: people a participle describes: "soldiers captured in X", "officers taken at the base"
_CAPTIVES = re.compile(
    r"\b(?:soldiers|troops|officers|conscripts|fighters|militants|men|prisoners|civilians|people"
    r"|members|personnel|pilots|guards|detainees|hostages)\s+(?:\w+\s+){0,2}?$"
)
_PARTICIPLES = frozenset({"captured", "taken", "seized", "held", "detained", "arrested"})
#: ... followed by where or when, not by an object: "soldiers captured in X", not "captured X"
_PARTICIPLE_AFTER = re.compile(r"\s+(?:in|at|near|by|during|on|from|after|outside|inside|around)\b")
#: ", where the uprising began in 2011,": an aside about the subject, closed before the verb
_ASIDE_OPEN = re.compile(
    r",\s*(?:where|when|which|who|whose|whom)\s[^,;:]*$"
    # an apposition: "Hama, the city Hafez levelled in February 1982, fell on Thursday"
    r"|,\s*(?:the|a|an)\s[^,;:]*$"
    # "local armed groups, most of them former rebels who signed deals in 2018, took X"
    r"|,\s*(?:most|many|some|all|several|none|each)\s+of\s+(?:them|whom)\s[^,;:]*$"
)


#: a lower-case noun right after a year: "1974 disengagement line"
_NOUN_AFTER = re.compile(r"\s+[a-z][a-z-]+\b(?<!\band)(?<!\bor)")


#: "rolled into the ruined town of X, empty since 1974": an aside after the place, which
#: describes it, dates nothing the trigger says
_TRAILING_ASIDE = re.compile(
    r",\s*(?:which|where|who|whose|empty|emptied|destroyed|abandoned|deserted|ruined|once"
    r"|home|a|an|the|last|first|held|occupied|captured|taken|seized)\b[^,;:]*$"
)


def _in_aside(lowered: str, at: int, start: int, trigger_start: int) -> bool:
    """Whether ``at`` lies in a relative aside between commas that closes before the trigger
    ("Fighters in the south, where the uprising began in 2011, rose up in X")."""
    if at >= trigger_start or "," not in lowered[at:trigger_start]:
        return False
    return _ASIDE_OPEN.search(lowered, start, at) is not None


#: what opens a question: a wh-word or an auxiliary ("How did you take X?", "Has X fallen?")
_QUESTION_OPENING = re.compile(
    r"\s*(?:[-*\u2022]\s*)?(?:[\w]+:\s*)?[\"'“‘]?(?:how|why|when|what|which|who|where|whether|did|does|do|has|have"
    r"|had|is|are|was|were|will|would|can|could|should|may|might)\b"
)


#: an entry whose purpose is to hold the place for its holder
_SHIELDING = re.compile(
    r"\bto\s+(?:help\s+)?(?:shield|defend|reinforce|bolster|shore\s+up)\b"
    r"|\bto\s+(?:help|support|back)\s+(?:the\s+)?(?:government|regime|army|syrian\s+army)\b"
)


def _asked(lowered: str, clause: Span, sentence: Span) -> bool:
    """Whether the trigger's clause is a question: it or its sentence ends in "?" and
    opens like one."""
    spans = (clause, sentence)
    if not any(lowered[s.start : s.end].rstrip().rstrip("\"”’'").endswith("?") for s in spans):
        return False
    if _TAG_QUESTION.search(lowered, sentence.start, sentence.end):
        return True  # "they took X, right?": asked, to be confirmed or corrected
    return any(_QUESTION_OPENING.match(lowered, s.start) for s in spans)


_TAG_QUESTION = re.compile(
    r",\s*(?:right|correct|no|yes|true|isn'?t\s+it|didn'?t\s+they|haven'?t\s+they|wasn'?t\s+it"
    r"|is\s+that\s+right|am\s+i\s+right)\s*\?[\"”’']*\s*$"
)


#: a state whose subject is a town's condition, not the town: "the situation in X is under
#: control", "the fire at X was brought under control" says nothing of who holds it
_CALM_SUBJECT = re.compile(
    r"\b(?:situation|calm|life|fires?|blazes?)\s+(?:in|at|around|across|of|inside)\s"
)


def rejected(
    lowered: str, trigger: Trigger, clause: Span, sentence: Span, period: tuple[dt.date, dt.date]
) -> str | None:
    """Why a trigger's clause is not a report of a change (``None`` when it is one).

    ``lowered`` is the article's ASCII-lowered text.
    """
    head = lowered[clause.start : trigger.start]
    if _DENIAL.search(head):
        return "denial"
    if _asked(lowered, clause, sentence):
        return "hypothetical"  # "How did you take Hama?": a question reports nothing
    if _CHECKED_CLAIM.search(lowered, max(0, sentence.start - _VERDICT_REACH), sentence.start):
        return "denial"  # a fact-check's "Verdict: FALSE." and what follows it
    if _CLAIM_HEADING.match(lowered, sentence.start):
        return "hypothetical"  # 'Claim 6: "Israeli tanks enter Quneitra"': a claim under check
    if _DENYING_REPORT.search(lowered, max(sentence.start, clause.start - _WINDOW), clause.start):
        return "denial"
    if _FALSE_AFTER.search(lowered, trigger.end, sentence.end):
        return "denial"
    if _RETRACTED.search(lowered, sentence.start, trigger.start) or _CORRECTION_BEFORE.search(
        lowered, max(0, sentence.start - 40), sentence.start
    ):
        return "denial"  # "An earlier version of this entry said ...", "A correction. I said"
    if _MODAL.search(head) or _INVERTED.match(lowered, clause.start, trigger.start):
        return "hypothetical"
    if _INVERTED.match(lowered, sentence.start, trigger.start) and not boundary_between(
        lowered, sentence.start, clause.start
    ):
        return "hypothetical"
    tail = lowered[trigger.end : clause.end]
    word = lowered[trigger.start : trigger.end].split(maxsplit=1)[0]
    as_subject = word.endswith("ing") or word in _EVENT_NOUNS
    if as_subject and len(head.split()) <= 3 and _MODAL.search(tail):
        return "hypothetical"
    if _ANALOGY.search(lowered, clause.start, clause.end):
        return "analogy"
    past = _HISTORY.search(lowered, clause.start, clause.end)
    if past and not _in_aside(lowered, past.start(), sentence.start, trigger.start):
        return "history"  # not "armed groups, who signed deals six years ago, took X"
    years = {str(d.year) for d in period}
    named_year = _YEAR_NAMING.search(lowered, max(0, trigger.start - 8), trigger.start)
    if named_year and named_year.group(1) not in years:
        return "history"  # "the 1925 revolt", "the 2011 uprising": the trigger names it
    for year in _YEAR.finditer(lowered, clause.start, clause.end):
        # "the birthplace of the 2011 uprising": that year names another event
        # "the 1974 disengagement line", "the 2018 deal": a year naming a thing (not "in the
        # 2016 offensive", which dates what the clause says)
        before = lowered[max(0, year.start() - 12) : year.start()].split()[-2:]
        named = before == ["of", "the"] or (
            before[-1:] == ["the"]
            and before[:1] not in (["in"], ["during"], ["since"], ["until"], ["by"])
            and _NOUN_AFTER.match(lowered, year.end()) is not None
        )
        if (
            year.group(1) not in years
            and not named
            and not _in_aside(lowered, year.start(), sentence.start, trigger.start)
            and not (
                year.start() > trigger.end
                and _TRAILING_ASIDE.search(lowered, trigger.end, year.start())
            )
        ):
            return "history"
    scene = _SCENE_YEAR.match(lowered, sentence.start, trigger.start)
    if scene and scene.group(1) not in years:
        return "history"
    # "in 2012, when rebels took ...": a year just before a clause that hangs on it
    lead = _YEAR_LEAD.search(lowered, max(sentence.start, clause.start - 40), clause.start)
    if lead and lead.group(1) not in years:
        return "history"
    if (
        _CAPTIVES.search(lowered, max(sentence.start, trigger.start - 30), trigger.start)
        and lowered[trigger.start : trigger.end].split(maxsplit=1)[0] in _PARTICIPLES
        and _PARTICIPLE_AFTER.match(lowered, trigger.end)
    ):
        return "people, not a place"  # "soldiers captured in Hama were paraded"
    if (
        trigger.kind == "entered"
        and lowered.startswith(("arriv", "deploy", "reach"), trigger.start)
        and _REINFORCING.search(head)
    ):
        return "reinforcements"  # "fresh reinforcements arrived in Hama": its holder's own
    if trigger.kind == "entered" and _SHIELDING.search(
        lowered, trigger.end, min(sentence.end, trigger.end + 80)
    ):
        return "reinforcements"  # "moved into the X area to help shield the city"
    if _REDEPLOYED.match(lowered, trigger.start) and _ONWARD.search(
        lowered, trigger.end, min(sentence.end, trigger.end + 60)
    ):
        return "redeployment"  # "units redeploying from Hama to Aleppo": moved, not lost
    if trigger.role == "state" and _CALM_SUBJECT.search(head):
        return "no holder"  # "the situation in Homs is under control": calm, not a side
    since = _SINCE.search(lowered, trigger.end, clause.end)
    if trigger.role == "state" and since and since.group(1) not in years:
        return "history"  # "has been under the control of the state since then"
    near = max(clause.start, trigger.start - _REMOTE_REACH)
    if trigger.kind == "contested" and (
        _REMOTE.search(lowered, near, trigger.end)
        or (
            _EDGE_NOUN.match(lowered, trigger.start)
            and _HIT.search(lowered, clause.start, trigger.start)
        )
    ):
        return "remote violence"  # "strikes destroyed a headquarters on the outskirts of X"
    return None
