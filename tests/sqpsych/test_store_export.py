"""Dialogues through the store: resume, supersede, judge, export formats and the redaction gate."""

from __future__ import annotations

import io
import json

import prompts
import pytest

from onprem.dialogue import store as dstore
from onprem.dialogue.export import WRITERS, select_dialogues
from onprem.dialogue.judge import Rubric, Criterion, judge, render_fitting, rubric_schema
from onprem.dialogue.profiles import build_profile
from onprem.dialogue.roleplay import Limits
from onprem.dialogue.runner import run_dialogues
from onprem.generators import sqpsych as gen
from onprem.model.runtime import Sampling
from onprem.pipeline.export import Policy, export
from onprem.questionnaires import read_records
from onprem.store.queries import overview

from .conftest import EXAMPLES, FakeModel, say, word


def _lines(prefix):
    n = {"i": 0}

    def reply(_req, _seed):
        n["i"] += 1
        return say(f"{prefix} says thing {word(n['i'])}", end=False)
    return reply


def _generate(store, catalog, model, force=False, limit=2):
    records = read_records(EXAMPLES / "clients.csv", catalog).records[:limit]
    items = [(dstore.save_profile(store, p, "clients.csv", {}), p) for p in (build_profile(catalog, r) for r in records)]
    opts = gen.Options(limits=Limits(max_turns=4, min_turns=2))
    return run_dialogues(store, gen.NAME, items, make_agents=gen.make_agents(model, model, opts), limits=opts.limits,
                         seed=1, run_id=None, models={"therapist": model, "client": model},
                         prompts=gen.prompt_files(), params=opts.params(), force=force)


def test_store_resume_and_force(store, catalog):
    model = FakeModel(_lines("Someone"))
    first = _generate(store, catalog, model)
    assert (first.dialogues, first.capped, first.turns) == (2, 2, 8)
    again = _generate(store, catalog, model)
    assert again.dialogues == 0 and again.skipped == 2 and len(model.requests) == 8
    forced = _generate(store, catalog, model, force=True)
    assert forced.dialogues == 2
    statuses = [r[0] for r in store.db.execute("select status from dialogues order by id")]
    assert statuses == ["superseded", "superseded", "capped", "capped"]
    assert overview(store)["dialogues"] == 4
    d = store.db["dialogues"].get(3)
    assert d["therapist_model"] == "fake" and "sqpsych_therapist" in d["prompts"] and d["seed"] is not None
    assert [t["speaker"] for t in dstore.dialogue_turns(store, 3)] == ["therapist", "client"] * 2


def test_therapist_prompt_carries_safety_for_item9(store, catalog):
    model = FakeModel(_lines("Someone"))
    _generate(store, catalog, model, limit=1)  # C001 endorses PHQ-9 item 9
    therapist_prompt = model.requests[0]
    assert "safety check about thoughts of self-harm" in therapist_prompt
    assert "Endorsed thoughts of death or self-harm" in therapist_prompt


def test_export_messages_and_sqpsychconv(store, catalog):
    _generate(store, catalog, FakeModel(_lines("Someone")))
    sel = select_dialogues(store, include_flagged=False, analyze=lambda text: [])
    out = io.StringIO()
    assert WRITERS["messages"](sel.rows, out) == 2
    first = json.loads(out.getvalue().splitlines()[0])
    assert set(first) == {"client_id", "condition", "scores", "therapist_model", "client_model", "messages"}
    assert first["client_id"] == "C001"
    assert first["scores"]["phq9"] == {"total": 18, "severity": "moderately severe"}
    assert [m["role"] for m in first["messages"]] == ["therapist", "client", "therapist", "client"]
    out = io.StringIO()
    WRITERS["sqpsychconv"](sel.rows, out)
    conv = json.loads(out.getvalue().splitlines()[0])
    assert set(conv) == {"file_id", "condition", "client_model", "therapist_model", "dialogue"}
    assert conv["dialogue"].startswith("Therapist: Someone says thing one\nClient: ")


def _finder(word_: str):
    """A stand-in for the redaction scan: every occurrence of `word_` is a PERSON."""
    from redaction.results import Span

    def analyze(text):
        at = text.find(word_)
        return [] if at < 0 else [Span(at, at + len(word_), "PERSON", 0.9, "test", word_)]
    return analyze


def test_redaction_gate_holds_back_flagged(store, catalog):
    _generate(store, catalog, FakeModel(_lines("Someone")))
    finder = _finder("thing three")
    held = select_dialogues(store, include_flagged=False, analyze=finder)
    assert len(held.rows) == 1 and held.held["unresolved identifier findings"] == 1
    # The scan ran once and its findings are stored for review; the next export reads them.
    spans = list(store.db.query("select dialogue_id, field, text, decision from pii_spans"))
    assert spans == [{"dialogue_id": 1, "field": "turn", "text": "thing three", "decision": "pending"}]
    released = select_dialogues(store, include_flagged=True, analyze=lambda t: 1 / 0)
    assert len(released.rows) == 2 and released.flagged_included == 1


def test_export_follows_review_decisions(store, catalog):
    from onprem import review

    _generate(store, catalog, FakeModel(_lines("Someone")))
    select_dialogues(store, include_flagged=False, analyze=_finder("thing three"))
    span = store.db.execute("select id from pii_spans").fetchone()[0]
    review.reject_span(store, span, "steward")                     # not PII: no longer blocks
    assert len(select_dialogues(store, include_flagged=False).rows) == 2
    review.undo_last(store, "steward")
    turn = store.db.execute("select turn_id from pii_spans").fetchone()[0]
    review.edit_turn(store, turn, "Someone says thing", "steward")   # edited out: removed
    assert store.db["pii_spans"].get(span)["decision"] == review.REMOVED
    assert len(select_dialogues(store, include_flagged=False).rows) == 2
    review.reject_dialogue(store, 2, "steward")
    review.approve_dialogue(store, 1, "steward")
    sel = select_dialogues(store, include_flagged=True, reviewed_only=True)
    assert [r["id"] for r in sel.rows] == [1] and sel.held == {"rejected": 1}
    exported = select_dialogues(store, include_flagged=False).rows[0]["messages"]
    assert "Someone says thing" in [m["content"] for m in exported]


def test_unusable_turns_are_not_exported(store, catalog):
    script = [say("Hello how are you"), say("Fine thanks"), say("Hello how are you")] * 1 + \
        [say("Hello how are you")] * 2 + [say("Bye now")]
    model = FakeModel(script)
    _generate(store, catalog, model, limit=1)
    turns = dstore.dialogue_turns(store, 1, ok_only=False)
    assert [t["status"] for t in turns] == ["ok", "ok", "repeat", "ok"]
    sel = select_dialogues(store, include_flagged=False, analyze=lambda t: [])
    msgs = sel.rows[0]["messages"]
    assert msgs == [{"role": "therapist", "content": "Hello how are you"},
                    {"role": "client", "content": "Fine thanks Bye now"}]


def test_export_dispatch_and_reviewed_only(store, catalog, monkeypatch):
    _generate(store, catalog, FakeModel(_lines("Someone")))
    import onprem.pipeline.export as ex
    monkeypatch.setattr(ex, "select_dialogues", lambda s, inc, reviewed_only: select_dialogues(
        s, inc, analyze=lambda t: [], reviewed_only=reviewed_only))
    buf = io.StringIO()
    n, sel = export(store, "messages", None, Policy(), stdout=buf)
    assert n == 2 and len(buf.getvalue().splitlines()) == 2
    n, sel = export(store, "messages", None, Policy(reviewed_only=True), stdout=io.StringIO())
    assert n == 0 and sel.held == {"not reviewed": 2}


RUBRIC = Rubric("mini", (Criterion("validation", "therapist", "validates"), Criterion("realism", "overall", "real")))


def _marks(**scores):
    return json.dumps({k: {"score": v, "reason": f"because {k} looked so"} for k, v in scores.items()})


def test_judge_schema_and_storage(store, catalog):
    _generate(store, catalog, FakeModel(_lines("Someone")), limit=1)
    prompt = prompts.load(gen.JUDGE_PROMPT)
    turns = dstore.dialogue_turns(store, 1)
    good = judge(FakeModel([_marks(validation=2, realism=1)]), RUBRIC, prompt, turns=turns, profile="p",
                 sampling=Sampling(max_tokens=200), seed=1)
    assert good.ok and good.totals(RUBRIC) == {"therapist": 2, "overall": 1}
    dstore.save_judgment(store, dialogue_id=1, run_id=None, rubric=RUBRIC, model=FakeModel([]), outcome=good)
    bad = judge(FakeModel([_marks(validation=3, realism=1)] * 3), RUBRIC, prompt, turns=turns, profile="p",
                sampling=Sampling(max_tokens=200), seed=1, retries=2)
    assert not bad.ok and "validation.score" in bad.error and "after 3 attempts" in bad.error
    rows = list(store.db.query("select criterion, grp, score, reason from judgment_scores order by criterion"))
    assert rows[0] == {"criterion": "realism", "grp": "overall", "score": 1, "reason": "because realism looked so"}
    assert dstore.dialogues_to_judge(store, "mini", gen.NAME, force=False) == []


def test_full_rubric_schema_matches_issue():
    keys = gen.RUBRIC.keys()
    assert len(keys) == len(set(keys)) == 19
    assert {c.group for c in gen.RUBRIC.criteria} == {"therapist", "client", "overall"}
    assert list(rubric_schema(gen.RUBRIC).model_fields) == keys


def test_judge_prompt_leaves_out_middle_turns_to_fit():
    turns = [{"speaker": "therapist" if i % 2 == 0 else "client", "content": f"turn {i} " + "word " * 20}
             for i in range(40)]
    model = FakeModel([], n_ctx=600)
    text = render_fitting(model, RUBRIC, prompts.load(gen.JUDGE_PROMPT), turns, "p", max_tokens=100)
    assert model.count_tokens(text) <= 600 - 100 - 16
    assert "turn 0 " in text and "turn 39 " in text and "turns left out]" in text


def test_rubric_subset():
    sub = gen.RUBRIC.subset(["realism", "validation"])
    assert sub.keys() == ["validation", "realism"] and sub.name == "sqpsych:validation+realism"
    assert gen.RUBRIC.subset(gen.RUBRIC.keys()) is gen.RUBRIC
    with pytest.raises(ValueError, match="unknown criteria nope"):
        gen.RUBRIC.subset(["nope"])
