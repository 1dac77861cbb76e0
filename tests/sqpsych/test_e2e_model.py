"""End to end on the real default GGUF: generate two short dialogues, judge one, export both formats.

Model, seed and records are pinned and decoding is deterministic: the turns and the scores below are
what the default model writes (a regression test; update the pins when a change is intended)."""

from __future__ import annotations

import json
import sqlite3
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
    assert gen.returncode == 0, gen.stderr
    assert "2 clients (0 rows rejected), 0 already done; 1 ended, 1 reached the turn cap, 0 failed" in gen.stdout
    stats = json.loads(onprem(db, "stats", "--json").stdout)
    assert stats["dialogues"] == 2

    con = sqlite3.connect(db)
    run = dict(zip(["command", "model_sha256", "prompt_name", "prompt_hash", "seed", "params", "status"], con.execute(
        "select command, model_sha256, prompt_name, prompt_hash, seed, params, status from runs").fetchone()))
    assert run["command"] == "generate sqpsych" and run["seed"] == 3 and len(run["model_sha256"]) == 64
    assert run["prompt_name"] == "sqpsych_therapist@1" and len(run["prompt_hash"]) == 64
    params = json.loads(run["params"])
    assert params["max_turns"] == 2 and "sqpsych_client@1" in params["prompts"]
    assert params["models"]["client"]["name"] == "gemma3-270m"
    assert con.execute("select status, reason from dialogues order by id").fetchall() == [
        ("capped", "reached --max-turns 2"), ("ended", "client ended the session")]
    turns = con.execute("select speaker, status, content from turns order by dialogue_id, seq").fetchall()
    assert turns == [
        ("therapist", "ok", "You are a very good person. You're going to do this."),
        ("client", "ok", "I am a very good person. You are going to do this."),
        ("therapist", "ok", "This is a good thing, I'm not going to lie here. It just shows me that it's ok when you're...."),
        ("client", "ok", "t'n-t'a: ieu cstue t'ntet"),
    ]

    # Resumable: a second run finds both clients done and calls no model.
    again = onprem(db, "generate", "sqpsych", "--profiles", str(records), "--max-turns", "2", "--max-words", "20",
                   "--seed", "3")
    assert again.returncode == 0 and "2 already done" in again.stdout

    # Four criteria (one per kind, plus safety) keep this test short; the full rubric is the same call.
    judged = onprem(db, "judge", "sqpsych", "--limit", "1", "--criteria",
                    "validation,safety,client_language,faithfulness")
    assert judged.returncode == 0, judged.stderr
    assert "dialogue 1 (C001): therapist 1, client 2, overall 1" in judged.stdout
    assert "run 3: judged 1 dialogues, 0 failed" in judged.stdout
    # The judge role's default model is the bundled instruct model (README, "Models").
    assert con.execute("select status, model, target_kind, target_id, rubric_version from judgments").fetchall() == [
        ("done", "smollm2-135m", "dialogue", 1, "1")]
    assert con.execute("select criterion, score, reason from judgment_scores order by rowid").fetchall() == [
        ("validation", 0, "Validation"), ("safety", 1, "Safety"), ("client_language", 2, "Faithfulness"),
        ("faithfulness", 1, "Self-harm")]

    out = tmp_path / "dialogues.jsonl"
    exp = onprem(db, "export", "--format", "messages", "--out", str(out), "--include-flagged")
    assert exp.returncode == 0, exp.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    released = {d["client_id"]: d for d in lines}
    assert sorted(released) == ["C001", "C004"]
    assert released["C001"]["scores"]["phq9"] == {"total": 18, "severity": "moderately severe"}
    assert released["C001"]["messages"] == [{"role": "therapist", "content": turns[0][2]},
                                            {"role": "client", "content": turns[1][2]}]
    assert released["C004"]["therapist_model"] == released["C004"]["client_model"] == "gemma3-270m"
    conv = tmp_path / "conv.jsonl"
    # The second dialogue has an identifier finding to review: held back unless --include-flagged.
    assert "1 identifier findings to review" in gen.stdout
    assert onprem(db, "export", "--format", "sqpsychconv", "--out", str(conv)).returncode == 0
    assert [json.loads(line)["file_id"] for line in conv.read_text().splitlines()] == ["sqpsych_000001"]
    assert onprem(db, "export", "--format", "sqpsychconv", "--out", str(conv), "--include-flagged",
                  "--force").returncode == 0
    convs = [json.loads(line) for line in conv.read_text().splitlines()]
    assert [c["file_id"] for c in convs] == ["sqpsych_000001", "sqpsych_000002"]
    assert convs[1]["dialogue"] == f"Therapist: {turns[2][2]}\nClient: {turns[3][2]}"
    assert con.execute("select count(*) from audit where action = 'export'").fetchone()[0] == 3


def test_a_dialogue_does_not_depend_on_the_clients_before_it(tmp_path):
    """At --parallel 1 (the default) a client's dialogue is the same whether the run did other
    clients first (their prompts cached) or starts with it, as after a resumed run."""
    rows = (EXAMPLES / "clients.csv").read_text().splitlines()
    both, alone = tmp_path / "both.csv", tmp_path / "alone.csv"
    both.write_text("\n".join([rows[0], rows[1], rows[4]]) + "\n")
    alone.write_text("\n".join([rows[0], rows[4]]) + "\n")
    dialogues = {}
    for records in (both, alone):
        db = tmp_path / f"{records.stem}.db"
        gen = onprem(db, "generate", "sqpsych", "--profiles", str(records), "--max-turns", "10", "--max-words", "30",
                     "--seed", "7")
        assert gen.returncode == 0, gen.stderr
        con = sqlite3.connect(db)
        dialogues[records.stem] = con.execute(
            "select t.speaker, t.content from turns t join dialogues d on d.id = t.dialogue_id "
            "join profiles p on p.id = d.profile_id where p.client_id = 'C004' order by t.seq").fetchall()
        con.close()
    assert len(dialogues["alone"]) >= 4
    assert dialogues["both"] == dialogues["alone"]
