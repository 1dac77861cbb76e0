"""Storing generated QA pairs: as pairs of one synthetic source per generator, so they are browsed,
reviewed, searched, deduplicated and released like every other pair.

A case segment's pairs are written in one transaction, with their identifier findings (a pair with
a finding is `flagged`, as paraphrased pairs are); a redone segment's earlier pairs are superseded.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Callable

from onprem.pipeline.text import count_words
from onprem.store import Store
from onprem.store.db import now

if TYPE_CHECKING:
    from onprem.generators.pairs import PairsResult

LIVE = "status != 'superseded'"


def synthetic_source(store: Store, generator: str) -> int:
    """The one source that holds a generator's pairs (created on first use)."""
    sha = hashlib.sha256(f"synthetic:{generator}".encode()).hexdigest()
    row = store.db.execute("select id from sources where sha256 = ?", [sha]).fetchone()
    if row:
        return row[0]
    with store.atomic() as db:
        return db["sources"].insert({"name": f"{generator} (synthetic)", "sha256": sha, "kind": "synthetic",
                                     "created_at": now()}).last_pk


def has_pairs(store: Store, case_id: int, segment: int) -> bool:
    """Done means the segment has pairs that are not all failed (failed ones are redone on a re-run)."""
    return bool(store.db.execute(f"select 1 from qa_pairs where case_id = ? and segment = ? and {LIVE} "
                                 f"and status != 'failed'", [case_id, segment]).fetchone())


def statuses(store: Store, case_id: int, segment: int) -> list[str]:
    """The stored statuses of a case segment's live pairs (after the identifier scan flagged some)."""
    return [r[0] for r in store.db.execute(f"select status from qa_pairs where case_id = ? and segment = ? "
                                           f"and {LIVE} order by seq", [case_id, segment])]


def save_pairs(store: Store, *, source_id: int, case_id: int, segment: int, run_id: int, result: PairsResult,
               scan: Callable[[str], list] | None = None) -> int:
    """All pairs of a case segment at once; returns the identifier findings stored."""
    stamp = now()
    findings = 0
    with store.atomic() as db:
        db.execute(f"update qa_pairs set status = 'superseded', reason = ?, updated_at = ? "
                   f"where case_id = ? and segment = ? and {LIVE}", [f"redone by run {run_id}", stamp, case_id, segment])
        seq0 = db.execute("select coalesce(max(seq), -1) + 1 from qa_pairs where source_id = ?", [source_id]).fetchone()[0]
        for i, p in enumerate(result.pairs):
            spans = []
            if scan is not None and p.status == "kept":
                spans = [(f, s) for f, text in (("question", p.question), ("answer", p.answer or "")) for s in scan(text)]
            status, reason = p.status, p.reason
            if spans:
                status = "flagged"
                reason = f"{len(spans)} identifier finding(s) in the output ({', '.join(sorted({s.entity_type for _, s in spans}))})"
            pid = db["qa_pairs"].insert({
                "source_id": source_id, "case_id": case_id, "segment": segment, "run_id": run_id, "seq": seq0 + i,
                "instruction": result.instruction, "question": p.question, "answer": p.answer,
                "q_words": count_words(p.question), "a_words": count_words(p.answer or ""),
                "status": status, "reason": reason, "meta": json.dumps(p.meta, sort_keys=True) if p.meta else None,
                "created_at": stamp, "updated_at": stamp}).last_pk
            db["pii_spans"].insert_all([
                {"source_id": source_id, "pair_id": pid, "field": f, "start": s.start, "end": s.end,
                 "entity_type": s.entity_type, "score": s.score, "recognizer": s.recognizer, "text": s.text,
                 "decision": "pending"} for f, s in spans])
            findings += len(spans)
    return findings
