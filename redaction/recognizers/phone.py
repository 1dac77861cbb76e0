"""Phone and fax numbers, written ("(555) 201-3344", "+1 555 201 3344") or
spoken ("five five five, two oh one, three three four four")."""

from __future__ import annotations

import re

from .. import entities as E
from ..spoken import digit_runs
from .account import LABELS as ACCOUNT_LABELS
from .device import LABELS as DEVICE_LABELS
from .health_plan import LABELS as HEALTH_PLAN_LABELS
from .license import LABELS as LICENSE_LABELS
from .mrn import LABELS as MRN_LABELS
from .ssn import LABELS as SSN_LABELS
from ._base import FILLER, Rule, RuleRecognizer, TokenRecognizer, words

SEP = r"[\s.\-]?"
RULES = [
    Rule(
        "north american number",
        r"(?<![\w\-])(?:\+?1" + SEP + r")?(?:\(\d{3}\)\s?|\d{3}" + SEP + r")\d{3}" + SEP + r"\d{4}(?!\d)(?:\s*(?:ext\.?|x|extension)\s*\d{1,5}\b)?(?![\w])",
        0.7,
    ),
    # A national number dialled with a trunk 0, as in the UK and Ireland: "07700 900123",
    # "020 7946 0958", "0161 496 0000"; 10 or 11 digits (checked in _validate).
    Rule("trunk-zero national number", r"(?<![\w\-+])0\d{2,4}[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?![\w\-])", 0.6),
    Rule("local seven digits", r"(?<![\w\-])\d{3}[.\-]\d{4}\b(?![\-.]\d)", 0.5),
    Rule(
        "international number",
        r"(?<![\w])\+(?:[2-9]\d{0,2})[\s.\-]?(?:\(?\d{1,4}\)?[\s.\-]?){2,5}\d{2,4}\b",
        0.6,
    ),
]
CONTEXT = ["phone", "cell", "mobile", "number", "call", "text", "fax", "reach", "landline", "tel", "telephone"]
CONTEXT_RX = re.compile(r"\b" + words(*CONTEXT, "call me", "reach me", "text me", "digits") + r"\b", re.IGNORECASE)


# A number right after another identifier's label ("policy number is 1478908017") is that
# identifier, even though it has a phone number's length and "number" is a phone context word.
OTHER_ID_LABEL = re.compile(
    r"\b" + words(*ACCOUNT_LABELS, *HEALTH_PLAN_LABELS, *MRN_LABELS, *LICENSE_LABELS, *SSN_LABELS, *DEVICE_LABELS)
    + r"\b" + FILLER + r"\s*$",
    re.IGNORECASE,
)


# Digits right after a unit word are an address ("Apt. 778 512 3264 Franklin Avenue").
AFTER_UNIT = re.compile(r"\b(?:apt|apartment|suite|ste|unit)\.?[ \t]*#?[ \t]*$", re.IGNORECASE)


def labelled_as_other_id(text: str, start: int) -> bool:
    return bool(OTHER_ID_LABEL.search(text[max(0, start - 60):start]))


def _validate(value: str, match, text: str) -> bool | float:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0") and not 10 <= len(digits) <= 11:
        return False
    if len(set(digits)) == 1:  # 000-0000 style fillers
        return False
    if AFTER_UNIT.search(text[max(0, match.start() - 12):match.start()]):
        return False  # "Apt. 778 512 3264 Franklin Avenue": a unit, building and house number
    return not labelled_as_other_id(text, match.start())


def build_labelled():
    """Any 7 to 15 digits right after "phone"/"fax"/"tel": "Fax: 01602592409"."""
    from ._base import LabelledIdRecognizer

    return LabelledIdRecognizer(
        "PhoneLabelRecognizer", E.PHONE_NUMBER,
        ["phone", "phone number", "fax", "fax number", "tel", "telephone", "mobile", "cell", "cell number", "landline"],
        score=0.75, min_digits=7, value=r"\+?\(?\d[\d\s().\-]{5,18}\d(?:\s*(?:ext\.?|x)\s*\d{1,5})?",
        validator=lambda v: 7 <= len(re.sub(r"\D", "", v)) <= 15,
    )


def build() -> RuleRecognizer:
    return RuleRecognizer("PhoneRecognizer", E.PHONE_NUMBER, RULES, context=CONTEXT, validator=_validate)


class SpokenPhoneRecognizer(TokenRecognizer):
    """Runs of spoken digits the length of a phone number."""

    def __init__(self):
        super().__init__("SpokenPhoneRecognizer", E.PHONE_NUMBER, context=CONTEXT)

    def analyze(self, text, entities, nlp_artifacts=None):
        if entities and self.entity not in entities:
            return []
        out = []
        for run in digit_runs(text, min_digits=7):
            if not run.has_words:
                continue
            n = len(run.digits)
            ok = n in (7, 10) or (n == 11 and run.digits[0] == "1")
            if not ok or labelled_as_other_id(text, run.start):
                continue
            before = text[max(0, run.start - 60):run.start]
            score = 0.85 if CONTEXT_RX.search(before) else 0.65
            out.append(self.result(run.start, run.end, score, "spoken digits"))
        return out
