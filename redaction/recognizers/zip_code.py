"""US ZIP codes: five digits (plus four), reported when something says
"zip" or a state comes right before, since bare five-digit numbers are common."""

from __future__ import annotations

import re

from .. import entities as E
from ._base import LabelledIdRecognizer, Rule, RuleRecognizer, words
from .location import STATE_ABBR, US_STATES

ZIP = r"(?P<value>\d{5}(?:[\-\s]\d{4})?)\b"
LABELS = ["zip", "zipcode", "zip code", "postal code", "postcode", "zip plus four"]

# ZIPs of the north-east start with 0, and a ZIP kept as a number (a spreadsheet column, a
# database integer) loses it: "RI 2852", "ZIP: 8021". Four digits count only after a zip label
# or after a state whose ZIPs start with 0, and only with that state's next digit.
ZIP4 = r"(?P<value>[1-9]\d{3})\b(?![\-.,]?\d)"
LEADING_ZERO_STATES = {
    "CT": "6", "Connecticut": "6", "MA": "12", "Massachusetts": "12", "ME": "34", "Maine": "34",
    "NH": "3", "New Hampshire": "3", "NJ": "78", "New Jersey": "78", "RI": "2", "Rhode Island": "2",
    "VT": "5", "Vermont": "5", "AE": "9",
}
MONTHS_AND_DAYS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Room|Suite|Unit|Apt|Box|Building|Floor|Page|"
    "Chapter|Section|Version|Model|Flight|Route|Highway|Interstate"
)
TOWN = r"(?-i:(?!(?:" + MONTHS_AND_DAYS + r")\b)[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2})"

RULES = [
    Rule("after a zip label", r"\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode)\b[\s:#,is]*" + ZIP, 0.9),
    Rule("four digits after a zip label", r"\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode)\b[ \t:#,is]*" + ZIP4, 0.7),
    Rule("after a state", r"(?:" + words(*US_STATES) + r"|(?-i:\b" + "|".join(STATE_ABBR) + r"\b))\.?,?\s+" + ZIP, 0.8),
    Rule(
        "four digits after a state whose ZIPs start with 0",
        r"(?-i:\b(?P<state>" + "|".join(sorted(LEADING_ZERO_STATES, key=len, reverse=True)) + r"))\.?,?\s+" + ZIP4,  # also over a line break: "Athol\n MA\n 1331"
        0.7,
        0,
    ),
    Rule("after the country", r"\b(?:United\s+States(?:\s+of\s+America)?|USA|U\.S\.A\.?)\s*,?\s+" + ZIP, 0.8),
    # lower-case state codes are ordinary words ("or", "in", "me"): only after "city, "
    Rule("after ', st'", r",\s*\b(?:" + "|".join(STATE_ABBR) + r")\.?,?\s+" + ZIP, 0.8),
    # A town with no state: "in Dallas 75240", "in Fremont 94539".
    Rule("after in/at/from and a town", r"\b(?:in|at|from|to|near)[ \t]+" + TOWN + r"[ \t]+" + ZIP + r"(?![\-.,]?\d)", 0.6),
    Rule("bare five digits", r"(?<![\d\-.,$])\b(?P<value>\d{5})\b(?![\-.,]?\d)", 0.25, 0),
]


def _validate(value: str, match, text: str) -> bool:
    if "state" in match.re.groupindex and match.group("state"):
        return value[0] in LEADING_ZERO_STATES[match.group("state")]
    return value[:5] != "00000"


def _five_or_nine(value: str) -> bool:
    return len(re.sub(r"\D", "", value)) in (5, 9)


def build_labelled() -> LabelledIdRecognizer:
    """After "zip"/"postal code", written or spoken ("zip's nine seven two one four")."""
    return LabelledIdRecognizer("ZipCodeLabelRecognizer", E.ZIP_CODE, LABELS, score=0.9, min_digits=5,
                                value=r"\d{5}(?:[\-\s]\d{4})?\b", validator=_five_or_nine)


def build() -> RuleRecognizer:
    return RuleRecognizer(
        "ZipCodeRecognizer",
        E.ZIP_CODE,
        RULES,
        context=["zip", "zipcode", "postal", "postcode", "address"],
        validator=_validate,
    )
