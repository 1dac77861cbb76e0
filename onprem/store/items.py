"""SQL of what a person rates on a form: the items of one target kind (releasable dialogues and PE
phase segments, kept or approved pairs, stored model responses) and the text shown for each."""

from __future__ import annotations

from onprem.store import Store
from onprem.vocab import RELEASABLE_SQL

KINDS = ("dialogue", "segment", "pair", "response")


def rate_items(store: Store, target_kind: str) -> list[dict]:
    """{kind, id, label} of every item of `target_kind` a person may rate, in id order."""
    if target_kind in ("dialogue", "segment"):
        if not store.db["dialogues"].exists():
            return []
        rows = store.db.execute(f"select d.id, d.generator, d.segment from dialogues d where d.status in {RELEASABLE_SQL} "
                                f"order by d.id").fetchall()
        return [{"kind": target_kind, "id": i, "label": f"{target_kind} {i} ({g}{f', phase {s}' if s else ''})"}
                for i, g, s in rows if target_kind == "dialogue" or s]
    if target_kind == "pair":
        return [{"kind": "pair", "id": r["id"], "label": f"pair {r['id']} ({r['source']})"} for r in pair_texts(store)]
    if target_kind == "response" and store.db["eval_responses"].exists():
        rows = store.db.execute("select r.id, r.model, q.key from eval_responses r join eval_questions q "
                                "on q.id = r.question_id where r.status = 'done' order by r.id").fetchall()
        return [{"kind": "response", "id": i, "label": f"response {i} (question {k})"} for i, _m, k in rows]
    return []


def item_text(store: Store, kind: str, item_id: int) -> list[tuple[str, str]]:
    """(title, text) blocks that show one item: a transcript, a question and its answer. A response
    does not name the model that wrote it (people rate blind, as MentalChat16K's raters did)."""
    if kind in ("dialogue", "segment"):
        turns = store.db.execute("select speaker, content from turns where dialogue_id = ? and status = 'ok' "
                                 "order by seq", [item_id]).fetchall()
        return [("Transcript", "\n".join(f"{s.capitalize()}: {c}" for s, c in turns))]
    if kind == "pair":
        q, a = store.db.execute("select question, answer from qa_pairs where id = ?", [item_id]).fetchone()
        return [("Question", q), ("Answer", a)]
    if kind == "response":
        q, r = store.db.execute("select q.question, r.response from eval_responses r join eval_questions q "
                                "on q.id = r.question_id where r.id = ?", [item_id]).fetchone()
        return [("Question", q), ("Response", r or "")]
    raise ValueError(f"no form for items of kind {kind!r}")


def origins(store: Store, items) -> dict[str, str]:
    """item -> "real" or "synthetic": a dialogue imported as a real session (generator `real`), a pair
    imported from a file (no run wrote it) are real; what a model wrote is synthetic."""
    real = {"dialogue": {str(i) for (i,) in store.db.execute("select id from dialogues where generator = 'real'")},
            "pair": {str(i) for (i,) in store.db.execute("select id from qa_pairs where run_id is null")}}
    real["segment"] = real["dialogue"]
    out = {}
    for item in items:
        kind, _, tid = item.partition(":")
        out[item] = "real" if tid in real.get(kind, ()) else "synthetic"
    return out


def pair_texts(store: Store, statuses: tuple[str, ...] = ("kept", "approved")) -> list[dict]:
    """{id, question, answer, source} of the pairs in `statuses` that have both texts, in id order:
    what EPITOME labels and judges as a seeker post and its response."""
    marks = ",".join("?" * len(statuses))
    return list(store.db.query(
        f"select q.id, q.question, q.answer, s.name as source from qa_pairs q join sources s on s.id = q.source_id "
        f"where q.status in ({marks}) and q.question is not null and q.answer is not null order by q.id", list(statuses)))


def scenarios(store: Store) -> list[tuple[int, str, str, str]]:
    """(dialogue id, case key, meta JSON, narrative) of every usable Hybrid scenario, in id order:
    what `generate hybrid` turns into sessions."""
    return store.db.execute(
        "select d.id, c.key, d.meta, (select content from turns t where t.dialogue_id = d.id and t.status = 'ok' "
        f"order by seq limit 1) from dialogues d join cases c on c.id = d.case_id where d.generator = 'scenarios' "
        f"and d.status in {RELEASABLE_SQL} order by d.id").fetchall()
