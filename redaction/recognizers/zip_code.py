"""US ZIP codes: five digits (plus four), reported when something says
"zip" or a state comes right before, since bare five-digit numbers are common."""

from __future__ import annotations

import re

from .. import entities as E
from ._base import LabelledIdRecognizer, Rule, RuleRecognizer, words
from .location import STATE_ABBR, US_STATES

ZIP = r"(?P<value>\d{5}(?:[\-\s]\d{4})?)\b"
LABELS = ["zip", "zipcode", "zip code", "postal code", "postcode", "zip plus four"]

RULES = [
    Rule("after a zip label", r"\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode)\b[\s:#,is]*" + ZIP, 0.9),
    Rule("after a state", r"(?:" + words(*US_STATES) + r"|(?-i:\b" + "|".join(STATE_ABBR) + r"\b))\.?,?\s+" + ZIP, 0.8),
    Rule("after the country", r"\b(?:United\s+States(?:\s+of\s+America)?|USA|U\.S\.A\.?)\s*,?\s+" + ZIP, 0.8),
    # lower-case state codes are ordinary words ("or", "in", "me"): only after "city, "
    Rule("after ', st'", r",\s*\b(?:" + "|".join(STATE_ABBR) + r")\.?,?\s+" + ZIP, 0.8),
    Rule("bare five digits", r"(?<![\d\-.,$])\b(?P<value>\d{5})\b(?![\-.,]?\d)", 0.25, 0),
]


def _validate(value: str, match, text: str) -> bool:
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
