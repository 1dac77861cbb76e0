"""The uncertain queue in the TUI (issue 23, item 3): Review, `i`, one finding at a time in its
sentence, `y` redacts it on every page of the transcript, `n` keeps it; each audited."""

from __future__ import annotations

from tuihelp import drive, rows, text_of

from onprem.store import open_store
from tui.screens.uncertain import UncertainScreen


def add_uncertain(db_path) -> None:
    store = open_store(db_path)
    with store.atomic() as db:
        for sid, pid, word in ((1, 2, "Will"), (2, 3, "nights")):
            text = db["pages"].get(pid)["text"]
            start = text.index(word)
            db["pii_spans"].insert({"source_id": sid, "page_id": pid, "field": "page", "start": start,
                                    "end": start + len(word), "entity_type": "PERSON", "score": 0.35,
                                    "recognizer": "PersonWordSlotRecognizer", "text": word,
                                    "finding": "uncertain", "decision": "pending"})
    store.close()


def test_uncertain_queue_shows_the_sentence_and_decides_with_one_key(db_path):
    add_uncertain(db_path)

    async def scenario(pilot):
        await pilot.press("1")                       # the overview says what waits, and where
        overview = text_of(pilot.app.screen.query_one("#ov-findings"))
        assert "2 uncertain: decide them in Review, key i" in overview
        await pilot.press("3")
        await pilot.press("i")
        screen = pilot.app.screen
        assert isinstance(screen, UncertainScreen)
        first = (text_of(screen.query_one("#uncertain-counter")), text_of(screen.query_one("#uncertain-sentence")),
                 text_of(screen.query_one("#uncertain-detail")))
        await pilot.press("j")
        second = text_of(screen.query_one("#uncertain-sentence"))
        await pilot.press("n")                       # "nights": not identifying
        await pilot.press("y")                       # "Will": a name
        done = text_of(screen.query_one("#uncertain-counter"))
        await pilot.press("escape")
        return first, second, done, type(pilot.app.screen).__name__

    (counter, sentence, detail), second, done, back = drive(db_path, scenario, start="overview")
    assert "1 of 2" in counter and "y redact" in counter
    # the sentence with the page's identifiers already replaced: never another identifier in clear
    assert "Will" in sentence and "[PERSON_2]" in sentence and "Adeyemi" not in sentence and "Mercy" not in sentence
    assert "PERSON" in detail and "visit1.txt, page 2" in detail
    assert "nights" in second
    assert "No uncertain findings" in done and back == "ReviewScreen"
    decided = rows(db_path, "select text, decision, placeholder from pii_spans where finding = 'uncertain' order by id")
    assert [(r["text"], r["decision"]) for r in decided] == [("Will", "confirmed"), ("nights", "rejected")]
    page = rows(db_path, "select redacted_text from pages where id = 2")[0]["redacted_text"]
    assert "Will" not in page and decided[0]["placeholder"] in page
    assert [r["action"] for r in rows(db_path, "select action from audit order by id")] == ["uncertain.keep",
                                                                                         "uncertain.accept"]


def test_u_undoes_an_accept_and_a_keep_in_the_uncertain_queue(db_path):
    """Undo is the same key here as in the review queues (issue 28, item 4): an accepted finding's pages,
    pairs and findings go back as they were; a kept one waits again. Each undo is an audit row."""
    add_uncertain(db_path)
    before = {r["id"]: r["redacted_text"] for r in rows(db_path, "select id, redacted_text from pages")}
    spans_before = rows(db_path, "select count(*) n from pii_spans")[0]["n"]

    async def scenario(pilot):
        await pilot.press("3", "i")
        screen = pilot.app.screen
        await pilot.press("y")                       # "Will": redact it everywhere
        await pilot.pause()
        changed = {r["id"]: r["redacted_text"] for r in rows(db_path, "select id, redacted_text from pages")}
        await pilot.press("u")
        await pilot.pause()
        after_undo = {r["id"]: r["redacted_text"] for r in rows(db_path, "select id, redacted_text from pages")}
        n_pending = len(screen.items)
        await pilot.press("n")
        await pilot.press("u")
        await pilot.pause()
        return changed, after_undo, n_pending, len(screen.items)

    changed, after_undo, n_pending, n_again = drive(db_path, scenario, start="overview")
    assert changed != before and after_undo == before
    assert n_pending == 2 and n_again == 2                     # both wait for a decision again
    assert rows(db_path, "select count(*) n from pii_spans")[0]["n"] == spans_before
    acts = [r["action"] for r in rows(db_path, "select action from audit order by id")]
    assert acts == ["uncertain.accept", "undo", "uncertain.keep", "undo"]
