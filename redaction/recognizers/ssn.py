"""US Social Security numbers, written or spoken after "social"/"SSN"."""

from __future__ import annotations

import re

from .. import entities as E
from ._base import LabelledIdRecognizer, Rule, RuleRecognizer

LABELS = ["ssn", "social security", "social security number", "social", "socials", "ss number", "ss#"]

RULES = [
    Rule("dashed", r"(?<![\d\-])\d{3}-\d{2}-\d{4}(?![\d\-])", 0.6),
    Rule("spaced", r"(?<![\d\-])\d{3}[ .]\d{2}[ .]\d{4}(?![\d\-])", 0.45),
    Rule("bare nine digits", r"(?<![\d\-])\d{9}(?!\d)", 0.3),
]


def valid_ssn(value: str, match=None, text: str = "") -> bool:
    d = re.sub(r"\D", "", value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    if area in {"000", "666"} or area.startswith("9") or group == "00" or serial == "0000":
        return False
    return len(set(d)) > 1


def build() -> RuleRecognizer:
    return RuleRecognizer("SsnRecognizer", E.US_SSN, RULES, context=LABELS, validator=valid_ssn)


def build_labelled() -> LabelledIdRecognizer:
    return LabelledIdRecognizer(
        "SsnLabelRecognizer", E.US_SSN, LABELS, score=0.9, min_digits=9,
        validator=lambda v: len(re.sub(r"\D", "", v)) == 9,
    )
