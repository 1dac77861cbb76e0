"""Phone and fax numbers, written ("(555) 201-3344", "+1 555 201 3344") or
spoken ("five five five, two oh one, three three four four")."""

from __future__ import annotations

import re

from .. import entities as E
from ..spoken import digit_runs
from ._base import Rule, RuleRecognizer, TokenRecognizer, words

SEP = r"[\s.\-]?"
RULES = [
    Rule(
        "north american number",
        r"(?<![\w\-])(?:\+?1" + SEP + r")?(?:\(\d{3}\)\s?|\d{3}" + SEP + r")\d{3}" + SEP + r"\d{4}\b(?:\s*(?:ext\.?|x|extension)\s*\d{1,5})?",
        0.7,
    ),
    Rule("local seven digits", r"(?<![\w\-])\d{3}[.\-]\d{4}\b(?![\-.]\d)", 0.5),
    Rule(
        "international number",
        r"(?<![\w])\+(?:[2-9]\d{0,2})[\s.\-]?(?:\(?\d{1,4}\)?[\s.\-]?){2,5}\d{2,4}\b",
        0.6,
    ),
]
CONTEXT = ["phone", "cell", "mobile", "number", "call", "text", "fax", "reach", "landline", "tel", "telephone"]
CONTEXT_RX = re.compile(r"\b" + words(*CONTEXT, "call me", "reach me", "text me", "digits") + r"\b", re.IGNORECASE)


def _validate(value: str, match, text: str) -> bool | float:
    digits = re.sub(r"\D", "", value)
    if len(set(digits)) == 1:  # 000-0000 style fillers
        return False
    return True


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
            if not ok:
                continue
            before = text[max(0, run.start - 60):run.start]
            score = 0.85 if CONTEXT_RX.search(before) else 0.65
            out.append(self.result(run.start, run.end, score, "spoken digits"))
        return out
