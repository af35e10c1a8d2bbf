"""The lexicon of :mod:`geo.triggers`: each rule a pattern, its head words, its kind, the
form that says where its place stands and the role of its subject. Written once for all
outlets, on ASCII-lowered text; at one position the first rule that matches wins, so the
specific stand before the general ("took control of" before "took").
"""

from __future__ import annotations

from .fightwords import LEAVING_AND_FIGHTING
from .triggerrule import INTO, KINDS, OBJ, SAME, STRENGTH, Rule, rule

__all__ = ["KINDS", "RULES", "SAME", "STRENGTH", "Rule"]

RULES: tuple[Rule, ...] = (
    rule(
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
    rule(
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
    rule(
        r"(?:(?:is|are|was|were|now)\s+)+in\s+(?:full\s+|complete\s+|total\s+)?"
        r"(?:control|charge|command)\s+of\b"
        r"|now\s+(?:hold|holds|holding|control|controls|controlling|run|runs|occupies|occupy)\b",
        "is are was were now",
        "captured after 0.6 state wide",
    ),
    rule(
        r"(?:(?:is|are|was|were|now)\s+)+inside\b",
        "is are was were now",
        "entered after 0.6 state wide",
    ),
    # a digest's "HTS fighters inside Aleppo city": a force the clause names, in a town
    rule(
        r"(?:units?|fighters|forces|troops|columns?|militants|gunmen|detachments?)"
        r"\s+(?:(?:now|already|reportedly|deep)\s+)?inside\b",
        "unit units fighters forces troops column columns militants gunmen detachment",
        "entered after 0.55 seen narrow",
    ),
    # "the militants control the whole city": the place is the description that follows
    rule(
        r"(?:control|controls|controlled|controlling|hold|holds|held|holding)"
        r"(?=\s+(?:all\s+of\s+)?the\s+(?:whole|entire)\s+(?:city|town|village|province)\b)",
        "control controls controlled controlling hold holds held holding",
        "captured after 0.6 state narrow",
    ),
    # "they held all of Homs", "controls most of Deir ez-Zor province"
    rule(
        r"(?:held|hold|holds|holding)\s+(?:all|most|much|nearly\s+all|almost\s+all|the\s+whole"
        r"|the\s+entirety|large\s+parts|swathes)\s+of\b",
        "held hold holds holding",
        "captured after 0.6 state wide",
    ),
    rule(
        r"(?<!-)(?<!been )(?<!that )(?<!which )(?<!who )(?<!still )(?<!already )"
        r"controlled(?!\s+by)\b",
        "controlled",
        "captured after 0.55 state wide",
    ),
    # the place's side lost it: "regime forces were expelled from", "lost control of"
    rule(
        r"(?:(?:were|was|are|is|been|being|got|get|gets)\s+)(?:\w+ly\s+)?"
        r"(?:expelled|ousted|ejected|evicted|routed|purged|cleared|kicked|driven|forced|pushed"
        r"|chased|thrown|flushed)(?:\s+out)?\s+(?:of|from)\b",
        "were was are is been being got get",
        "captured after 0.75 loser wide",
    ),
    rule(
        r"(?:los(?:t|e|es|ing))\s+(?:(?:full|all|total|complete|effective|their|its|his|the)\s+){0,2}"
        r"(?:control|hold|grip)\s+(?:of|over|on)\b",
        "lost los",
        "captured after 0.75 loser wide",
    ),
    rule(
        r"los(?:t|e|es|ing)\b",
        "lost los",
        "captured after 0.55 loser narrow",
    ),
    # active: "drove regime forces out of", "expelled government troops from", "rid X of"
    rule(
        rf"(?:expel(?:s|led|ling)?|oust(?:s|ed|ing)?|evict(?:s|ed|ing)?){OBJ}(?:from|out\s+of)\b"
        # "forced troops out of", not the nouns: "government forces pulled out of X"
        r"|(?:drove|driv(?:e|es|en|ing)|forc(?:ed|ing)|push(?:ed|es|ing)?|kick(?:ed|s|ing)?"
        rf"|chas(?:e|ed|ing)|flush(?:ed|ing)?){OBJ}out\s+(?:of|from)\b",
        "expel oust evict drove driv forc push kick chas flush",
        "captured after 0.75 agent wide",
    ),
    rule(
        r"(?:rid|clear(?:ed|ing|s)?)\b",
        "rid clear",
        "captured after 0.6 agent narrow",
    ),
    rule(
        r"(?:(?:declared|announced|proclaimed|said\s+to\s+be)\s+)?(?:fully\s+)?"
        r"(?:liberated|free\s+of|freed)(?:\s*[\"“”'])?\s+(?:from|of)\b"
        r"(?!\s+(?:the\s+)?(?:inside|within))",
        "declared announced proclaimed said fully liberated free freed",
        "captured before 0.7 agent narrow",
    ),
    # a digest's telegraphic passive: "Al-Zarbah taken, HTS now astride the M5", "X and Y
    # captured overnight"; the participle straight after its place, then a stop or a time
    rule(
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
    rule(
        r"(?:(?:now|still|firmly|fully)\s+)?(?:held|controlled)(?=\s+by\s)",
        "now still firmly fully held controlled",
        "captured telegraph 0.55 agent narrow",
    ),
    # "Rastan under control of the opposition", "Talbiseh under control.": a digest's
    # holder line, the name straight before (not "brought the fire under control")
    rule(
        r"(?:now\s+|still\s+)?under\s+(?:the\s+)?(?:full\s+|complete\s+|total\s+)?"
        r"(?:[\w/-]+\s+){0,2}?control\b",
        "now still under",
        "captured telegraph 0.55 state narrow",
    ),
    # "Saraqib had gone on Friday", "then Hama went on Thursday", "once Homs went, ...": a
    # town that went fell (its name straight before, opening the clause)
    rule(
        r"(?:(?:had|has|have)\s+)?(?:gone|went)(?=\s*(?:[,.;:!)]|$)|\s+(?:(?:on|by|late|early)\s+"
        r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|the\s+\d|\d)|overnight|yesterday|too"
        r"|as\s+well|next|first|within|last\s+night|this\s+(?:morning|afternoon|evening)"
        r"|in\s+(?:the\s+)?(?:morning|afternoon|evening|night)"
        r"|without\s+(?:a\s+)?(?:fight|shot|resistance))\b)",
        "had has have gone went",
        "captured telegraph 0.55 agent narrow",
    ),
    # "Base 46 fully in HTS hands", "X confirmed HTS-held", "X now firmly SDF-controlled"
    rule(
        r"(?:fully|entirely|completely|firmly|totally)\s+(?:under\s+(?:the\s+)?(?:[\w/-]+\s+){0,2}?"
        r"control|in\s+(?:the\s+)?(?:[\w/-]+\s+){0,2}?hands)\b"
        r"|(?:confirmed|fully|firmly|still|remains?|remained)\s+(?:(?:fully|firmly|entirely)\s+)?"
        r"[a-z]+(?:/[a-z]+)?-(?:held|controlled)\b",
        "fully entirely completely firmly totally confirmed still remain remains remained",
        "captured telegraph 0.6 state narrow",
    ),
    # the common verbs of capture
    rule(
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
    # "the factions had secured al-Sanamayn": a direct object, not a deal, a release, a border
    rule(
        r"secur(?:e|es|ed|ing)\b(?!\s+(?:(?:the|a|an|its|their)\s+)?(?:release|deal|agreement"
        r"|support|funding|passage|corridor|route|border|frontier|safe|exit|votes?)\b"
        r"|\s+(?:in|by|during|under|since)\b)",  # "the areas secured in the operation"
        "secur",
        "captured after 0.6 agent narrow",
    ),
    rule(
        r"(?:fall|capture|seizure|takeover|take-over|liberation|surrender|conquest|recapture"
        r"|storming)\s+of\b",
        "fall captur seizure takeover take-over liberation surrender conquest recaptur storming",
        "captured after 0.7 agent wide",
    ),
    rule(
        r"loss\s+of\b",
        "loss",
        "captured after 0.65 loser wide",
    ),
    # signs of a new authority: state media's "restored security to X", "raised their flag over X"
    rule(
        r"restor(?:e|ed|es|ing)\s+(?:security|order|stability|calm|state\s+authority|normalcy"
        r"|normality)\s+(?:to|in)\b|(?:rais(?:ed|es|e|ing)|hoist(?:ed|s|ing)?|plant(?:ed|s|ing)?)"
        r"\s+(?:[\w'’-]+\s+){0,3}?flags?\s+(?:over|above|atop|on)\b"
        r"|flags?\s+(?:(?:now|already|is|are)\s+)?fl(?:y|ies|ew|ying|own)\s+(?:over|above|atop)\b",
        "restor rais hoist plant flag",
        "captured after 0.65 agent wide",
    ),
    # "brought more than ten districts under their control"
    rule(
        r"(?:br(?:ing|ings|inging|ought)|put(?:s|ting)?|plac(?:e|ed|es|ing))(?:\s+[\w'’-]+){0,6}?"
        r"\s+under\s+(?:their|its|his|full|complete|the|rebel|opposition)\s+(?:\w+\s+)?control\b",
        "bring brought put plac",
        "captured after 0.7 agent wide",
    ),
    # the actor as subject: "the Eighth Brigade has been in control of X since Friday"
    # (not "remains in control": nothing changed)
    rule(
        r"(?:is|are|was|were|now|(?:has|have|had)\s+been)\s+(?:\w+ly\s+)?in\s+"
        r"(?:full\s+|complete\s+|firm\s+|effective\s+)?control\s+of\b",
        "is are was were now has have had",
        "captured after 0.65 agent wide",
    ),
    # a hold dated by its start: "the SDF has held X since Friday" (not "held talks in X")
    rule(
        r"(?:has|have|had)\s+(?:(?:also|now|already|firmly|\w+ly)\s+)?held\b"
        r"(?=[^.;:!?]{1,60}?\bsince\b)",
        "has have had",
        "captured after 0.6 agent narrow",
    ),
    # forces that "have been in X since Sunday" went in then
    rule(
        r"(?:has|have|had)\s+(?:(?:also|now|already|\w+ly)\s+)?been\s+(?:in|inside)\b"
        r"(?!\s+(?:control|charge|contact|talks|touch|power|office|place)\b"
        r"|\s+(?:[\w'’/-]+\s+){0,3}?(?:hands|control)\b)"
        r"(?=[^.;:!?]{1,60}?\bsince\b)",
        "has have had",
        "entered after 0.55 seen narrow",
    ),
    # the place as subject: "by noon both towns were clear of government troops"
    rule(
        r"(?:was|were|is|are|(?:has|had|have)\s+been)\s+(?:(?:now|fully|completely|entirely"
        r"|totally|largely)\s+)?(?:clear|cleared|free|emptied|empty)\s+of\s+(?:the\s+)?"
        r"(?:[\w-]+\s+){0,2}?(?:troops|forces|soldiers|army|regime|government|militias"
        r"|garrison)\b",
        "was were is are has had have",
        "captured before 0.6 state narrow",
    ),
    # the place as subject: "X has been free since yesterday" (free of the army, that is)
    rule(
        r"(?:has|have|had)\s+been\s+(?:(?:fully|completely|entirely|totally)\s+)?"
        r"(?:free|liberated)(?:\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:regime|army|government|forces|troops|militias))?(?=\s+since\b)",
        "has have had",
        "captured before 0.6 state narrow",
    ),
    # the place as subject: "X fell (to)", "X was captured", "X came under the control of"
    rule(
        r"(?:(?:(?:has|had|have)\s+(?:(?:also|now|already|reportedly|likewise|\w+ly)\s+)?fallen"
        r"|fell|falls|falling)(?:\s+(?:to|into|under)\b)?|f(?:allen|all)\s+(?:to|into|under)\b)"
        r"(?:\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:hands|control)\b)?",
        "fell fall has had have",
        "captured before 0.75 agent wide",
    ),
    rule(
        r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|been)\s+"
        r"(?:(?:\w+ly|also|now|then|later|soon|since|both|all|themselves)\s+){0,2}"
        r"(?:captured|seized|taken(?:\s+over)?|overrun|liberated|recaptured|retaken"
        r"|conquered|occupied|won\s+back)\b"
        r"|(?:were|was|are|is)\s+among\s+(?:the\s+)?(?:\w+\s+){0,3}?"
        r"(?:captured|seized|taken|liberated|overrun|retaken)\b",
        "was were is are has had have being been",
        "captured before 0.75 agent wide",
    ),
    rule(
        r"(?:came|comes|coming|come|fell|falls|passed)\s+(?:back\s+)?(?:under|into)\s+(?:the\s+)?"
        r"(?:[\w'’-]+\s+){0,2}?(?:control|hands|grip)\b"
        # "X passed to the opposition on Saturday"
        r"|pass(?:ed|es)\s+(?:in)?to\s+(?=(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:opposition|rebels?"
        r"|insurgents|factions|fighters|forces|militants|coalition|army|regime|government|sdf"
        r"|sna|hts|control|hands)\b)"
        # "X changed hands on Friday" (not "changed hands several times": fighting)
        r"|chang(?:ed|es|ing)\s+hands\b(?!\s+(?:several|many|multiple|repeatedly|twice|back))",
        "came comes coming come fell falls passed changed changes changing",
        "captured before 0.75 agent wide",
    ),
    rule(
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
    rule(r"followed\s+(?:[\w-]+\s+){0,3}?by\b", "followed", "same after 0.7 agent narrow"),
    # "Tartus followed on Monday": the places before it had the last report's fate, later
    rule(
        r"followed(?:\s+suit)?(?=\s*(?:[,.;]|$)|\s+(?:on|in|at|late|early|soon|shortly|hours|days"
        r"|a\s+day|the\s+(?:next|same|following)|within|that|overnight|later|yesterday|today)\b)",
        "followed",
        "same before 0.65 agent narrow",
    ),
    # --- entered
    # "broke open the central prison and freed the detainees": in, by force
    rule(
        r"br(?:oke|eak|eaks|eaking|oken)\s+open\b", "broke break", "entered after 0.6 agent narrow"
    ),
    rule(
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
        rf"|work(?:ed|ing))\s+(?:their|its|his|our)\s+way)\s+(?:(?:deep|deeper|further)\s+)?{INTO}"
        r"|arriv(?:e|ed|es|ing)\s+in|reach(?:ed|es|ing)?\s+(?:the\s+)?(?:center|centre|heart"
        r"|downtown)\s+of)\b",
        "enter re-enter reenter penetrat push mov roll pour walk march drove driv broke break "
        "burst stream advanc swarm storm went would go came com got get head crash slipp "
        "infiltrat cross rush surg fan made mak fought fight forc work arriv reach",
        "entered after 0.75 agent wide",
    ),
    # "it had sent troops into the buffer zone": a force sent in (not reinforcements: those
    # go where their side already holds)
    rule(
        r"(?:sent|send|sends|sending|dispatch(?:ed|es|ing)?|order(?:ed|s|ing)?|deploy(?:ed|s|ing)?)\s+"
        r"(?:(?:its|their|his|the|more|armou?red|ground|special)\s+){0,2}"
        rf"(?:troops|forces|soldiers|units|tanks|fighters|columns?|infantry)\s+{INTO}",
        "sent send sends sending dispatch order deploy",
        "entered after 0.65 agent wide",
    ),
    # "had set up checkpoints at the entrances of X": a force standing in a place
    rule(
        r"(?:set|sets|setting)\s+up\s+(?:(?:their|its|his|own|new|several|more)\s+)*"
        r"(?:checkpoints?|roadblocks?|positions)\s+(?:in|inside|at|across|throughout)\b",
        "set sets setting",
        "entered after 0.6 agent wide",
    ),
    # "stormed the prison", "stormed X": forced their way in; holding it is another report
    rule(r"storm(?:ed|s|ing)?\b", "storm", "entered after 0.7 agent wide"),
    # "the militants infiltrated the towns of X and Y": in without a fight
    rule(
        r"infiltrat(?:ed|es|e|ing)\b(?!\s+(?:into|in|inside)\b)",
        "infiltrat",
        "entered after 0.65 agent narrow",
    ),
    rule(
        r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|been)\s+"
        r"(?:(?:\w+ly|also|then)\s+)?stormed\b",
        "was were is are has had have being been",
        "entered before 0.7 agent wide",
    ),
    rule(
        rf"(?:entry|incursion|advance)\s+{INTO}",
        "entry incursion advance",
        "entered after 0.7 agent wide",
    ),
    # forces seen in a town are in it: "SDF units were also reported on Friday in X"
    rule(
        r"(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:(?:also|now|reportedly|first)\s+)?"
        r"(?:reported|seen|spotted|sighted|filmed|photographed|pictured)"
        r"(?:\s+(?:on|late|early|by)\s+\w+)?\s+(?:in|inside)\b",
        "were was have has had",
        "entered after 0.55 seen narrow",
    ),
    # "footage on Sunday showed fighters in the main square of X": pictures place them too
    rule(
        r"(?:footage|videos?|images|pictures|photos|photographs)\s+"
        r"(?:(?!(?:that|which|supposedly|purportedly|allegedly)\b)[\w'’-]+\s+){0,5}?"
        r"(?:(?:showed|shows|show|showing|appeared\s+to\s+show)\s+|of\s+)(?:[\w'’-]+\s+){0,3}?"
        r"(?:fighters|rebels|troops|gunmen|soldiers|forces|militants|units|tanks)\s+(?:in|inside)\b",
        "footage video image picture photo",
        "entered after 0.55 seen narrow",
    ),
    # "SDF units have deployed in Deir ez-Zor city" (not "redeployed": that is a withdrawal)
    rule(
        r"deploy(?:ed|s|ing)?\s+(?:in|into|inside)\b",
        "deploy deployed deploys deploying",
        "entered after 0.65 agent wide",
    ),
    *LEAVING_AND_FIGHTING,
)
