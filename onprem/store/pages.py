"""Transcripts in the store: a source with its pages, their identifier findings and placeholder
map; the pages a paraphrase run has still to do; the pair it writes for each. The SQL of
onprem.pipeline.ingest and onprem.pipeline.paraphrase, which hand over plain rows."""

from __future__ import annotations

from typing import Iterable

from onprem.store.db import Store, now


def source_by_sha256(store: Store, sha256: str) -> dict | None:
    """The source stored from a file with these bytes: {"id", "pii_style"}, or None."""
    rows = list(store.db.query("select id, pii_style from sources where sha256 = ?", [sha256]))
    return rows[0] if rows else None


def add_source(store: Store, source: dict, pages: list[dict], map_rows: list[dict]) -> int:
    """A source, its pages (each {"row": page columns, "spans": finding rows}) and its placeholder
    map, in one transaction: a document is stored whole or not at all."""
    with store.atomic() as db:
        source_id = db["sources"].insert(source).last_pk
        for page in pages:
            page_id = db["pages"].insert({**page["row"], "source_id": source_id}).last_pk
            db["pii_spans"].insert_all([{**s, "source_id": source_id, "page_id": page_id} for s in page["spans"]])
        db["pii_map"].insert_all([{**m, "source_id": source_id} for m in map_rows])
    return source_id


def page_texts(store: Store, source_id: int) -> list[dict]:
    """A source's pages in order: {"id", "text"} (the original text)."""
    return list(store.db.query("select id, text from pages where source_id = ? order by seq", [source_id]))


def restyle_source(store: Store, source_id: int, pages: list[dict], map_rows: list[dict], pii_style: str) -> None:
    """A source's pages redacted again in another style (each {"id", "redacted_text", "spans"}), in
    one transaction. The findings are the same spans of the same text, so a person's decision on one
    carries over; findings a person added stay; the placeholder map is replaced; the change is audited."""
    with store.atomic() as db:
        before = db.execute("select pii_style from sources where id = ?", [source_id]).fetchone()[0]
        for page in pages:
            decided = {(r["start"], r["end"], r["entity_type"]): r["decision"] for r in db.query(
                "select start, end, entity_type, decision from pii_spans where page_id = ? and field = 'page' "
                "and finding = 'detected' and decision != 'added'", [page["id"]])}
            db.execute("delete from pii_spans where page_id = ? and field = 'page' and finding = 'detected' "
                       "and decision != 'added'", [page["id"]])
            db.execute("update pages set redacted_text = ? where id = ?", [page["redacted_text"], page["id"]])
            db["pii_spans"].insert_all([
                {**s, "source_id": source_id, "page_id": page["id"],
                 "decision": decided.get((s["start"], s["end"], s["entity_type"]), s["decision"])}
                for s in page["spans"]])
        db.execute("delete from pii_map where source_id = ?", [source_id])
        db["pii_map"].insert_all([{**m, "source_id": source_id} for m in map_rows])
        db.execute("update sources set pii_style = ? where id = ?", [pii_style, source_id])
        store.audit("onprem", "restyle", "sources", source_id, before={"pii_style": before},
                    after={"pii_style": pii_style})


def pages_to_do(store: Store, source_ids: Iterable[int], force: bool) -> list[dict]:
    """The pages of these sources a run still has to do (every page with `force`), in source and
    page order: {"id", "source_id", "seq", "redacted_text"}."""
    ids = list(source_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    where = "" if force else "and p.status != 'done'"
    return list(store.db.query(
        f"select p.id, p.source_id, p.seq, p.redacted_text from pages p "
        f"where p.source_id in ({marks}) {where} order by p.source_id, p.seq", ids))


def page_originals(store: Store, page_id: int) -> list[dict]:
    """What the output must not repeat: the page's identifiers. An uncertain finding nobody decided is
    not one yet (the gate holds the pair back meanwhile; accepting it flags the pairs that carry it)."""
    return list(store.db.query(
        "select text, entity_type from pii_spans where page_id = ? and field = 'page' and decision != 'rejected' "
        "and not (finding = 'uncertain' and decision = 'pending')", [page_id]))


def save_page_pair(store: Store, page: dict, run_id: int, pair: dict, findings: list[dict], failed: bool,
                   error: str | None = None) -> int:
    """A page's pair (columns of qa_pairs beyond the page's), the findings in it, and the page marked
    done (or failed, with `error`), in one transaction. Earlier pairs of the page (a --force run)
    are superseded, never deleted."""
    stamp = now()
    with store.atomic() as db:
        db.execute("update qa_pairs set status = 'superseded', reason = ?, updated_at = ? "
                   "where page_id = ? and status != 'superseded'",
                   [f"redone by run {run_id}", stamp, page["id"]])
        pair_id = db["qa_pairs"].insert({
            "source_id": page["source_id"], "page_id": page["id"], "run_id": run_id, "seq": page["seq"],
            **pair, "created_at": stamp, "updated_at": stamp,
        }).last_pk
        db["pii_spans"].insert_all([
            {**f, "source_id": page["source_id"], "page_id": page["id"], "pair_id": pair_id, "decision": "pending"}
            for f in findings
        ])
        db["pages"].update(page["id"], {"status": "failed" if failed else "done", "error": error if failed else None})
    return pair_id


def add_imported_source(store: Store, source: dict) -> int:
    """The source row of an imported file, inside the importer's transaction."""
    return store.db["sources"].insert(source).last_pk


def insert_imported(db, batch: list[dict], found: dict[int, list[dict]], source_id: int) -> None:
    """Imported pairs (`seq` is the record's row) and the findings of rows in `found`, inside the
    importer's transaction."""
    db["qa_pairs"].insert_all(batch, batch_size=len(batch) or 1)
    if found:
        ids = dict(db.execute(
            f"select seq, id from qa_pairs where source_id = ? and seq in ({','.join('?' * len(found))})",
            [source_id, *found]).fetchall())
        db["pii_spans"].insert_all([{"source_id": source_id, "page_id": None, "pair_id": ids[seq], **span}
                                    for seq, spans in found.items() for span in spans])
