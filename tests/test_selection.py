"""Quality selection: `judge quality` on any generator's dialogues, the session score as the mean of
the three criteria, `select --top K` and `--min-score S` marking the rest filtered (never deleted,
given back by a later selection), and the export holding filtered sessions back."""

from __future__ import annotations

import json
import sqlite3


from tests.sessions import GOOD, invoke, judgment

def test_quality_scores_select_top_and_min_score(tmp_path, script_file):
    db = tmp_path / "s.db"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1-3",
                  "--model", script_file([GOOD], then="repeat")).exit_code == 0
    # session scores (means): 8.0, 5.0, 7.0
    judge = script_file([judgment(8, 8, 8), judgment(4, 5, 6), judgment(7, 6, 8)])
    r = invoke(db, "judge", "quality", "--model", judge, "--progress", "plain")
    assert r.exit_code == 0 and "judged 3 dialogues" in r.output, r.output
    con = sqlite3.connect(db)

    def statuses():
        return [s for (s,) in con.execute("select status from dialogues order by id")]
    r = invoke(db, "select", "--generator", "pe", "--top", "2")
    assert "kept 2, filtered 1" in r.output and statuses() == ["ended", "filtered", "ended"]
    reason = con.execute("select reason from dialogues where id = 2").fetchone()[0]
    assert reason.startswith("not in the top 2 by quality (session score 5.00")
    r = invoke(db, "select", "--generator", "pe", "--min-score", "7.5")
    assert "kept 1, filtered 2" in r.output and statuses() == ["ended", "filtered", "filtered"]
    r = invoke(db, "select", "--generator", "pe", "--min-score", "4")      # a lower bar gives them back
    assert statuses() == ["ended", "ended", "ended"]
    assert json.loads(con.execute("select meta from dialogues where id = 2").fetchone()[0])["quality"] == 5.0
    invoke(db, "select", "--generator", "pe", "--top", "1")
    out = tmp_path / "m.jsonl"
    r = invoke(db, "export", "--format", "messages", "--out", out, "--include-flagged")
    assert "exported 1 dialogues" in r.output and "filtered 2" in r.output
    assert invoke(db, "select", "--generator", "pe").exit_code == 2


def test_techniques_judge_records_what_the_counsellor_used(tmp_path, script_file):
    from onprem.papers.hybrid import techniques
    from onprem.store import open_store

    db = tmp_path / "t.db"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1",
                  "--model", script_file([GOOD], then="repeat")).exit_code == 0
    keys = [c.key for c in techniques.RUBRIC.criteria]
    assert len(keys) == 19 and keys[:3] == ["socratic_questioning", "cognitive_restructuring", "reflective_listening"]
    answer = {k: {"score": int(k in ("reflective_listening", "validation")), "reason": "seen in turn two"} for k in keys}
    r = invoke(db, "judge", "cbt-techniques", "--generator", "pe", "--model", script_file([json.dumps(answer)]))
    assert r.exit_code == 0, r.output
    assert techniques.used(open_store(db), 1) == ["reflective listening", "validation"]


def test_a_judge_refuses_a_generator_that_does_not_exist(tmp_path):
    """`judge quality --generator nosuch` said "0 to do" (issue 28): a typo is a usage error naming the choices."""
    from click.testing import CliRunner

    from onprem.cli import cli

    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "judge", "quality", "--generator", "nosuch"])
    assert res.exit_code == 2
    assert "no generator 'nosuch' (one of: " in res.output and "hybrid" in res.output and "real" in res.output
