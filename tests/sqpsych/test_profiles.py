"""Profiles from item-level answers, the intake note, and the CBT session plan."""

from __future__ import annotations

from onprem.papers.sqpsych.profiles import build_profile
from onprem.papers.sqpsych.generator import intake_note, stage_plan
from onprem.papers.sqpsych.questionnaires import read_records

from .conftest import EXAMPLES


def _profiles(catalog):
    return {r.client_id: build_profile(catalog, r) for r in read_records(EXAMPLES / "clients.csv", catalog).records}


def test_persona_grounded_in_items(catalog):
    p = _profiles(catalog)["C001"]
    lines = p.persona.splitlines()
    assert lines[0] == "I am a 34-year-old woman, seeing a therapist about depression."
    # strongest answers first, with how often
    assert "nearly every day" in lines[2]
    assert any("better off dead" in l and "on several days" in l for l in lines)
    assert p.alerts == ["self_harm"] and p.scores["phq9"] == {"total": 18, "severity": "moderately severe"}


def test_healthy_control_sounds_healthy(catalog):
    p = _profiles(catalog)["C004"]
    assert p.healthy
    assert "generally doing well" in p.persona and "none of them serious" in p.persona
    assert "hopeless" not in p.persona
    assert "healthy volunteer" in intake_note(p)


def test_intake_note_flags_self_harm(catalog):
    profiles = _profiles(catalog)
    assert "self-harm" in intake_note(profiles["C001"])
    assert "self-harm" not in intake_note(profiles["C002"])


def test_stage_plan_keeps_safety_and_order():
    for n in range(1, 20):
        plan = [s.key for s in stage_plan(n, safety=True)]
        assert len(plan) == n and "safety" in plan
        order = ["check_in", "agenda", "safety", "explore", "thoughts", "distortion", "plan", "close"]
        assert plan == sorted(plan, key=order.index)
        if n >= 2:
            assert plan[-1] == "close"
    assert "safety" not in [s.key for s in stage_plan(15, safety=False)]
    assert [s.key for s in stage_plan(3, safety=False)] == ["check_in", "distortion", "close"]
