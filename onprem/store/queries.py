"""Read-side queries shared by the CLI and the TUI (no SQL strings scattered in widgets)."""

from __future__ import annotations

import numpy as np

from onprem.store import Store

PAIR_STATUSES = ("kept", "filtered", "failed", "flagged", "approved", "rejected", "superseded")


def _count(store: Store, sql: str, params=()) -> int:
    return store.db.execute(sql, params).fetchone()[0]


def word_distribution(values: list[int]) -> dict:
    if not values:
        return {"n": 0}
    a = np.asarray(values)
    p25, p50, p75 = np.percentile(a, [25, 50, 75])
    return {"n": int(a.size), "min": int(a.min()), "p25": float(p25), "median": float(p50),
            "p75": float(p75), "max": int(a.max()), "mean": round(float(a.mean()), 2)}


def overview(store: Store) -> dict:
    """Counts of everything, and word-count distributions of the pairs that have text."""
    by_status = dict(store.db.execute("select status, count(*) from qa_pairs group by status").fetchall())
    words = store.db.execute("select q_words, a_words from qa_pairs where question is not null "
                             "and status != 'superseded'").fetchall()
    dialogues = _count(store, "select count(*) from dialogues") if store.db["dialogues"].exists() else 0
    return {
        "sources": _count(store, "select count(*) from sources"),
        "pages": _count(store, "select count(*) from pages"),
        "pages_pending": _count(store, "select count(*) from pages where status = 'pending'"),
        **{f"pairs_{s}": by_status.get(s, 0) for s in PAIR_STATUSES},
        "dialogues": dialogues,
        "pii_findings": dict(store.db.execute(
            "select entity_type, count(*) from pii_spans group by entity_type order by 2 desc").fetchall()),
        "question_words": word_distribution([q for q, _ in words]),
        "answer_words": word_distribution([a for _, a in words]),
        "runs": _count(store, "select count(*) from runs"),
    }
