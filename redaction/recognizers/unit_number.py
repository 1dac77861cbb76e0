"""Unit numbers said in prose: "we're in unit 12", "a flat, 3B, above the shop", "apt 7",
"apartment 4C", "suite 210", "room 14". Safe Harbor counts them as part of the street address,
even when the street itself is never said. The unit word and its number are redacted together."""

from __future__ import annotations

from .. import entities as E
from ._base import Rule, RuleRecognizer, words

UNIT_WORDS = words("unit", "flat", "apt", "apt.", "apartment", "suite", "ste", "ste.", "room", "rm", "rm.",
                   "bldg", "building", "trailer", "lot", "cabin", "dorm", "block")
# A number of one to four digits with an optional letter ("3B", "12", "B4"), or "number 9".
VALUE = r"(?:#\s*|no\.?\s*|number\s+)?(?:\d{1,4}[A-Za-z]?|[A-Za-z]\d{1,3})"
# What follows a number that is not a unit: "a flat 10 percent", "room 2 minutes away".
NOT_UNIT = (r"(?!\s*(?:percent|%|dollars|bucks|quid|pounds|minutes|mins|hours|days|weeks|months|years|"
            r"times|people|of\s+(?:them|us)|or\s+so|degrees|feet|foot|miles|kids|beds?|bedrooms?)\b)")

RULES = [
    # "unit 12", "apt 7", "flat, 3B," -- a comma may sit between the word and its number
    # a house said by its number: "we're at number 9", "she lives at number 12b" (digits only: "at
    # number two" is a point on a scale in counselling talk)
    Rule("at number n", r"\b(?:at|lives?\s+at|living\s+at)\s+(?P<value>number\s+\d{1,4}[a-z]?)\b", 0.7),
    Rule("unit word and number", r"\b(?P<value>" + UNIT_WORDS + r"(?:\s*,)?\s*" + VALUE + r")\b" + NOT_UNIT, 0.7),
]


def build() -> RuleRecognizer:
    return RuleRecognizer("UnitNumberRecognizer", E.STREET_ADDRESS, RULES,
                          context=["live", "apartment", "flat", "building", "address", "moved"])
