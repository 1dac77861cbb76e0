"""Ages over 89, which Safe Harbor treats as identifying: "she's 93",
"ninety-two years old", "aged 101"."""

from __future__ import annotations

from .. import entities as E
from ._base import Rule, RuleRecognizer

OLD = r"(?:9\d|1[0-2]\d)"
OLD_WORDS = (
    r"(?:ninety(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"(?:a|one)\s+hundred(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))?)"
)
AGE = r"(?:" + OLD + r"|" + OLD_WORDS + r")"

RULES = [
    Rule("n years old", r"\b(?P<value>" + AGE + r")(?:\s+|-)(?:years?|yrs?)(?:\s+|-)old\b", 0.85),
    Rule("aged n", r"\b(?:aged?|age\s+of|turned|turning|turns|he's|she's|he\s+is|she\s+is|is\s+now)\s+(?P<value>" + AGE + r")\b(?!\s*(?:percent|%|dollars|pounds|lbs|minutes|days|miles|times))", 0.75),
    Rule("n-year-old", r"\b(?P<value>" + AGE + r")-year-old\b", 0.85),
    Rule("in her nineties", r"\b(?:in\s+(?:his|her|their|my)\s+)(?P<value>(?:late\s+|mid\s+|early\s+)?nineties)\b", 0.6),
]


def build() -> RuleRecognizer:
    return RuleRecognizer("AgeOver89Recognizer", E.AGE_OVER_89, RULES, context=["age", "old", "years"])
