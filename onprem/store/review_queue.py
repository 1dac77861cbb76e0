"""The review queue: pairs with something for a person to decide (flagged, or a finding on the pair
or its page), in source and page order, stepped by keyset so it never loads the whole queue."""

from __future__ import annotations

from onprem.store import Store
from onprem.store.pairs import PairFilter, pair_where

# The review queue: pairs with something for a person to decide, in source and page order.
_QUEUE_SCOPE = """
    select id from qa_pairs where status = 'flagged'
    union select pair_id from pii_spans where pair_id is not null
    union select q.id from qa_pairs q where q.page_id in (select page_id from pii_spans where field = 'page')"""


_QUEUE_PENDING = """
    select id from qa_pairs where status = 'flagged'
    union select pair_id from pii_spans where pair_id is not null and decision = 'pending'
    union select q.id from qa_pairs q
          where q.page_id in (select page_id from pii_spans where field = 'page' and decision = 'pending')"""


_NOT_SUPERSEDED = "q.status not in ('superseded', 'failed', 'filtered')"


def _queue_sql(pending: bool, f: PairFilter | None) -> tuple[str, list]:
    sql = (f"with cand(id) as ({_QUEUE_PENDING if pending else _QUEUE_SCOPE}) "
           f"select q.id, q.source_id, q.seq from qa_pairs q join cand on cand.id = q.id where {_NOT_SUPERSEDED}")
    params: list = []
    if pending:
        sql += " and q.status != 'rejected'"
    if f is not None and f != PairFilter():
        frm, where, params = pair_where(f)       # the Search screen's filters, the same SQL
        sql += f" and q.id in (select q.id from {frm}{where})"
    return sql, params


def queue_counts(store: Store, f: PairFilter | None = None) -> dict:
    """`reviewed / total`: total is every pair that has findings or was flagged; reviewed are those
    with nothing left pending (or that a person rejected outright)."""
    scope_sql, p1 = _queue_sql(False, f)
    pending_sql, p2 = _queue_sql(True, f)
    total = store.count(f"select count(*) from ({scope_sql})", p1)
    pending = store.count(f"select count(*) from ({pending_sql})", p2)
    return {"total": total, "pending": pending, "reviewed": total - pending}


def queue_step(store: Store, key: tuple | None, forward: bool = True, pending: bool = True,
               f: PairFilter | None = None) -> dict | None:
    """The next (or previous) queue item after `key` = (source_id, seq, id) by keyset; None at the end.
    Forward steps usually want pending items; stepping back revisits decided ones too."""
    sql, params = _queue_sql(pending, f)
    if key is not None:
        sql += f" and (q.source_id, q.seq, q.id) {'>' if forward else '<'} (?, ?, ?)"
        params += list(key)
    direction = "" if forward else " desc"
    sql += f" order by q.source_id{direction}, q.seq{direction}, q.id{direction} limit 1"
    row = store.db.execute(sql, params).fetchone()
    return None if row is None else {"id": row[0], "key": tuple(row)[1:] + (row[0],)}


def queue_position(store: Store, key: tuple, f: PairFilter | None = None) -> int:
    """1-based place of an item in the whole queue (reviewed and pending), for `item 5 of 412`."""
    sql, params = _queue_sql(False, f)
    return store.count(f"select count(*) from ({sql} and (q.source_id, q.seq, q.id) <= (?, ?, ?))",
                  [*params, *key])
