"""End to end on the real default GGUF: generate two short dialogues, judge one, export both formats."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import EXAMPLES

pytestmark = pytest.mark.model


def onprem(db, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=timeout)


def test_generate_judge_export(tmp_path):
    rows = (EXAMPLES / "clients.csv").read_text().splitlines()
    records = tmp_path / "two.csv"
    records.write_text("\n".join([rows[0], rows[1], rows[4]]) + "\n")  # C001 (item 9 endorsed), C004 (healthy)
    db = tmp_path / "o.db"

    gen = onprem(db, "generate", "sqpsych", "--profiles", str(records), "--max-turns", "2", "--max-words", "20",
                 "--seed", "3")
    assert gen.returncode in (0, 1) and "Traceback" not in gen.stderr, gen.stderr
    assert "2 clients (0 rows rejected)" in gen.stdout
    stats = json.loads(onprem(db, "stats", "--json").stdout)
    assert stats["dialogues"] == 2

    import sqlite3
    con = sqlite3.connect(db)
    run = dict(zip(["command", "model_sha256", "prompt_name", "prompt_hash", "seed", "params", "status"], con.execute(
        "select command, model_sha256, prompt_name, prompt_hash, seed, params, status from runs").fetchone()))
    assert run["command"] == "generate sqpsych" and run["seed"] == 3 and len(run["model_sha256"]) == 64
    assert run["prompt_name"] == "sqpsych_therapist@1" and len(run["prompt_hash"]) == 64
    params = json.loads(run["params"])
    assert params["max_turns"] == 2 and "sqpsych_client@1" in params["prompts"] and params["client_model"]
    turns = con.execute("select speaker, status, content from turns order by dialogue_id, seq").fetchall()
    assert [t[0] for t in turns] == ["therapist", "client"] * 2
    assert all(t[2].strip() for t in turns if t[1] == "ok")

    # Resumable: a second run finds both clients done and calls no model.
    again = onprem(db, "generate", "sqpsych", "--profiles", str(records), "--max-turns", "2", "--max-words", "20",
                   "--seed", "3")
    assert again.returncode == 0 and "2 already done" in again.stdout

    # Four criteria (one per kind, plus safety) keep this test short; the full rubric is the same call.
    judged = onprem(db, "judge", "sqpsych", "--limit", "1", "--criteria",
                    "validation,safety,client_language,faithfulness")
    assert judged.returncode in (0, 1) and "Traceback" not in judged.stderr, judged.stderr
    assert "run 3: judged" in judged.stdout
    scores = con.execute("select count(*), min(score), max(score) from judgment_scores").fetchone()
    status = con.execute("select status from judgments").fetchone()[0]
    if status == "done":
        assert scores[0] == 4 and 0 <= scores[1] <= scores[2] <= 2

    out = tmp_path / "dialogues.jsonl"
    exp = onprem(db, "export", "--format", "messages", "--out", str(out), "--include-flagged")
    assert exp.returncode == 0, exp.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    released = {d["client_id"]: d for d in lines}
    if "C001" in released:
        assert released["C001"]["scores"]["phq9"] == {"total": 18, "severity": "moderately severe"}
        assert released["C001"]["messages"][0]["role"] == "therapist"
    conv = tmp_path / "conv.jsonl"
    assert onprem(db, "export", "--format", "sqpsychconv", "--out", str(conv)).returncode == 0
    for line in conv.read_text().splitlines():
        assert set(json.loads(line)) == {"file_id", "condition", "client_model", "therapist_model", "dialogue"}
