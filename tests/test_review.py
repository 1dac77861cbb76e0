"""Human decisions: each one a transaction with an audit row; undo is a new audit row."""

from __future__ import annotations

import json
import sqlite3

import pytest

from onprem import review
from onprem.errors import UserError
from onprem.store import open_store
from onprem.store.db import now

ACTOR = "steward"
Q = "My sister Jenny calls me every night and I cannot sleep."
A = "Talk with Jenny about a better time to call."


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "review.db")
    stamp = now()
    with s.atomic() as db:
        db["sources"].insert({"id": 1, "name": "t.txt", "sha256": "x", "kind": "transcript", "created_at": stamp})
        db["pages"].insert({"id": 1, "source_id": 1, "seq": 0, "text": "Caregiver: my sister Jenny calls nightly.",
                            "redacted_text": "Caregiver: my sister [PERSON_1] calls nightly.", "n_tokens": 9,
                            "status": "done"})
        db["qa_pairs"].insert({"id": 1, "source_id": 1, "page_id": 1, "seq": 0, "question": Q, "answer": A,
                               "q_words": 11, "a_words": 9, "status": "flagged", "reason": "leak",
                               "created_at": stamp, "updated_at": stamp})
        at = A.index("Jenny")
        db["pii_spans"].insert({"id": 1, "source_id": 1, "page_id": 1, "pair_id": 1, "field": "answer", "start": at,
                                "end": at + 5, "entity_type": "PERSON", "text": "Jenny", "finding": "leak",
                                "decision": "pending"})
        db["pii_spans"].insert({"id": 2, "source_id": 1, "page_id": 1, "field": "page", "start": 21, "end": 26,
                                "entity_type": "PERSON", "text": "Jenny", "placeholder": "[PERSON_1]",
                                "decision": "pending"})
    yield s
    s.close()


def audit(store):
    return list(store.db.query("select * from audit order by id"))


def pair(store):
    return store.db["qa_pairs"].get(1)


def test_approve_and_reject_pair_write_audit_rows(store):
    review.approve_pair(store, 1, ACTOR)
    assert pair(store)["status"] == "approved"
    review.reject_pair(store, 1, ACTOR)
    assert pair(store)["status"] == "rejected"
    rows = audit(store)
    assert [r["action"] for r in rows] == ["pair.approve", "pair.reject"]
    assert rows[0]["actor"] == ACTOR and rows[0]["table_name"] == "qa_pairs" and rows[0]["row_id"] == 1
    assert json.loads(rows[0]["before"]) == {"status": "flagged", "reason": "leak"}
    assert json.loads(rows[1]["before"])["status"] == "approved"


def test_span_decisions(store):
    review.confirm_span(store, 1, ACTOR)
    review.reject_span(store, 2, ACTOR)
    assert store.db["pii_spans"].get(1)["decision"] == "confirmed"
    assert store.db["pii_spans"].get(2)["decision"] == "rejected"
    assert [(r["action"], r["row_id"]) for r in audit(store)] == [("span.confirm", 1), ("span.reject", 2)]


def test_edit_recounts_words_keeps_old_text_and_retires_removed_findings(store):
    review.edit_pair(store, 1, answer="Talk with [PERSON_1] about a better time to call tonight.", actor=ACTOR)
    p = pair(store)
    assert p["a_words"] == 10 and p["question"] == Q
    assert store.db["pii_spans"].get(1)["decision"] == review.REMOVED
    row = audit(store)[-1]
    before, after = json.loads(row["before"]), json.loads(row["after"])
    assert before["answer"] == A and before["a_words"] == 9 and before["_spans"] == {"1": {"decision": "pending"}}
    assert "question" not in after and after["a_words"] == 10


def test_edit_that_changes_nothing_writes_nothing(store):
    review.edit_pair(store, 1, question=Q, answer=A, actor=ACTOR)
    assert audit(store) == []


def test_add_spans_marks_every_occurrence(store):
    ids = review.add_spans(store, 1, "jenny", "PERSON", ACTOR)
    rows = [store.db["pii_spans"].get(i) for i in ids]
    assert sorted(r["field"] for r in rows) == ["answer", "page", "question"]
    assert all(r["decision"] == "added" and r["text"] == "Jenny" for r in rows)
    page = next(r for r in rows if r["field"] == "page")
    assert page["pair_id"] is None and page["page_id"] == 1
    assert json.loads(audit(store)[-1]["after"])["span_ids"] == ids


def test_add_spans_refuses_absent_text_and_unknown_type(store):
    with pytest.raises(UserError):
        review.add_spans(store, 1, "Zebedee", "PERSON", ACTOR)
    with pytest.raises(UserError):
        review.add_spans(store, 1, "Jenny", "NICKNAME", ACTOR)
    assert audit(store) == []


def test_undo_walks_back_one_decision_at_a_time(store):
    review.confirm_span(store, 1, ACTOR)
    review.edit_pair(store, 1, answer="Talk about a better time to call.", actor=ACTOR)
    ids = review.add_spans(store, 1, "sister", "PERSON", ACTOR)
    review.approve_pair(store, 1, ACTOR)

    assert review.undo_last(store, ACTOR).action == "pair.approve"
    assert pair(store)["status"] == "flagged"
    assert review.undo_last(store, ACTOR).action == "span.add"
    assert all(store.db["pii_spans"].count_where("id = ?", [i]) == 0 for i in ids)
    assert review.undo_last(store, ACTOR).action == "pair.edit"
    assert pair(store)["answer"] == A and pair(store)["a_words"] == 9
    assert store.db["pii_spans"].get(1)["decision"] == "confirmed"
    assert review.undo_last(store, ACTOR).action == "span.confirm"
    assert store.db["pii_spans"].get(1)["decision"] == "pending"
    assert review.undo_last(store, ACTOR) is None
    actions = [r["action"] for r in audit(store)]
    assert actions.count("undo") == 4 and len(actions) == 8   # nothing deleted from the log


def test_undo_is_per_actor(store):
    review.approve_pair(store, 1, "alice")
    assert review.undo_last(store, "bob") is None
    assert pair(store)["status"] == "approved"


def test_audit_rows_cannot_be_changed(store):
    review.approve_pair(store, 1, ACTOR)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("delete from audit")


def test_open_original_is_audited(store):
    text = review.open_original(store, 1, ACTOR)
    assert "Jenny" in text
    row = audit(store)[-1]
    assert (row["action"], row["table_name"], row["row_id"], row["actor"]) == ("page.view_original", "pages", 1, ACTOR)


def test_decision_is_all_or_nothing(store):
    """A failing write leaves neither the change nor an audit row."""
    store.db.execute("create trigger no_approve before update of status on qa_pairs when new.status = 'approved' "
                     "begin select raise(abort, 'refused'); end")
    with pytest.raises(sqlite3.IntegrityError):
        review.approve_pair(store, 1, ACTOR)
    assert pair(store)["status"] == "flagged" and audit(store) == []


def test_entity_types_match_the_redaction_package():
    from redaction.entities import ENTITY_TYPES

    assert review.ENTITY_TYPES == ENTITY_TYPES
