"""The project's allow-list: "not an identifier, everywhere this text occurs".

One decision on one finding rejects every pending finding with the same text (pairs, pages,
dialogue turns) and adds the text to `allowed_terms`, which the scans of generated text (dialogues,
generated pairs, paraphrased pairs) then leave out, as they leave out the tools' own vocabulary.
It is one transaction with one audit row, undone by the review's undo like any decision: the
term is switched off and each finding gets its decision back. Transcripts are still redacted as
they are read: an allowed word in a new page is replaced all the same (no model sees less
redaction than the engine chose), and its finding waits for a person; the same key decides all of
those at once again.
"""

from __future__ import annotations

from onprem.errors import UserError
from onprem.review import current_actor
from onprem.store import Store
from onprem.store.allowed import active_terms, pending_with_text, reject_spans, span_text, upsert_term

ACTION = "span.allow"


def allow_everywhere(store: Store, span_id: int, actor: str | None = None) -> int:
    """Allow the finding's text project-wide; returns how many pending findings it decided."""
    actor = actor or current_actor()
    text, entity_type = span_text(store, span_id)
    term = " ".join(text.split()).casefold()
    if len(term) < 2:
        raise UserError(f"finding {span_id}: {text!r} is too short to allow everywhere; decide it alone (f)")
    with store.atomic():
        row_id, was_active = upsert_term(store, term, text, entity_type, actor)
        spans = pending_with_text(store, term)
        reject_spans(store, spans)
        store.audit(actor, ACTION, "allowed_terms", row_id,
                    before={"active": was_active, "_spans": {str(s): {"decision": "pending"} for s in spans}},
                    after={"active": 1, "term": term, "_spans": {str(s): {"decision": "rejected"} for s in spans}})
    return len(spans)


def terms(store: Store | None) -> list[str]:
    return active_terms(store) if store is not None else []
