"""The tool's own method words are never a finding in generated dialogues (issue 28, item 3): the
papers register their vocabulary (CBT distortions and techniques, instruments, PE phases and
behaviours, EPITOME's dimensions) and the dialogue scan drops a finding that is one of them, on
the real engine; a name beside them is still found."""

from __future__ import annotations

from onprem.dialogue.scan import load_analyzer
from onprem.plugins import vocabulary
from redaction.redactor import drop_allowed
from redaction.results import Span


def test_the_papers_register_their_method_words():
    v = vocabulary()
    assert {"catastrophizing", "mind reading", "decatastrophizing", "thought records", "phq-9",
            "imaginal exposure", "emotional reactions"} <= v
    assert "european" not in v and "teacher" not in v           # profile categories are not method words


def test_drop_allowed_by_text_and_by_occurrence():
    text = "Try Thought Records with Dana."
    spans = [Span(4, 11, "PERSON", 0.9, "x", "Thought"), Span(4, 19, "FACILITY", 0.6, "x", "Thought Records"),
             Span(25, 29, "PERSON", 0.9, "x", "Dana")]
    kept = drop_allowed(text, spans, {"thought records"})
    assert [s.text for s in kept] == ["Dana"]
    assert drop_allowed(text, spans, set()) == spans
    # a term must stand as words: "records" inside "recordsman" is not an occurrence
    assert drop_allowed("the recordsman", [Span(4, 14, "PERSON", 0.9, "x", "recordsman")], {"records"})


def test_the_dialogue_scan_does_not_flag_the_method_but_flags_a_name(redactor):
    analyze = load_analyzer()
    before = [(s.entity_type, s.text) for s in redactor.analyze("I notice some Mind Reading and Catastrophizing here.")]
    assert ("PERSON", "Catastrophizing") in before                  # what the engine alone says
    assert analyze("I notice some Mind Reading and Catastrophizing here.") == []
    assert analyze("Let us use Decatastrophizing together.") == []
    assert [s.text for s in analyze("Decatastrophizing helped, said Marcus Delgado.")] == ["Marcus Delgado"]
