"""Payment card numbers (an account number under Safe Harbor), Luhn-checked.

A Luhn-valid number is a card when a card label stands right before it or its prefix and
length are a card brand's; such a number is typed CREDIT_CARD even where an account label
also claims it (see ``redaction.redactor._resolve``)."""

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer, words

# Labels a card number follows directly ("cc 5020 8558 4634", "credit card? 502090735320").
# "cc" alone is also e-mail talk ("cc me", "cc'd"): it only counts with digits right after it.
CARD_LABELS = [
    "card", "credit card", "debit card", "card number", "card no", "card #",
    "cc", "c.c.", "cc#", "cc no", "cc number", "cc num",
]
# Words around a number that make it a card (presidio's context boost). Not "cc": presidio
# matches context words as substrings of the words nearby, and "cc" is inside "account".
CONTEXT = ["card", "visa", "mastercard", "amex", "credit", "debit"]
# Card brands: (prefixes, lengths). Prefix ranges are written out as their first digits.
BRANDS = [
    (("4",), (13, 16, 19)),                                                     # Visa
    (tuple(str(p) for p in range(51, 56)) + tuple(str(p) for p in range(2221, 2721)), (16,)),  # Mastercard
    (("34", "37"), (15,)),                                                      # American Express
    (("6011", "65") + tuple(str(p) for p in range(644, 650)), (16, 17, 18, 19)),  # Discover
    (("300", "301", "302", "303", "304", "305", "36", "38", "39"), (14, 15, 16, 17, 18, 19)),  # Diners
    (tuple(str(p) for p in range(3528, 3590)), (16, 17, 18, 19)),               # JCB
    (("2131", "1800"), (15,)),                                                  # JCB (old)
    (("50",) + tuple(str(p) for p in range(56, 70)), tuple(range(12, 20))),     # Maestro
    (("62",), (16, 17, 18, 19)),                                                # UnionPay
]
LABELLED_SCORE = 0.9  # a card label or a brand's prefix and length
UNBRANDED_SCORE = 0.6  # Luhn-valid, nothing else says card

_DIGITS = r"(?:\d[ \-]?){11,18}\d(?![\d\-])"
RULES = [
    Rule("card number", r"(?<![\d\-])(?:\d[ \-]?){12,18}\d(?![\d\-])", UNBRANDED_SCORE, 0),
    # Any length from 12 right after a card label; the label itself is not reported.
    Rule(
        "card number after a card label",
        r"(?<![A-Za-z0-9])(?i:" + words(*CARD_LABELS) + r")(?<=[A-Za-z.#])(?![A-Za-z0-9'\u2019])"
        r"[\s:#?.,\-]*(?:(?i:number|no\.?|num|is|was|ending\s+in)\s*[:#]?\s*)*"
        r"(?P<value>(?<![\d\-])" + _DIGITS + r")",
        LABELLED_SCORE,
        0,
    ),
]


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def luhn(value: str) -> bool:
    digits = [int(c) for c in _digits(value)]
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


def branded(value: str) -> bool:
    """True when the digits have a card brand's prefix and length."""
    d = _digits(value)
    return any(len(d) in lengths and d.startswith(prefixes) for prefixes, lengths in BRANDS)


def _validate(value: str, match=None, text: str = ""):
    if not luhn(value):
        return False
    return LABELLED_SCORE if branded(value) else True


def build() -> RuleRecognizer:
    return RuleRecognizer("CreditCardRecognizer", E.CREDIT_CARD, RULES, context=CONTEXT, validator=_validate)
