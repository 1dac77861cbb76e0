"""Near-duplicate queries, Airoboros-style: each item is embedded and compared with every accepted
item before it (exact brute force with numpy, in blocks); at cosine >= threshold it is a duplicate
of its nearest accepted neighbour. Every item keeps the similarity to its nearest accepted item,
so the threshold can be re-tuned later from the stored embeddings, with no model.

Embeddings are stored per pair, field and model sha256 (and the text's sha256, so an edited pair is
embedded again); a re-run embeds only what is new. Items are taken in id order (the order they
were made). A pair a person approved is always accepted; a pair a person rejected, and pairs that
failed, were filtered or superseded, take no part.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from onprem.store import Store, embeddings
from onprem.store.db import now

DEFAULT_THRESHOLD = 0.965        # the MentalChat16K authors' Airoboros setting (squared L2 0.07)
SCOPES = ("queries", "pairs")
CANDIDATE_STATUSES = ("kept", "flagged", "approved", "duplicate")
BLOCK = 512                      # rows of the similarity matrix computed at once (BLOCK x n float32)


@dataclass
class Decisions:
    nearest: np.ndarray          # index of the nearest accepted earlier item, -1 for none
    similarity: np.ndarray       # its cosine (nan for none)
    duplicate: np.ndarray        # bool


def decide(vectors: np.ndarray, threshold: float, always: np.ndarray | None = None) -> Decisions:
    """Greedy in row order: row i is a duplicate when its nearest accepted earlier row has cosine
    >= threshold (rows are unit vectors); rows in `always` are accepted whatever their similarity."""
    n = len(vectors)
    nearest = np.full(n, -1, dtype=np.int64)
    sim = np.full(n, np.nan, dtype=np.float64)
    dup = np.zeros(n, dtype=bool)
    accepted = np.zeros(n, dtype=bool)
    always = np.zeros(n, dtype=bool) if always is None else always
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        block = vectors[lo:hi] @ vectors[:hi].T              # (hi-lo) x hi, one BLAS call per block
        for i in range(lo, hi):
            row = np.where(accepted[:i], block[i - lo, :i], -np.inf)
            if i and np.isfinite(row).any():
                j = int(np.argmax(row))
                nearest[i], sim[i] = j, float(row[j])
            dup[i] = not always[i] and nearest[i] >= 0 and sim[i] >= threshold
            accepted[i] = not dup[i]
    return Decisions(nearest, sim, dup)


def _text(row: dict, scope: str) -> str:
    return row["question"] if scope == "queries" else f"{row['question']}\n{row['answer'] or ''}"


def field_of(scope: str) -> str:
    return "question" if scope == "queries" else "pair"


def candidates(store: Store) -> list[dict]:
    return embeddings.candidate_pairs(store, CANDIDATE_STATUSES)


def missing(store: Store, model_sha: str, rows: list[dict], scope: str) -> list[tuple[dict, str]]:
    """(row, sha256 of its text) of the rows whose current text has no stored vector for this model."""
    have = embeddings.embedded(store, field_of(scope), model_sha)
    todo = [(r, hashlib.sha256(_text(r, scope).encode()).hexdigest()) for r in rows]
    return [(r, h) for r, h in todo if (r["id"], h) not in have]


def embed(store: Store, embedder, model_sha: str, todo: list[tuple[dict, str]], scope: str, on_done=None,
          batch: int = 16) -> None:
    """Embed and store `todo` (from `missing`), a batch at a time; on_done(row) after each is stored."""
    fld = field_of(scope)
    for k in range(0, len(todo), batch):
        part = todo[k:k + batch]
        vecs = np.asarray(embedder.embed([_text(r, scope) for r, _ in part]), dtype=np.float32)
        embeddings.save_vectors(store, fld, model_sha, [(r["id"], h, v.tobytes(), len(v)) for (r, h), v in zip(part, vecs)])
        for r, _ in part:
            if on_done is not None:
                on_done(r)


def load_vectors(store: Store, model_sha: str, rows: list[dict], scope: str) -> np.ndarray:
    fld = field_of(scope)
    got = {pid: np.frombuffer(v, dtype=np.float32) for pid, v in embeddings.vectors(store, fld, model_sha).items()}
    return np.stack([got[r["id"]] for r in rows]) if rows else np.zeros((0, 1), dtype=np.float32)


def apply(store: Store, rows: list[dict], d: Decisions, threshold: float, run_id: int) -> dict:
    """Store similarity and nearest on every row; mark new duplicates (the status before is kept in
    meta) and give back their status to former duplicates that a new threshold accepts."""
    stamp, marked, restored = now(), 0, 0
    updates = []
    for i, r in enumerate(rows):
        meta = json.loads(r["meta"]) if r["meta"] else {}
        near = rows[d.nearest[i]]["id"] if d.nearest[i] >= 0 else None
        s = None if np.isnan(d.similarity[i]) else round(float(d.similarity[i]), 6)
        status, reason = r["status"], r["reason"]
        if d.duplicate[i] and status != "duplicate":
            meta["before_dedup"] = {"status": status, "reason": reason}
            status, reason = "duplicate", f"duplicate of pair {near} (cosine {s:.3f} >= {threshold})"
            marked += 1
        elif d.duplicate[i]:
            reason = f"duplicate of pair {near} (cosine {s:.3f} >= {threshold})"
        elif status == "duplicate":
            before = meta.pop("before_dedup", {"status": "kept", "reason": None})
            status, reason = before["status"], before["reason"]
            restored += 1
        updates.append({"id": r["id"], "similarity": s, "nearest_id": near, "status": status, "reason": reason,
                        "meta": json.dumps(meta, sort_keys=True) if meta else None, "updated_at": stamp})
    embeddings.save_similarities(store, updates)
    return {"items": len(rows), "duplicates": int(d.duplicate.sum()), "newly_marked": marked, "restored": restored}


@dataclass
class DedupJob:
    """`onprem dedup` in the job frame (onprem.job_frame): embed what has no vector yet, then mark."""
    threshold: float
    scope: str
    model_name: str | None
    threads: int | None
    command = "dedup"
    label = "dedup"
    fields = ("embedded",)

    def plan(self, store):
        from onprem.job_frame import Plan

        rows = candidates(store)
        if not rows:   # nothing accepted yet is not an error: there is simply nothing to mark
            return Plan(0, nothing="no kept, flagged or approved pairs to compare; nothing marked "
                                   "(paraphrase, import or generate some first)")
        return Plan(len(rows), data=rows, params={"threshold": self.threshold, "scope": self.scope})

    def open_models(self, plan) -> dict:
        from onprem.errors import UserError
        from onprem.model.base import Embedder
        from onprem.model.factory import open_model

        model = open_model(self.model_name, role="embedder", n_ctx=2048, threads=self.threads)
        if not isinstance(model, Embedder):
            model.close()
            raise UserError(f"{model.name}: its backend ({model.backend}) cannot embed text; give a local GGUF with --model")
        plan.params["embedder"] = {"name": model.name, "sha256": model.sha256}
        return {"embedder": model}

    def run(self, store, plan, models, rec, bar):
        import time

        from onprem.job_frame import Done

        model, rows = models["embedder"], plan.data
        sha = model.sha256 or f"{model.backend}:{model.name}"
        t0 = time.perf_counter()
        todo = missing(store, sha, rows, self.scope)
        bar.start(len(todo))
        done = {"embedded": 0}

        def embedded_one(row) -> None:
            done["embedded"] += 1
            bar.item(f"pair {row['id']} embedded", status="embedded", counts=done)

        embed(store, model, sha, todo, self.scope, on_done=embedded_one)
        t_embed = time.perf_counter() - t0
        vectors = load_vectors(store, sha, rows, self.scope)
        t0 = time.perf_counter()
        approved = np.array([r["status"] == "approved" for r in rows])   # a person's approval always stands
        decisions = decide(vectors, self.threshold, always=approved)
        t_search = time.perf_counter() - t0
        stats = apply(store, rows, decisions, self.threshold, rec.id)
        rate = f", {len(todo) / t_embed:.1f} texts/s" if todo and t_embed else ""
        return Done(f"{stats['items']} items ({self.scope}), {len(todo)} embedded with {model.name}{rate}; "
                    f"{stats['duplicates']} duplicates at cosine >= {self.threshold} ({stats['newly_marked']} newly "
                    f"marked, {stats['restored']} given back their status); search {t_search:.2f} s",
                    counts={**done, "duplicates": stats["duplicates"]},
                    stats={**stats, "embedded": len(todo), "embed_seconds": round(t_embed, 2),
                           "search_seconds": round(t_search, 3)})
