"""Scoring against a truth file of spans or values."""

from __future__ import annotations

import json

import pytest

from redaction import Span
from redaction.evaluate import ANY, evaluate, f_beta, load_truth, score_document, format_table
from redaction.evaluate import TruthSpan


def test_f_beta():
    assert f_beta(1.0, 1.0) == 1.0
    assert f_beta(0.0, 0.0) == 0.0
    assert f_beta(0.5, 1.0) == pytest.approx(5 * 0.5 / (4 * 0.5 + 1))


def test_score_document_counts_by_type():
    pred = [Span(0, 5, "PERSON", 1, "r", "Jenny"), Span(10, 14, "LOCATION", 1, "r", "Ohio"), Span(20, 24, "PERSON", 1, "r", "x")]
    truth = [TruthSpan(0, 5, "PERSON"), TruthSpan(10, 14, "ZIP_CODE"), TruthSpan(30, 40, "PHONE_NUMBER")]
    c = score_document(pred, truth)
    assert (c["PERSON"].tp, c["PERSON"].fp, c["PERSON"].fn) == (1, 1, 0)
    assert (c["ZIP_CODE"].tp, c["ZIP_CODE"].fn) == (0, 1)
    assert c["LOCATION"].fp == 1
    assert (c[ANY].tp, c[ANY].fp, c[ANY].fn) == (2, 1, 1)


def test_evaluate_with_values_and_spans(tmp_path, redactor):
    text = "Client: my sister jenny's number is 555-201-3344.\nTherapist: okay."
    truth = {"documents": [
        {"id": "a", "text": text, "values": [
            {"value": "jenny", "entity_type": "NAME"},  # alias of PERSON
            {"value": "555-201-3344", "entity_type": "PHONE_NUMBER"},
            {"value": "not in text", "entity_type": "PERSON"},
        ]},
        {"id": "b", "text": "Client: I feel okay.", "spans": []},
    ]}
    p = tmp_path / "truth.json"
    p.write_text(json.dumps(truth))
    scores = evaluate(load_truth(p), redactor.analyze)
    assert scores["PHONE_NUMBER"].recall == 1.0
    assert scores["PERSON"].tp == 1
    assert scores[ANY].fn == 1  # the value that never occurs counts as missed
    table = format_table(scores)
    assert "PHONE_NUMBER" in table and "f2" in table
