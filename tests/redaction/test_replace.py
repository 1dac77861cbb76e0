"""Placeholders and surrogates stay consistent within a transcript."""

from __future__ import annotations

import json
import re

import pytest

from redaction import PlaceholderMap, Span, apply

PAGE1 = "JENNY: My sister jenny said to call 555-201-3344.\nTherapist: And Dr. Adeyemi?\n"
PAGE2 = "Client: Jenny Okafor called me from (555) 201 3344 again. Dr. Adeyemi knows.\n"


def test_same_person_same_placeholder_across_pages(redactor):
    m = PlaceholderMap()
    r1 = redactor.redact(PAGE1, m)
    m2 = PlaceholderMap.from_dict(json.loads(json.dumps(m.to_dict())))  # stored and loaded
    r2 = redactor.redact(PAGE2, m2)
    by1 = {s.text.lower(): s.placeholder for s in r1.spans}
    by2 = {s.text.lower(): s.placeholder for s in r2.spans}
    assert by1["jenny"] == "[PERSON_1]"
    assert r1.text.startswith("[PERSON_1]: My sister [PERSON_1]")
    assert by2["jenny okafor"] == by1["jenny"]
    assert by2["adeyemi"] == by1["adeyemi"]
    assert by2["(555) 201 3344"] == by1["555-201-3344"] == "[PHONE_1]"
    for s in r1.spans + r2.spans:
        assert s.placeholder


def test_spans_use_original_offsets(redactor):
    res = redactor.redact(PAGE1, PlaceholderMap())
    for s in res.spans:
        assert PAGE1[s.start:s.end] == s.text


def test_surrogate_style_is_consistent_and_realistic(redactor):
    m = PlaceholderMap(seed="fixed")
    r1 = redactor.redact(PAGE1, m, style="surrogate")
    r2 = redactor.redact(PAGE2, PlaceholderMap.from_dict(m.to_dict()), style="surrogate")
    assert "jenny" not in r1.text.lower() and "3344" not in r1.text
    assert "[" not in r1.text
    phone1 = next(s.placeholder for s in r1.spans if s.entity_type == "PHONE_NUMBER")
    phone2 = next(s.placeholder for s in r2.spans if s.entity_type == "PHONE_NUMBER")
    assert phone1 == phone2 and re.fullmatch(r"555-\d{3}-\d{4}", phone1)
    names = {s.text.lower(): s.placeholder for s in r1.spans if s.entity_type == "PERSON"}
    assert names["jenny"].islower()  # case follows the original
    # Same seed, same input: same surrogates.
    again = redactor.redact(PAGE1, PlaceholderMap(seed="fixed"), style="surrogate")
    assert again.text == r1.text


def test_mapping_round_trip():
    m = PlaceholderMap(seed="s")
    assert m.assign("PERSON", "Jenny") == "[PERSON_1]"
    assert m.assign("PERSON", "Marcus") == "[PERSON_2]"
    assert m.assign("PHONE_NUMBER", "555-201-3344", "surrogate").startswith("555-")
    d = m.to_dict()
    back = PlaceholderMap.from_dict(json.loads(json.dumps(d)))
    assert back == m
    assert back.assign("PERSON", "JENNY") == "[PERSON_1]"
    assert back.assign("PERSON", "Ruth") == "[PERSON_3]"
    assert back.original("[PERSON_2]") == "Marcus"
    assert PlaceholderMap.from_dict(None).to_dict()["entries"] == []
    with pytest.raises(ValueError):
        PlaceholderMap.from_dict({"version": 99})
    with pytest.raises(ValueError):
        m.assign("PERSON", "x", style="shout")


def test_ambiguous_surname_is_not_merged():
    m = PlaceholderMap()
    a = m.assign("PERSON", "John Okafor")
    b = m.assign("PERSON", "Jane Okafor")
    assert a != b
    assert m.assign("PERSON", "Okafor") not in (a, b)  # ambiguous: a new placeholder


def test_apply_with_reviewed_spans():
    text = "Client: call Ruth tomorrow."
    spans = [Span(13, 17, "PERSON", 1.0, "person", "Ruth")]
    res = apply(text, spans, PlaceholderMap())
    assert res.text == "Client: call [PERSON_1] tomorrow."
    assert res.spans[0].placeholder == "[PERSON_1]"
