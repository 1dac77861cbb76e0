"""Account numbers: bank, billing, utility, routing, card numbers said with a label."""

import re

from .. import entities as E
from ._base import LabelledIdRecognizer, Rule, RuleRecognizer

LABELS = [
    "account number", "account no", "account #", "acct", "acct no", "account", "bank account",
    "checking account", "savings account", "routing number", "billing number", "customer number",
    "customer id", "case number", "claim number", "reference number", "confirmation number",
    "iban", "card number", "debit card", "credit card",
]


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("AccountNumberRecognizer", E.ACCOUNT_NUMBER, LABELS, score=0.85)


# International bank account numbers, checked with their ISO 13616 mod-97 check digits.
IBAN_RULES = [Rule("iban", r"\b(?-i:[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)\b", 0.8, 0)]


def valid_iban(value: str, match=None, text: str = "") -> bool:
    v = re.sub(r"\s", "", value)
    if not 15 <= len(v) <= 34:
        return False
    moved = v[4:] + v[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def build_iban() -> RuleRecognizer:
    return RuleRecognizer("IbanRecognizer", E.ACCOUNT_NUMBER, IBAN_RULES, context=["iban", "bank", "transfer"], validator=valid_iban)
