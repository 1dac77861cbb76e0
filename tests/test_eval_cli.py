"""`onprem eval redaction --truth FILE [TEXTS...]` on a tiny truth set with exact expected figures."""

from __future__ import annotations

import json

import pytest

A = "Client: my sister jenny's number is 555-201-3344.\nTherapist: okay, thank you.\n"
B = "Client: I live at 42 Maple Street in Dayton, Ohio.\nTherapist: How long have you been there?\n"
C = "Client: my brother tobias called again.\n"


@pytest.fixture
def truthset(tmp_path):
    """A: inline text with spans (one under an alias); B: a file with values, one of an unscored
    type (STATE) and one that never occurs; C: a file whose truth is empty, so its name is a
    false positive."""
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    (tmp_path / "c.txt").write_text(C, encoding="utf-8")
    truth = {"documents": [
        {"id": "a", "text": A, "spans": [
            {"start": 18, "end": 23, "entity_type": "NAME"},
            {"start": 36, "end": 48, "entity_type": "PHONE_NUMBER"},
        ]},
        {"file": "b.txt", "values": [
            {"value": "42 Maple Street", "entity_type": "ADDRESS"},
            {"value": "Dayton", "entity_type": "CITY"},
            {"value": "Ohio", "entity_type": "STATE"},
            {"value": "17 Zanzibar Road", "entity_type": "STREET_ADDRESS"},
        ]},
        {"file": "c.txt", "spans": []},
    ]}
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(truth), encoding="utf-8")
    return path


def scores_of(result) -> dict:
    return json.loads(result.output)["scores"]


def test_exact_figures_per_type(cli, truthset):
    r = cli("eval", "redaction", "--truth", truthset, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    s = data["scores"]
    assert s["PERSON"] == {"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f2": 0.8333}
    assert s["PHONE_NUMBER"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f2": 1.0}
    assert s["STREET_ADDRESS"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f2": 0.5556}
    assert s["LOCATION"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f2": 1.0}
    assert s["ANY"] == {"tp": 4, "fp": 1, "fn": 1, "precision": 0.8, "recall": 0.8, "f2": 0.8}
    assert data["documents"] == 3 and data["ignored_truth_entries"] == 1 and data["failed"] == 0


def test_table_and_misses(cli, truthset):
    r = cli("eval", "redaction", "--truth", truthset, "--show-misses", "5")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["entity", "tp", "fp", "fn", "prec", "recall", "f2"]
    row = next(l for l in lines if l.startswith("STREET_ADDRESS"))
    assert row.split() == ["STREET_ADDRESS", "1", "0", "1", "1.000", "0.500", "0.556"]
    assert "missed STREET_ADDRESS in b.txt (value not in text): '17 Zanzibar Road'" in r.output
    assert "1 truth entries of unscored types left out" in r.output


def test_texts_are_matched_to_truth_by_file_name(cli, truthset, tmp_path):
    r = cli("eval", "redaction", "--truth", truthset, tmp_path / "b.txt", tmp_path / "c.txt", "--json")
    assert r.exit_code == 0, r.output
    s = scores_of(r)
    assert s["ANY"]["tp"] == 2 and s["ANY"]["fn"] == 1 and s["ANY"]["fp"] == 1
    assert "PHONE_NUMBER" not in s  # document a was not among the texts
    extra = tmp_path / "extra.txt"
    extra.write_text("Client: nothing here.\n", encoding="utf-8")
    r = cli("eval", "redaction", "--truth", truthset, tmp_path / "b.txt", extra)
    assert r.exit_code == 1
    assert 'extra.txt: no document in' in r.output and '"file": "extra.txt"' in r.output


def test_unknown_entity_types_are_an_error_until_mapped(cli, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": "x", "text": C, "values": [{"value": "tobias", "entity_type": "KIN_NAME"}]}]))
    r = cli("eval", "redaction", "--truth", path)
    assert r.exit_code == 2
    assert "document 1 (x) value 1: entity type 'KIN_NAME' is neither one of ours nor in the alias table" in r.output
    r = cli("eval", "redaction", "--truth", path, "--alias", "kin_name=PERSON", "--json")
    assert r.exit_code == 0, r.output
    assert scores_of(r)["PERSON"]["tp"] == 1
    r = cli("eval", "redaction", "--truth", path, "--alias", "KIN_NAME=ignore", "--json")
    assert scores_of(r)["PERSON"] == {"tp": 0, "fp": 1, "fn": 0, "precision": 0.0, "recall": 1.0, "f2": 0.0}
    r = cli("eval", "redaction", "--truth", path, "--alias", "KIN_NAME=NICKNAME")
    assert r.exit_code == 2 and "NICKNAME is not one of our entity types" in r.output
    r = cli("eval", "redaction", "--truth", path, "--alias", "KIN_NAME")
    assert r.exit_code == 2 and "write NAME=TYPE" in r.output


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON (line 1"),
    ('{"docs": []}', 'truth must be a list of documents'),
    ('[{"text": "abc"}]', "document 1: has neither 'spans' nor 'values'"),
    ('[{"spans": []}]', "document 1: has neither 'text' nor 'file'"),
    ('[{"id": "q", "text": "abc", "spans": [{"start": 2, "end": 1, "entity_type": "PERSON"}]}]',
     "document 1 (q) span 1: start 2 / end 1 do not make a non-empty span"),
    ('[{"text": "abc", "spans": [{"start": 0, "entity_type": "PERSON"}]}]', "needs integer 'start' and 'end'"),
    ("[]", "has no documents to score"),
])
def test_malformed_truth_files_name_the_problem(cli, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    r = cli("eval", "redaction", "--truth", path)
    assert r.exit_code == 2, r.output
    assert message in r.output and "bad.json" in r.output
    assert len(r.output.strip().splitlines()) == 1  # one line, no traceback


def test_offsets_past_the_text_and_missing_files_fail_that_document(cli, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"documents": [
        {"id": "short", "text": "abc", "spans": [{"start": 0, "end": 10, "entity_type": "PERSON"}]},
        {"file": "gone.txt", "values": []},
        {"id": "ok", "text": C, "values": [{"value": "tobias", "entity_type": "PERSON"}]},
    ]}))
    r = cli("eval", "redaction", "--truth", path, "--json")
    assert r.exit_code == 1
    assert "span 0-10 runs past the end of the text" in r.output
    assert "gone.txt: cannot be read" in r.output
    assert json.loads(r.output[r.output.index("{"):])["scores"]["PERSON"]["tp"] == 1


def test_missing_truth_file_is_a_usage_error(cli, tmp_path):
    r = cli("eval", "redaction", "--truth", tmp_path / "nope.json")
    assert r.exit_code == 2 and "nope.json: no such truth file" in r.output
