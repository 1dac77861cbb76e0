"""Control flow of the paraphrase pipeline on a scripted model, with real SQLite and Presidio."""

import json

import pytest
from tests.conftest import sent

from onprem.pipeline import paraphrase as pp
from onprem.store.pages import pages_to_do
from onprem.pipeline.ingest import ingest, read_document
from onprem.runs import start_run

OPTS = pp.Options(roles=("client", "therapist"), retries=1, min_grounding=0.0)  # control flow: grounding has its own tests


def words(n, w):
    return " ".join(f"{w}{i}" for i in range(n))


def pair(q=45, a=50):
    return json.dumps({"question": words(q, "q"), "answer": words(a, "a")})


@pytest.fixture
def three_pages(tmp_path, store, redactor):
    f = tmp_path / "s.txt"
    f.write_text("Therapist: first page\fClient: second page\fTherapist: third page")
    sid, _ = ingest(store, read_document(f), redactor=redactor, budget=500, count_tokens=lambda t: len(t.split()))
    return sid


def run(store, model, redactor, sid, opts=OPTS):
    run_id = start_run(store, "paraphrase", models={"paraphrase": model}, params=opts.params(), seed=opts.seed)
    pages = pages_to_do(store, [sid], opts.force)
    return pp.run_pages(store, model, redactor, pages, opts, run_id)


def statuses(store):
    return [(r["seq"], r["status"]) for r in store.db.query("select seq, status from qa_pairs order by id")]


def test_kept_filtered_and_failed_pages_are_all_recorded_in_order(store, redactor, scripted, three_pages):
    # Page 2 has 40 grammar "words", but five are dashes: the word filter counts 35 and drops it.
    dashes = json.dumps({"question": "-- " * 5 + words(35, "q"), "answer": words(50, "a")})
    scripted.replies = [pair(), dashes, "not json", "{\"question\": \"\"}"]
    tally = run(store, scripted, redactor, three_pages)
    assert (tally.kept, tally.filtered, tally.failed) == (1, 1, 1)
    assert statuses(store) == [(0, "kept"), (1, "filtered"), (2, "failed")]
    failed = store.db.execute("select reason from qa_pairs where status='failed'").fetchone()[0]
    assert "after 2 attempts" in failed
    page = store.db.execute("select status, error from pages where seq = 2").fetchone()
    assert page[0] == "failed" and "invalid output" in page[1]
    filtered = store.db.execute("select reason from qa_pairs where status='filtered'").fetchone()[0]
    assert filtered == "question has 35 words (minimum 40 each)"


def test_a_page_with_little_to_say_is_filtered_not_padded(store, redactor, scripted, three_pages):
    """A short pair is what the model was free to write; the word filter drops it (MentalChat16K),
    and the request held the model to the shape only, never to a length."""
    scripted.replies = [json.dumps({"question": "Hello, how are you?", "answer": "Fine, thank you."}), pair(), pair()]
    tally = run(store, scripted, redactor, three_pages)
    assert (tally.kept, tally.filtered, tally.failed) == (2, 1, 0)
    reason = store.db.execute("select reason from qa_pairs where seq = 0").fetchone()[0]
    assert reason == "question has 4 words; answer has 3 words (minimum 40 each)"
    assert all(r.schema is pp.QAPair for r in scripted.requests)


def test_invalid_output_is_retried_with_a_new_seed(store, redactor, scripted, three_pages):
    scripted.replies = ["{broken", pair(), pair(), pair()]
    tally = run(store, scripted, redactor, three_pages)
    assert tally.kept == 3 and tally.failed == 0


def test_prompt_is_built_from_redacted_text_only(tmp_path, store, redactor, scripted):
    f = tmp_path / "pii.txt"
    f.write_text("Client: My name is Jonathan Whitaker and my number is 555-867-5309.\nTherapist: Thank you.")
    sid, _ = ingest(store, read_document(f), redactor=redactor, budget=500, count_tokens=lambda t: len(t.split()))
    run(store, scripted, redactor, sid)
    assert "Whitaker" not in sent(scripted)[0] and "867-5309" not in sent(scripted)[0]
    assert "[PERSON_1]" in sent(scripted)[0]


def test_identifier_leaking_into_output_flags_the_pair(tmp_path, store, redactor, scripted):
    f = tmp_path / "leak.txt"
    f.write_text("Client: You can reach me at 555-867-5309 any evening.\nTherapist: Noted, thank you.")
    sid, _ = ingest(store, read_document(f), redactor=redactor, budget=500, count_tokens=lambda t: len(t.split()))
    scripted.replies = [json.dumps({"question": words(44, "q") + " call 555 867 5309", "answer": words(50, "a")})]
    run(store, scripted, redactor, sid)
    row = store.db.execute("select id, status, reason from qa_pairs").fetchone()
    assert row[1] == "flagged" and "from the page" in row[2]
    leaks = list(store.db.query("select * from pii_spans where pair_id = ? and finding = 'leak'", [row[0]]))
    assert leaks and leaks[0]["entity_type"] == "PHONE_NUMBER" and leaks[0]["decision"] == "pending"


def test_rerun_resumes_and_force_supersedes(store, redactor, scripted, three_pages):
    run(store, scripted, redactor, three_pages)
    assert run(store, scripted, redactor, three_pages).pages == 0  # nothing left to do
    forced = pp.Options(roles=OPTS.roles, force=True, min_grounding=0.0)
    assert run(store, scripted, redactor, three_pages, forced).pages == 3
    counts = dict(store.db.execute("select status, count(*) from qa_pairs group by status").fetchall())
    assert counts == {"kept": 3, "superseded": 3}


def test_crash_mid_page_leaves_no_partial_rows(store, redactor, scripted, three_pages):
    scripted.replies = [pair(), KeyboardInterrupt()]
    with pytest.raises(KeyboardInterrupt):
        run(store, scripted, redactor, three_pages)
    assert statuses(store) == [(0, "kept")]
    pending = [r[0] for r in store.db.execute("select seq from pages where status = 'pending' order by seq")]
    assert pending == [1, 2]
    # Resuming finishes exactly the pages left, in order.
    run(store, scripted, redactor, three_pages)
    assert statuses(store) == [(0, "kept"), (1, "kept"), (2, "kept")]


def test_item_seed_depends_only_on_run_seed_and_item():
    from onprem.seeds import derive_seed

    assert derive_seed(42, "text") == derive_seed(42, "text")
    assert derive_seed(42, "text") != derive_seed(43, "text")
    assert derive_seed(42, "text") != derive_seed(42, "other")


def test_page_budget_leaves_room_for_prompt_and_answer(scripted):
    scripted.n_ctx = 1536
    assert pp.page_budget(scripted, OPTS) == 1536 - pp.PROMPT_OVERHEAD_TOKENS - OPTS.sampling.max_tokens


def test_schema_fixes_the_shape_not_the_length():
    """The 40-word rule is a filter (MentalChat16K drops short pairs); the grammar must not make a
    model pad a page that has nothing to say."""
    from llama_cpp import LlamaGrammar

    schema = pp.QAPair
    schema.model_validate_json(json.dumps({"question": "Hi.", "answer": "Hello."}))
    grammar = LlamaGrammar.from_json_schema(json.dumps(schema.model_json_schema()), verbose=False)
    assert "question" in grammar._grammar and "{39,}" not in grammar._grammar
    assert not hasattr(pp, "pair_schema")


# --- what the model wrote, checked against what it was given -----------------------------------

PAGE = ("Client: Since the move I cannot sleep, and I lie awake worrying about money and my job.\n"
        "Therapist: Worry at night is exhausting. What could you put down on paper before bed?")


def grounded_pair() -> str:
    q = ("Since the move I cannot sleep at night and I lie awake worrying about money and about my job, "
         "which leaves me exhausted every single morning and unable to think clearly at work or at home. "
         "Is there something to try for the worry?")
    a = ("Worry at night is exhausting, and it makes sense after a move. Before bed you could put the worries "
         "about money and the job down on paper, so your mind can let go of them until the morning, and then "
         "look at the list together with someone you trust during the day.")
    return json.dumps({"question": q, "answer": a})


def copying_pair() -> str:
    told = pp.instructions_of(pp.Options())
    run = " ".join(told.split()[12:20])                    # eight words of the instructions
    return json.dumps({"question": f"{run} " + words(40, "q"), "answer": words(45, "a")})


@pytest.fixture
def one_page(tmp_path, store, redactor):
    f = tmp_path / "p.txt"
    f.write_text(PAGE)
    sid, _ = ingest(store, read_document(f), redactor=redactor, budget=500, count_tokens=lambda t: len(t.split()))
    return sid


def test_a_pair_that_copies_the_instructions_is_drawn_again(store, redactor, scripted, one_page):
    scripted.replies = [copying_pair(), grounded_pair()]
    run(store, scripted, redactor, one_page, pp.Options(roles=OPTS.roles))
    row = store.db.execute("select status, reason, grounding from qa_pairs").fetchone()
    assert row[0] == "kept" and row[1] is None and row[2] == 0.486, row
    assert len(scripted.requests) == 2 and scripted.requests[0].seed != scripted.requests[1].seed


def test_a_pair_that_keeps_copying_is_filtered_with_the_words_named(store, redactor, scripted, one_page):
    scripted.replies = [copying_pair()] * 3
    run(store, scripted, redactor, one_page, pp.Options(roles=OPTS.roles, retries=2))
    status, reason = store.db.execute("select status, reason from qa_pairs").fetchone()
    assert status == "filtered" and reason.startswith("copies the prompt's instructions (\"") and "in 3 tries" in reason


def test_words_the_page_itself_says_may_be_quoted(store, redactor, scripted, tmp_path):
    """The page is not the instructions: a run shared with the page is no copy."""
    from onprem.textcheck import copied_run

    told = pp.instructions_of(pp.Options())
    run_ = " ".join(told.split()[12:20])
    assert copied_run(f"as they said {run_}", told) is not None
    assert copied_run(f"as they said {run_}", told, allowed=f"Client: {run_}") is None


def test_an_ungrounded_pair_is_flagged_for_review_with_its_score(store, redactor, scripted, one_page):
    scripted.replies = [json.dumps({"question": words(45, "q"), "answer": words(50, "a")})]
    run(store, scripted, redactor, one_page, pp.Options(roles=OPTS.roles))
    status, reason, g = store.db.execute("select status, reason, grounding from qa_pairs").fetchone()
    assert status == "flagged" and g == 0.0
    assert reason == "ungrounded: 0.00 of its content words are on the page (--min-grounding 0.3)"


def test_grounding_score_by_hand():
    from onprem.textcheck import content_words, grounding

    assert content_words("I was sleeping badly; my worries about money!") == ["sleep", "bad", "worry", "money"]
    # 3 of the 4 content words (sleep, worry, money) are on the page; "badly" is not.
    assert grounding("I was sleeping badly; my worries about money!", "I sleep. I worry about money.") == 0.75
    assert grounding("and the of", "anything") == 0.0
