"""Dialogues through the store: resume, supersede, judge, export formats and the redaction gate."""

from __future__ import annotations

import io
import json

import prompts
import pytest

from onprem.store import dialogues as dstore
from onprem.events import PlainSink, Progress
from onprem.papers.sqpsych import generator as gen
from onprem.generators.runner import run_cases
from onprem.judges.dialogue import render_fitting
from onprem.judges.rubric import Criterion, JudgeOutcome, Rubric, rubric_schema
from onprem.model.base import PromptPair, Request, Sampling
from onprem.model.structured import structured
from onprem.release import Policy, release, select_dialogues, writer
from onprem.store.overview import overview

from .conftest import EXAMPLES, say, script_model, sent, word

GEN = gen.SQPsych()


def select(store, include_flagged=False, analyze=None, reviewed_only=False):
    return select_dialogues(store, Policy(reviewed_only=reviewed_only, include_flagged=include_flagged), analyze)


def write(fmt, rows) -> str:
    out = io.StringIO()
    writer(fmt).write(rows, out)
    return out.getvalue()


def _lines(prefix):
    n = {"i": 0}

    def reply(_req, _seed):
        n["i"] += 1
        return say(f"{prefix} says thing {word(n['i'])}", end=False)
    return reply


def _generate(store, catalog, model, force=False, limit=2):
    """The generator through the shared runner, as `onprem generate sqpsych` runs it."""
    opts = gen.Options(profiles=EXAMPLES / "clients.csv", max_turns=4, min_turns=2)
    prepared = GEN.prepare(opts, 1)
    prepared.cases = prepared.cases[:limit]
    GEN.save_inputs(store, prepared, opts)
    return run_cases(store, GEN, prepared.cases, opts, {"therapist": model, "client": model}, seed=1, run_id=None,
                     params=GEN.params(opts), force=force, progress=Progress("test", PlainSink("test")))


def test_store_resume_and_force(store, catalog):
    model = script_model(_lines("Someone"))
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
    assert json.loads(d["models"])["therapist"]["name"] == "fake" and "sqpsych_therapist" in d["prompts"]
    assert d["seed"] is not None and store.db["cases"].get(d["case_id"])["title"] == "C001"
    assert [t["speaker"] for t in dstore.dialogue_turns(store, 3)] == ["therapist", "client"] * 2


def test_therapist_prompt_carries_safety_for_item9(store, catalog):
    model = script_model(_lines("Someone"))
    _generate(store, catalog, model, limit=1)  # C001 endorses PHQ-9 item 9
    therapist_prompt = sent(model)[0]
    assert "safety check about thoughts of self-harm" in therapist_prompt
    assert "Endorsed thoughts of death or self-harm" in therapist_prompt


def test_export_messages_and_sqpsychconv(store, catalog):
    _generate(store, catalog, script_model(_lines("Someone")))
    sel = select(store, analyze=lambda text: [])
    lines = write("messages", sel.rows).splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert set(first) == {"client_id", "condition", "scores", "therapist_model", "client_model", "messages"}
    assert first["client_id"] == "C001"
    assert first["scores"]["phq9"] == {"total": 18, "severity": "moderately severe"}
    assert [m["role"] for m in first["messages"]] == ["therapist", "client", "therapist", "client"]
    conv = json.loads(write("sqpsychconv", sel.rows).splitlines()[0])
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
    _generate(store, catalog, script_model(_lines("Someone")))
    finder = _finder("thing three")
    held = select(store, include_flagged=False, analyze=finder)
    assert len(held.rows) == 1 and held.held["unresolved identifier findings"] == 1
    # The scan ran once and its findings are stored for review; the next export reads them.
    spans = list(store.db.query("select dialogue_id, field, text, decision from pii_spans"))
    assert spans == [{"dialogue_id": 1, "field": "turn", "text": "thing three", "decision": "pending"}]
    released = select(store, include_flagged=True, analyze=lambda t: 1 / 0)
    assert len(released.rows) == 2 and released.flagged_included == 1


def test_export_follows_review_decisions(store, catalog):
    from onprem import review
    from onprem.dialogue import review as dialogue_review

    _generate(store, catalog, script_model(_lines("Someone")))
    select(store, include_flagged=False, analyze=_finder("thing three"))
    span = store.db.execute("select id from pii_spans").fetchone()[0]
    review.reject_span(store, span, "steward")                     # not PII: no longer blocks
    assert len(select(store, include_flagged=False).rows) == 2
    review.undo_last(store, "steward")
    turn = store.db.execute("select turn_id from pii_spans").fetchone()[0]
    dialogue_review.edit_turn(store, turn, "Someone says thing", "steward")   # edited out: removed
    assert store.db["pii_spans"].get(span)["decision"] == review.REMOVED
    assert len(select(store, include_flagged=False).rows) == 2
    dialogue_review.reject_dialogue(store, 2, "steward")
    dialogue_review.approve_dialogue(store, 1, "steward")
    sel = select(store, include_flagged=True, reviewed_only=True)
    assert [r["id"] for r in sel.rows] == [1] and sel.held == {"rejected": 1}
    exported = select(store, include_flagged=False).rows[0]["messages"]
    assert "Someone says thing" in [m["content"] for m in exported]


def test_unusable_turns_are_not_exported(store, catalog):
    script = [say("Hello how are you"), say("Fine thanks"), say("Hello how are you")] * 1 + \
        [say("Hello how are you")] * 2 + [say("Bye now")]
    model = script_model(script)
    _generate(store, catalog, model, limit=1)
    turns = dstore.dialogue_turns(store, 1, ok_only=False)
    assert [t["status"] for t in turns] == ["ok", "ok", "repeat", "ok"]
    sel = select(store, include_flagged=False, analyze=lambda t: [])
    msgs = sel.rows[0]["messages"]
    assert msgs == [{"role": "therapist", "content": "Hello how are you"},
                    {"role": "client", "content": "Fine thanks Bye now"}]


def test_export_dispatch_and_reviewed_only(store, catalog, monkeypatch):
    _generate(store, catalog, script_model(_lines("Someone")))
    buf = io.StringIO()
    done = release(store, "messages", None, Policy(), actor="steward", stdout=buf, analyze=lambda t: [])
    assert done.written == 2 and len(buf.getvalue().splitlines()) == 2 and done.unit == "dialogues"
    done = release(store, "messages", None, Policy(reviewed_only=True), actor="steward", stdout=io.StringIO())
    assert done.written == 0 and done.selection.held == {"not reviewed": 2}
    audits = [json.loads(r["after"]) for r in store.db.query("select after from audit where action = 'export'")]
    assert [a["written"] for a in audits] == [2, 0] and audits[0]["sha256"] == done_sha(buf.getvalue())


def done_sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


RUBRIC = Rubric("mini", (Criterion("validation", "therapist", "validates"), Criterion("realism", "overall", "real")))


def _marks(**scores):
    return json.dumps({k: {"score": v, "reason": f"because {k} looked so"} for k, v in scores.items()})


def _judge(model, retries=2) -> JudgeOutcome:
    req = Request(PromptPair("judge this"), rubric_schema(RUBRIC), Sampling(max_tokens=200), 1)
    return JudgeOutcome.of(structured(model, req, retries=retries))


def test_judge_schema_and_storage(store, catalog):
    _generate(store, catalog, script_model(_lines("Someone")), limit=1)
    good = _judge(script_model([_marks(validation=2, realism=1)]))
    assert good.ok and good.totals(RUBRIC) == {"therapist": 2, "overall": 1}
    dstore.save_judgment(store, target_kind="dialogue", target_id=1, run_id=None, rubric=RUBRIC,
                         model=script_model([]), outcome=good)
    bad = _judge(script_model([_marks(validation=3, realism=1)] * 3))
    assert not bad.ok and "validation.score" in bad.error and "after 3 attempts" in bad.error
    assert bad.raw == _marks(validation=3, realism=1)          # what the model wrote is kept with the failure
    rows = list(store.db.query("select criterion, grp, score, reason from judgment_scores order by criterion"))
    assert rows[0] == {"criterion": "realism", "grp": "overall", "score": 1, "reason": "because realism looked so"}
    assert dstore.judged(store, "mini", "dialogue") == {1}


def test_full_rubric_schema_matches_issue():
    keys = gen.RUBRIC.keys()
    assert len(keys) == len(set(keys)) == 19
    assert {c.group for c in gen.RUBRIC.criteria} == {"therapist", "client", "overall"}
    assert list(rubric_schema(gen.RUBRIC).model_fields) == keys


def test_judge_prompt_leaves_out_middle_turns_to_fit():
    turns = [{"speaker": "therapist" if i % 2 == 0 else "client", "content": f"turn {i} " + "word " * 20}
             for i in range(40)]
    model = script_model([], n_ctx=600)
    pair = render_fitting(model, prompts.load(gen.JUDGE_PROMPT), turns, 100, rubric=RUBRIC, profile="p")
    text = pair.completion
    assert model.measure(pair) <= 600 - 100 - 16
    assert "turn 0 " in text and "turn 39 " in text and "turns left out]" in text


def test_rubric_subset():
    sub = gen.RUBRIC.subset(["realism", "validation"])
    assert sub.keys() == ["validation", "realism"] and sub.name == "sqpsych:validation+realism"
    assert gen.RUBRIC.subset(gen.RUBRIC.keys()) is gen.RUBRIC
    with pytest.raises(ValueError, match="unknown criteria nope"):
        gen.RUBRIC.subset(["nope"])
