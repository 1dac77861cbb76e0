"""The generic dialogue store: cases with segments, a dialogue without a profile, every attempt kept,
and judgments of any target on a rubric that declares its scale."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from onprem.store import dialogues as dstore
from onprem.dialogue.roleplay import DialogueResult, Turn
from onprem.judges.rubric import Criterion, JudgeOutcome, Mark, Rubric, Scale, rubric_schema
from onprem.model.backends.scripted import ScriptedModel


def result(text: str, status: str = "ended", attempts=None) -> DialogueResult:
    return DialogueResult(turns=[Turn(0, "person1", f"{text} one"), Turn(1, "person2", f"{text} two")],
                          status=status, reason="done", attempts=attempts or [])


def save(store, case_id, segment, text, **kw):
    model = ScriptedModel(name="m")
    return dstore.save_dialogue(store, case_id=case_id, segment=segment, generator="toy", run_id=None,
                                result=result(text, **kw), models={"actor": model, "evaluator": model},
                                prompts=[], params={}, seed=1, attempts=kw.get("attempts"))


def test_segments_of_a_case_live_side_by_side_and_are_redone_one_by_one(store):
    case = dstore.ensure_case(store, "toy", "profile-7", title="P7", facts={"trauma": "accident"})
    assert dstore.ensure_case(store, "toy", "profile-7") == case          # found again by key
    for segment in range(1, 7):
        save(store, case, segment, f"phase {segment}")
    assert all(dstore.has_dialogue(store, case, s) for s in range(1, 7)) and not dstore.has_dialogue(store, case, 7)
    save(store, case, 3, "phase 3 again")
    rows = list(store.db.query("select segment, status from dialogues where case_id = ? order by id", [case]))
    assert [r["status"] for r in rows] == ["ended"] * 2 + ["superseded"] + ["ended"] * 4
    assert store.db["dialogues"].get(7)["profile_id"] is None
    models = json.loads(store.db["dialogues"].get(7)["models"])
    assert set(models) == {"actor", "evaluator"} and models["actor"]["backend"] == "scripted"


def test_every_attempt_is_kept_with_its_evaluation_and_feedback(store):
    case = dstore.ensure_case(store, "toy", "ER:2#1")
    trials = [{"draft": [{"speaker": "person2", "content": "ok"}], "evaluation": {"met": False, "level": 0},
               "feedback": "name the feeling", "tokens": 12, "seconds": 0.5},
              {"draft": [{"speaker": "person2", "content": "that sounds lonely"}], "evaluation": {"met": True, "level": 2}}]
    did = store.db["dialogues"].count + 1
    save(store, case, 0, "final", attempts=trials)
    got = dstore.dialogue_attempts(store, did)
    assert [a["attempt"] for a in got] == [1, 2]
    assert got[0]["evaluation"] == {"met": False, "level": 0} and got[0]["feedback"] == "name the feeling"
    assert got[1]["draft"][0]["content"] == "that sounds lonely" and got[1]["feedback"] is None


def test_judgments_of_any_target_on_a_declared_scale(store):
    rubric = Rubric("mentalchat-mini", (Criterion("empathy", "response", "validates feelings"),),
                    scale=Scale(1, 10), version="2")
    schema = rubric_schema(rubric)
    assert schema.model_validate_json('{"empathy": {"score": 10, "reason": "warm"}}').empathy.score == 10
    for bad in (0, 11):
        with pytest.raises(ValidationError):
            schema.model_validate_json(f'{{"empathy": {{"score": {bad}, "reason": "x"}}}}')
    dstore.save_rubric(store, rubric)
    row = store.db["rubrics"].get(("mentalchat-mini", "2"))
    assert json.loads(row["scale"]) == {"kind": "points", "lo": 1, "hi": 10, "labels": []}
    outcome = JudgeOutcome(marks={"empathy": Mark(score=7, reason="warm")})
    for target in (("pair", 5), ("response", 9), ("segment", 3)):
        dstore.save_judgment(store, target_kind=target[0], target_id=target[1], run_id=None, rubric=rubric,
                             model=ScriptedModel(name="judge"), outcome=outcome)
    assert dstore.judged(store, "mentalchat-mini", "pair") == {5}
    j = list(store.db.query("select target_kind, target_id, dialogue_id, rubric_version from judgments order by id"))
    assert j[0] == {"target_kind": "pair", "target_id": 5, "dialogue_id": None, "rubric_version": "2"}
    failed = JudgeOutcome(error="invalid output", raw='{"empathy": {"score": 12')
    dstore.save_judgment(store, target_kind="pair", target_id=5, run_id=None, rubric=rubric,
                         model=ScriptedModel(name="judge"), outcome=failed)
    rows = list(store.db.query("select status, raw from judgments where target_id = 5 order by id"))
    assert rows == [{"status": "superseded", "raw": None}, {"status": "failed", "raw": '{"empathy": {"score": 12'}]
