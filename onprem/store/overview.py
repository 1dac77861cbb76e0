"""The Overview's and `onprem stats`' reads: counts by status, word and grounding histograms, recent
runs, the sources and runs the filters offer."""

from __future__ import annotations

import json

from onprem.store import Store
from onprem.store.dialogue_queries import dialogue_queue_counts
from onprem.store.uncertain import counts as uncertain_counts

PAIR_STATUSES = ("kept", "filtered", "failed", "flagged", "approved", "rejected", "duplicate", "superseded")


def word_distribution(values: list[int]) -> dict:
    import numpy as np     # not at import: the TUI's first screen needs no numpy

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
    dialogues = store.count("select count(*) from dialogues") if store.db["dialogues"].exists() else 0
    return {
        "sources": store.count("select count(*) from sources"),
        "pages": store.count("select count(*) from pages"),
        "pages_pending": store.count("select count(*) from pages where status = 'pending'"),
        **{f"pairs_{s}": by_status.get(s, 0) for s in PAIR_STATUSES},
        "dialogues": dialogues,
        "pii_findings": dict(store.db.execute(
            "select entity_type, count(*) from pii_spans where finding != 'uncertain' "
            "group by entity_type order by 2 desc").fetchall()),
        "uncertain_findings": uncertain_counts(store),
        "question_words": word_distribution([q for q, _ in words]),
        "answer_words": word_distribution([a for _, a in words]),
        "runs": store.count("select count(*) from runs"),
    }


def word_histogram(store: Store, bin_width: int = 10, bins: int = 20) -> list[tuple[int, int]]:
    """(lower bound, pairs) of the shorter side of each pair (what the `each` word rule tests);
    the last bin collects everything longer. Failed pairs have no text; by status rather than
    `question is not null` so the covering index qa_pairs_words answers it."""
    rows = dict(store.db.execute(
        "select min(min(q_words, a_words) / ?, ?) as b, count(*) from qa_pairs "
        "where status not in ('superseded', 'failed') group by b", [bin_width, bins - 1]).fetchall())
    return [(b * bin_width, rows.get(b, 0)) for b in range(bins)]


def grounding_histogram(store: Store) -> list[tuple[float, int]]:
    """(lower bound, pairs) of the live pairs' grounding in tenths; pairs without a score (imported,
    generated) are not counted."""
    rows = dict(store.db.execute(
        "select min(cast(grounding * 10 as integer), 9) as b, count(*) from qa_pairs "
        "where grounding is not null and status != 'superseded' group by b").fetchall())
    return [(b / 10, rows.get(b, 0)) for b in range(10)]


def recent_runs(store: Store, limit: int = 8) -> list[dict]:
    out = []
    for r in store.db.query(
            "select id, command, model_name, status, started_at, ended_at, stats from runs order by id desc limit ?",
            [limit]):
        r["stats"] = json.loads(r["stats"]) if r["stats"] else {}
        out.append(r)
    return out


def entity_types_found(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("select distinct entity_type from pii_spans order by 1")]


def runs_brief(store: Store, limit: int = 200) -> list[dict]:
    return list(store.db.query("select id, command, model_name, started_at from runs order by id desc limit ?",
                               [limit]))


def sources_brief(store: Store, limit: int = 500) -> list[dict]:
    return list(store.db.query("select id, name from sources order by id limit ?", [limit]))


def running_run(store: Store) -> dict | None:
    rows = list(store.db.query("select id, command, pid, started_at from runs where status = 'running' "
                               "order by id desc limit 1"))
    return rows[0] if rows else None


def overview_counts(store: Store) -> dict:
    """The Overview screen's numbers, by aggregate queries only (overview() also loads every
    pair's word counts, which the screen does not need)."""
    db = store.db
    return {
        "sources": store.count("select count(*) from sources"),
        "pages": store.count("select count(*) from pages"),
        "pages_pending": store.count("select count(*) from pages where status = 'pending'"),
        "pairs": dict(db.execute("select status, count(*) from qa_pairs group by status").fetchall()),
        "dialogues": store.count("select count(*) from dialogues") if db["dialogues"].exists() else 0,
        "dialogues_pending": dialogue_queue_counts(store)["pending"],
        "findings": db.execute("select entity_type, count(*), sum(decision = 'pending') from pii_spans "
                               "where finding != 'uncertain' group by entity_type order by 2 desc").fetchall(),
        "uncertain": uncertain_counts(store),
    }
