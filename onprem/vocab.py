"""The words the store's status columns use, in one place (code and SQL alike)."""

from __future__ import annotations

# Dialogue statuses that may be judged, scanned and released (failed and superseded ones may not).
RELEASABLE = ("ended", "capped")
# Finding decisions that still block a release: only a person's "not PII" (rejected) or an edit that
# took the text out (removed) clears one.
UNRESOLVED = ("pending", "confirmed", "added")


def sql_list(words: tuple[str, ...]) -> str:
    """('a', 'b') for an SQL IN clause (fixed vocabulary only, never user input)."""
    return "(" + ", ".join(f"'{w}'" for w in words) + ")"


RELEASABLE_SQL = sql_list(RELEASABLE)
UNRESOLVED_SQL = sql_list(UNRESOLVED)

# Dialogues made to evaluate models (onprem eval simulate), never released as training data.
EVALUATION_GENERATORS = ("simulate",)
# The producer name of real sessions brought in by `onprem import-dialogues`.
REAL_GENERATOR = "real"

# What paraphrase makes of a page (the counters of its progress and its Jobs form).
PAGE_OUTCOMES = ("kept", "filtered", "flagged", "failed")
