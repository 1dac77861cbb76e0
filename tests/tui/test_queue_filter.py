"""The review queue filters by entity type, source, status, generator, run and grounding, typed as
`type:PERSON source:1 …` after `/`; a Search result becomes a queue (ctrl+r). Issue 28, item 3."""

from __future__ import annotations

import pytest
from tuihelp import drive, text_of, type_text

from onprem.store import open_store
from onprem.store.pairs import PairFilter
from onprem.store.review_queue import queue_counts, queue_step


def test_a_typed_filter_reads_as_the_fields_it_names():
    f = PairFilter.parse("type:facility source:1 doctor grounding<0.5 generator:paraphrase status:kept run:1 sleep")
    assert f == PairFilter(entity_type="FACILITY", source_id=1, max_grounding=0.5, generator="paraphrase",
                           status="kept", run_id=1, text="doctor sleep")
    assert PairFilter.parse(f.describe()) == f
    assert PairFilter.parse("") == PairFilter() and PairFilter().describe() == ""
    assert PairFilter.parse("colour:red").text == "colour:red"      # not a filter word: searched as text
    with pytest.raises(ValueError, match="source:x"):
        PairFilter.parse("source:x")


def test_each_filter_narrows_the_queue(db_path):
    store = open_store(db_path)
    with store.atomic():
        store.db["qa_pairs"].update(1, {"grounding": 0.1})
        store.db["qa_pairs"].update(2, {"grounding": 0.8})
    total = lambda line: queue_counts(store, PairFilter.parse(line))["total"]   # noqa: E731
    first = lambda line: queue_step(store, None, f=PairFilter.parse(line))["id"]  # noqa: E731
    assert total("") == 2                                  # pairs 1 (flagged) and 2 (its page has findings)
    assert total("type:FACILITY") == 1 and first("type:FACILITY") == 2
    assert total("type:PHONE_NUMBER") == 1 and first("type:phone_number") == 1
    assert total("status:flagged") == 1 and first("status:flagged") == 1
    assert total("source:1") == 2 and total("source:2") == 0
    assert total("generator:paraphrase") == 2 and total("generator:counselling-qa") == 0
    assert total("run:1") == 2 and total("run:9") == 0
    assert total("grounding<0.3") == 1 and first("grounding<0.3") == 1
    assert total("doctor type:FACILITY") == 1 and total("doctor type:PHONE_NUMBER") == 0
    store.close()


def test_slash_filters_the_review_queue(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        before = screen.pair["id"]
        await pilot.press("slash")
        await type_text(pilot, "type:FACILITY")
        await pilot.press("enter")
        await pilot.pause()
        return before, screen.pair["id"], text_of(screen.query_one("#counter"))

    before, after, counter = drive(db_path, scenario, start="review")
    assert (before, after) == (1, 2)
    assert "0 / 1 reviewed" in counter and "filter “type:FACILITY”" in counter


def test_a_search_result_becomes_a_queue(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#filter-status").value = "flagged"
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        queue = pilot.app.screen
        return type(queue).__name__, queue.pair["id"], text_of(queue.query_one("#counter"))

    name, pair, counter = drive(db_path, scenario, start="search")
    assert name == "ReviewScreen" and pair == 1
    assert "0 / 1 reviewed" in counter and "status:flagged" in counter


def test_the_dialogue_queue_filters_by_generator_status_finding_and_words(dlg_path):
    from onprem.store.dialogue_queries import DialogueFilter, dialogue_queue_counts, dialogue_queue_step

    f = DialogueFilter.parse("generator:sqpsych status:capped type:person brother")
    assert f == DialogueFilter(generator="sqpsych", status="capped", entity_type="PERSON", text="brother")
    assert DialogueFilter.parse(f.describe()) == f
    store = open_store(dlg_path)
    with store.atomic():
        store.db["dialogues"].update(2, {"review_status": "approved"})      # reviewed: in the queue, not pending
    count = lambda line: dialogue_queue_counts(store, DialogueFilter.parse(line))   # noqa: E731
    assert count("") == {"total": 2, "pending": 1, "reviewed": 1}
    assert count("type:LOCATION")["total"] == 1 and count("status:ended") == {"total": 1, "pending": 0, "reviewed": 1}
    assert count("worry morning")["total"] == 1 and count("brother")["pending"] == 1
    assert count("generator:pe")["total"] == 0
    assert dialogue_queue_step(store, None, pending=False, f=DialogueFilter.parse("worry")) == 2
    assert dialogue_queue_step(store, None, f=DialogueFilter.parse("worry")) is None
    store.close()


def test_slash_filters_the_dialogue_queue(dlg_path):
    async def scenario(pilot):
        await pilot.press("3", "d")
        screen = pilot.app.screen
        first = text_of(screen.query_one("#counter"))
        await pilot.press("slash")
        await type_text(pilot, "type:EMAIL_ADDRESS")
        await pilot.press("enter")
        await pilot.pause()
        none = text_of(screen.query_one("#counter"))
        await pilot.press("slash", "ctrl+u")
        await type_text(pilot, "type:LOCATION")
        await pilot.press("enter")
        await pilot.pause()
        return first, none, text_of(screen.query_one("#counter")), screen.dialogue["id"]

    first, none, located, shown = drive(dlg_path, scenario)
    assert "item 1" in first and "#1 C001" in first
    assert "nothing left to review matching “type:EMAIL_ADDRESS”" in none
    assert "filter “type:LOCATION”" in located and shown == 1


def test_the_uncertain_queue_filters_by_type_source_and_words(db_path):
    from test_uncertain import add_uncertain

    from onprem.store.uncertain import UncertainFilter, pending

    add_uncertain(db_path)
    store = open_store(db_path)
    texts = lambda line: [r["text"] for r in pending(store, f=UncertainFilter.parse(line))]   # noqa: E731
    assert texts("") == ["Will", "nights"] and texts("type:person") == ["Will", "nights"]
    assert texts("source:2") == ["nights"] and texts("NIGHT") == ["nights"] and texts("type:LOCATION") == []
    with pytest.raises(ValueError, match="source:x"):
        UncertainFilter.parse("source:x")
    store.close()

    async def scenario(pilot):
        await pilot.press("3", "i")
        screen = pilot.app.screen
        await pilot.press("slash")
        await type_text(pilot, "nights")
        await pilot.press("enter")
        await pilot.pause()
        return text_of(screen.query_one("#uncertain-counter")), text_of(screen.query_one("#uncertain-sentence"))

    counter, sentence = drive(db_path, scenario)
    assert "1 of 1" in counter and "filter “nights”" in counter and "nights" in sentence
