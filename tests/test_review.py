"""Human decisions: each one a transaction with an audit row; undo is a new audit row."""

from __future__ import annotations

import json
import sqlite3

import pytest

from onprem import review
from onprem.dialogue import review as dialogue_review
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
    # The page's "Jenny" already has a finding (span 2): it is not recorded twice.
    assert sorted(r["field"] for r in rows) == ["answer", "question"]
    assert all(r["decision"] == "added" and r["text"] == "Jenny" for r in rows)
    assert store.db.execute("select count(*) from pii_spans where field = 'page'").fetchone()[0] == 1
    assert json.loads(audit(store)[-1]["after"])["span_ids"] == ids


def test_add_spans_records_an_uncovered_page_occurrence(store):
    store.db["pii_spans"].delete(2)
    ids = review.add_spans(store, 1, "jenny", "PERSON", ACTOR)
    page = [r for r in (store.db["pii_spans"].get(i) for i in ids) if r["field"] == "page"]
    assert [(r["pair_id"], r["page_id"], r["start"], r["end"], r["decision"]) for r in page] == [(None, 1, 21, 26, "added")]


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


# --- Marking missed text re-redacts the page -----------------------------------------------------
PAGE = "Caregiver: my sister Jenny calls nightly. Mark Lee from the bank calls too; MARK LEE never stops."
RED = "Caregiver: my sister [PERSON_1] calls nightly. Mark Lee from the bank calls too; MARK LEE never stops."


@pytest.fixture
def transcript(tmp_path):
    """A transcript whose page still shows a name the recognizers missed, and four pairs from it."""
    s = open_store(tmp_path / "mark.db")
    stamp = now()
    with s.atomic() as db:
        db["sources"].insert({"id": 1, "name": "t.txt", "sha256": "0123456789abcdef0123", "kind": "transcript",
                              "pii_style": "placeholder", "created_at": stamp})
        db["pages"].insert({"id": 1, "source_id": 1, "seq": 0, "text": PAGE, "redacted_text": RED, "n_tokens": 20,
                            "status": "done"})
        db["pages"].insert({"id": 2, "source_id": 1, "seq": 1, "text": "Coach: and jenny?",
                            "redacted_text": "Coach: and jenny?", "n_tokens": 4, "status": "done"})
        db["pii_map"].insert({"source_id": 1, "placeholder": "[PERSON_1]", "original": "Jenny",
                              "entity_type": "PERSON"})
        at = PAGE.index("Jenny")
        db["pii_spans"].insert({"source_id": 1, "page_id": 1, "field": "page", "start": at, "end": at + 5,
                                "entity_type": "PERSON", "text": "Jenny", "placeholder": "[PERSON_1]",
                                "decision": "confirmed"})
        for pid, page, status, q, a in (
                (1, 1, "kept", "Why does Mark Lee keep calling me?", "Set limits with the bank."),
                (2, 1, "approved", "How do I say no?", "Tell mark  lee you are busy."),
                (3, 1, "kept", "How do I rest?", "Sleep early."),
                (4, 1, "superseded", "Mark Lee again?", "Old answer."),
                (5, 2, "kept", "What about Jenny?", "Call jenny back.")):
            db["qa_pairs"].insert({"id": pid, "source_id": 1, "page_id": page, "seq": pid, "question": q, "answer": a,
                                   "q_words": 5, "a_words": 5, "status": status, "created_at": stamp,
                                   "updated_at": stamp})
    yield s
    s.close()


def test_marking_missed_text_redacts_page_and_flags_pairs(transcript):
    from onprem.release import Policy, select_pairs

    store = transcript
    ids = review.add_spans(store, 3, "mark lee", "PERSON", ACTOR)      # marked while reviewing pair 3
    # Every occurrence in the redacted page, however written, gets the next placeholder.
    page = store.db["pages"].get(1)
    assert page["redacted_text"] == ("Caregiver: my sister [PERSON_1] calls nightly. [PERSON_2] from the bank "
                                     "calls too; [PERSON_2] never stops.")
    assert page["text"] == PAGE                                         # the original stays as it was
    mapping = {(r["placeholder"], r["original"]) for r in store.db["pii_map"].rows}
    assert mapping == {("[PERSON_1]", "Jenny"), ("[PERSON_2]", "Mark Lee"), ("[PERSON_2]", "MARK LEE")}
    spans = [store.db["pii_spans"].get(i) for i in ids]
    page_spans = [s for s in spans if s["field"] == "page"]
    assert [(s["text"], s["placeholder"], s["decision"]) for s in page_spans] == [
        ("Mark Lee", "[PERSON_2]", "added"), ("MARK LEE", "[PERSON_2]", "added")]
    # Pairs of the page that say it carry a leak finding and go back to flagged; the others do not.
    leaks = {(s["pair_id"], s["field"], s["text"]) for s in spans if s["finding"] == "leak"}
    assert leaks == {(1, "question", "Mark Lee"), (2, "answer", "mark  lee")}
    status = {r["id"]: r["status"] for r in store.db.query("select id, status from qa_pairs")}
    assert status == {1: "flagged", 2: "flagged", 3: "kept", 4: "superseded", 5: "kept"}
    held = select_pairs(store, Policy())
    assert {r["id"] for r in held.rows} == {3, 5} and held.held["flagged"] == 2
    # One decision, one audit row; the identifier itself is not written into it.
    row = audit(store)[-1]
    after = json.loads(row["after"])
    assert (row["action"], row["table_name"], row["row_id"]) == ("span.add", "qa_pairs", 3)
    assert after["placeholder"] == "[PERSON_2]" and after["pairs_flagged"] == [1, 2] and "Mark" not in row["after"]
    # Undo puts the page, the map, the pairs and the findings back.
    assert review.undo_last(store, ACTOR).action == "span.add"
    assert store.db["pages"].get(1)["redacted_text"] == RED
    assert {(r["placeholder"], r["original"]) for r in store.db["pii_map"].rows} == {("[PERSON_1]", "Jenny")}
    assert store.db["qa_pairs"].get(1)["status"] == "kept" and store.db["qa_pairs"].get(2)["status"] == "approved"
    assert store.db["pii_spans"].count == 1


def test_marking_redacts_every_page_of_the_transcript(transcript):
    # A page not paraphrased yet must not reach the model with the name either.
    store = transcript
    store.db["pages"].insert({"id": 3, "source_id": 1, "seq": 2, "text": "Caregiver: Mark Lee again.",
                              "redacted_text": "Caregiver: Mark Lee again.", "n_tokens": 5, "status": "pending"})
    store.db["pages"].insert({"id": 4, "source_id": 1, "seq": 3, "text": "Coach: nothing here.",
                              "redacted_text": "Coach: nothing here.", "n_tokens": 4, "status": "pending"})
    review.add_spans(store, 3, "Mark Lee", "PERSON", ACTOR)
    assert store.db["pages"].get(3)["redacted_text"] == "Caregiver: [PERSON_2] again."
    assert store.db["pages"].get(4)["redacted_text"] == "Coach: nothing here."
    assert {r["page_id"] for r in store.db.query("select page_id from pii_spans where decision = 'added' "
                                                 "and field = 'page'")} == {1, 3}
    assert json.loads(audit(store)[-1]["after"])["pages"] == [1, 3]
    review.undo_last(store, ACTOR)
    assert store.db["pages"].get(3)["redacted_text"] == "Caregiver: Mark Lee again."
    assert store.db["pages"].get(1)["redacted_text"] == RED


def test_marking_a_known_original_reuses_its_placeholder(transcript):
    store = transcript
    review.add_spans(store, 5, "Jenny", "PERSON", ACTOR)               # page 2 missed "jenny"
    assert store.db["pages"].get(2)["redacted_text"] == "Coach: and [PERSON_1]?"
    assert {(r["placeholder"], r["original"]) for r in store.db["pii_map"].rows} == {
        ("[PERSON_1]", "Jenny"), ("[PERSON_1]", "jenny")}
    assert store.db["qa_pairs"].get(5)["status"] == "flagged"
    # A word inside a placeholder is never replaced: "person" is not "[PERSON_1]".
    with pytest.raises(UserError):
        review.add_spans(store, 5, "person", "PERSON", ACTOR)
    assert store.db["pages"].get(2)["redacted_text"] == "Coach: and [PERSON_1]?"


# --- Dialogue decisions ------------------------------------------------------------------------
@pytest.fixture
def dialogue(store):
    with store.atomic() as db:
        db["profiles"].insert({"id": 1, "client_id": "C001", "record_sha256": "r", "responses": "{}", "scores": "{}",
                               "persona": "p", "created_at": now()})
        db["cases"].insert({"id": 1, "generator": "sqpsych", "key": "r", "profile_id": 1, "title": "C001",
                            "created_at": now()})
        db["dialogues"].insert({"id": 1, "case_id": 1, "profile_id": 1, "generator": "sqpsych", "status": "capped",
                                "n_turns": 2, "created_at": now(), "scanned_at": now()})
        db["dialogues"].insert({"id": 2, "case_id": 1, "segment": 1, "profile_id": 1, "generator": "sqpsych",
                                "status": "failed", "n_turns": 0, "created_at": now()})
        db["turns"].insert({"id": 1, "dialogue_id": 1, "seq": 0, "speaker": "therapist", "content": "How are you?",
                            "status": "ok"})
        db["turns"].insert({"id": 2, "dialogue_id": 1, "seq": 1, "speaker": "client",
                            "content": "Tired. Tom Baker from Boston called me about Tom Baker.", "status": "ok"})
        db["pii_spans"].insert({"id": 10, "dialogue_id": 1, "turn_id": 2, "field": "turn", "start": 7, "end": 16,
                                "entity_type": "PERSON", "text": "Tom Baker", "decision": "pending"})
        db["pii_spans"].insert({"id": 11, "dialogue_id": 1, "turn_id": 2, "field": "turn", "start": 22, "end": 28,
                                "entity_type": "LOCATION", "text": "Boston", "decision": "pending"})
    return store


def test_dialogue_decisions_and_undo(dialogue):
    store = dialogue
    dialogue_review.approve_dialogue(store, 1, ACTOR)
    assert store.db["dialogues"].get(1)["review_status"] == "approved"
    with pytest.raises(UserError, match="failed"):
        dialogue_review.reject_dialogue(store, 2, ACTOR)
    dialogue_review.edit_turn(store, 2, "Tired. Someone from Boston called me about Tom Baker.", ACTOR)
    span = store.db["pii_spans"].get(10)
    assert (span["start"], span["decision"]) == (43, "pending")              # followed its text
    assert store.db["pii_spans"].get(11)["start"] == 20
    dialogue_review.edit_turn(store, 2, "Tired. Someone called me.", ACTOR)
    assert {store.db["pii_spans"].get(i)["decision"] for i in (10, 11)} == {review.REMOVED}
    with pytest.raises(UserError):
        dialogue_review.edit_turn(store, 2, "   ", ACTOR)
    ids = dialogue_review.add_dialogue_spans(store, 1, "someone", "PERSON", ACTOR)
    assert [store.db["pii_spans"].get(i)["text"] for i in ids] == ["Someone"]
    assert [review.undo_last(store, ACTOR).action for _ in range(4)] == [
        "span.add", "turn.edit", "turn.edit", "dialogue.approve"]
    assert store.db["turns"].get(2)["content"] == "Tired. Tom Baker from Boston called me about Tom Baker."
    assert [(s["start"], s["decision"]) for s in (store.db["pii_spans"].get(i) for i in (10, 11))] == [
        (7, "pending"), (22, "pending")]
    assert store.db["dialogues"].get(1)["review_status"] is None
