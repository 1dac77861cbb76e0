"""What near-duplicate detection (onprem.dedup) reads and writes: the candidate pairs, their stored
embeddings (one per pair, field and embedding model, keyed by the text's sha256 so an edit is
re-embedded), and each pair's similarity, nearest neighbour and status."""

from __future__ import annotations

from onprem.store import Store


def candidate_pairs(store: Store, statuses: tuple[str, ...]) -> list[dict]:
    """Pairs of these statuses that have a question, in id order."""
    marks = ",".join("?" * len(statuses))
    return list(store.db.query(
        f"select id, question, answer, status, reason, meta from qa_pairs where status in ({marks}) "
        f"and question is not null and question != '' order by id", statuses))


def embedded(store: Store, field: str, model_sha: str) -> set[tuple[int, str]]:
    """(pair id, text sha256) of every stored vector of this field and model."""
    return {(r[0], r[1]) for r in store.db.execute(
        "select pair_id, text_sha256 from embeddings where field = ? and model_sha256 = ?", [field, model_sha])}


def save_vectors(store: Store, field: str, model_sha: str, rows: list[tuple[int, str, bytes, int]]) -> None:
    """(pair id, text sha256, float32 bytes, dimension) rows, in one transaction."""
    with store.atomic() as db:
        db.conn.executemany("insert or replace into embeddings (pair_id, field, model_sha256, text_sha256, dim, vector) "
                       "values (?, ?, ?, ?, ?, ?)", [[pid, field, model_sha, h, dim, v] for pid, h, v, dim in rows])


def vectors(store: Store, field: str, model_sha: str) -> dict[int, bytes]:
    """pair id -> its stored vector's bytes."""
    return {r[0]: r[1] for r in store.db.execute(
        "select pair_id, vector from embeddings where field = ? and model_sha256 = ?", [field, model_sha])}


def save_similarities(store: Store, rows: list[dict]) -> None:
    """Each pair's similarity, nearest_id, status, reason, meta and updated_at (by id), in one
    transaction."""
    with store.atomic() as db:
        db.conn.executemany("update qa_pairs set similarity = ?, nearest_id = ?, status = ?, reason = ?, meta = ?, "
                       "updated_at = ? where id = ?",
                       [[r["similarity"], r["nearest_id"], r["status"], r["reason"], r["meta"], r["updated_at"], r["id"]]
                        for r in rows])
