"""Decisions on the uncertain queue, for the TUI (and anything else that decides them).

An uncertain finding is a word the recognizers could not decide on (a name that is also a word in
a weak slot, a number from 90, a capitalised word no vocabulary knows). It stays in the page until
a person decides, and the release gate holds back the pairs of that page meanwhile:

* accept: the words are an identifier. Every page of the transcript gets them replaced by the
  transcript's placeholder (the same map as at ingest), every pending uncertain finding with the
  same words in that transcript is accepted with it, and a pair whose text carries them gets a leak
  finding and goes back to flagged (the model saw them);
* keep: the words are not identifying; the same words elsewhere in the transcript are kept too.

Each decision is one transaction and one audit row (`uncertain.accept` / `uncertain.keep`).
"""

from __future__ import annotations

from onprem import review
from onprem.errors import UserError
from onprem.store import Store
from onprem.store import uncertain as q


def _pending(store: Store, span_id: int) -> dict:
    row = q.get(store, span_id)
    if row is None or row["finding"] != q.UNCERTAIN:
        raise UserError(f"finding {span_id} is not an uncertain finding; refresh the list")
    if row["decision"] != "pending":
        raise UserError(f"finding {span_id} was already decided ({row['decision']}); refresh the list")
    return row


def keep(store: Store, span_id: int, actor: str | None = None) -> list[int]:
    """Not an identifier: the finding and its twins in the transcript are kept as they are."""
    actor = actor or review.current_actor()
    with store.atomic() as db:
        row = _pending(store, span_id)
        ids = q.same_text(store, row["source_id"], row["text"])
        was = _decisions(store, ids)
        q.decide(db, ids, "rejected")
        store.audit(actor, "uncertain.keep", "pii_spans", span_id, before={"decision": "pending", "_spans": was},
                    after={"decision": "rejected", "span_ids": ids, "entity_type": row["entity_type"]})
    return ids


def accept(store: Store, span_id: int, actor: str | None = None) -> dict:
    """An identifier: redact it on every page of the transcript, and hold back pairs that carry it."""
    actor = actor or review.current_actor()
    with store.atomic() as db:
        row = _pending(store, span_id)
        source_id, etype, needle = row["source_id"], row["entity_type"], row["text"]
        mapping = review._placeholder_map(store, source_id)
        known = {(e.placeholder, o) for e in mapping.entries() for o in e.originals}
        added, spellings, changed = review._mark_pages(store, source_id, needle, etype, mapping, f"person:{actor}")
        placeholder = mapping.assign(etype, needle, "placeholder")
        map_rows = []
        for e in mapping.entries():
            for o in e.originals:
                if (e.placeholder, o) not in known:
                    map_rows.append(q.add_map_row(store, source_id, e, o))
        ids = q.same_text(store, source_id, needle)
        was = _decisions(store, ids)
        q.decide(db, ids, "confirmed", placeholder)
        flagged = {}
        for p in q.live_pairs_with(store, source_id, ("kept", "flagged", "approved")):
            hits = [(f, h) for f in ("question", "answer")
                    for h in review._occurrences(p[f], list(dict.fromkeys([needle, *spellings])))]
            for field, hit in hits:
                added.append({"source_id": source_id, "page_id": p["page_id"], "pair_id": p["id"], "field": field,
                              "start": hit.start, "end": hit.end, "entity_type": etype, "score": 1.0,
                              "recognizer": f"person:{actor}", "text": hit.text, "finding": "leak", "decision": "added"})
            if hits and p["status"] in ("kept", "approved"):
                flagged[str(p["id"])] = {"status": p["status"], "reason": p["reason"]}
                q.flag_pair(store, p["id"], f"uncertain finding accepted by {actor} appears in the output ({etype})")
        new_ids = q.add_spans(store, added)
        before = {"decision": "pending", "_spans": was, **({"_pages": changed} if changed else {}),
                  **({"_pairs": flagged} if flagged else {})}
        after = {"decision": "confirmed", "span_ids": ids, "added": new_ids, "placeholder": placeholder,
                 "map_rows": map_rows,
                 "pages": sorted(int(i) for i in changed), "pairs_flagged": sorted(int(i) for i in flagged)}
        store.audit(actor, "uncertain.accept", "pii_spans", span_id, before=before, after=after)
    return after


def _decisions(store: Store, ids: list[int]) -> dict[str, dict]:
    """What an undo puts back on each finding: its decision and placeholder before."""
    return q.decisions_of(store, ids)

