"""Consistent replacement within one transcript.

A PlaceholderMap belongs to one transcript: the same identifier gets the
same placeholder ("[PERSON_1]") or the same surrogate on every page. It is
a plain dict when serialised, so the caller can keep it in its database
(never in an export) and hand it back for the next page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Optional

from . import entities as E
from .keys import canonical
from .surrogates import make_surrogate, match_case

STYLES = ("placeholder", "surrogate")
FORMAT_VERSION = 1


@dataclass
class Entry:
    placeholder: str
    entity_type: str
    key: str
    originals: list[str] = field(default_factory=list)
    surrogate: Optional[str] = None


class PlaceholderMap:
    def __init__(self, seed: Optional[str] = None):
        # The seed makes surrogates reproducible for this transcript only.
        self.seed = seed if seed is not None else secrets.token_hex(8)
        self._entries: list[Entry] = []
        self._by_key: dict[tuple[str, str], Entry] = {}
        self._by_placeholder: dict[str, Entry] = {}
        self._counters: dict[str, int] = {}

    # --- lookups -------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def original(self, placeholder: str) -> Optional[str]:
        e = self._by_placeholder.get(placeholder)
        return e.originals[0] if e and e.originals else None

    def originals(self) -> list[str]:
        return [o for e in self._entries for o in e.originals]

    def _find(self, entity_type: str, key: str) -> Optional[Entry]:
        hit = self._by_key.get((entity_type, key))
        if hit or entity_type != E.PERSON or not key:
            return hit
        # "Jenny" and "Jenny Roe" are one person when no one else matches.
        words = set(key.split())
        matches = [
            e for e in self._entries
            if e.entity_type == E.PERSON and e.key and (words <= set(e.key.split()) or set(e.key.split()) <= words)
        ]
        return matches[0] if len(matches) == 1 else None

    # --- assignment ----------------------------------------------------
    def assign(self, entity_type: str, original: str, style: str = "placeholder") -> str:
        """The replacement for ``original``, creating an entry if it is new."""
        if style not in STYLES:
            raise ValueError(f"unknown redaction style {style!r}; use one of {', '.join(STYLES)}")
        key = canonical(entity_type, original)
        entry = self._find(entity_type, key)
        if entry is None:
            tag = E.PLACEHOLDER_TAG.get(entity_type, entity_type)
            n = self._counters.get(tag, 0) + 1
            self._counters[tag] = n
            entry = Entry(placeholder=f"[{tag}_{n}]", entity_type=entity_type, key=key)
            self._entries.append(entry)
            self._by_placeholder[entry.placeholder] = entry
        self._by_key.setdefault((entity_type, key), entry)
        if original not in entry.originals:
            entry.originals.append(original)
        if style == "placeholder":
            return entry.placeholder
        if entry.surrogate is None:
            entry.surrogate = self._new_surrogate(entry, original)
        if entity_type in (E.PERSON, E.LOCATION):
            # "JENNY:" as a label and "jenny" in speech keep their own casing.
            return match_case(original, entry.surrogate)
        return entry.surrogate

    def _new_surrogate(self, entry: Entry, original: str) -> str:
        taken = {e.surrogate for e in self._entries if e.surrogate}
        known = {canonical(entry.entity_type, o) for e in self._entries for o in e.originals}
        for attempt in range(20):
            fake = make_surrogate(entry.entity_type, original, entry.key, self.seed, attempt)
            # Never reuse another entry's fake, never echo a real value.
            if fake not in taken and canonical(entry.entity_type, fake) not in known:
                return fake
        return entry.placeholder

    # --- serialisation ---------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "seed": self.seed,
            "counters": dict(self._counters),
            "entries": [
                {
                    "placeholder": e.placeholder,
                    "entity_type": e.entity_type,
                    "key": e.key,
                    "originals": list(e.originals),
                    "surrogate": e.surrogate,
                }
                for e in self._entries
            ],
        }

    @classmethod
    def from_dict(cls, d: Optional[dict[str, Any]]) -> "PlaceholderMap":
        m = cls(seed=(d or {}).get("seed"))
        if not d:
            return m
        if d.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            raise ValueError(f"placeholder map version {d.get('version')} is not supported (expected {FORMAT_VERSION})")
        m._counters = {k: int(v) for k, v in d.get("counters", {}).items()}
        for raw in d.get("entries", []):
            e = Entry(
                placeholder=raw["placeholder"],
                entity_type=raw["entity_type"],
                key=raw["key"],
                originals=list(raw.get("originals", [])),
                surrogate=raw.get("surrogate"),
            )
            m._entries.append(e)
            m._by_placeholder[e.placeholder] = e
            m._by_key.setdefault((e.entity_type, e.key), e)
            for o in e.originals:
                m._by_key.setdefault((e.entity_type, canonical(e.entity_type, o)), e)
        return m

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlaceholderMap) and self.to_dict() == other.to_dict()
