"""`onprem eval quality` (issue 27, item 2): one generator (or paraphrase) on the same seeded inputs per
model, measured side by side and stored as a run; `eval quality-report` reads stored runs back.

The measures are checked on hand-made items against hand counts (and numpy's percentiles); the
command runs on the scripted backend (control flow, the judge's parse rate) and on the real
bundled model (the pipeline end to end)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from onprem.evals import quality as q
from tests.sessions import GOOD, invoke, judgment

EXAMPLES = "examples/transcripts"


def test_trigram_repetition_by_hand():
    # "i feel bad i feel bad": trigrams (i feel bad) (feel bad i) (bad i feel) (i feel bad): 2 of 4 recur
    assert q.trigram_repetition(["I feel bad. I feel bad."]) == 0.5
    assert q.trigram_repetition(["one two three four"]) == 0.0
    assert q.trigram_repetition(["too short"]) == 0.0


def test_role_errors_are_the_other_voice():
    assert q.turn_role_error("I see.\nClient: and then I cried", "therapist")        # wrote the client's line
    assert not q.turn_role_error("Therapist said I should sleep more.", "client")     # the own side's label, mid-line
    assert q.turn_role_error("How can I help you today?", "client")                  # the helper's phrase
    assert q.turn_role_error("My therapist told me to breathe.", "therapist")         # the seeker's phrase
    assert not q.turn_role_error("My therapist told me to breathe.", "client")
    assert q.question_role_error("How are you feeling about your mother?")           # about "you", no "I"
    assert not q.question_role_error("How do I tell my mother that I am not coping?")
    assert not q.question_role_error("Should I tell you about my week?")


def test_reasons_fold_numbers_and_quotes():
    assert q.reason_kind("question has 12 words (minimum 40 each)") == "question has N words"
    assert q.reason_kind('copies the prompt\'s instructions ("i have started") in 3 tries') == \
        "copies the prompt's instructions in N tries"
    assert q.reason_kind(None) == "unstated"


def test_fixed_text_drops_template_tags():
    assert q.fixed_text("Write as {{ helper }}.{% if x %} Be kind.{% endif %}{# note #}").split() == \
        ["Write", "as", ".", "Be", "kind."]


def test_pair_report_by_hand():
    page = "I have not slept since my father died and I keep thinking about the funeral every single night"
    pairs = [
        {"id": 1, "status": "kept", "reason": None, "page": page,
         "question": "How do I sleep again after my father died?", "answer": "Grief often breaks sleep; keep a routine."},
        {"id": 2, "status": "filtered", "reason": "question has 9 words (minimum 40 each)", "page": page,
         "question": "Why do I keep thinking about the funeral?",
         # 12 words in a row from the page: a source copy
         "answer": "Because I have not slept since my father died and I keep thinking about it."},
        {"id": 3, "status": "kept", "reason": None, "page": page,
         "question": "How are you sleeping these days?", "answer": "Tell me about your nights."},   # helper's voice
        {"id": 4, "status": "failed", "reason": "no valid output after 3 tries", "page": page,
         "question": None, "answer": None},
    ]
    r = q.pair_report(pairs, "Write one question and one answer in plain words for the client")
    assert r["items"] == 4 and r["outputs"] == 3
    assert r["valid"] == 0.75
    assert r["usable"] == 0.25                     # only pair 1: 2 filtered, 3 a role error, 4 failed
    assert r["role_errors"] == round(1 / 3, 3)
    assert r["source_copy"] == round(1 / 3, 3)
    assert r["prompt_copy"] == 0.0
    assert r["filtered"] == {"question has N words": 1, "no valid output after N tries": 1}
    # words 9, 8, 6: numpy's linear percentile, by hand p10 = 6 + 0.2 * (8 - 6), p90 = 8 + 0.8 * (9 - 8)
    assert r["length"]["question_words"] == {"n": 3, "p10": 6.4, "median": 8.0, "p90": 8.8}
    assert np.percentile([9, 8, 6], 10) == pytest.approx(6.4)


def test_dialogue_report_by_hand():
    def turn(sp, text, status="ok"):
        return {"speaker": sp, "content": text, "status": status, "reason": None}
    ok = {"id": 1, "status": "ended", "reason": None, "facts": {"age": 34, "problem": "panic attacks on the train"},
          "turns": [turn("therapist", "What brings you here?"), turn("client", "Panic attacks on the train."),
                    turn("therapist", "When did they start?"), turn("client", "Last spring, on the train."),
                    turn("client", "", "empty")]}
    bad = {"id": 2, "status": "ended", "reason": None, "facts": {"age": 50},
           "turns": [turn("therapist", "Hello."), turn("client", "How can I help you today?")]}
    failed = {"id": 3, "status": "failed", "reason": "fewer than 2 turns from one speaker after 3 tries", "facts": {},
              "turns": []}
    r = q.dialogue_report([ok, bad, failed], "")
    # facts "34", "panic attacks on the train": content words panic, attack, train (34 is a number);
    # the dialogue says all three -> 1.0; "50" alone has no content word -> not counted
    assert r["facts_used"] == 1.0 and "grounding" not in r
    assert r["turns_ok"] == round(6 / 7, 3)
    assert r["usable"] == round(1 / 3, 3)          # bad: a role error; failed: failed
    assert r["role_errors"] == round(1 / 6, 3)
    assert r["filtered"] == {"fewer than N turns from one speaker after N tries": 1, "turn empty": 1}
    assert r["length"]["turns_per_dialogue"]["median"] == 3.0
    assert set(r["repetition"]) == {"therapist", "client"}


@pytest.fixture
def pe_script(script_file):
    """One model writing two PE phases, then judging them: one verdict parses, one never does."""
    return script_file([GOOD, GOOD, judgment(8, 7, 6), "not json", "still not", "nor this"], name="writer")


def test_eval_quality_runs_stores_and_reports(tmp_path, pe_script, script_file):
    db = tmp_path / "q.db"
    other = script_file([GOOD], then="repeat", name="other")
    r = invoke(db, "eval", "quality", "--models", f"{pe_script},{other}", "-n", "1", "--judge", "quality",
               "--json", "--progress", "plain", "generate", "pe", "--profiles", "1", "--phases", "1-2")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    assert out["command"] == "pe" and out["n"] == 1
    first, second = out["report"][pe_script], out["report"][other]
    assert first["items"] == 2 and first["valid"] == 1.0 and first["kind"] == "dialogues"
    assert first["judge"] == {"name": "quality", "n": 2, "parsed": 0.5}
    assert second["judge"]["parsed"] == 0.0              # GOOD is no verdict
    assert first["length"]["turns_per_dialogue"]["median"] == second["length"]["turns_per_dialogue"]["median"]
    # the steward's database holds the report, never the evaluation's dialogues
    r = invoke(db, "eval", "quality-report", "--json")
    runs = json.loads(r.output)
    assert [x["command"] for x in runs] == ["eval quality pe"]
    assert runs[0]["report"][other]["judge"]["parsed"] == 0.0
    assert runs[0]["params"]["command"] == ["pe", "--profiles", "1", "--phases", "1-2"]
    import sqlite_utils
    assert not sqlite_utils.Database(db)["dialogues"].exists() or sqlite_utils.Database(db)["dialogues"].count == 0
    table = invoke(db, "eval", "quality-report").output
    assert "judge parsed" in table and "50% of 2 (quality)" in table


def test_eval_quality_names_a_bad_generator_and_a_bad_model(tmp_path, pe_script):
    db = tmp_path / "q.db"
    r = invoke(db, "eval", "quality", "--models", "x", "generate", "nosuch")
    assert r.exit_code != 0 and "no generator 'nosuch'" in r.output
    r = invoke(db, "eval", "quality", "--models", f"{pe_script},no-such-model", "-n", "1", "--no-judge",
               "--progress", "plain", "generate", "pe", "--profiles", "1", "--phases", "1")
    assert r.exit_code == 1
    assert "no-such-model" in r.output                      # named, and the other model still measured
    assert "pe on 1 of 2 models" in r.output and "turns ok" in r.output


def test_eval_quality_paraphrase_on_the_bundled_model(tmp_path):
    """The real default model through the real pipeline: two pages, the same on a second run."""
    db = tmp_path / "q.db"
    args = ["eval", "quality", "--models", "gemma3-270m", "-n", "2", "--json", "--progress", "plain",
            "--threads", "1", "paraphrase", EXAMPLES]
    a = json.loads(invoke(db, *args).output.strip().splitlines()[-1])
    b = json.loads(invoke(db, *args).output.strip().splitlines()[-1])
    ra, rb = a["report"]["gemma3-270m"], b["report"]["gemma3-270m"]
    assert ra["kind"] == "pairs" and ra["items"] == 2
    assert ra["model"]["sha256"] and len(ra["model"]["sha256"]) == 64
    for key in ("valid", "usable", "prompt_copy", "grounding", "role_errors", "filtered", "length"):
        assert ra[key] == rb[key], key                     # seeded: the same inputs, the same outputs
    assert 0.0 <= ra["grounding"] <= 1.0
    assert b["run"] == a["run"] + 1


def test_split_halves_files_by_name_stably(tmp_path, cli):
    from pathlib import Path

    from onprem.cli.eval_quality import in_split

    names = [f"annomi_{i:03d}.txt" for i in range(4)]
    assert [in_split(Path(n), "dev") for n in names] == [True, False, False, False]      # pinned: sha256 of the name
    assert [in_split(Path("elsewhere") / n, "held-out") for n in names] == [False, True, True, True]
    assert all(in_split(Path(n), "all") for n in names)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "annomi_000.txt").write_text("Client: hello there.\nTherapist: hi.\n", encoding="utf-8")
    r = cli("eval", "quality", "--models", "gemma3-270m", "--split", "held-out", "paraphrase", tmp_path / "t")
    assert r.exit_code != 0 and "(in the held-out split)" in r.output
    r = cli("eval", "quality", "--models", "gemma3-270m", "--split", "dev", "generate", "pe", "--profiles", "1")
    assert r.exit_code != 0 and "another --seed" in r.output


def test_the_default_judge_is_the_generators_own():
    from onprem.cli.eval_quality import default_judge

    assert default_judge("sqpsych", "dialogues") == "sqpsych"      # bound to it, before any session judge
    assert default_judge("pe", "dialogues") == "distress"
    assert default_judge("paraphrase", "pairs") == "epitome"        # EPITOME reads pairs
    assert default_judge("scenarios", "dialogues") is None          # scenarios are inputs: nothing judges them


def test_quality_report_prints_markdown(tmp_path, pe_script):
    db = tmp_path / "q.db"
    assert invoke(db, "eval", "quality", "--models", pe_script, "-n", "1", "--no-judge", "--progress", "plain",
                  "generate", "pe", "--profiles", "1", "--phases", "1").exit_code == 0
    out = invoke(db, "eval", "quality-report", "--markdown").output
    assert "pe --profiles 1 --phases 1 — n 1, seed 42 (run 1)" in out
    assert f"| measure | {pe_script} |" in out and "| valid | 100% |" in out


def test_a_monologue_needs_one_speaker_and_a_filtered_query_has_no_grounding():
    scene = {"id": 1, "status": "ended", "reason": None, "facts": {"name": "Sam", "challenge": "exam anxiety"},
             "turns": [{"speaker": "narrator", "content": "Sam fears the exam and cannot sleep before it.",
                        "status": "ok", "reason": None}]}
    r = q.dialogue_report([scene], "")
    assert r["usable"] == 1.0                                       # one narrator is enough for a scenario
    assert r["facts_used"] == round(2 / 3, 3)                       # sam, exam said; anxiety not
    pairs = [{"id": 1, "status": "filtered", "reason": "query has 21 words", "page": None,
              "question": "I cannot sleep before exams.", "answer": None}]
    assert q.pair_report(pairs, "")["grounding"] is None
