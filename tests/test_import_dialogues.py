"""Real sessions as dialogues: turns split at speaker labels (mapped with --roles), every turn redacted
with one placeholder map per session (real Presidio + spaCy), stored as dialogues of `real`, scanned;
a speaker outside the roles is one error naming the file; a re-import is skipped."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from onprem.cli import cli

SESSION = ("Counsellor: Hello, how was the week?\n"
           "Patient: Hard. My sister Maria Gonzalez called me at 555-201-7788 every night.\n"
           "Counsellor: That sounds tiring. How do you feel when Maria Gonzalez calls?\n"
           "Patient: Guilty, and then angry at myself.\n")


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_import_redacts_every_turn_and_marks_the_session_real(tmp_path):
    f = tmp_path / "s1.txt"
    f.write_text(SESSION)
    bad = tmp_path / "s2.txt"
    bad.write_text("Counsellor: hi\nNarrator: the room is quiet\nPatient: hello\n")
    db = tmp_path / "d.db"
    r = invoke(db, "import-dialogues", f, bad, "--roles", "counsellor,patient")
    assert r.exit_code == 1
    assert f"{bad}: speaker 'narrator' is neither counsellor nor patient; give --roles" in r.output
    assert "dialogue 1, 4 turns; redacted:" in r.output and "PERSON 2" in r.output
    con = sqlite3.connect(db)
    turns = con.execute("select speaker, content from turns order by seq").fetchall()
    assert [s for s, _ in turns] == ["therapist", "client", "therapist", "client"]
    assert "Maria" not in " ".join(c for _, c in turns) and "555-201-7788" not in turns[1][1]
    assert "[PERSON_1]" in turns[1][1] and "[PERSON_1]" in turns[2][1]      # one person, one placeholder
    gen, meta, scanned = con.execute("select generator, meta, scanned_at from dialogues").fetchone()
    assert gen == "real" and json.loads(meta)["real"] is True and scanned is not None
    assert "already imported" in invoke(db, "import-dialogues", f, "--roles", "counsellor,patient").output
    out = tmp_path / "m.jsonl"
    assert invoke(db, "export", "--format", "messages", "--out", out).exit_code == 0
    assert json.loads(out.read_text().splitlines()[0])["messages"][1]["role"] == "client"
