"""Canonical forms of identifier values, so "Jenny" and "JENNY", or
"555-201-3344" and "five five five two oh one...", count as the same."""

from __future__ import annotations

import re

from . import entities as E
from .normalize import fold
from .spoken import to_digits

TITLES = re.compile(r"^(?:dr|doctor|mr|mrs|ms|miss|mx|prof|professor|nurse)\.?\s+", re.IGNORECASE)


def text_key(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form of free text."""
    t = fold(value).casefold()
    return " ".join(re.findall(r"[^\W_]+", t))


def digits_key(value: str) -> str:
    return to_digits(fold(value))


def canonical(entity_type: str, value: str) -> str:
    if entity_type in E.NUMERIC_TYPES and entity_type != E.IP_ADDRESS:
        d = digits_key(value)
        if entity_type == E.PHONE_NUMBER and len(d) == 11 and d.startswith("1"):
            d = d[1:]
        if d:
            return d
    if entity_type == E.PERSON:
        return text_key(TITLES.sub("", fold(value).strip()))
    if entity_type in (E.EMAIL_ADDRESS, E.URL):
        t = fold(value).casefold()
        t = re.sub(r"\s+dot\s+", ".", t)
        t = re.sub(r"\s+at\s+", "@", t)
        t = re.sub(r"^(?:https?|ftp)://", "", t)
        t = re.sub(r"^www\.", "", t)
        return re.sub(r"\s+", "", t).rstrip("/")
    return text_key(value)
