"""The project's allow-list (issue 28, item 3): "not an identifier, everywhere this text occurs" decides
every pending finding with that text in one audited step, undone by the review's undo, and the scans
of generated text leave the term out afterwards; a leak of the page's own text is still a finding."""

from __future__ import annotations

import pytest

from onprem import review
from onprem.allowed import allow_everywhere, terms
from onprem.errors import UserError
from onprem.store import open_store
from onprem.store.db import now

ACTOR = "steward"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "allow.db")
    stamp = now()
    with s.atomic() as db:
        db["sources"].insert({"id": 1, "name": "t.txt", "sha256": "x", "kind": "transcript", "created_at": stamp})
        db["pages"].insert({"id": 1, "source_id": 1, "seq": 0, "text": "We met at Applebee's.",
                            "redacted_text": "We met at [PERSON_1].", "n_tokens": 6, "status": "done"})
        for sid, text, decision in ((1, "Applebee's", "pending"), (2, "applebee's", "pending"),
                                    (3, "Applebee's", "confirmed"), (4, "Jenny", "pending")):
            db["pii_spans"].insert({"id": sid, "source_id": 1, "page_id": 1, "field": "page", "start": 10, "end": 20,
                                    "entity_type": "PERSON", "text": text, "decision": decision})
    yield s
    s.close()


def decisions(store):
    return {r["id"]: r["decision"] for r in store.db.query("select id, decision from pii_spans")}


def test_one_decision_decides_every_pending_finding_with_that_text_and_undo_puts_them_back(store):
    assert allow_everywhere(store, 1, ACTOR) == 2
    assert decisions(store) == {1: "rejected", 2: "rejected", 3: "confirmed", 4: "pending"}   # a person's "yes" stays
    assert terms(store) == ["applebee's"]
    row = list(store.db.query("select action, table_name from audit"))[-1]
    assert row == {"action": "span.allow", "table_name": "allowed_terms"}
    undone = review.undo_last(store, ACTOR)
    assert undone.action == "span.allow"
    assert decisions(store) == {1: "pending", 2: "pending", 3: "confirmed", 4: "pending"}
    assert terms(store) == []
    assert allow_everywhere(store, 2, ACTOR) == 2           # allowed again: the same row switched on
    assert store.db["allowed_terms"].count == 1 and terms(store) == ["applebee's"]


def test_a_short_or_missing_finding_is_refused(store):
    with store.atomic() as db:
        db["pii_spans"].insert({"id": 9, "source_id": 1, "page_id": 1, "field": "page", "start": 0, "end": 1,
                                "entity_type": "PERSON", "text": "J", "decision": "pending"})
    with pytest.raises(UserError, match="too short to allow everywhere"):
        allow_everywhere(store, 9, ACTOR)
    with pytest.raises(UserError, match="no finding 99"):
        allow_everywhere(store, 99, ACTOR)


def test_scans_of_generated_text_leave_allowed_terms_out_but_not_leaks(store, redactor):
    from onprem.pipeline.paraphrase import QAPair, scan_output
    from redaction.redactor import drop_allowed

    text = "Dinner with Jenny Morgan at Applebee's in Boston was fine."
    found = {s.text for s in redactor.analyze(text)}
    assert "Jenny Morgan" in found
    kept = {s.text for s in drop_allowed(text, redactor.analyze(text), ["jenny morgan"])}
    assert "Jenny Morgan" not in kept and kept == found - {"Jenny Morgan"}
    pair = QAPair(question="Who is Jenny Morgan to me?", answer="Jenny Morgan is your sister.")
    out = scan_output(redactor, pair, [{"text": "Jenny Morgan", "entity_type": "PERSON"}], ("jenny morgan",))
    assert out and all(f["finding"] == "leak" for f in out)   # the page's own name leaked: still a finding
