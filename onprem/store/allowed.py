"""SQL of the project's allow-list (onprem/allowed.py)."""

from __future__ import annotations

from onprem.errors import UserError
from onprem.store import Store
from onprem.store.db import now


def active_terms(store: Store) -> list[str]:
    if not store.db["allowed_terms"].exists():
        return []
    return [t for (t,) in store.db.execute("select term from allowed_terms where active = 1 order by term")]


def list_terms(store: Store) -> list[dict]:
    if not store.db["allowed_terms"].exists():
        return []
    return list(store.db.query("select id, text, entity_type, active, actor, added_at from allowed_terms order by id"))


def span_text(store: Store, span_id: int) -> tuple[str, str]:
    row = store.db.execute("select text, entity_type from pii_spans where id = ?", [span_id]).fetchone()
    if row is None or not row[0]:
        raise UserError(f"no finding {span_id} with text to allow")
    return row[0], row[1]


def upsert_term(store: Store, term: str, text: str, entity_type: str, actor: str) -> tuple[int, int]:
    """(row id, whether it was active before): a switched-off term is switched on again."""
    row = store.db.execute("select id, active from allowed_terms where term = ?", [term]).fetchone()
    if row is not None:
        store.db["allowed_terms"].update(row[0], {"active": 1})
        return row[0], row[1]
    rid = store.db["allowed_terms"].insert({"term": term, "text": text, "entity_type": entity_type, "active": 1,
                                            "actor": actor, "added_at": now()}).last_pk
    return rid, 0


def pending_with_text(store: Store, term: str) -> list[int]:
    """Pending findings whose text is the term (case and spacing folded)."""
    rows = store.db.execute("select id, text from pii_spans where decision = 'pending'").fetchall()
    return [sid for sid, text in rows if " ".join((text or "").split()).casefold() == term]


def reject_spans(store: Store, span_ids: list[int]) -> None:
    """Decide findings as not PII (inside the caller's transaction)."""
    for sid in span_ids:
        store.db["pii_spans"].update(sid, {"decision": "rejected"})
