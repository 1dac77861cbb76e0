"""Realistic fake values of the same kind as an identifier ("hiding in plain sight").

Each fake value is drawn from Faker seeded by the transcript's seed and the
identifier's canonical key, so the same input always gets the same fake.
Numbers are chosen from ranges that are not issued (555 phone exchange,
SSNs starting with 9, documentation IP ranges, example.* domains).
"""

from __future__ import annotations

import functools
import hashlib
import random
import re

from . import entities as E

FACILITY_WORD = re.compile(
    r"\b(hospital|clinic|medical cent(?:er|re)|health cent(?:er|re)|cent(?:er|re)|school|"
    r"university|college|church|pharmacy|hospice|home|academy|institute|foods|inc|llc|company|store)\b\.?$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1)
def _faker():
    from faker import Faker

    return Faker("en_US")


def _seed(seed: str, entity_type: str, key: str, attempt: int) -> int:
    h = hashlib.sha256(f"{seed}\x1f{entity_type}\x1f{key}\x1f{attempt}".encode()).digest()
    return int.from_bytes(h[:8], "big")


def _same_shape(value: str, rng: random.Random) -> str:
    """Replace each digit with a digit and each letter with a letter."""
    out = []
    for c in value:
        if c.isdigit():
            out.append(str(rng.randrange(10)))
        elif c.isalpha():
            letter = chr(rng.randrange(26) + 65)
            out.append(letter if c.isupper() else letter.lower())
        else:
            out.append(c)
    return "".join(out)


def match_case(original: str, fake: str) -> str:
    if original.isupper() and len(original) > 1:
        return fake.upper()
    if original.islower():
        return fake.lower()
    return fake


def make_surrogate(entity_type: str, original: str, key: str, seed: str, attempt: int = 0) -> str:
    f = _faker()
    s = _seed(seed, entity_type, key, attempt)
    f.seed_instance(s)
    rng = random.Random(s)
    if entity_type == E.PERSON:
        parts = key.split()
        fake = f.first_name() if len(parts) <= 1 else f"{f.first_name()} {f.last_name()}"
        return match_case(original.strip(), fake)
    if entity_type == E.LOCATION:
        return f.city()
    if entity_type == E.STREET_ADDRESS:
        return f.street_address()
    if entity_type == E.ZIP_CODE:
        return f.zipcode_plus4() if len(re.sub(r"\D", "", original)) == 9 else f.zipcode()
    if entity_type == E.DATE_TIME:
        d = f.date_object()
        if re.search(r"\d{1,2}[/\-.]\d{1,2}", original):
            return d.strftime("%m/%d/%Y") if re.search(r"\d{4}|\d{2}$", original) else d.strftime("%m/%d")
        return f"{d.strftime('%B')} {d.day}"
    if entity_type == E.AGE_OVER_89:
        return "90" if any(c.isdigit() for c in original) else "ninety"
    if entity_type == E.PHONE_NUMBER:
        return f"555-{rng.randrange(100, 1000)}-{rng.randrange(10000):04d}"
    if entity_type == E.EMAIL_ADDRESS:
        return f"{f.first_name().lower()}.{f.last_name().lower()}@example.com"
    if entity_type == E.US_SSN:
        return f"9{rng.randrange(10)}{rng.randrange(10)}-{rng.randrange(10, 100)}-{rng.randrange(1000, 10000)}"
    if entity_type == E.URL:
        return f"https://www.example.org/{f.word()}"
    if entity_type == E.IP_ADDRESS:
        return f"192.0.2.{rng.randrange(1, 255)}" if "." in original else f"2001:db8::{rng.randrange(1, 0xffff):x}"
    if entity_type == E.FACILITY:
        m = FACILITY_WORD.search(original)
        kind = m.group(0) if m else "Center"
        return f"{f.last_name()} {kind}"
    # Numbers and codes: same shape, different characters.
    return _same_shape(original, rng)
