"""EPITOME labels from people: the items to label (a seeker post and its response: the first
help-seeker -> responder exchange of every releasable dialogue, and every kept or approved pair, so
synthetic and imported real data alike), one label row per item and rater (ER, IP, EX: 0 none,
1 weak, 2 strong), each save audited; and the labels of people and of the `epitome` judge per
dimension, for agreement and export."""

from __future__ import annotations

from onprem.dialogue import store as dstore
from onprem.papers.empathy.judge import first_exchange, level
from onprem.store import Store
from onprem.store.db import now

KEYS = ("er", "ip", "ex")


def items(store: Store) -> list[dict]:
    """{kind, id, post, response, label} for every labellable item, dialogues first, in id order."""
    out = []
    for d in dstore.releasable_dialogues(store):
        ex = first_exchange(dstore.dialogue_turns(store, d["id"]))
        if ex:
            out.append({"kind": "dialogue", "id": d["id"], "post": ex[0], "response": ex[1],
                        "label": f"dialogue {d['id']} ({d['generator']})"})
    for r in store.db.query("select q.id, q.question, q.answer, s.name from qa_pairs q join sources s on s.id = q.source_id "
                            "where q.status in ('kept', 'approved') and q.question is not null and q.answer is not null "
                            "order by q.id"):
        out.append({"kind": "pair", "id": r["id"], "post": r["question"], "response": r["answer"],
                    "label": f"pair {r['id']} ({r['name']})"})
    return out


def label_of(store: Store, kind: str, target_id: int, rater: str) -> dict | None:
    row = store.db.execute("select er, ip, ex from labels where target_kind = ? and target_id = ? and rater = ?",
                           [kind, target_id, rater]).fetchone()
    return dict(zip(KEYS, row)) if row else None


def save_label(store: Store, kind: str, target_id: int, rater: str, levels: dict[str, int]) -> None:
    """One rater's three levels for one item (replacing theirs), with an audit row of before and after."""
    if set(levels) != set(KEYS) or any(v not in (0, 1, 2) for v in levels.values()):
        raise ValueError("give er, ip and ex, each 0, 1 or 2")
    before = label_of(store, kind, target_id, rater)
    stamp = now()
    with store.atomic() as db:
        db.execute("insert into labels (target_kind, target_id, rater, er, ip, ex, created_at, updated_at) "
                   "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (target_kind, target_id, rater) do update set "
                   "er = excluded.er, ip = excluded.ip, ex = excluded.ex, updated_at = excluded.updated_at",
                   [kind, target_id, rater, levels["er"], levels["ip"], levels["ex"], stamp, stamp])
        rid = db.execute("select id from labels where target_kind = ? and target_id = ? and rater = ?",
                         [kind, target_id, rater]).fetchone()[0]
        store.audit(rater, "label.save", "labels", rid, before=before, after=dict(levels))


def labelled_count(store: Store, rater: str) -> int:
    return store.db.execute("select count(*) from labels where rater = ?", [rater]).fetchone()[0]


def by_dimension(store: Store, with_judge: bool = True) -> dict[str, dict[str, dict[str, str]]]:
    """dimension -> item ("dialogue:3") -> rater -> level, people's labels and (as rater "judge:MODEL")
    the epitome judge's, for `onprem eval agreement epitome`."""
    out: dict[str, dict[str, dict[str, str]]] = {k: {} for k in KEYS}
    for kind, tid, rater, *levels in store.db.execute("select target_kind, target_id, rater, er, ip, ex from labels"):
        for k, v in zip(KEYS, levels):
            out[k].setdefault(f"{kind}:{tid}", {})[rater] = str(level(v))
    if with_judge:
        for kind, tid, model, criterion, score in store.db.execute(
                "select j.target_kind, j.target_id, j.model, s.criterion, s.score from judgments j "
                "join judgment_scores s on s.judgment_id = j.id where j.rubric = 'epitome' and j.status = 'done'"):
            out[criterion].setdefault(f"{kind}:{tid}", {})[f"judge:{model}"] = str(level(score))
    return out
