"""Account numbers: bank, billing, utility, routing, card numbers said with a label."""

from .. import entities as E
from ._base import LabelledIdRecognizer

LABELS = [
    "account number", "account no", "account #", "acct", "acct no", "account", "bank account",
    "checking account", "savings account", "routing number", "billing number", "customer number",
    "customer id", "case number", "claim number", "reference number", "confirmation number",
    "iban", "card number", "debit card", "credit card",
]


def build() -> LabelledIdRecognizer:
    return LabelledIdRecognizer("AccountNumberRecognizer", E.ACCOUNT_NUMBER, LABELS, score=0.85)
