"""Web addresses: with a scheme, starting www, bare domains with a known
suffix, and spoken ones ("my blog dot com")."""

from __future__ import annotations

import re

from .. import entities as E
from ..tld import tld_extractor
from ._base import Rule, RuleRecognizer

PATH = r"(?:[/?#][^\s\"'<>)\]]*)?"
RULES = [
    Rule("with scheme", r"\b(?:https?|ftp)://[^\s\"'<>)\]]+", 0.9),
    Rule("www", r"\bwww\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+" + PATH, 0.85),
    Rule(
        "bare domain",
        r"(?<![@\w.\-])[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\."
        r"(?:com|org|net|edu|gov|io|co|us|uk|ca|info|biz|me|app|ly|tv|health|care)\b" + PATH,
        0.6,
    ),
    Rule("spoken", r"\b(?:www\s+dot\s+)?[a-z0-9\-]+(?:\s+dot\s+[a-z0-9\-]+)*\s+dot\s+(?:com|org|net|edu|gov|io|co|us)\b(?:\s+slash\s+[a-z0-9\-]+)*", 0.6),
]
# Not web addresses even though they end like one.
NOT_URLS = re.compile(r"^(?:e\.g|i\.e|a\.m|p\.m|u\.s)\b", re.IGNORECASE)


def _validate(value: str, match, text: str) -> bool:
    if NOT_URLS.match(value):
        return False
    if "://" in value or " dot " in value.lower():
        return True
    host = value.split("/")[0]
    return tld_extractor()(host).suffix != ""


def build() -> RuleRecognizer:
    return RuleRecognizer("UrlRecognizer", E.URL, RULES, context=["website", "site", "url", "link", "blog", "page"], validator=_validate)
