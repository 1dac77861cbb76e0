"""Payment card numbers (an account number under Safe Harbor), Luhn-checked."""

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer

RULES = [
    Rule("card number", r"(?<![\d\-])(?:\d[ \-]?){12,18}\d(?![\d\-])", 0.6, 0),
    # 12-digit cards (some Maestro) only right after the word "card".
    Rule("short card after 'card'", r"(?i:\bcard)\b[\s:#]*(?:number\s+|no\.?\s+|is\s+)?(?P<value>\d{12})(?![\d\-])", 0.6, 0),
]


def _luhn(value: str, match=None, text: str = "") -> bool:
    digits = [int(c) for c in re.sub(r"\D", "", value)]
    if not 12 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def build() -> RuleRecognizer:
    return RuleRecognizer("CreditCardRecognizer", E.CREDIT_CARD, RULES, context=["card", "visa", "mastercard", "amex", "credit", "debit"], validator=_luhn)
