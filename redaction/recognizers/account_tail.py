"""The end of an account or card number, said on its own: "the last four are 1234", "account
ending 5678", "the card ends in four three two one", "last 4 digits: 9876". A partial number is
still a Safe Harbor identifier (it narrows the account down to a handful of people), and people
say the last four far more often than the whole number."""

from __future__ import annotations

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer, words

DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Three to six digits, written or said one by one ("four three two one").
TAIL = r"(?:\d{3,6}|" + DIGIT_WORD + r"(?:[\s,\-]+" + DIGIT_WORD + r"){2,5})"
LAST = words("last four", "last 4", "last five", "last 5", "last six", "last 6", "final four", "final 4",
             "last three", "last 3", "last digits")
LINK = r"(?:\s+(?:digits?|numbers?))?(?:\s+(?:of|on|for|from)\s+(?:it|that|the\s+\w+|my\s+\w+(?:\s+\w+)?))?(?:\s+(?:are|is|were|was|being))?\s*[:,\-]?\s*"
ENDS = words("ending", "ending in", "ending with", "ends in", "ends with", "ended in", "ended with", "ends")
# Where "ends in" is about a number that identifies something, not a year or a score.
OWNER = words("account", "acct", "card", "visa", "mastercard", "amex", "debit", "credit", "number", "policy",
              "member", "checking", "savings", "iban", "routing", "phone", "cell")

RULES = [
    Rule("last four digits", r"\b" + LAST + LINK + r"(?P<value>" + TAIL + r")\b", 0.75),
    Rule("account ending", r"\b" + OWNER + r"(?:\s+\w+){0,3}?\s+" + ENDS + r"\s*[:,]?\s*(?P<value>" + TAIL + r")\b", 0.75),
]

_YEAR = re.compile(r"(?:19|20)\d\d")


def _not_a_year(value: str, match, text: str) -> bool:
    # "the card ends in 2027" is an expiry year more often than a number's tail
    return not (_YEAR.fullmatch(value) and "last" not in match.group(0).lower())


def build() -> RuleRecognizer:
    return RuleRecognizer("AccountTailRecognizer", E.ACCOUNT_NUMBER, RULES,
                          context=["account", "card", "digits", "bank"], validator=_not_a_year)
