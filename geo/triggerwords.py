"""The lexicon of :mod:`geo.triggers`: each rule a pattern, its head words, its kind, the
form that says where its place stands and the role of its subject. Written once for all
outlets, on ASCII-lowered text; at one position the first rule that matches wins, so the
specific stand before the general ("took control of" before "took").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "RULES", "SAME", "STRENGTH", "Rule"]

KINDS = ("captured", "entered", "contested", "uprising", "withdrawal")
#: The kind of a trigger that repeats the report before it in its sentence ("followed by")
SAME = "same"
#: One place, one event per report: a capture says more than an entry, an entry more
#: than a withdrawal, a withdrawal more than an uprising or fighting.
STRENGTH = {"captured": 4, "entered": 3, "withdrawal": 2, "uprising": 1, "contested": 0}
#: what fighting does where it is reported ("raged in", "is under way on", "continue near")
_FIGHT_GOES_ON = (
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
_OBJ = r"(?:\s+[\w'’-]+){0,4}?\s+"
#: Entered: not "came into force", "into effect", "into view"
_INTO = (
    # "moved north into X": a bearing may stand between the verb and "into"
    r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:wards?)?\s+)?"
    r"(?:into|inside)\b(?!\s+(?:force|effect|being|play|view|contact|question|power|office))"
)


def _rule(pattern: str, heads: str, spec: str) -> Rule:
    """A rule from its pattern, its head words and ``"kind form strength role gap"``."""
    kind, form, strength, role, gap = spec.split()
    return Rule(pattern, tuple(heads.split()), kind, form, float(strength), role, gap)


RULES: tuple[Rule, ...] = (
    # --- uprising: people taking their own town
    _rule(
        r"(?:r(?:ose|ise|ises|ising|isen)\s+up|uprising|revolt(?:ed|ing|s)?|insurrection"
        r"|rebell(?:ed|ing)\s+against|t(?:ook|ake|aking|akes)\s+up\s+arms"
        r"|(?:tore|tear(?:s|ing)?|torn|pull(?:ed|s|ing)?|toppl(?:e|ed|es|ing)|knock(?:ed|s|ing)?"
        r"|br(?:ought|ing|inging)|ripp(?:ed|ing)|destroy(?:ed|ing)|smash(?:ed|ing))\s+down"
        r"\s+(?:[\w'’-]+\s+){0,4}?statues?|toppl(?:e|ed|es|ing)\s+(?:[\w'’-]+\s+){0,4}?statues?"
        r"|statues?\s+(?:\w+\s+){0,4}?(?:was|were|being|been)\s+(?:pulled|torn|toppled|brought"
        r"|knocked|smashed)(?:\s+down)?"
        r"|liberated\s+from\s+(?:the\s+)?(?:inside|within))\b",
        "rose ris uprising revolt insurrection rebell took tak tore tear torn pull toppl "
        "knock brought bring ripp destroy smash statue liberated",
        "uprising near 0.6 agent wide",
    ),
    # --- captured: control phrases ("took full control of", "establishing their hold over")
    _rule(
        r"(?:t(?:ook|aken|ake|akes|aking)|seiz(?:e|ed|es|ing)|gain(?:ed|ing|s)?|assum(?:e|ed|es|ing)"
        r"|wrest(?:ed|ing|s)?|declar(?:e|ed|es|ing)|establish(?:ed|es|ing)?|regain(?:ed|ing|s)?"
        r"|restor(?:e|ed|es|ing)|extend(?:ed|ing|s)?|impos(?:e|ed|es|ing)|secur(?:e|ed|es|ing)"
        r"|retak(?:e|en|es|ing)|retook|won|win|wins|winning|grabb(?:ed|ing))"
        r"\s+[\"“']?(?:(?:full|total|complete|effective|firm|sole|military|their|its|his|the|back)"
        r"\s+){0,3}(?:control|hold|dominance|grip|command|possession|charge)[\"”']?"
        r"\s+(?:of|over|on|throughout|across|in)\b",
        "captur recaptur seiz overr liberat retook retak conquer took tak wrest "
        "swept sweep occupied occupying overwhelm won win rid clear expel oust drove driv "
        "forc push kick lost los secur gain assum declar establish regain restor extend "
        "impos grabb",
        "captured after 0.8 agent wide",
    ),
    # "are now in control of", "now holds", "controlled most of": a holder, reported
    _rule(
        r"(?:(?:is|are|was|were|now)\s+)+in\s+(?:full\s+|complete\s+|total\s+)?"
        r"(?:control|charge|command)\s+of\b"
        r"|now\s+(?:hold|holds|holding|control|controls|controlling|run|runs|occupies|occupy)\b",
        "is are was were now",
        "captured after 0.6 state wide",
    ),
    _rule(
        r"(?:(?:is|are|was|were|now)\s+)+inside\b",
        "is are was were now",
        "entered after 0.6 state wide",
    ),
    # a digest's "HTS fighters inside Aleppo city": a force the clause names, in a town
    _rule(
        r"(?:units?|fighters|forces|troops|columns?|militants|gunmen|detachments?)"
        r"\s+(?:(?:now|already|reportedly|deep)\s+)?inside\b",
        "unit units fighters forces troops column columns militants gunmen detachment",
        "entered after 0.55 seen narrow",
    ),
    # "the militants control the whole city": the place is the description that follows
    _rule(
        r"(?:control|controls|controlled|controlling|hold|holds|held|holding)"
        r"(?=\s+(?:all\s+of\s+)?the\s+(?:whole|entire)\s+(?:city|town|village|province)\b)",
        "control controls controlled controlling hold holds held holding",
        "captured after 0.6 state narrow",
    ),
    # "they held all of Homs", "controls most of Deir ez-Zor province"
    _rule(
        r"(?:held|hold|holds|holding)\s+(?:all|most|much|nearly\s+all|almost\s+all|the\s+whole"
        r"|the\s+entirety|large\s+parts|swathes)\s+of\b",
        "held hold holds holding",
        "captured after 0.6 state wide",
    ),
    _rule(
        r"(?<!-)(?<!been )(?<!that )(?<!which )(?<!who )(?<!still )(?<!already )"
        r"controlled(?!\s+by)\b",
        "controlled",
        "captured after 0.55 state wide",
    ),
    # the place's side lost it: "regime forces were expelled from", "lost control of"
    _rule(
        r"(?:(?:were|was|are|is|been|being|got|get|gets)\s+)(?:\w+ly\s+)?"
        r"(?:expelled|ousted|ejected|evicted|routed|purged|cleared|kicked|driven|forced|pushed"
        r"|chased|thrown|flushed)(?:\s+out)?\s+(?:of|from)\b",
        "were was are is been being got get",
        "captured after 0.75 loser wide",
    ),
    _rule(
        r"(?:los(?:t|e|es|ing))\s+(?:(?:full|all|total|complete|effective|their|its|his|the)\s+){0,2}"
        r"(?:control|hold|grip)\s+(?:of|over|on)\b",
        "lost los",
        "captured after 0.75 loser wide",
    ),
    _rule(
        r"los(?:t|e|es|ing)\b",
        "lost los",
        "captured after 0.55 loser narrow",
    ),
    # active: "drove regime forces out of", "expelled government troops from", "rid X of"
    _rule(
        rf"(?:expel(?:s|led|ling)?|oust(?:s|ed|ing)?|evict(?:s|ed|ing)?){_OBJ}(?:from|out\s+of)\b"
        # "forced troops out of", not the nouns: "government forces pulled out of X"
        r"|(?:drove|driv(?:e|es|en|ing)|forc(?:ed|ing)|push(?:ed|es|ing)?|kick(?:ed|s|ing)?"
        rf"|chas(?:e|ed|ing)|flush(?:ed|ing)?){_OBJ}out\s+(?:of|from)\b",
        "expel oust evict drove driv forc push kick chas flush",
        "captured after 0.75 agent wide",
    ),
    _rule(
        r"(?:rid|clear(?:ed|ing|s)?)\b",
        "rid clear",
        "captured after 0.6 agent narrow",
    ),
    _rule(
        r"(?:(?:declared|announced|proclaimed|said\s+to\s+be)\s+)?(?:fully\s+)?"
        r"(?:liberated|free\s+of|freed)(?:\s*[\"“”'])?\s+(?:from|of)\b"
        r"(?!\s+(?:the\s+)?(?:inside|within))",
        "declared announced proclaimed said fully liberated free freed",
        "captured before 0.7 agent narrow",
    ),
    # a digest's telegraphic passive: "Al-Zarbah taken, HTS now astride the M5", "X and Y
    # captured overnight"; the participle straight after its place, then a stop or a time
    _rule(
        r"(?:taken|captured|seized|liberated|overrun|retaken|recaptured|stormed)"
        r"(?=\s*[\"”’']?\s*(?:[,.;:)!]|$)|\s+(?:after|overnight|without|following|by|on|late|early|at\s+dawn"
        r"|this|last|yesterday|today|in\s+(?:the\s+)?(?:morning|afternoon|evening|night|early\s+hours)"
        # "declaring the city of Damascus liberated and the government overthrown"
        r"|and\s+(?:the|its|his|their)\s))",
        "taken captured seized liberated overrun retaken recaptured stormed",
        "captured telegraph 0.6 agent narrow",
    ),
    # "Tal Rifaat: held by the SNA since last Sunday", "X, now controlled by the SDF": the
    # agent after "by" holds the place named straight before
    _rule(
        r"(?:(?:now|still|firmly|fully)\s+)?(?:held|controlled)(?=\s+by\s)",
        "now still firmly fully held controlled",
        "captured telegraph 0.55 agent narrow",
    ),
    # "Rastan under control of the opposition", "Talbiseh under control.": a digest's
    # holder line, the name straight before (not "brought the fire under control")
    _rule(
        r"(?:now\s+|still\s+)?under\s+(?:the\s+)?(?:full\s+|complete\s+|total\s+)?"
        r"(?:[\w/-]+\s+){0,2}?control\b",
        "now still under",
        "captured telegraph 0.55 state narrow",
    ),
    # "Saraqib had gone on Friday", "then Hama went on Thursday", "once Homs went, ...": a
    # town that went fell (its name straight before, opening the clause)
    _rule(
        r"(?:(?:had|has|have)\s+)?(?:gone|went)(?=\s*(?:[,.;:!)]|$)|\s+(?:(?:on|by|late|early)\s+"
        r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|the\s+\d|\d)|overnight|yesterday|too"
        r"|as\s+well|next|first|within|last\s+night|this\s+(?:morning|afternoon|evening)"
        r"|in\s+(?:the\s+)?(?:morning|afternoon|evening|night)"
        r"|without\s+(?:a\s+)?(?:fight|shot|resistance))\b)",
        "had has have gone went",
        "captured telegraph 0.55 agent narrow",
    ),
    # "Base 46 fully in HTS hands", "X confirmed HTS-held", "X now firmly SDF-controlled"
    _rule(
        r"(?:fully|entirely|completely|firmly|totally)\s+(?:under\s+(?:the\s+)?(?:[\w/-]+\s+){0,2}?"
        r"control|in\s+(?:the\s+)?(?:[\w/-]+\s+){0,2}?hands)\b"
        r"|(?:confirmed|fully|firmly|still|remains?|remained)\s+(?:(?:fully|firmly|entirely)\s+)?"
        r"[a-z]+(?:/[a-z]+)?-(?:held|controlled)\b",
        "fully entirely completely firmly totally confirmed still remain remains remained",
        "captured telegraph 0.6 state narrow",
    ),
    # the common verbs of capture
    _rule(
        r"(?:captur(?:e|es|ed|ing)|recaptur(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)"
        r"|overr(?:an|un|uns|unning)|liberat(?:e|es|ed|ing)|retook|retak(?:e|es|en|ing)"
        r"|swept\s+(?:into|through)|sweep(?:s|ing)?\s+(?:into|through)"
        r"|conquer(?:ed|ing|s)?|(?<!the )(?<!-)occupied|occupying|overwhelm(?:ed|ing)"
        r"|wrest(?:ed|ing|s)?|regain(?:ed|ing|s)?(?!\s+(?:control|its|their|the\s+initiative))"
        r"|t(?:ook|aken|aking|ake|akes)(?:\s+(?:over|back))?|w(?:on|in|ins|inning)\s+back)\b"
        r"(?!\s+(?:prisoners?|captives?|hostages?|part|place|effect|note|aim|refuge|shelter|cover|action"
        r"|measures|steps|responsibility|office|power|time|days|hours|weeks|months|years|advantage"
        r"|heart|stock|root|shape|hold\s+of\s+(?:the\s+)?(?:situation|narrative)"
        # "took up arms", "took up fresh positions outside the town"; but units that
        # "took up positions inside a town" hold ground there
        r"|up\s+(?!(?:(?:a|new|defensive|forward)\s+)*positions?\s+(?:in|inside|on|at|across"
        r"|throughout)\b)))",
        "captur recaptur seiz overr liberat retook retak conquer took tak wrest "
        "swept sweep occupied occupying overwhelm won win rid clear expel oust drove driv "
        "forc push kick lost los secur gain assum declar establish regain restor extend "
        "impos grabb",
        "captured after 0.75 agent wide",
    ),
    _rule(
        r"(?:fall|capture|seizure|takeover|take-over|liberation|surrender|conquest|recapture"
        r"|storming)\s+of\b",
        "fall captur seizure takeover take-over liberation surrender conquest recaptur storming",
        "captured after 0.7 agent wide",
    ),
    _rule(
        r"loss\s+of\b",
        "loss",
        "captured after 0.65 loser wide",
    ),
    # signs of a new authority: state media's "restored security to X", "raised their flag over X"
    _rule(
        r"restor(?:e|ed|es|ing)\s+(?:security|order|stability|calm|state\s+authority|normalcy"
        r"|normality)\s+(?:to|in)\b|(?:rais(?:ed|es|e|ing)|hoist(?:ed|s|ing)?|plant(?:ed|s|ing)?)"
        r"\s+(?:[\w'’-]+\s+){0,3}?flags?\s+(?:over|above|atop|on)\b"
        r"|flags?\s+(?:(?:now|already|is|are)\s+)?fl(?:y|ies|ew|ying|own)\s+(?:over|above|atop)\b",
        "restor rais hoist plant flag",
        "captured after 0.65 agent wide",
    ),
    # "brought more than ten districts under their control"
    _rule(
        r"(?:br(?:ing|ings|inging|ought)|put(?:s|ting)?|plac(?:e|ed|es|ing))(?:\s+[\w'’-]+){0,6}?"
        r"\s+under\s+(?:their|its|his|full|complete|the|rebel|opposition)\s+(?:\w+\s+)?control\b",
        "bring brought put plac",
        "captured after 0.7 agent wide",
    ),
    # the actor as subject: "the Eighth Brigade has been in control of X since Friday"
    # (not "remains in control": nothing changed)
    _rule(
        r"(?:is|are|was|were|now|(?:has|have|had)\s+been)\s+(?:\w+ly\s+)?in\s+"
        r"(?:full\s+|complete\s+|firm\s+|effective\s+)?control\s+of\b",
        "is are was were now has have had",
        "captured after 0.65 agent wide",
    ),
    # a hold dated by its start: "the SDF has held X since Friday" (not "held talks in X")
    _rule(
        r"(?:has|have|had)\s+(?:(?:also|now|already|firmly|\w+ly)\s+)?held\b"
        r"(?=[^.;:!?]{1,60}?\bsince\b)",
        "has have had",
        "captured after 0.6 agent narrow",
    ),
    # forces that "have been in X since Sunday" went in then
    _rule(
        r"(?:has|have|had)\s+(?:(?:also|now|already|\w+ly)\s+)?been\s+(?:in|inside)\b"
        r"(?!\s+(?:control|charge|contact|talks|touch|power|office|place)\b"
        r"|\s+(?:[\w'’/-]+\s+){0,3}?(?:hands|control)\b)"
        r"(?=[^.;:!?]{1,60}?\bsince\b)",
        "has have had",
        "entered after 0.55 seen narrow",
    ),
    # the place as subject: "by noon both towns were clear of government troops"
    _rule(
        r"(?:was|were|is|are|(?:has|had|have)\s+been)\s+(?:(?:now|fully|completely|entirely"
        r"|totally|largely)\s+)?(?:clear|cleared|free|emptied|empty)\s+of\s+(?:the\s+)?"
        r"(?:[\w-]+\s+){0,2}?(?:troops|forces|soldiers|army|regime|government|militias"
        r"|garrison)\b",
        "was were is are has had have",
        "captured before 0.6 state narrow",
    ),
    # the place as subject: "X has been free since yesterday" (free of the army, that is)
    _rule(
        r"(?:has|have|had)\s+been\s+(?:(?:fully|completely|entirely|totally)\s+)?"
        r"(?:free|liberated)(?:\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:regime|army|government|forces|troops|militias))?(?=\s+since\b)",
        "has have had",
        "captured before 0.6 state narrow",
    ),
    # the place as subject: "X fell (to)", "X was captured", "X came under the control of"
    _rule(
        r"(?:(?:(?:has|had|have)\s+(?:(?:also|now|already|reportedly|likewise|\w+ly)\s+)?fallen"
        r"|fell|falls|falling)(?:\s+(?:to|into|under)\b)?|fallen\s+(?:to|into|under)\b)"
        r"(?:\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:hands|control)\b)?",
        "fell fallen falls falling has had have",
        "captured before 0.75 agent wide",
    ),
    _rule(
        r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|been)\s+"
        r"(?:(?:\w+ly|also|now|then|later|soon|since|both|all|themselves)\s+){0,2}"
        r"(?:captured|seized|taken(?:\s+over)?|overrun|liberated|recaptured|retaken"
        r"|conquered|occupied|won\s+back)\b"
        r"|(?:were|was|are|is)\s+among\s+(?:the\s+)?(?:\w+\s+){0,3}?"
        r"(?:captured|seized|taken|liberated|overrun|retaken)\b",
        "was were is are has had have being been",
        "captured before 0.75 agent wide",
    ),
    _rule(
        r"(?:came|comes|coming|come|fell|falls|passed)\s+(?:back\s+)?(?:under|into)\s+(?:the\s+)?"
        r"(?:full\s+|complete\s+)?(?:control|hands|grip)\b"
        # "X passed to the opposition on Saturday"
        r"|pass(?:ed|es)\s+(?:in)?to\s+(?=(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:opposition|rebels?"
        r"|insurgents|factions|fighters|forces|militants|coalition|army|regime|government|sdf"
        r"|sna|hts|control|hands)\b)"
        # "X changed hands on Friday" (not "changed hands several times": fighting)
        r"|chang(?:ed|es|ing)\s+hands\b(?!\s+(?:several|many|multiple|repeatedly|twice|back))",
        "came comes coming come fell falls passed changed changes changing",
        "captured before 0.75 agent wide",
    ),
    _rule(
        # "is now", "has reportedly been", "was entirely", "had been declared fully"
        r"(?:(?:is|are|was|were|now|has|have|had|been|declared|\w+ly)\s+)*?"
        r"(?:is|are|was|were|now|been|declared)\s+(?:\w+ly\s+)?"
        r"(?:under\s+(?:the\s+)?(?:full\s+|complete\s+)?(?:[\w-]+\s+){0,2}?control\b(?:\s+of)?"
        r"|in\s+(?:the\s+)?(?:\w+\s+){0,2}?hands|theirs|ours)\b",
        "is are was were now has have had",
        "captured before 0.6 state wide",
    ),
    # --- a list told as a sequence: "X fell on Friday, followed by Y and Z on Saturday"
    # reports the change before it again, with its own places and day
    _rule(r"followed\s+(?:[\w-]+\s+){0,3}?by\b", "followed", "same after 0.7 agent narrow"),
    # "Tartus followed on Monday": the places before it had the last report's fate, later
    _rule(
        r"followed(?:\s+suit)?(?=\s*(?:[,.;]|$)|\s+(?:on|in|at|late|early|soon|shortly|hours|days"
        r"|a\s+day|the\s+(?:next|same|following)|within|that|overnight|later|yesterday|today)\b)",
        "followed",
        "same before 0.65 agent narrow",
    ),
    # --- entered
    _rule(
        r"(?:enter(?:ed|ing|s)?|re-?enter(?:ed|ing|s)?|penetrat(?:e|ed|es|ing)"
        r"|(?:push(?:ed|es|ing)?|mov(?:e|ed|es|ing)|roll(?:ed|s|ing)?|pour(?:ed|s|ing)?"
        r"|walk(?:ed|s|ing)?"
        r"|march(?:ed|es|ing)?|dr(?:ove|ive|ives|iving|iven)|br(?:oke|oken|eak|eaks|eaking)"
        r"|burst(?:s|ing)?|stream(?:ed|s|ing)?|advanc(?:e|ed|es|ing)|swarm(?:ed|s|ing)?"
        r"|storm(?:ed|s|ing)?"
        r"|w(?:ent|ent\s+on|ould\s+go)|go(?:es|ing|ne)?|came|com(?:e|es|ing)|g(?:ot|et|ets|etting)"
        r"|head(?:ed|s|ing)?|crash(?:ed|ing)?|slipp(?:ed|ing)|infiltrat(?:e|ed|es|ing)"
        r"|cross(?:ed|es|ing)|rush(?:ed|es|ing)|surg(?:e|ed|es|ing)|fan(?:ned|ning)\s+out"
        r"|(?:made|make|makes|making|fought|fight|fighting|forc(?:e|ed|ing)|push(?:ed|ing)?"
        rf"|work(?:ed|ing))\s+(?:their|its|his|our)\s+way)\s+{_INTO}"
        r"|arriv(?:e|ed|es|ing)\s+in|reach(?:ed|es|ing)?\s+(?:the\s+)?(?:center|centre|heart"
        r"|downtown)\s+of)\b",
        "enter re-enter reenter penetrat push mov roll pour walk march drove driv broke break "
        "burst stream advanc swarm storm went would go came com got get head crash slipp "
        "infiltrat cross rush surg fan made mak fought fight forc work arriv reach",
        "entered after 0.75 agent wide",
    ),
    # "it had sent troops into the buffer zone": a force sent in (not reinforcements: those
    # go where their side already holds)
    _rule(
        r"(?:sent|send|sends|sending|dispatch(?:ed|es|ing)?|order(?:ed|s|ing)?|deploy(?:ed|s|ing)?)\s+"
        r"(?:(?:its|their|his|the|more|armou?red|ground|special)\s+){0,2}"
        rf"(?:troops|forces|soldiers|units|tanks|fighters|columns?|infantry)\s+{_INTO}",
        "sent send sends sending dispatch order deploy",
        "entered after 0.65 agent wide",
    ),
    # "had set up checkpoints at the entrances of X": a force standing in a place
    _rule(
        r"(?:set|sets|setting)\s+up\s+(?:(?:their|its|his|own|new|several|more)\s+)*"
        r"(?:checkpoints?|roadblocks?|positions)\s+(?:in|inside|at|across|throughout)\b",
        "set sets setting",
        "entered after 0.6 agent wide",
    ),
    # "stormed the prison", "stormed X": forced their way in; holding it is another report
    _rule(r"storm(?:ed|s|ing)?\b", "storm", "entered after 0.7 agent wide"),
    # "the militants infiltrated the towns of X and Y": in without a fight
    _rule(
        r"infiltrat(?:ed|es|e|ing)\b(?!\s+(?:into|in|inside)\b)",
        "infiltrat",
        "entered after 0.65 agent narrow",
    ),
    _rule(
        r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|been)\s+"
        r"(?:(?:\w+ly|also|then)\s+)?stormed\b",
        "was were is are has had have being been",
        "entered before 0.7 agent wide",
    ),
    _rule(
        rf"(?:entry|incursion|advance)\s+{_INTO}",
        "entry incursion advance",
        "entered after 0.7 agent wide",
    ),
    # forces seen in a town are in it: "SDF units were also reported on Friday in X"
    _rule(
        r"(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:(?:also|now|reportedly|first)\s+)?"
        r"(?:reported|seen|spotted|sighted|filmed|photographed|pictured)"
        r"(?:\s+(?:on|late|early|by)\s+\w+)?\s+(?:in|inside)\b",
        "were was have has had",
        "entered after 0.55 seen narrow",
    ),
    # "footage on Sunday showed fighters in the main square of X": pictures place them too
    _rule(
        r"(?:footage|videos?|images|pictures|photos|photographs)\s+"
        r"(?:(?!(?:that|which|supposedly|purportedly|allegedly)\b)[\w'’-]+\s+){0,5}?"
        r"(?:(?:showed|shows|show|showing|appeared\s+to\s+show)\s+|of\s+)(?:[\w'’-]+\s+){0,3}?"
        r"(?:fighters|rebels|troops|gunmen|soldiers|forces|militants|units|tanks)\s+(?:in|inside)\b",
        "footage video image picture photo",
        "entered after 0.55 seen narrow",
    ),
    # "SDF units have deployed in Deir ez-Zor city" (not "redeployed": that is a withdrawal)
    _rule(
        r"deploy(?:ed|s|ing)?\s+(?:in|into|inside)\b",
        "deploy deployed deploys deploying",
        "entered after 0.65 agent wide",
    ),
    # --- withdrawal
    _rule(
        r"(?:withdr(?:ew|awn|awing|aw|aws)|pull(?:ed|ing|s)?(?:\s+(?:its|their|his|the)\s+"
        r"(?:\w+\s+){0,2}?)?\s*(?:out|back)|retreat(?:ed|ing|s)?|f(?:ell|all|alling|alls)\s+back"
        r"|redeploy(?:ed|ing|s)?|reposition(?:ed|ing|s)?|relocat(?:e|ed|es|ing)|flee(?:s|ing)?"
        r"|fled|melt(?:ed|ing|s)?\s+away)\s+(?:of|from|outside|out\s+of|away\s+from)\b"
        r"|(?:(?:had|has|have)\s+been\s+|were\s+|was\s+)(?:redeployed|repositioned|withdrawn)"
        r"\s+(?:from|out\s+of)\b",
        "withdr pull retreat fell fall redeploy reposit relocat fle melt had has have were was",
        "withdrawal after 0.65 agent wide",
    ),
    # "withdrew its fighters and thousands of civilians from X": the force, then "from"
    _rule(
        r"withdr(?:ew|awn|awing|aw|aws)\s+(?:its|their|his|the|all|some)\s+(?:[\w'’-]+\s+)?"
        r"(?:forces|fighters|troops|units|men|soldiers|garrisons?)"
        r"(?:\s+(?:and|as\s+well\s+as)\s+(?:[\w'’-]+\s+){1,5}?)?\s*from\b",
        "withdr",
        "withdrawal after 0.65 agent wide",
    ),
    # an army's own word for leaving: "the command said it had repositioned its units in X"
    _rule(
        r"(?:redeploy|reposition)(?:ed|ing|s)?\s+(?:its|their|the|some\s+of\s+its)\s+"
        r"(?:\w+\s+)?(?:units|forces|troops|formations)\s+(?:in|around)\b",
        "redeploy reposition",
        "withdrawal after 0.55 agent narrow",
    ),
    # "no army unit remained anywhere in X": nobody of the army left there
    _rule(
        r"no\s+(?:(?:army|government|regime|syrian|state|military)\s+)?(?:units?|troops|soldiers?"
        r"|forces|personnel|presence)\s+(?:remained|remains|remain|was\s+left|were\s+left|stayed)"
        r"\s+(?:anywhere\s+)?(?:in|inside)\b",
        "no",
        "withdrawal after 0.6 agent narrow",
    ),
    _rule(
        r"(?:withdrawal|pullout|pull-out|retreat|evacuation|departure|exit)\s+(?:of\s+(?:\w+\s+){1,3}?)?"
        r"(?:from|of)\b",
        "withdrawal pullout pull-out retreat evacuation departure exit",
        "withdrawal after 0.6 agent wide",
    ),
    # handing a place over: who receives it, if named ("handed X over to Y"), moves in
    _rule(
        r"(?:relinquish(?:ed|es|ing)?|ced(?:e|ed|es|ing)|surrender(?:ed|ing|s)?|g(?:ave|ive|iving)"
        r"\s+up|hand(?:ed|ing)(?:\s+over)?|hands?\s+over|abandon(?:ed|ing|s)?(?=[^.;:!?]{1,60}?\bto\s))\b",
        "relinquish ced surrender gave giv hand abandon",
        "withdrawal after 0.6 giver narrow",
    ),
    _rule(
        r"(?:abandon(?:ed|ing|s)?|evacuat(?:e|ed|es|ing)|vacat(?:e|ed|es|ing)|quit(?:s|ting)?"
        r"|flee(?:s|ing)?|fled|le(?:ft|aving|ave|aves))\b",
        "abandon evacuat vacat quit flee fled left leav",
        "withdrawal after 0.6 agent narrow",
    ),
    _rule(
        r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|been|being)\s+(?:\w+ly\s+)?"
        r"(?:evacuated|abandoned|vacated|handed\s+over|surrendered|ceded|relinquished"
        # "units stationed in X had been redeployed": the army's word for leaving it ("had
        # been redeployed from X" is the next rule's)
        r"|(?:redeployed|repositioned|withdrawn|pulled\s+(?:out|back))(?!\s+(?:from|out\s+of)\b))\b",
        "was were is are has had have been being",
        "withdrawal before 0.6 agent wide",
    ),
    # "crossed the disengagement line into the buffer zone": over a line, into a place
    _rule(
        r"cross(?:ed|es|ing)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?(?:line|border|frontier|river"
        rf"|bridge|fence|berm|ceasefire\s+line)\s+{_INTO}",
        "cross",
        "entered after 0.6 agent narrow",
    ),
    # "Deir ez-Zor city - SDF moved in Friday": a bare entry names its place in the label
    _rule(
        r"(?:mov(?:ed|es|ing)|went|roll(?:ed|s|ing)|march(?:ed|es|ing)|pour(?:ed|s|ing)"
        r"|walk(?:ed|s|ing)|drove|stream(?:ed|s|ing))\s+in\b"
        r"(?!-|\s+(?:to|with|for|at)\b"
        r"|\s+on\s+(?!(?:the\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b))",
        "mov went roll march pour walk drove stream",
        "entered label 0.55 agent narrow",
    ),
    # a tracker's status line, "Hama city - opposition (HTS-led) since Thursday": the side
    # named after the label has held it since then
    _rule(r"since\b", "since", "captured status 0.55 seen narrow"),
    # a garrison gone: "the barracks in X stood open", "checkpoints in X were deserted"
    _rule(
        r"(?:stood|lay|were|was|are|is|(?:had|have|has)\s+been)\s+(?:\w+ly\s+)?"
        r"(?:open|empty|deserted|abandoned|unmanned)\b(?!\s+(?:to|for|on)\b)",
        "stood lay were was are is had have has",
        "withdrawal before 0.55 agent narrow",
    ),
    # "Palmyra: SAA pulled out overnight": a bare withdrawal names its place in a line's label
    _rule(
        r"(?:withdr(?:ew|awn|aws)|pull(?:ed|s)\s+out|retreat(?:ed|s))\b"
        r"(?!\s+(?:from|of|to|towards|into|outside|away|behind|beyond))",
        "withdr pull retreat",
        "withdrawal label 0.6 agent narrow",
    ),
    # driven back from the edge: the attacker withdraws, the holder stays
    _rule(
        r"(?:(?:dr(?:ove|ive|ives|iving|iven)|push(?:ed|es|ing)?|forc(?:e|ed|es|ing)|beat(?:en)?"
        rf"|repel(?:led|s|ling)?|throw(?:n)?|threw){_OBJ}back)\s+(?:from|of)\b",
        "drove driv push forc beat repel throw threw",
        "withdrawal after 0.6 agent wide",
    ),
    # --- contested: the fighting for a place, its approach and its edges
    _rule(
        r"(?:bearing|bear|bore)\s+down\s+on|clos(?:e|es|ed|ing)\s+in\s+on"
        r"|(?:advanc(?:e|es|ed|ing)|push(?:es|ed|ing)?|march(?:es|ed|ing)?|mov(?:e|es|ed|ing)"
        r"|press(?:es|ed|ing)?|head(?:s|ed|ing)?|driv(?:e|es|ing)|drove|rall(?:y|ies|ied|ying)"
        r"|converg(?:e|es|ed|ing))(?:\s+(?:on|fast|rapidly|quickly|further|deeper))*"
        # "closing in on X", but "moved in on Thursday" is an entry told with its day
        r"\s+(?:on|towards?|in\s+on(?!\s+(?:the\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)"
        r"|to\s+within)\b"
        r"|(?:besieg(?:e|ed|es|ing)|encircl(?:e|ed|es|ing)|(?<!the )surround(?:ed|ing|s)?"
        r"|approach(?:ed|es|ing)?"
        # ("an attack on X" is the noun, read by the next rule)
        r"|reach(?:ed|es|ing)?|(?:attack|assault)(?:ed|ing|s)?(?!\s+(?:on|against)\b)|struck)\b"
        r"(?:\s+to\b)?"
        r"|(?:(?:got|get|came|come|reached|advanced|pushed|moved)\s+(?:to\s+)?)?within\s+"
        r"(?:striking\s+distance|reach|range|sight|\d+\s*(?:km|kilomet(?:er|re)s?|miles)"
        r"(?:\s*\([^)]{0,20}\))?)\s+of\b"
        r"|(?:siege|encirclement)\s+of\b",
        "bear bore clos advanc push march mov press head driv drove rall converg besieg "
        "encircl surround approach reach attack assault struck got get came come pushed "
        "moved within siege encirclement",
        "contested after 0.55 agent narrow",
    ),
    _rule(
        r"(?:assault|offensive|attack|push|advance|onslaught|thrust|operation|drive|incursion)s?"
        r"\s+(?:(?:was|were|is|are|has\s+been)\s+)?(?:(?:launched|mounted|opened|began|started)\s+)?"
        r"(?:on|against|towards?|aimed\s+at|targeting|in|for)\b"
        # "opened a new front against X"
        r"|(?:open(?:ed|s|ing)?)\s+(?:a\s+)?(?:new\s+|second\s+|third\s+)?front\s+against\b",
        "assault offensive attack push advance onslaught thrust operation drive incursion open",
        "contested after 0.5 agent wide",
    ),
    _rule(
        r"(?:fighting|clashes|clash|battles?|combat|skirmishes|firefights?|gunfights?|gun\s+battles?"
        r"|confrontations|hostilities)"
        # "clashes between the SNA and the SDF continue near X": the sides, then the verb
        r"(?:\s+between(?:\s+[\w'’/-]+){1,6}?(?=\s+(?:" + _FIGHT_GOES_ON + r")))?"
        r"(?:\s+(?:" + _FIGHT_GOES_ON + r"|(?:were|was|(?:have|has)\s+been)\s+(?:still\s+|also\s+)?"
        r"reported(?:\s+(?:on|late|early)\s+\w+)?))?"
        r"\s+(?:in|for|around|near|over|on|at|inside|across|along|with|between|against|close\s+to"
        r"|on\s+the\s+outskirts\s+of|in\s+the\s+vicinity\s+of)\b",
        "fighting clash battle combat skirmishes firefight gunfight gun confrontations hostilit",
        "contested after 0.55 agent wide",
    ),
    # a town changing sides: "Rastan and Talbiseh went over on Friday morning"
    _rule(
        r"(?:went|gone|goes|go)\s+over\b(?!\s+(?:the|a|an|his|her|their|its|this|that|it)\b)",
        "went gone goes go",
        "captured before 0.55 agent narrow",
    ),
    # the place as subject: "X itself is being fought over", "X remains contested"
    _rule(
        r"(?:is|are|was|were)\s+(?:still\s+|now\s+)?being\s+(?:fought|battled)\s+(?:over|for)\b"
        r"|(?:is|are|was|were|remains?|remained)\s+(?:still\s+|now\s+|hotly\s+|fiercely\s+)?"
        r"contested\b",
        "is are was were remain remains remained",
        "contested before 0.55 agent narrow",
    ),
    _rule(
        r"(?:fight(?:s|ing)?|fought|battl(?:e|ed|es|ing)|clash(?:ed|es|ing)?)\b",
        "fight fought battl clash",
        "contested after 0.5 agent wide",
    ),
    _rule(
        r"(?:outskirts|edges?|gates|walls|doorstep|city\s+limits|vicinity|periphery|environs"
        r"|perimeter)\s+of\b|approaches\s+(?:of|to)\b",
        "outskirts edge gates walls doorstep city vicinity periphery environs approaches perimeter",
        "contested after 0.55 agent wide",
    ),
)
