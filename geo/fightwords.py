"""Trigger rules for leaving a place and fighting for it (withdrawals, contested), the
second half of the lexicon :mod:`geo.triggerwords` assembles: after the gains, so that at
one position a capture or an entry phrase is tried first."""

from __future__ import annotations

from .triggerrule import FIGHT_GOES_ON, INTO, OBJ, Rule, rule

__all__ = ["LEAVING_AND_FIGHTING"]

LEAVING_AND_FIGHTING: tuple[Rule, ...] = (
    # --- withdrawal
    rule(
        r"(?:withdr(?:ew|awn|awing|aw|aws)|pull(?:ed|ing|s)?(?:\s+(?:its|their|his|the)\s+"
        r"(?:\w+\s+){0,2}?)?\s*(?:out|back)|retreat(?:ed|ing|s)?|f(?:ell|all|alling|alls)\s+back"
        r"|redeploy(?:ed|ing|s)?|reposition(?:ed|ing|s)?|relocat(?:e|ed|es|ing)|flee(?:s|ing)?"
        r"|fled|melt(?:ed|ing|s)?\s+away|regroup(?:ed|ing|s)?)"
        r"\s+(?:of|from|outside|out\s+of|away\s+from)\b"
        r"|(?:(?:had|has|have)\s+been\s+|were\s+|was\s+)(?:redeployed|repositioned|withdrawn)"
        r"\s+(?:from|out\s+of)\b",
        "withdr pull retreat fell fall redeploy reposit relocat fle melt regroup "
        "had has have were was",
        "withdrawal after 0.65 agent wide",
    ),
    # "withdrew its fighters and thousands of civilians from X": the force, then "from"
    rule(
        r"withdr(?:ew|awn|awing|aw|aws)\s+(?:its|their|his|the|all|some)\s+(?:[\w'’-]+\s+)?"
        r"(?:forces|fighters|troops|units|men|soldiers|garrisons?)"
        r"(?:\s+(?:and|as\s+well\s+as)\s+(?:[\w'’-]+\s+){1,5}?)?\s*from\b",
        "withdr",
        "withdrawal after 0.65 agent wide",
    ),
    # an army's own word for leaving: "the command said it had repositioned its units in X"
    rule(
        r"(?:redeploy|reposition)(?:ed|ing|s)?\s+(?:its|their|the|some\s+of\s+its)\s+"
        r"(?:\w+\s+)?(?:units|forces|troops|formations)\s+(?:in|around)\b",
        "redeploy reposition",
        "withdrawal after 0.55 agent narrow",
    ),
    # "no army unit remained anywhere in X": nobody of the army left there
    rule(
        r"no\s+(?:(?:army|government|regime|syrian|state|military)\s+)?(?:units?|troops|soldiers?"
        r"|forces|personnel|presence)\s+(?:remained|remains|remain|was\s+left|were\s+left|stayed)"
        r"\s+(?:anywhere\s+)?(?:in|inside)\b",
        "no",
        "withdrawal after 0.6 agent narrow",
    ),
    rule(
        r"(?:withdrawal|pullout|pull-out|retreat|evacuation|departure|exit)\s+(?:of\s+(?:\w+\s+){1,3}?)?"
        r"(?:from|of)\b",
        "withdrawal pullout pull-out retreat evacuation departure exit",
        "withdrawal after 0.6 agent wide",
    ),
    # handing a place over: who receives it, if named ("handed X over to Y"), moves in
    rule(
        r"(?:relinquish(?:ed|es|ing)?|ced(?:e|ed|es|ing)|surrender(?:ed|ing|s)?|g(?:ave|ive|iving)"
        r"\s+up|hand(?:ed|ing)(?:\s+over)?|hands?\s+over|abandon(?:ed|ing|s)?(?=[^.;:!?]{1,60}?\bto\s))\b",
        "relinquish ced surrender gave giv hand abandon",
        "withdrawal after 0.6 giver narrow",
    ),
    rule(
        r"(?:abandon(?:ed|ing|s)?|evacuat(?:e|ed|es|ing)|vacat(?:e|ed|es|ing)|quit(?:s|ting)?"
        r"|flee(?:s|ing)?|fled|le(?:ft|aving|ave|aves))\b",
        "abandon evacuat vacat quit flee fled left leav",
        "withdrawal after 0.6 agent narrow",
    ),
    rule(
        r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been|been|being)\s+(?:\w+ly\s+)?"
        r"(?:evacuated|abandoned|vacated|handed\s+over|surrendered|ceded|relinquished"
        # "units stationed in X had been redeployed": the army's word for leaving it ("had
        # been redeployed from X" is the next rule's)
        r"|(?:redeployed|repositioned|withdrawn|pulled\s+(?:out|back))(?!\s+(?:from|out\s+of)\b))\b",
        "was were is are has had have been being",
        "withdrawal before 0.6 agent wide",
    ),
    # "crossed the disengagement line into the buffer zone": over a line, into a place
    rule(
        r"cross(?:ed|es|ing)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?(?:line|border|frontier|river"
        rf"|bridge|fence|berm|ceasefire\s+line)\s+{INTO}",
        "cross",
        "entered after 0.6 agent narrow",
    ),
    # "Deir ez-Zor city - SDF moved in Friday": a bare entry names its place in the label
    rule(
        r"(?:mov(?:ed|es|ing)|went|roll(?:ed|s|ing)|march(?:ed|es|ing)|pour(?:ed|s|ing)"
        r"|walk(?:ed|s|ing)|drove|stream(?:ed|s|ing))\s+in\b"
        r"(?!-|\s+(?:to|with|for|at)\b"
        r"|\s+on\s+(?!(?:the\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b))",
        "mov went roll march pour walk drove stream",
        "entered label 0.55 agent narrow",
    ),
    # a tracker's status line, "Hama city - opposition (HTS-led) since Thursday": the side
    # named after the label has held it since then
    rule(r"since\b", "since", "captured status 0.55 seen narrow"),
    # a garrison gone: "the barracks in X stood open", "checkpoints in X were deserted"
    rule(
        r"(?:stood|lay|were|was|are|is|(?:had|have|has)\s+been)\s+(?:\w+ly\s+)?"
        r"(?:open|empty|deserted|abandoned|unmanned)\b(?!\s+(?:to|for|on)\b)",
        "stood lay were was are is had have has",
        "withdrawal before 0.55 agent narrow",
    ),
    # "Palmyra: SAA pulled out overnight": a bare withdrawal names its place in a line's label
    rule(
        r"(?:withdr(?:ew|awn|aws)|pull(?:ed|s)\s+out|retreat(?:ed|s))\b"
        r"(?!\s+(?:from|of|to|towards|into|outside|away|behind|beyond))",
        "withdr pull retreat",
        "withdrawal label 0.6 agent narrow",
    ),
    # driven back from the edge: the attacker withdraws, the holder stays
    rule(
        r"(?:(?:dr(?:ove|ive|ives|iving|iven)|push(?:ed|es|ing)?|forc(?:e|ed|es|ing)|beat(?:en)?"
        rf"|repel(?:led|s|ling)?|throw(?:n)?|threw){OBJ}back)\s+(?:from|of)\b",
        "drove driv push forc beat repel throw threw",
        "withdrawal after 0.6 agent wide",
    ),
    # --- contested: the fighting for a place, its approach and its edges
    rule(
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
    rule(
        r"(?:assault|offensive|attack|push|advance|onslaught|thrust|operation|drive|incursion)s?"
        r"\s+(?:(?:was|were|is|are|has\s+been)\s+)?(?:(?:launched|mounted|opened|began|started)\s+)?"
        r"(?:on|against|towards?|aimed\s+at|targeting|in|for)\b"
        # "opened a new front against X"
        r"|(?:open(?:ed|s|ing)?)\s+(?:a\s+)?(?:new\s+|second\s+|third\s+)?front\s+against\b",
        "assault offensive attack push advance onslaught thrust operation drive incursion open",
        "contested after 0.5 agent wide",
    ),
    rule(
        r"(?:fighting|clashes|clash|battles?|combat|skirmishes|firefights?|gunfights?|gun\s+battles?"
        r"|confrontations|hostilities)"
        # "clashes between the SNA and the SDF continue near X": the sides, then the verb
        r"(?:\s+between(?:\s+[\w'’/-]+){1,6}?(?=\s+(?:" + FIGHT_GOES_ON + r")))?"
        r"(?:\s+(?:" + FIGHT_GOES_ON + r"|(?:were|was|(?:have|has)\s+been)\s+(?:still\s+|also\s+)?"
        r"reported(?:\s+(?:on|late|early)\s+\w+)?))?"
        r"\s+(?:in|for|around|near|over|on|at|inside|across|along|with|between|against|close\s+to"
        r"|on\s+the\s+outskirts\s+of|in\s+the\s+vicinity\s+of)\b",
        "fighting clash battle combat skirmishes firefight gunfight gun confrontations hostilit",
        "contested after 0.55 agent wide",
    ),
    # a town changing sides: "Rastan and Talbiseh went over on Friday morning"
    rule(
        r"(?:went|gone|goes|go)\s+over\b(?!\s+(?:the|a|an|his|her|their|its|this|that|it)\b)",
        "went gone goes go",
        "captured before 0.55 agent narrow",
    ),
    # the place as subject: "X itself is being fought over", "X remains contested"
    rule(
        r"(?:is|are|was|were)\s+(?:still\s+|now\s+)?being\s+(?:fought|battled)\s+(?:over|for)\b"
        r"|(?:is|are|was|were|remains?|remained)\s+(?:still\s+|now\s+|hotly\s+|fiercely\s+)?"
        r"contested\b",
        "is are was were remain remains remained",
        "contested before 0.55 agent narrow",
    ),
    rule(
        r"(?:fight(?:s|ing)?|fought|battl(?:e|ed|es|ing)|clash(?:ed|es|ing)?)\b",
        "fight fought battl clash",
        "contested after 0.5 agent wide",
    ),
    rule(
        r"(?:outskirts|edges?|gates|walls|doorstep|city\s+limits|vicinity|periphery|environs"
        r"|perimeter)\s+of\b|approaches\s+(?:of|to)\b",
        "outskirts edge gates walls doorstep city vicinity periphery environs approaches perimeter",
        "contested after 0.55 agent wide",
    ),
)
