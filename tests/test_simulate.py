"""Comparing counsellor models: each situation role-played once per counsellor model with one simulated
patient (scripted here: control flow), scored by the empathy-relevance judge, summarised per model
(n, average, median, min, max against numpy), never exported."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from onprem.cli import cli


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def lines(prefix, n):
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    return [json.dumps({"utterance": f"{prefix} says the {words[i % 10]} thing, part {words[i // 10]} about trains",
                        "end": False}) for i in range(n)]


def test_simulate_judge_and_summary(tmp_path, script_file):
    db = tmp_path / "s.db"
    sit = tmp_path / "sit.jsonl"
    sit.write_text('{"id": "s1", "situation": "Panic on trains."}\n{"id": "s2", "situation": "Lonely after a move."}\n'
                   '{"id": "s1", "situation": "again"}\n')
    a = script_file(lines("counsellor A", 20), name="model-a")
    b = script_file(lines("counsellor B", 20), name="model-b")
    patient = script_file(lines("patient", 40), name="patient")
    r = invoke(db, "eval", "simulate", "--situations", sit, "--counsellor-model", a, "--counsellor-model", b,
               "--patient-model", patient, "--turns", "4", "--progress", "plain")
    assert r.exit_code == 1 and f"{sit}: line 3: repeats id s1" in r.output, r.output
    assert "2 situations x 2 counsellor models: 0 ended, 4 at the turn cap" in r.output
    scores = [(7, 5), (9, 6), (2, 8), (4, 8)]          # model-a s1, s2; model-b s1, s2 (dialogue order)
    judge = script_file([json.dumps({"empathy": {"score": e, "reason": "fine"}, "relevance": {"score": v, "reason": "ok"}})
                         for e, v in scores])
    assert invoke(db, "judge", "empathy-relevance", "--model", judge).exit_code == 0
    out = json.loads(invoke(db, "eval", "summary", "2", "--json").output)
    assert list(out) == ["model-a", "model-b"]
    for model, rows in (("model-a", scores[:2]), ("model-b", scores[2:])):
        for k, crit in enumerate(("empathy", "relevance")):
            v = [r[k] for r in rows]
            assert out[model][crit] == {"n": 2, "avg": float(np.mean(v)), "median": float(np.median(v)),
                                        "min": float(min(v)), "max": float(max(v))}
    assert json.loads(invoke(db, "eval", "summary", "1", "--json").output) == out     # by the simulate run too
    dist = json.loads(invoke(db, "eval", "summary", "2", "--distribution", "--json").output)
    assert dist["model-b"]["relevance"]["counts"] == {**{str(k): 0 for k in range(1, 11)}, "8": 2}
    assert dist["model-a"]["empathy"]["sd"] == float(np.std([7, 9], ddof=1))
    assert "| model-a | empathy | 2 | 8.00 | 8.00 | 7 | 9 | 1.41 | 0 0 0 0 0 0 1 0 1 0 |" in \
        invoke(db, "eval", "summary", "2", "--distribution").output
    assert "exported 0 dialogues" in invoke(db, "export", "--format", "messages", "--out", tmp_path / "m.jsonl",
                                            "--include-flagged").output
    assert invoke(db, "eval", "summary", "9").exit_code == 2


def test_a_situation_that_names_a_real_client_is_rejected_value_not_shown(tmp_path):
    """Issue 23, item 6: situations go into the patient model's prompt; one that carries a name or a
    date is rejected with the field named, never the value; a plain one passes."""
    from onprem.papers.hybrid.simulate import read_situations

    f = tmp_path / "s.jsonl"
    f.write_text('{"id": "s1", "situation": "Lost a job and sleeps badly; worried about money."}\n'
                 '{"id": "s2", "situation": "Jenny Okafor from Leeds, seen on 3 March 2026, cannot stop drinking."}\n',
                 encoding="utf-8")
    good, errors = read_situations(f)
    assert [s["id"] for s in good] == ["s1"]
    assert len(errors) == 1 and "line 2: situation looks like it holds an identifier (value not shown)" in errors[0]
    assert "Okafor" not in errors[0] and "Leeds" not in errors[0]
