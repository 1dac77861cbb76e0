"""Hybrid training data: scenario records with distortion tags checked against the list and the
narrative, stored as inputs (never exported); CBT sessions role-played from them (scripted for the
control flow, the bundled model end to end, pinned)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.papers.hybrid import scenarios as sc


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_tag_checks():
    ok = "Summary: A tired nurse.\nCognitive Distortions: Mind Reading\nScenario: She thinks they judge her. (Mind Reading)"
    assert sc.parse(ok) == ({"summary": "A tired nurse.", "distortions": ["Mind Reading"],
                             "narrative": "She thinks they judge her. (Mind Reading)"}, None)
    assert sc.parse(ok.replace("(Mind Reading)", ""))[1] == "Mind Reading is listed but not tagged in the scenario"
    assert sc.parse(ok.replace("Distortions: Mind Reading", "Distortions: n/a"))[1] == \
        "Mind Reading is tagged in the scenario but not listed"
    assert sc.parse(ok.replace("Distortions: Mind Reading", "Distortions: Doom Thinking"))[1] == \
        "unknown distortion 'Doom Thinking' (not on the list)"
    assert sc.parse("Summary: x")[1] == "missing cognitive distortions, scenario"


def scenario(listed, tags):
    sentences = [{"text": f"Sentence number {i} about her week at work.", "distortion": t} for i, t in enumerate(tags)]
    return json.dumps({"summary": "A nurse who worries what colleagues think of her.", "distortions": listed,
                       "sentences": sentences})


GOOD = scenario(["Mind Reading"], [None, "Mind Reading", None, None, None, None])
BAD = scenario(["Mind Reading"], [None, None, None, None, None, None])


def test_scenarios_checked_retried_stored_and_not_exported(tmp_path, script_file):
    db = tmp_path / "h.db"
    assert invoke(db, "personas", "sample", "--n", "2", "--seed", "1").exit_code == 0
    r = invoke(db, "generate", "scenarios", "--model", script_file([BAD, GOOD, BAD], then="repeat"),
               "--retries", "1", "--progress", "plain")
    assert r.exit_code == 1, r.output
    rows = sqlite3.connect(db).execute("select status, reason, meta from dialogues order by id").fetchall()
    assert rows[0][0] == "ended" and json.loads(rows[0][2])["distortions"] == ["Mind Reading"]
    assert rows[1][:2] == ("failed", "Mind Reading is listed but not tagged in the scenario after 2 tries")
    narrative = sqlite3.connect(db).execute("select content from turns where dialogue_id = 1").fetchone()[0]
    assert "Sentence number 1 about her week at work. (Mind Reading)" in narrative
    out = tmp_path / "m.jsonl"
    r = invoke(db, "export", "--format", "messages", "--out", out, "--include-flagged")
    assert "exported 0 dialogues" in r.output


# A bundled-Gemma session of 6 turns from one scripted scenario (seed 1, 1 thread): statuses,
# speakers and a hash of the turns (pinned; re-pinned when the base-model counsellor prompt gained the
# techniques and the question bank, version 3, issue 26).
PINNED = ('capped', ['client', 'therapist', 'client', 'therapist', 'client', 'therapist'], '9317ba0aac9e3140')


@pytest.mark.model
def test_hybrid_sessions_on_the_bundled_model(tmp_path, script_file):
    import hashlib

    db = tmp_path / "real.db"
    assert invoke(db, "personas", "sample", "--n", "1", "--seed", "1").exit_code == 0
    assert invoke(db, "generate", "scenarios", "--model", script_file([GOOD])).exit_code == 0
    r = subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), "generate", "hybrid", "--max-turns", "6",
                        "--seed", "1", "--threads", "1", "--progress", "plain"], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    con = sqlite3.connect(db)
    d = con.execute("select id, status from dialogues where generator = 'hybrid'").fetchone()
    turns = con.execute("select speaker, content, status from turns where dialogue_id = ? order by seq", [d[0]]).fetchall()
    assert turns[0][0] == "client"            # the patient opens
    got = (d[1], [t[0] for t in turns], hashlib.sha256(json.dumps(turns).encode()).hexdigest()[:16])
    assert got == PINNED, repr(got)


def test_messages_export_carries_the_session_header(tmp_path, script_file):
    """Hybrid App. B: a session's header (summary, distortions, counsellor model) in the messages
    export's metadata (issue 26); a dialogue of another generator has none."""
    db = tmp_path / "m.db"
    assert invoke(db, "personas", "sample", "--n", "1", "--seed", "1").exit_code == 0
    assert invoke(db, "generate", "scenarios", "--model", script_file([GOOD])).exit_code == 0
    lines = ["I keep thinking my colleagues judge me.", "What makes you think they judge you?",
             "They go quiet when I walk in.", "Could there be another reason they go quiet?",
             "Maybe they were just busy.", "How does it feel to consider that?"]
    talk = script_file([json.dumps({"utterance": u, "end": False}) for u in lines], then="cycle", name="talker")
    r = invoke(db, "generate", "hybrid", "--model", talk, "--max-turns", "4", "--progress", "plain")
    assert r.exit_code in (0, 1), r.output
    out = tmp_path / "m.jsonl"
    r = invoke(db, "export", "--format", "messages", "--out", out, "--include-flagged")
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert lines, r.output
    assert lines[0]["metadata"] == {"summary": "A nurse who worries what colleagues think of her.",
                                    "distortions": ["Mind Reading"], "counsellor_model": "talker",
                                    "scenario": lines[0]["metadata"]["scenario"]}
    assert lines[0]["metadata"]["scenario"]
    assert (lines[0]["therapist_model"], lines[0]["client_model"]) == ("talker", "talker")   # issue 28, item 10
