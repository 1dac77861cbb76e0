"""Human decisions on generated dialogues: approve or reject one, mark text the scan missed in its
turns, edit a turn. Each is one transaction with one audit row, undone by onprem.review.undo_last
like the pairs' decisions."""

from __future__ import annotations

import json

from onprem.errors import UserError
from onprem.review import REMOVED, _check_mark, _occurrences, current_actor
from onprem.store import Store
from onprem.store import decisions
from onprem.store.decisions import row as _row
from onprem.store.dialogues import standing_turn_spans, usable_turns
from onprem.vocab import RELEASABLE


def add_dialogue_spans(store: Store, dialogue_id: int, text: str, entity_type: str,
                       actor: str | None = None) -> list[int]:
    """Mark text the scan missed in a dialogue: an `added` finding at each occurrence in its usable
    turns (matched as the leak check matches), which holds the dialogue back until the turns are
    edited or the dialogue is rejected."""
    actor = actor or current_actor()
    needle = _check_mark(text, entity_type)
    with store.atomic():
        _row(store, "dialogues", dialogue_id, ("status",))
        rows = []
        for turn in usable_turns(store, dialogue_id):
            for hit in _occurrences(turn["content"], [needle]):
                rows.append({"dialogue_id": dialogue_id, "turn_id": turn["id"], "field": "turn", "start": hit.start,
                             "end": hit.end, "entity_type": entity_type, "score": 1.0,
                             "recognizer": f"person:{actor}", "text": hit.text, "finding": "detected",
                             "decision": "added"})
        if not rows:
            raise UserError(f"{needle!r} does not occur in dialogue {dialogue_id}")
        ids = decisions.add_rows(store, "pii_spans", rows)
        store.audit(actor, "span.add", "dialogues", dialogue_id, before=None,
                    after={"span_ids": ids, "entity_type": entity_type, "fields": ["turn"]})
    return ids


def edit_turn(store: Store, turn_id: int, content: str, actor: str | None = None) -> None:
    """Change what a dialogue turn says. A finding whose text the edit took out is marked `removed`
    (it no longer blocks a release); the others follow their text to its new place."""
    actor = actor or current_actor()
    content = (content or "").strip()
    if not content:
        raise UserError("a turn cannot be empty; reject the dialogue instead")
    with store.atomic():
        before = _row(store, "turns", turn_id, ("content",))
        if content == before["content"]:
            return
        spans_before, spans_after = {}, {}
        folded = content.casefold()
        for sid, text, start, end, decision in standing_turn_spans(store, turn_id, REMOVED):
            key = text.casefold()
            places = [i for i in range(len(folded)) if folded.startswith(key, i)] if key else []
            if not places:
                spans_before[str(sid)], spans_after[str(sid)] = {"decision": decision}, {"decision": REMOVED}
                continue
            at = min(places, key=lambda i: abs(i - start))
            if at != start:
                spans_before[str(sid)] = {"start": start, "end": end}
                spans_after[str(sid)] = {"start": at, "end": at + len(text)}
        decisions.set_row(store, "turns", turn_id, {"content": content})
        for sid, values in spans_after.items():
            decisions.set_row(store, "pii_spans", int(sid), values)
        store.audit(actor, "turn.edit", "turns", turn_id,
                    before={"content": before["content"]} | ({"_spans": spans_before} if spans_before else {}),
                    after={"content": content} | ({"_spans": spans_after} if spans_after else {}))


def _decide_dialogue(store: Store, dialogue_id: int, status: str, action: str, actor: str) -> None:
    """A person's approve or reject. A session a quality selection filtered out may be approved: it
    gets its status back (and undo puts the selection's verdict back)."""
    with store.atomic():
        row = _row(store, "dialogues", dialogue_id, ("status", "reason", "review_status", "review_reason", "meta"))
        meta = json.loads(row["meta"]) if row["meta"] else {}
        selected_out = row["status"] == "filtered" and "before_select" in meta
        if row["status"] not in RELEASABLE and not selected_out:
            raise UserError(f"dialogue {dialogue_id} is {row['status']}: only ended or capped dialogues are "
                            f"reviewed and released")
        before = {"review_status": row["review_status"], "review_reason": row["review_reason"]}
        after = {"review_status": status, "review_reason": f"{action.split('.')[1]}d by {actor}"}
        if selected_out and status == "approved":
            before |= {"status": row["status"], "reason": row["reason"], "meta": row["meta"]}
            back = meta.pop("before_select")
            after |= {"status": back["status"], "reason": back["reason"], "meta": json.dumps(meta, sort_keys=True)}
        decisions.set_row(store, "dialogues", dialogue_id, after)
        store.audit(actor, action, "dialogues", dialogue_id, before=before, after=after)


def approve_dialogue(store: Store, dialogue_id: int, actor: str | None = None) -> None:
    _decide_dialogue(store, dialogue_id, "approved", "dialogue.approve", actor or current_actor())


def reject_dialogue(store: Store, dialogue_id: int, actor: str | None = None) -> None:
    _decide_dialogue(store, dialogue_id, "rejected", "dialogue.reject", actor or current_actor())
