"""Quality selection of generated sessions (Hybrid training data, §3.5): keep the best by their
`judge quality` session score (the mean of coherence, realism and therapeutic value), either the top
K or every session at or above a score, and mark the rest `filtered` with the reason. Nothing is
deleted; a session filtered by an earlier selection is reconsidered and gets its status back when a
new selection keeps it. Sessions without a quality score are left as they are, and counted."""

from __future__ import annotations

import json

from onprem.papers.hybrid.quality import session_scores
from onprem.store import Store
from onprem.store import dialogues as dstore
from onprem.store.db import now
from onprem.vocab import RELEASABLE


def select_sessions(store: Store, generator: str, *, top: int | None = None, min_score: float | None = None,
                    run_id: int) -> dict:
    scores = session_scores(store, generator)
    rows = dstore.selectable_sessions(store, generator)
    scored = [r for r in rows if r["id"] in scores]
    if top is not None:
        ranked = sorted(scored, key=lambda r: (-scores[r["id"]], r["id"]))
        keep = {r["id"] for r in ranked[:top]}
        rule = f"not in the top {top} by quality"
    else:
        keep = {r["id"] for r in scored if scores[r["id"]] >= min_score}
        rule = f"quality below {min_score:g}"
    stamp, kept, filtered = now(), 0, 0
    for r in scored:
        meta = r["meta"] = json.loads(r["meta"]) if r["meta"] else {}
        meta["quality"] = round(scores[r["id"]], 3)
        if r["id"] in keep:
            kept += 1
            if r["status"] == "filtered":
                before = meta.pop("before_select")
                r["status"], r["reason"] = before["status"], before["reason"]
        else:
            filtered += 1
            if r["status"] in RELEASABLE:
                meta["before_select"] = {"status": r["status"], "reason": r["reason"]}
            r["status"] = "filtered"
            r["reason"] = f"{rule} (session score {scores[r['id']]:.2f}; select run {run_id})"
    dstore.set_statuses(store, scored)
    return {"sessions": len(rows), "scored": len(scored), "unscored": len(rows) - len(scored), "kept": kept,
            "filtered": filtered, "updated_at": stamp}
