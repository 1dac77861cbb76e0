"""Human decisions on pairs and identifier spans: the write side of review, shared by TUI and CLI.

Every decision is one transaction that changes the rows and appends one audit row whose `before`
holds everything needed to put the rows back, so `undo` is itself a new audit row (the audit table
is append-only) that restores `before`.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass

from onprem.errors import UserError
from onprem.pipeline.text import count_words
from onprem.store import Store
from onprem.store.db import now

# The entity types a person can choose when marking missed text. Mirrors
# redaction.entities.ENTITY_TYPES (a test keeps them equal); importing `redaction` here would load
# Presidio and add a second to the TUI's start.
ENTITY_TYPES = (
    "PERSON", "LOCATION", "STREET_ADDRESS", "ZIP_CODE", "DATE_TIME", "AGE_OVER_89", "PHONE_NUMBER",
    "EMAIL_ADDRESS", "US_SSN", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER",
    "CREDIT_CARD", "LICENSE_NUMBER", "VEHICLE_PLATE", "DEVICE_SERIAL", "URL", "IP_ADDRESS", "FACILITY",
)

# Audit actions that are decisions (and so can be undone).
DECISIONS = ("pair.approve", "pair.reject", "pair.edit", "span.confirm", "span.reject", "span.add")
UNDO = "undo"

# A span whose text an edit removed from its question/answer: no longer in the released text.
REMOVED = "removed"


def current_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): still record something honest
        return "unknown"


@dataclass(frozen=True)
class Undone:
    audit_id: int
    action: str
    table: str | None
    row_id: int | None


def _row(store: Store, table: str, row_id: int, columns: tuple[str, ...]) -> dict:
    cols = ", ".join(f'"{c}"' for c in columns)
    found = store.db.execute(f'select {cols} from "{table}" where id = ?', [row_id]).fetchone()
    if found is None:
        raise UserError(f"{table} row {row_id} does not exist; refresh the list")
    return dict(zip(columns, found))


def _decide_pair(store: Store, pair_id: int, status: str, action: str, actor: str) -> None:
    with store.atomic():
        before = _row(store, "qa_pairs", pair_id, ("status", "reason"))
        if before["status"] == "superseded":
            raise UserError(f"pair {pair_id} was superseded by a later run; review the newer pair")
        after = {"status": status, "reason": f"{action.split('.')[1]}d by {actor}"}
        store.db["qa_pairs"].update(pair_id, {**after, "updated_at": now()})
        store.audit(actor, action, "qa_pairs", pair_id, before=before, after=after)


def approve_pair(store: Store, pair_id: int, actor: str | None = None) -> None:
    _decide_pair(store, pair_id, "approved", "pair.approve", actor or current_actor())


def reject_pair(store: Store, pair_id: int, actor: str | None = None) -> None:
    _decide_pair(store, pair_id, "rejected", "pair.reject", actor or current_actor())


def edit_pair(store: Store, pair_id: int, question: str | None = None, answer: str | None = None,
              actor: str | None = None) -> None:
    """Change the question and/or answer. Word counts follow the text; findings whose text the
    edit took out of that field are marked `removed` (they no longer block a release). Status is
    left alone: approving stays an explicit decision."""
    actor = actor or current_actor()
    with store.atomic():
        before = _row(store, "qa_pairs", pair_id, ("question", "answer", "q_words", "a_words"))
        after: dict = {}
        if question is not None and question != before["question"]:
            after.update(question=question, q_words=count_words(question))
        if answer is not None and answer != before["answer"]:
            after.update(answer=answer, a_words=count_words(answer))
        if not after:
            return
        spans_before = {}
        for sid, field, text, decision in store.db.execute(
                "select id, field, text, decision from pii_spans where pair_id = ? and field in ('question', 'answer') "
                "and decision != 'rejected' and decision != ?", [pair_id, REMOVED]):
            new_text = after.get(field)
            if new_text is not None and text.casefold() not in new_text.casefold():
                spans_before[str(sid)] = {"decision": decision}
        store.db["qa_pairs"].update(pair_id, {**after, "updated_at": now()})
        for sid in spans_before:
            store.db["pii_spans"].update(int(sid), {"decision": REMOVED})
        store.audit(actor, "pair.edit", "qa_pairs", pair_id,
                    before={k: before[k] for k in after} | ({"_spans": spans_before} if spans_before else {}),
                    after=after | ({"_spans": {s: {"decision": REMOVED} for s in spans_before}} if spans_before else {}))


def _decide_span(store: Store, span_id: int, decision: str, action: str, actor: str) -> None:
    with store.atomic():
        before = _row(store, "pii_spans", span_id, ("decision",))
        store.db["pii_spans"].update(span_id, {"decision": decision})
        store.audit(actor, action, "pii_spans", span_id, before=before, after={"decision": decision})


def confirm_span(store: Store, span_id: int, actor: str | None = None) -> None:
    """Yes, this is identifying information."""
    _decide_span(store, span_id, "confirmed", "span.confirm", actor or current_actor())


def reject_span(store: Store, span_id: int, actor: str | None = None) -> None:
    """A false positive: not identifying information."""
    _decide_span(store, span_id, "rejected", "span.reject", actor or current_actor())


def add_spans(store: Store, pair_id: int, text: str, entity_type: str, actor: str | None = None) -> list[int]:
    """Mark a stretch of text the detectors missed as identifying: one `added` span for every
    occurrence (case-insensitive) in the pair's question and answer and in its page's text."""
    actor = actor or current_actor()
    needle = text.strip()
    if not needle:
        raise UserError("give the text to mark as identifying")
    if entity_type not in ENTITY_TYPES:
        raise UserError(f"unknown entity type {entity_type!r}; choose one of {', '.join(ENTITY_TYPES)}")
    with store.atomic():
        pair = _row(store, "qa_pairs", pair_id, ("source_id", "page_id", "question", "answer"))
        fields = [("question", pair["question"], pair_id), ("answer", pair["answer"], pair_id)]
        if pair["page_id"] is not None:
            page = _row(store, "pages", pair["page_id"], ("text",))
            fields.append(("page", page["text"], None))
        rows = []
        for field, haystack, span_pair in fields:
            folded, key, start = (haystack or "").casefold(), needle.casefold(), 0
            while (at := folded.find(key, start)) != -1:
                rows.append({"source_id": pair["source_id"], "page_id": pair["page_id"], "pair_id": span_pair,
                             "field": field, "start": at, "end": at + len(needle), "entity_type": entity_type,
                             "score": 1.0, "recognizer": f"person:{actor}", "text": haystack[at:at + len(needle)],
                             "finding": "detected", "decision": "added"})
                start = at + len(needle)
        if not rows:
            raise UserError(f"{needle!r} does not occur in pair {pair_id} or its page")
        ids = [store.db["pii_spans"].insert(r).last_pk for r in rows]
        store.audit(actor, "span.add", "qa_pairs", pair_id, before=None,
                    after={"span_ids": ids, "entity_type": entity_type, "fields": sorted({r["field"] for r in rows})})
    return ids


def undo_last(store: Store, actor: str | None = None) -> Undone | None:
    """Reverse this actor's most recent decision not already undone; None when there is none."""
    actor = actor or current_actor()
    undone: set[int] = set()
    for audit_id, action, table, row_id, before, after in store.db.execute(
            "select id, action, table_name, row_id, before, after from audit where actor = ? "
            f"and action in ({','.join('?' * (len(DECISIONS) + 1))}) order by id desc",
            [actor, *DECISIONS, UNDO]):
        if action == UNDO:
            undone.add(json.loads(after)["undid"])
            continue
        if audit_id in undone:
            continue
        before_v = json.loads(before) if before else None
        after_v = json.loads(after) if after else None
        with store.atomic():
            _restore(store, action, table, row_id, before_v, after_v)
            store.audit(actor, UNDO, table, row_id, before=after_v, after={"undid": audit_id, "action": action})
        return Undone(audit_id, action, table, row_id)
    return None


def _restore(store: Store, action: str, table: str, row_id: int, before: dict | None, after: dict | None) -> None:
    if action == "span.add":
        # The spans exist only because of this decision; the audit row keeps the record of them.
        for sid in after["span_ids"]:
            store.db.execute("delete from pii_spans where id = ? and decision = 'added'", [sid])
        return
    values = {k: v for k, v in before.items() if k != "_spans"}
    if table == "qa_pairs":
        values["updated_at"] = now()
    store.db[table].update(row_id, values)
    for sid, span_values in before.get("_spans", {}).items():
        store.db["pii_spans"].update(int(sid), span_values)


def open_original(store: Store, page_id: int, actor: str | None = None) -> str:
    """The unredacted page text. Reading it is itself recorded in the audit log."""
    actor = actor or current_actor()
    with store.atomic():
        page = _row(store, "pages", page_id, ("text",))
        store.audit(actor, "page.view_original", "pages", page_id)
    return page["text"]


def record_export(store: Store, path: str, fmt: str, policy: dict, written: int, held: dict,
                  actor: str | None = None) -> None:
    """A release is a human decision too: who wrote which file under which policy."""
    with store.atomic():
        store.audit(actor or current_actor(), "export", None, None,
                    after={"path": path, "format": fmt, "policy": policy, "written": written, "held": held})
