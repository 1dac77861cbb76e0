"""The paraphrase command's contract: exit codes, one-line errors, nothing half-written."""

import json
import sqlite3

from onprem.store import open_store

import pytest


@pytest.fixture
def with_scripted(scripted_cli):
    return scripted_cli


def rows(db, sql):
    return sqlite3.connect(db).execute(sql).fetchall()


def test_missing_path_is_a_usage_error(cli, tmp_path):
    r = cli("paraphrase", tmp_path / "nowhere")
    assert r.exit_code == 2 and "nowhere: no such file or folder" in r.output


def test_unknown_model_is_a_usage_error_before_any_work(cli, tmp_path):
    (tmp_path / "t.txt").write_text("Coach: hi\nCaregiver: hello")
    r = cli("paraphrase", tmp_path / "t.txt", "--model", "no-such-model")
    assert r.exit_code == 2 and "unknown model 'no-such-model'" in r.output
    assert not cli.db.exists() or rows(cli.db, "select count(*) from sources") == [(0,)]


@pytest.mark.parametrize("content,message", [(b"", "not a GGUF model file"), (b"GGUF" + b"\x00" * 64, "cannot read this GGUF")])
def test_corrupt_gguf_is_named_before_any_work(cli, tmp_path, content, message):
    (tmp_path / "t.txt").write_text("Coach: hi\nCaregiver: hello")
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(content)
    r = cli("paraphrase", tmp_path / "t.txt", "--model", bad)
    assert r.exit_code == 2 and "broken.gguf" in r.output and message in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert not cli.db.exists() or rows(cli.db, "select count(*) from pages") == [(0,)]


def test_bad_files_are_reported_and_the_rest_is_done(cli, tmp_path, with_scripted):
    good = tmp_path / "in"
    good.mkdir()
    (good / "a.txt").write_text("Coach: how are you\nCaregiver: tired")
    (good / "empty.txt").write_text("")
    (good / "latin.txt").write_bytes("Coach: caf\xe9".encode("latin-1"))
    (good / "prose.md").write_text("Just a paragraph of notes with no speaker labels at all.")
    r = cli("paraphrase", good, "--model", with_scripted, "--min-grounding", "0")
    assert r.exit_code == 1
    assert "empty.txt: file is empty" in r.output and "latin.txt: not UTF-8" in r.output
    assert rows(cli.db, "select name from sources order by name") == [("a.txt",), ("prose.md",)]
    assert rows(cli.db, "select status from qa_pairs") == [("kept",), ("kept",)]
    run = rows(cli.db, "select status, model_name, prompt_name, prompt_hash, seed from runs")[0]
    assert run[0] == "partial" and run[1] == "scripted" and run[2] == "paraphrase@2" and len(run[3]) == 64


def test_all_good_exits_zero_and_prints_a_summary(cli, tmp_path, with_scripted):
    (tmp_path / "a.txt").write_text("Coach: how are you\nCaregiver: tired")
    r = cli("paraphrase", tmp_path / "a.txt", "--roles", "client,therapist", "--model", with_scripted, "--min-grounding", "0")
    assert r.exit_code == 0 and "1 kept, 0 filtered, 0 flagged, 0 failed" in r.output
    assert "client" in with_scripted.sent()[0] and "therapist" in with_scripted.sent()[0]
    params = json.loads(rows(cli.db, "select params from runs")[0][0])
    assert params["roles"] == ["client", "therapist"] and params["min_words"] == 40


def test_roles_must_be_two(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Coach: hi")
    r = cli("paraphrase", tmp_path / "a.txt", "--roles", "coach")
    assert r.exit_code == 2 and "give two roles" in r.output


def test_second_writer_is_told_which_job_holds_the_database(cli, tmp_path, with_scripted):
    import os

    (tmp_path / "a.txt").write_text("Coach: hi\nCaregiver: hello")
    open_store(cli.db).close()          # an empty database (stats only reads: it creates none)
    con = sqlite3.connect(cli.db)
    # A live process (pytest's parent) holding a running job.
    con.execute("insert into runs (command, tool_version, started_at, status, pid) values "
                "('paraphrase', '0', 'now', 'running', ?)", [os.getppid()])
    con.commit()
    r = cli("paraphrase", tmp_path / "a.txt", "--model", with_scripted)
    assert r.exit_code == 2 and "database is busy: job 1 (paraphrase" in r.output


def test_a_crashed_job_does_not_block_the_next(cli, tmp_path, with_scripted):
    (tmp_path / "a.txt").write_text("Coach: hi\nCaregiver: hello")
    open_store(cli.db).close()          # an empty database (stats only reads: it creates none)
    con = sqlite3.connect(cli.db)
    con.execute("insert into runs (command, tool_version, started_at, status, pid) values "
                "('paraphrase', '0', 'now', 'running', 999999)")
    con.commit()
    assert cli("paraphrase", tmp_path / "a.txt", "--model", with_scripted).exit_code == 0
    assert rows(cli.db, "select status from runs order by id") == [("interrupted",), ("done",)]


def test_paraphrase_ends_with_its_next_step(cli, tmp_path, with_scripted):
    (tmp_path / "a.txt").write_text("Coach: hi\nCaregiver: hello")
    r = cli("paraphrase", tmp_path / "a.txt", "--model", with_scripted, "--progress", "plain")
    last = r.output.strip().splitlines()[-1]
    assert last.startswith("run 1: 1/1 files") and "; next: onprem review" in last and "onprem export" in last
