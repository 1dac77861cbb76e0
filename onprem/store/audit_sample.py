"""SQL of the random audit (MentalChat16K's seeded audit of 100 synthetic pairs): the pairs a sample
may draw, putting the drawn ones in the review queue, and where each stands now."""

from __future__ import annotations

import json

from onprem.store import Store
from onprem.store.db import now

ACTION = "audit.sample"


def candidates(store: Store, generator: str | None = None) -> list[int]:
    """Kept synthetic pairs (a model wrote them: paraphrases and generated pairs), in id order."""
    sql = "select q.id from qa_pairs q left join cases c on c.id = q.case_id where q.status = 'kept' and q.run_id is not null"
    args: list = []
    if generator == "paraphrase":
        sql += " and q.case_id is null"
    elif generator:
        sql += " and c.generator = ?"
        args.append(generator)
    return [r[0] for r in store.db.execute(sql + " order by q.id", args)]


def flag_for_audit(store: Store, pair_ids: list[int], seed: int, actor: str) -> int:
    """The drawn pairs become flagged (the review queue; held from release until a person decides),
    with the sample recorded in the audit log. Returns the sample's audit row id."""
    stamp = now()
    with store.atomic() as db:
        reason = f"random audit sample (seed {seed}): a person checks it"
        for pid in pair_ids:
            db.execute("update qa_pairs set status = 'flagged', reason = ?, updated_at = ? where id = ?", [reason, stamp, pid])
        store.audit(actor, ACTION, "qa_pairs", None, after={"seed": seed, "pairs": pair_ids})
        return db.execute("select max(id) from audit").fetchone()[0]


def latest_sample(store: Store) -> dict | None:
    row = store.db.execute("select id, at, actor, after from audit where action = ? order by id desc limit 1",
                           [ACTION]).fetchone()
    return None if row is None else {"audit_id": row[0], "at": row[1], "actor": row[2], **json.loads(row[3])}


def statuses(store: Store, pair_ids: list[int]) -> dict[int, str]:
    if not pair_ids:
        return {}
    marks = ",".join("?" * len(pair_ids))
    return dict(store.db.execute(f"select id, status from qa_pairs where id in ({marks})", pair_ids).fetchall())
