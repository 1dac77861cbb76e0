"""SQL of the uncertain queue: findings the recognizers scored below the threshold, kept in the page
and stored as pii_spans rows with finding 'uncertain' (decision pending | confirmed | rejected)."""

from __future__ import annotations

from dataclasses import dataclass

from onprem.store import Store
from onprem.store.db import now

UNCERTAIN = "uncertain"
# A window of the original page around a finding: enough for the sentence it is in.
CONTEXT_CHARS = 160


@dataclass(frozen=True)
class UncertainFilter:
    """The uncertain queue's filter, as typed after `/`: `type:PERSON source:3` and words the finding's
    text contains (any case)."""
    entity_type: str | None = None
    source_id: int | None = None
    text: str | None = None

    @classmethod
    def parse(cls, line: str) -> "UncertainFilter":
        values: dict = {}
        words = []
        for token in (line or "").split():
            key, sep, value = token.partition(":")
            if sep and key == "type" and value:
                values["entity_type"] = value.upper()
            elif sep and key == "source" and value:
                if not value.isdigit():
                    raise ValueError(f"“{token}”: give a number after the colon (for example source:3)")
                values["source_id"] = int(value)
            else:
                words.append(token)
        return cls(text=" ".join(words) or None, **values)

    def describe(self) -> str:
        parts = ([f"type:{self.entity_type}"] if self.entity_type else []) + (
            [f"source:{self.source_id}"] if self.source_id is not None else [])
        return " ".join(parts + ([self.text] if self.text else []))


def pending(store: Store, limit: int | None = None, f: UncertainFilter = UncertainFilter()) -> list[dict]:
    """Undecided uncertain findings (within the filter), transcript by transcript, page by page, with
    the sentence around each: the page's words with its identifiers already replaced by their
    placeholders, so deciding one finding shows no other identifier (the finding itself is in clear:
    it was kept)."""
    where, params = "", []
    if f.entity_type:
        where, params = where + " and s.entity_type = ?", params + [f.entity_type]
    if f.source_id is not None:
        where, params = where + " and s.source_id = ?", params + [f.source_id]
    if f.text:
        where, params = where + " and s.text like ?", params + [f"%{f.text}%"]
    rows = list(store.db.query(
        "select s.id, s.source_id, s.page_id, s.start, s.\"end\", s.entity_type, s.score, s.recognizer, s.text, "
        "src.name as source, p.seq as page_seq, p.text as page_text "
        "from pii_spans s join pages p on p.id = s.page_id join sources src on src.id = s.source_id "
        f"where s.finding = ? and s.decision = 'pending'{where} order by s.source_id, p.seq, s.start"
        + (" limit ?" if limit else ""), [UNCERTAIN, *params, *([limit] if limit else [])]))
    redactions: dict[int, list] = {}
    for r in rows:
        text = r.pop("page_text")
        if r["page_id"] not in redactions:
            redactions[r["page_id"]] = store.db.execute(
                "select start, \"end\", placeholder from pii_spans where page_id = ? and field = 'page' "
                "and placeholder is not null and decision != 'rejected' order by start", [r["page_id"]]).fetchall()
        a, b = max(0, r["start"] - CONTEXT_CHARS), min(len(text), r["end"] + CONTEXT_CHARS)
        r["before"] = _masked(text, a, r["start"], redactions[r["page_id"]])
        r["after"] = _masked(text, r["end"], b, redactions[r["page_id"]])
    return rows


def _masked(text: str, a: int, b: int, spans: list) -> str:
    """text[a:b] with every redacted span in it shown as its placeholder (a span cut by the window
    edge is dropped whole: never half an identifier)."""
    out, pos = [], a
    for start, end, placeholder in spans:
        if end <= a or start >= b:
            continue
        out.append(text[pos:max(pos, start)])
        out.append(placeholder)
        pos = max(pos, end)
    out.append(text[pos:b] if pos < b else "")
    return "".join(out)


def get(store: Store, span_id: int) -> dict | None:
    rows = list(store.db.query(
        "select id, source_id, page_id, entity_type, text, decision, finding from pii_spans where id = ?", [span_id]))
    return rows[0] if rows else None


def same_text(store: Store, source_id: int, text: str) -> list[int]:
    """Pending uncertain findings of one transcript with the same words (any case): one decision
    covers them all."""
    return [r[0] for r in store.db.execute(
        "select id from pii_spans where source_id = ? and finding = ? and decision = 'pending' and lower(text) = lower(?)",
        [source_id, UNCERTAIN, text])]


def decide(db, ids: list[int], decision: str, placeholder: str | None = None) -> None:
    marks = ",".join("?" * len(ids))
    db.execute(f"update pii_spans set decision = ?, placeholder = coalesce(?, placeholder) where id in ({marks})",
               [decision, placeholder, *ids])


def live_pairs_with(store: Store, source_id: int, statuses: tuple[str, ...]) -> list[dict]:
    marks = ",".join("?" * len(statuses))
    return list(store.db.query(
        f"select id, page_id, question, answer, status, reason from qa_pairs where source_id = ? and status in ({marks}) "
        "order by id", [source_id, *statuses]))


def counts(store: Store) -> dict[str, int]:
    """{pending, accepted, kept}: the uncertain findings and what people decided."""
    got = dict(store.db.execute(
        "select decision, count(*) from pii_spans where finding = ? group by decision", [UNCERTAIN]).fetchall())
    return {"pending": got.get("pending", 0), "accepted": got.get("confirmed", 0), "kept": got.get("rejected", 0)}


def add_map_row(store: Store, source_id: int, entry, original: str) -> int:
    """One placeholder-map row for a newly accepted identifier; its rowid (for the undo)."""
    return store.db["pii_map"].insert({"source_id": source_id, "placeholder": entry.placeholder, "original": original,
                                       "entity_type": entry.entity_type, "surrogate": entry.surrogate}).last_rowid


def flag_pair(store: Store, pair_id: int, reason: str) -> None:
    store.db["qa_pairs"].update(pair_id, {"status": "flagged", "updated_at": now(), "reason": reason})


def add_spans(store: Store, rows: list[dict]) -> list[int]:
    return [store.db["pii_spans"].insert(r).last_pk for r in rows]


def decisions_of(store: Store, ids: list[int]) -> dict[str, dict]:
    """Each finding's decision and placeholder now: what an undo puts back."""
    if not ids:
        return {}
    return {str(sid): {"decision": d, "placeholder": ph} for sid, d, ph in store.db.execute(
        f"select id, decision, placeholder from pii_spans where id in ({','.join('?' * len(ids))})", ids)}
