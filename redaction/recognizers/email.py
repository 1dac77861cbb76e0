"""Email addresses, written or spoken ("jen dot roe at gmail dot com").

The domain is checked against the public-suffix snapshot bundled with
tldextract; tld.offline_tldextract guarantees it is never fetched."""

from __future__ import annotations

from .. import entities as E
from ..tld import tld_extractor
from ._base import Rule, RuleRecognizer

RULES = [
    Rule(
        "written address",
        r"(?<![\w.+\-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
        r"\s?@\s?[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+",
        0.9,
    ),
    Rule(
        "spoken address",
        r"\b[a-z0-9][a-z0-9_]*(?:\s+(?:dot|underscore|dash)\s+[a-z0-9]+)*\s+(?:at|@)\s+"
        r"[a-z0-9\-]+(?:\s+dot\s+[a-z0-9\-]+)*\s+dot\s+(?:com|org|net|edu|gov|us|co|io|uk|ca|info|me)\b",
        0.8,
    ),
]


def _validate(value: str, match, text: str) -> bool:
    flat = value.replace(" ", "")
    low = value.lower()
    if "@" not in flat:
        # spoken form: rebuild it to check the domain
        user, _, domain = low.rpartition(" at ")
        flat = user + "@" + domain
        flat = flat.replace(" dot ", ".").replace(" ", "")
    return tld_extractor()(flat.rsplit("@", 1)[-1]).suffix != ""


def build() -> RuleRecognizer:
    return RuleRecognizer("EmailRecognizer", E.EMAIL_ADDRESS, RULES, context=["email", "e-mail", "mail"], validator=_validate)
