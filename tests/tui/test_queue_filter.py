"""The review queue filters by entity type, source, status, generator, run and grounding, typed as
`type:PERSON source:1 …` after `/`; a Search result becomes a queue (ctrl+r). Issue 28, item 3."""

from __future__ import annotations

import pytest
from tuihelp import drive, text_of, type_text

from onprem.store import open_store
from onprem.store.queries import PairFilter, queue_counts, queue_step


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
