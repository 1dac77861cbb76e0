"""US ZIP codes: five digits (plus four), reported when something says
"zip" or a state comes right before, since bare five-digit numbers are common."""

from __future__ import annotations

from .. import entities as E
from ._base import Rule, RuleRecognizer, words
from .location import US_STATES

STATE_ABBR = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR"
).split()
ZIP = r"(?P<value>\d{5}(?:[\-\s]\d{4})?)\b"

RULES = [
    Rule("after a zip label", r"\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode)\b[\s:#,is]*" + ZIP, 0.9),
    Rule("after a state", r"(?:" + words(*US_STATES) + r"|(?-i:\b" + "|".join(STATE_ABBR) + r"\b))\.?,?\s+" + ZIP, 0.8),
    Rule("bare five digits", r"(?<![\d\-.,$])\b(?P<value>\d{5})\b(?![\-.,]?\d)", 0.25, 0),
]


def _validate(value: str, match, text: str) -> bool:
    return value[:5] != "00000"


def build() -> RuleRecognizer:
    return RuleRecognizer(
        "ZipCodeRecognizer",
        E.ZIP_CODE,
        RULES,
        context=["zip", "zipcode", "postal", "postcode", "address"],
        validator=_validate,
    )
