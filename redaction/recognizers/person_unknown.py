"""Capitalised words no vocabulary knows, wherever they stand: "Then Zubenko came in", "Walgreens
had it". Most are names, some are brands; no slot says which, so they score below the threshold
and go to the uncertain queue for a person to decide (or are redacted under --strict)."""

from __future__ import annotations

from typing import Callable

from .. import entities as E
from ._base import TokenRecognizer

SCORE = 0.25


class UnknownCapitalisedRecognizer(TokenRecognizer):
    def __init__(self, unknown: Callable):
        """``unknown(tok)`` tells a word no dictionary knows (the slot recognizer's test)."""
        self.unknown = unknown
        super().__init__("UnknownCapitalisedRecognizer", E.PERSON)

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None or (entities and self.entity not in entities):
            return []
        out = []
        for tok in nlp_artifacts.tokens:
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.text == ":":
                continue  # a speaker label ("Therapist:") is handled by its own recognizer
            if tok.pos_ in {"INTJ", "VERB", "AUX"} or set(tok.lower_) <= set("mhu"):
                continue  # "Got it", "Mmh": a word the tagger knows the use of, or a filler
            if tok.text[:1].isupper() and not tok.text.isupper() and self.unknown(tok):
                out.append(self.result(tok.idx, tok.idx + len(tok.text), SCORE, "capitalised word no vocabulary knows"))
        return out
