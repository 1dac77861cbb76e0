"""The one seed derivation: every item, turn and retry draws from the run seed and its own keys, so a
resumed or re-ordered run draws exactly what an uninterrupted one would."""

from __future__ import annotations

import hashlib

# A retry of the same request draws with seed + attempt * RETRY_STEP: different, still reproducible.
RETRY_STEP = 7919


def derive_seed(seed: int, *keys: object) -> int:
    """A 31-bit seed from the run seed and the item's keys (a page text, a record hash, a turn index)."""
    material = "\x00".join([str(seed), *map(str, keys)])
    return int(hashlib.sha256(material.encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def retry_seed(seed: int, attempt: int) -> int:
    return seed + attempt * RETRY_STEP
