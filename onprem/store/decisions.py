"""The reads and deletes behind people's decisions on pairs and findings (onprem.review decides;
this module only touches rows)."""

from __future__ import annotations

from onprem.errors import UserError
from onprem.store import Store


def row(store: Store, table: str, row_id: int, columns: tuple[str, ...]) -> dict:
    """One row's columns, or a UserError that the row is gone (a list shown before it changed)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    found = store.db.execute(f'select {cols} from "{table}" where id = ?', [row_id]).fetchone()
    if found is None:
        raise UserError(f"{table} row {row_id} does not exist; refresh the list")
    return dict(zip(columns, found))


def standing_pair_spans(store: Store, pair_id: int, removed: str) -> list[tuple]:
    """(id, field, text, decision) of a pair's question and answer findings still standing (not
    rejected, not `removed` by an edit)."""
    return store.db.execute(
        "select id, field, text, decision from pii_spans where pair_id = ? and field in ('question', 'answer') "
        "and decision != 'rejected' and decision != ?", [pair_id, removed]).fetchall()


def pii_map_rows(store: Store, source_id: int) -> list[tuple]:
    """(placeholder, entity type, original, surrogate) of a transcript, in the order written."""
    return store.db.execute(
        "select placeholder, entity_type, original, surrogate from pii_map where source_id = ? order by rowid",
        [source_id]).fetchall()


def source_pages(store: Store, source_id: int) -> list[dict]:
    """Every page of a transcript with its original and redacted text, in order."""
    return list(store.db.query("select id, text, redacted_text from pages where source_id = ? order by seq",
                               [source_id]))


def covered_on_page(store: Store, page_id: int) -> list[tuple[int, int]]:
    """(start, end) of the page's findings that are not rejected."""
    return [(r[0], r[1]) for r in store.db.execute(
        "select start, \"end\" from pii_spans where page_id = ? and field = 'page' and decision != 'rejected'",
        [page_id])]


def pairs_to_mark(store: Store, pair_id: int, page_ids: list[int], live: tuple[str, ...]) -> list[dict]:
    """The pair, and the pairs of those pages whose status is one of `live`, in id order."""
    marks = ",".join("?" * len(page_ids))
    where = f"id = ? or (page_id in ({marks}) and status in ({','.join('?' * len(live))}))" if page_ids else "id = ?"
    return list(store.db.query(f"select id, question, answer, status, reason from qa_pairs where {where} order by id",
                               [pair_id, *(sorted(page_ids) + list(live) if page_ids else [])]))


def decisions_newest_first(store: Store, actor: str, actions: tuple[str, ...]):
    """(audit id, action, table, row id, before, after) of the actor's audit rows of these actions."""
    return store.db.execute(
        "select id, action, table_name, row_id, before, after from audit where actor = ? "
        f"and action in ({','.join('?' * len(actions))}) order by id desc", [actor, *actions])


def delete_added_spans(store: Store, span_ids: list[int]) -> None:
    """Findings a person added (only those: a detector's stay)."""
    store.db.conn.executemany("delete from pii_spans where id = ? and decision = 'added'", [[s] for s in span_ids])


def delete_map_rows(store: Store, rowids: list[int]) -> None:
    store.db.conn.executemany("delete from pii_map where rowid = ?", [[r] for r in rowids])


def set_row(store: Store, table: str, row_id: int, values: dict) -> None:
    """Write a person's decision (or its undo) on one row: a pair's status or text, a finding's
    decision, a page's redacted text, a turn, a dialogue. The caller holds the transaction and
    writes the audit row."""
    store.db[table].update(row_id, values)


def add_rows(store: Store, table: str, rows: list[dict]) -> list[int]:
    """Insert rows a decision adds (findings, placeholder map entries); their ids, in order."""
    return [store.db[table].insert(r).last_rowid for r in rows]
