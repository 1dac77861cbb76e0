"""Ages over 89, which Safe Harbor treats as identifying: "she's 93", "ninety-two years old",
"aged 101", and as people say them with no "years old": "grandpa is ninety-one and still drives",
"my gran's ninety-six now", "he'll be a hundred and one in may", "she's pushing ninety-three".

A number from 90 to 129 (digits or words) is an age when it stands in an age slot: after "turned",
"aged", "pushing", or after a person (a pronoun or a kin word) and "is", "'s", "was", "will be",
and no unit follows it ("he is 95 percent sure", "she's ninety pounds").
"""

from __future__ import annotations

from .. import entities as E
from ._base import Rule, RuleRecognizer, words

OLD = r"(?:9\d|1[0-2]\d)"
ONE_TO_NINE = r"(?:one|two|three|four|five|six|seven|eight|nine)"
OLD_WORDS = (
    r"(?:ninety(?:[\s\-]" + ONE_TO_NINE + r")?|"
    r"(?:a|one)\s+hundred(?:\s+(?:and\s+)?(?:" + ONE_TO_NINE + r"|ten|eleven|twelve|(?:twenty|thirty)(?:[\s\-]" + ONE_TO_NINE + r")?))?)"
)
# The whole number or nothing: "ninety" of "ninety-five percent" is no age.
AGE = r"(?:" + OLD + r"|" + OLD_WORDS + r")(?![\s\-]*(?:and\s+)?(?:" + ONE_TO_NINE + r"|ten|eleven|twelve|twenty|thirty|\d))"
# What may follow a number that is not an age.
UNITS = (
    r"(?!\s*(?:percent|per\s*cent|%|dollars|bucks|quid|pounds|lbs|kilos?|kg|grams?|mg|minutes|mins|hours|"
    r"days|weeks|months|miles|km|times|degrees|drinks|cigarettes|pills|calls|texts|points|cents|k\b|mph|"
    r"thousand|million|out\s+of|of\s+them|of\s+those|or\s+so\s+(?:drinks|times)))"
)
# People whose age is told: pronouns and kin words.
WHO = words(
    "he", "she", "they", "i", "you", "who", "nan", "nana", "nanna", "gran", "granny", "grandma", "grandmother",
    "grandpa", "grandad", "granddad", "grandfather", "great-grandma", "great-grandpa", "mum", "mom", "mother",
    "dad", "father", "aunt", "auntie", "uncle", "neighbor", "neighbour", "husband", "wife", "patient", "client",
)
# Verbs between a person and their age.
IS = words(
    "is", "'s", "’s", "was", "will be", "'ll be", "’ll be", "would be", "'d be", "’d be", "is now", "'s now", "’s now",
    "was nearly", "is nearly", "'s nearly", "’s nearly", "is almost", "'s almost", "’s almost", "is over",
    "just turned", "turned", "turns", "would have been", "'d have been", "is like", "'s like", "’s like",
    "is about", "'s about", "’s about",
)
LEAD = words("aged", "age", "age of", "turned", "turning", "turns", "pushing", "reached", "reaching", "hit", "hits", "hitting", "made it to",
             "he's", "she's", "he is", "she is", "is now", "lived to", "lived till", "lived until",
             "still going at", "going strong at", "died at", "passed at", "passed away at")

RULES = [
    Rule("n years old", r"\b(?P<value>" + AGE + r")(?:\s+|-)(?:years?|yrs?)(?:\s+|-)old\b", 0.85),
    Rule("aged n", r"\b" + LEAD + r"\s+(?P<value>" + AGE + r")\b" + UNITS, 0.75),
    Rule("person is n", r"\b" + WHO + r"\s*" + IS + r"\s+(?P<value>" + AGE + r")\b" + UNITS, 0.75),
    Rule("n-year-old", r"\b(?P<value>" + AGE + r")-year-old\b", 0.85),
    # the age at a death: "pops was ninety-nine when he passed", "she was 97 when she died"
    Rule("n when they died", r"\b(?P<value>" + AGE + r")\s+when\s+(?:he|she|they)\s+(?:passed|died|went)\b", 0.75),
    # Any other number from 90: below the threshold, so it is not redacted but goes to the uncertain
    # queue ("pops was ninety-nine when he passed", "still going at 102").
    Rule("a number from 90, anywhere", r"(?<![$£€#.,:/\d])\b(?P<value>" + AGE + r")\b(?![.,:/]\d)" + UNITS, 0.3),
    Rule("in her nineties", r"\b(?:in\s+(?:his|her|their|my)\s+)(?P<value>(?:late\s+|mid\s+|early\s+)?nineties)\b", 0.6),
]


def build() -> RuleRecognizer:
    return RuleRecognizer("AgeOver89Recognizer", E.AGE_OVER_89, RULES, context=["age", "old", "years"])
