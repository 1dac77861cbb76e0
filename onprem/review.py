"""Human decisions on pairs and identifier spans: the write side of review, shared by TUI and CLI.

Every decision is one transaction that changes the rows and appends one audit row whose `before`
holds everything needed to put the rows back, so `undo` is itself a new audit row (the audit table
is append-only) that restores `before`.
"""

from __future__ import annotations

import getpass
import json
import re
from dataclasses import dataclass

from onprem.errors import UserError
from onprem.pipeline.text import count_words
from onprem.store import Store, decisions
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
DECISIONS = ("pair.approve", "pair.reject", "pair.edit", "span.confirm", "span.reject", "span.add",
             "dialogue.approve", "dialogue.reject", "turn.edit", "span.allow", "uncertain.keep", "uncertain.accept",
             "rating.save", "ranking.save")
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


def _decide_pair(store: Store, pair_id: int, status: str, action: str, actor: str) -> None:
    with store.atomic():
        before = decisions.row(store, "qa_pairs", pair_id, ("status", "reason"))
        if before["status"] == "superseded":
            raise UserError(f"pair {pair_id} was superseded by a later run; review the newer pair")
        after = {"status": status, "reason": f"{action.split('.')[1]}d by {actor}"}
        decisions.set_row(store, "qa_pairs", pair_id, {**after, "updated_at": now()})
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
        before = decisions.row(store, "qa_pairs", pair_id, ("question", "answer", "q_words", "a_words"))
        after: dict = {}
        if question is not None and question != before["question"]:
            after.update(question=question, q_words=count_words(question))
        if answer is not None and answer != before["answer"]:
            after.update(answer=answer, a_words=count_words(answer))
        if not after:
            return
        spans_before = {}
        for sid, field, text, decision in decisions.standing_pair_spans(store, pair_id, REMOVED):
            new_text = after.get(field)
            if new_text is not None and text.casefold() not in new_text.casefold():
                spans_before[str(sid)] = {"decision": decision}
        decisions.set_row(store, "qa_pairs", pair_id, {**after, "updated_at": now()})
        for sid in spans_before:
            decisions.set_row(store, "pii_spans", int(sid), {"decision": REMOVED})
        store.audit(actor, "pair.edit", "qa_pairs", pair_id,
                    before={k: before[k] for k in after} | ({"_spans": spans_before} if spans_before else {}),
                    after=after | ({"_spans": {s: {"decision": REMOVED} for s in spans_before}} if spans_before else {}))


def _decide_span(store: Store, span_id: int, decision: str, action: str, actor: str) -> None:
    with store.atomic():
        before = decisions.row(store, "pii_spans", span_id, ("decision",))
        decisions.set_row(store, "pii_spans", span_id, {"decision": decision})
        store.audit(actor, action, "pii_spans", span_id, before=before, after={"decision": decision})


def confirm_span(store: Store, span_id: int, actor: str | None = None) -> None:
    """Yes, this is identifying information."""
    _decide_span(store, span_id, "confirmed", "span.confirm", actor or current_actor())


def reject_span(store: Store, span_id: int, actor: str | None = None) -> None:
    """A false positive: not identifying information."""
    _decide_span(store, span_id, "rejected", "span.reject", actor or current_actor())


# A placeholder as the redaction package writes it: [PERSON_3] (tag, number).
_PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*)_(\d+)\]")
# Live pairs of a page: the ones a release could still carry.
_LIVE = ("kept", "flagged", "approved")


def _placeholder_map(store: Store, source_id: int):
    """The transcript's PlaceholderMap, rebuilt from its pii_map rows (one row per spelling), with
    the seed ingest gave it: the same original keeps its placeholder (and surrogate), a new one
    gets the next number."""
    from redaction.keys import canonical
    from redaction.replace import PlaceholderMap

    source = decisions.row(store, "sources", source_id, ("sha256",))
    entries: dict[str, dict] = {}
    counters: dict[str, int] = {}
    for placeholder, entity_type, original, surrogate in decisions.pii_map_rows(store, source_id):
        entry = entries.setdefault(placeholder, {"placeholder": placeholder, "entity_type": entity_type,
                                                 "key": canonical(entity_type, original), "originals": [],
                                                 "surrogate": surrogate})
        entry["originals"].append(original)
        if m := _PLACEHOLDER.fullmatch(placeholder):
            counters[m[1]] = max(counters.get(m[1], 0), int(m[2]))
    return PlaceholderMap.from_dict({"seed": source["sha256"][:16], "counters": counters,
                                     "entries": list(entries.values())})


def _check_mark(text: str, entity_type: str) -> str:
    needle = text.strip()
    if not needle:
        raise UserError("give the text to mark as identifying")
    if entity_type not in ENTITY_TYPES:
        raise UserError(f"unknown entity type {entity_type!r}; choose one of {', '.join(ENTITY_TYPES)}")
    return needle


def _occurrences(haystack: str | None, needles: list[str]) -> list:
    """Where any of `needles` occurs in `haystack`, compared the way the leak check compares
    (case, accents, Unicode look-alikes, punctuation; numbers as digit strings)."""
    from redaction.leak import leak_check

    return leak_check(haystack or "", needles) if haystack else []


def _mark_pages(store: Store, source_id: int, needle: str, entity_type: str, mapping, tag: str) -> tuple[list, list, dict]:
    """Every page of the transcript: an `added` finding for each occurrence of `needle` in the
    original text not already covered by a finding, and the occurrences in the redacted text replaced
    by the transcript's placeholder. Returns (page findings, spellings seen, {page id: old redacted text})."""
    style = decisions.row(store, "sources", source_id, ("pii_style",))["pii_style"] or "placeholder"
    rows: list[dict] = []
    spellings: list[str] = []
    changed: dict[str, str] = {}
    for page in decisions.source_pages(store, source_id):
        covered = decisions.covered_on_page(store, page["id"])
        for hit in _occurrences(page["text"], [needle]):
            spellings.append(hit.text)
            if any(hit.start < e and s < hit.end for s, e in covered):
                continue
            rows.append({"source_id": source_id, "page_id": page["id"], "pair_id": None, "field": "page",
                         "start": hit.start, "end": hit.end, "entity_type": entity_type, "score": 1.0,
                         "recognizer": tag, "text": hit.text, "placeholder": mapping.assign(entity_type, hit.text, style),
                         "finding": "detected", "decision": "added"})
        # Never inside a placeholder already there ("person" must not eat "[PERSON_1]").
        taken = [m.span() for m in _PLACEHOLDER.finditer(page["redacted_text"])]
        hits = [h for h in _occurrences(page["redacted_text"], [needle])
                if not any(h.start < e and s < h.end for s, e in taken)]
        redacted = page["redacted_text"]
        for hit in sorted(hits, key=lambda h: h.start, reverse=True):
            redacted = redacted[:hit.start] + mapping.assign(entity_type, hit.text, style) + redacted[hit.end:]
        if hits:
            changed[str(page["id"])] = page["redacted_text"]
            decisions.set_row(store, "pages", page["id"], {"redacted_text": redacted})
    return rows, spellings, changed


def add_spans(store: Store, pair_id: int, text: str, entity_type: str, actor: str | None = None) -> list[int]:
    """Mark a stretch of text the detectors missed as identifying, everywhere it matters, in one
    transaction with one audit row:

    * every page of the transcript (placeholders are per transcript, and pages not yet paraphrased
      must not reach the model with it): each occurrence in the original text becomes an `added`
      finding, and each occurrence in the redacted text is replaced by the transcript's placeholder
      (pii_map: the same original keeps its placeholder; a new one gets the next number, e.g. [PERSON_3]);
    * the pairs made from those pages (and this pair): each occurrence in a question or answer becomes
      an `added` leak finding, and a kept or approved pair goes back to flagged, so it is held back
      until it is edited or rejected.

    Occurrences are found the way the leak check finds them (redaction.leak), so "jenny" marks
    "Jenny" and "555 201 7788" marks "555-201-7788"."""
    actor = actor or current_actor()
    needle = _check_mark(text, entity_type)
    tag = f"person:{actor}"
    with store.atomic():
        pair = decisions.row(store, "qa_pairs", pair_id, ("source_id", "page_id", "question", "answer", "status"))
        before: dict = {}
        after: dict = {"entity_type": entity_type}
        page_id = pair["page_id"]
        if page_id is not None:
            mapping = _placeholder_map(store, pair["source_id"])
            known = {(e.placeholder, o) for e in mapping.entries() for o in e.originals}
            rows, spellings, changed = _mark_pages(store, pair["source_id"], needle, entity_type, mapping, tag)
            needles = [needle, *spellings]
            if changed:
                before["_pages"] = changed
                after["pages"] = sorted(int(i) for i in changed)
            map_rows = decisions.add_rows(store, "pii_map", [
                {"source_id": pair["source_id"], "placeholder": e.placeholder, "original": o,
                 "entity_type": e.entity_type, "surrogate": e.surrogate}
                for e in mapping.entries() for o in e.originals if (e.placeholder, o) not in known])
            if map_rows:
                after["map_rows"] = map_rows
            if spellings or changed:
                after["placeholder"] = mapping.assign(entity_type, spellings[0] if spellings else needle,
                                                      "placeholder")
            hit_pages = {r["page_id"] for r in rows} | {int(i) for i in changed} | {page_id}
            pairs = decisions.pairs_to_mark(store, pair_id, sorted(hit_pages), _LIVE)
        else:
            rows, needles = [], [needle]
            pairs = decisions.pairs_to_mark(store, pair_id, [], _LIVE)
        flagged: dict[str, dict] = {}
        for p in pairs:
            found = False
            for field in ("question", "answer"):
                for hit in _occurrences(p[field], list(dict.fromkeys(needles))):
                    found = True
                    rows.append({"source_id": pair["source_id"], "page_id": page_id, "pair_id": p["id"],
                                 "field": field, "start": hit.start, "end": hit.end, "entity_type": entity_type,
                                 "score": 1.0, "recognizer": tag, "text": hit.text,
                                 "finding": "detected" if p["id"] == pair_id and page_id is None else "leak",
                                 "decision": "added"})
            if found and p["status"] in ("kept", "approved"):
                flagged[str(p["id"])] = {"status": p["status"], "reason": p["reason"]}
                decisions.set_row(store, "qa_pairs", p["id"], {"status": "flagged", "updated_at": now(),
                                                "reason": f"identifier marked by {actor} appears in the output "
                                                          f"({entity_type})"})
        if not rows and "_pages" not in before:
            raise UserError(f"{needle!r} does not occur in pair {pair_id} or its page")
        if flagged:
            before["_pairs"] = flagged
            after["pairs_flagged"] = sorted(int(i) for i in flagged)
        ids = decisions.add_rows(store, "pii_spans", rows)
        after.update(span_ids=ids, fields=sorted({r["field"] for r in rows}))
        store.audit(actor, "span.add", "qa_pairs", pair_id, before=before or None, after=after)
    return ids


def undo_last(store: Store, actor: str | None = None) -> Undone | None:
    """Reverse this actor's most recent decision not already undone; None when there is none."""
    actor = actor or current_actor()
    undone: set[int] = set()
    for audit_id, action, table, row_id, before, after in decisions.decisions_newest_first(
            store, actor, (*DECISIONS, UNDO)):
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


def take_back_marks(store: Store, span_ids: list[int], map_rows: list[int], before: dict | None) -> None:
    """Undo of marking text as an identifier: the findings (and placeholder rows) that exist only
    because of the decision go (the audit row keeps the record of them); the pages' redacted text
    and the pairs the decision flagged go back as they were."""
    decisions.delete_added_spans(store, span_ids)
    decisions.delete_map_rows(store, map_rows)
    for pid, redacted in (before or {}).get("_pages", {}).items():
        decisions.set_row(store, "pages", int(pid), {"redacted_text": redacted})
    for pid, values in (before or {}).get("_pairs", {}).items():
        decisions.set_row(store, "qa_pairs", int(pid), {**values, "updated_at": now()})


def _restore_uncertain(store: Store, action: str, before: dict, after: dict) -> None:
    """Put back what a decision on the uncertain queue (onprem.uncertain) changed: the findings'
    decisions, and for an accept the pages' redacted text, the pairs it flagged, the findings and
    map entries it added."""
    was = (before or {}).get("_spans", {})
    for sid in after.get("span_ids", []):
        decisions.set_row(store, "pii_spans", sid, was.get(str(sid), {"decision": "pending"}))
    if action == "uncertain.accept":
        take_back_marks(store, after.get("added", []), after.get("map_rows", []), before)


def _restore(store: Store, action: str, table: str, row_id: int, before: dict | None, after: dict | None) -> None:
    if action.startswith("uncertain."):
        return _restore_uncertain(store, action, before, after)
    if action == "span.add":
        take_back_marks(store, after["span_ids"], after.get("map_rows", []), before)
        return
    if action in ("rating.save", "ranking.save"):
        from onprem.store.scores import take_back_ratings

        made = [(row_id, after.get("replaced"))] if action == "rating.save" else after.get("judgments", {}).values()
        if action == "ranking.save" and "judgments" not in after:
            raise UserError("that ranking was saved by an older onprem, which did not record what undo needs")
        take_back_ratings(store, made)
        return
    values = {k: v for k, v in before.items() if k != "_spans"}
    if table == "qa_pairs":
        values["updated_at"] = now()
    decisions.set_row(store, table, row_id, values)
    for sid, span_values in before.get("_spans", {}).items():
        decisions.set_row(store, "pii_spans", int(sid), span_values)


def open_original(store: Store, page_id: int, actor: str | None = None) -> str:
    """The unredacted page text. Reading it is itself recorded in the audit log."""
    actor = actor or current_actor()
    with store.atomic():
        page = decisions.row(store, "pages", page_id, ("text",))
        store.audit(actor, "page.view_original", "pages", page_id)
    return page["text"]


def view_span_original(store: Store, span_id: int, actor: str | None = None) -> tuple[str, str | None]:
    """(original text, what replaced it) of one finding, for a one-line check beside the redacted
    page; reading it is recorded in the audit log like the whole original page."""
    actor = actor or current_actor()
    with store.atomic():
        span = decisions.row(store, "pii_spans", span_id, ("text", "placeholder"))
        store.audit(actor, "span.view_original", "pii_spans", span_id)
    return span["text"], span["placeholder"]
