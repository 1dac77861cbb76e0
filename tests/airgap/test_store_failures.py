"""Two processes on one database, disk full and read-only databases: clear one-line messages and
never a partial row."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import onprem.store
from onprem.cli import cli as root
from onprem.store import open_store
from onprem.store.db import explain

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import os, sys, time
    from onprem.store import open_store
    from onprem.runs import finish_run, start_run
    s = open_store(sys.argv[1])
    run = start_run(s, "paraphrase")
    print(run, flush=True)
    stop, end = sys.argv[2], time.time() + 120
    n = 0
    while not os.path.exists(stop) and time.time() < end:
        with s.atomic():
            s.audit("writer", "tick", "runs", run)
        n += 1
        time.sleep(0.005)
    finish_run(s, run, "done", {"ticks": n})
    print(n, flush=True)
""")


def invoke(db: Path, *args):
    return CliRunner().invoke(root, ["--db", str(db), *map(str, args)])


def jsonl(path: Path, rows: int, words: int = 45) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            q = " ".join(f"question{i}w{j}" for j in range(words))
            a = " ".join(f"answer{i}w{j}" for j in range(words))
            f.write(json.dumps({"instruction": "help", "input": q, "output": a}) + "\n")
    return path


def sane(db: Path) -> None:
    """No orphans, integrity ok; every done page has exactly one live pair, others none."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert con.execute("pragma foreign_key_check").fetchall() == []
        assert con.execute("select count(*) from pii_spans s where s.pair_id is not null and not exists "
                           "(select 1 from qa_pairs q where q.id = s.pair_id)").fetchone()[0] == 0
        assert con.execute("select count(*) from qa_pairs q where q.page_id is not null and not exists "
                           "(select 1 from pages p where p.id = q.page_id)").fetchone()[0] == 0
        for status, n in con.execute("select p.status, (select count(*) from qa_pairs q where q.page_id = p.id) "
                                     "from pages p"):
            assert n == (1 if status in ("done", "failed") else 0), (status, n)
    finally:
        con.close()


def _page_count(opener, path: Path) -> int:
    s = opener(path)
    try:
        s.db.execute("pragma wal_checkpoint(TRUNCATE)")
        return s.db.execute("pragma page_count").fetchone()[0]
    finally:
        s.close()


def make_transcript(folder: Path, pages: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "many_pages.txt"
    p.write_text("\f".join(f"Client: page {i} is about sleep and worry. Therapist: tell me more about it."
                           for i in range(pages)), encoding="utf-8")
    return folder


@pytest.fixture
def scripted_paraphrase(scripted_cli):
    """`--model` for paraphrase on the scripted backend."""
    return scripted_cli


# --- two processes ---------------------------------------------------------------------------

def test_reader_and_second_writer_while_a_job_writes(tmp_path, scripted_paraphrase):
    db = tmp_path / "shared.db"
    invoke(db, "import", jsonl(tmp_path / "seed.jsonl", 3))
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(stop)], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    try:
        run_id = int(writer.stdout.readline())
        # Readers work while the job writes (WAL): stats, and the TUI starting up.
        for _ in range(3):
            res = invoke(db, "stats", "--json")
            assert res.exit_code == 0, res.output
            assert json.loads(res.stdout)["pairs_kept"] == 3
        from tui.app import make_app

        async def start():
            async with make_app(db).run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                return type(pilot.app.screen).__name__

        assert asyncio.run(start()) == "OverviewScreen"
        # The review API writes small transactions: it waits for the lock instead of failing.
        from onprem.review import approve_pair

        s = open_store(db)
        pair_id = s.db.execute("select id from qa_pairs limit 1").fetchone()[0]
        approve_pair(s, pair_id, actor="tester")
        s.close()
        # Every writing command refuses with the job's number, in one line.
        t = tmp_path / "t"
        make_transcript(t, 1)
        for args in (("paraphrase", t), ("import", jsonl(tmp_path / "more.jsonl", 2))):
            res = invoke(db, *args)
            assert res.exit_code == 2, res.output
            assert f"database is busy: job {run_id} (paraphrase, pid {writer.pid}) is running" in res.output
            assert "Traceback" not in res.output
        assert writer.poll() is None          # the job was writing all along
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0 and int(out.split()[-1]) > 10
    s = open_store(db)
    assert s.db.execute("select count(*) from qa_pairs").fetchone()[0] == 3     # nothing from the refused
    assert s.db.execute("select status from qa_pairs where id = ?", [pair_id]).fetchone()[0] == "approved"
    s.close()
    sane(db)


def test_two_jobs_started_at_once_cannot_both_run(tmp_path):
    db = tmp_path / "race.db"
    open_store(db).close()
    code = textwrap.dedent("""
        import sys, time
        from onprem.errors import UserError
        from onprem.store import open_store
        from onprem.runs import start_run
        s = open_store(sys.argv[1])
        while time.time() < float(sys.argv[2]):
            pass
        try:
            start_run(s, "paraphrase")
            print("started", flush=True)
            time.sleep(3)
        except UserError as e:
            print("refused", e, flush=True)
    """)
    go = str(time.time() + 2.5)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), go], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT) for _ in range(2)]
    outs = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert outs[0].startswith("refused database is busy: job 1"), outs
    assert outs[1] == "started", outs


# --- disk full ---------------------------------------------------------------------------------

PAGES = 24


def test_disk_full_mid_paraphrase_is_one_line_and_resumable(tmp_path, monkeypatch, scripted_paraphrase):
    """SQLite's max_page_count makes a small disk: it fills in the middle of the pages."""
    db = tmp_path / "full.db"
    t = make_transcript(tmp_path / "t", PAGES)
    real_open = onprem.store.open_store
    # How many database pages the whole job takes, measured on a scratch database.
    scratch = tmp_path / "scratch.db"
    empty = _page_count(real_open, scratch)
    assert invoke(scratch, "paraphrase", t, "--model", scripted_paraphrase).exit_code == 0
    full = _page_count(real_open, scratch)
    assert full - empty > 6
    cap = empty + (full - empty) // 2

    def tiny_disk(path):
        s = real_open(path)
        s.db.execute(f"pragma max_page_count = {cap}")
        return s

    monkeypatch.setattr(onprem.store, "open_store", tiny_disk)
    res = invoke(db, "paraphrase", t, "--model", scripted_paraphrase)
    assert res.exit_code == 1, res.output
    last = res.stderr.strip().splitlines()[-1]
    assert last == (f"onprem: {db}: the disk is full; the transaction in progress was rolled back "
                    f"(no partial rows); free space and run the same command again to resume")
    assert "Traceback" not in res.output
    con = sqlite3.connect(db)
    done = con.execute("select count(*) from pages where status = 'done'").fetchone()[0]
    con.close()
    assert 0 < done < PAGES          # the disk filled in the middle of the work
    sane(db)

    monkeypatch.setattr(onprem.store, "open_store", real_open)    # space freed: resume
    res = invoke(db, "paraphrase", t, "--model", scripted_paraphrase)
    assert res.exit_code == 0, res.output
    assert f"{PAGES - done} pages" in res.output
    sane(db)
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from qa_pairs").fetchone()[0] == PAGES
    con.close()


def _unshare_mount_ok() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True).returncode == 0


needs_mount_ns = pytest.mark.skipif(not _unshare_mount_ok(), reason="unshare -m with mount is not permitted here")

CHECK = textwrap.dedent("""
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1])
    print(con.execute("pragma integrity_check").fetchone()[0],
          con.execute("select count(*) from sources").fetchone()[0],
          con.execute("select count(*) from qa_pairs").fetchone()[0])
""")


@needs_mount_ns
def test_disk_full_on_a_real_small_filesystem(tmp_path):
    """`onprem import` of more rows than a 1 MiB tmpfs holds: one line, and the import is all or nothing."""
    big = jsonl(tmp_path / "big.jsonl", 3000)
    small = jsonl(tmp_path / "small.jsonl", 5)
    onprem_bin = Path(sys.executable).parent / "onprem"
    script = f"""
        set -u
        mount -t tmpfs -o size=1m tmpfs {tmp_path}/mnt
        {onprem_bin} --db {tmp_path}/mnt/x.db import {small} >/dev/null || exit 9
        {onprem_bin} --db {tmp_path}/mnt/x.db import {big} 2>{tmp_path}/err.txt; echo "rc=$?"
        {sys.executable} -c '{CHECK}' {tmp_path}/mnt/x.db
    """
    (tmp_path / "mnt").mkdir()
    # a safety net, not a deadline: import scans every pair for identifiers (~3,000 words/s, slower on a busy machine)
    out = subprocess.run(["unshare", "-m", "bash", "-c", script], capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stderr
    rc, check = out.stdout.strip().splitlines()
    err = (tmp_path / "err.txt").read_text().strip()
    assert rc == "rc=1", (out.stdout, err)
    assert err == (f"onprem: {tmp_path}/mnt/x.db: the disk is full; the transaction in progress was rolled back "
                   f"(no partial rows); free space and run the same command again to resume"), err
    assert check == "ok 1 5"       # the first import whole, nothing of the second


# --- read-only ---------------------------------------------------------------------------------

@needs_mount_ns
def test_read_only_mount(tmp_path):
    db = tmp_path / "ro" / "ro.db"
    db.parent.mkdir()
    assert invoke(db, "import", jsonl(tmp_path / "a.jsonl", 3)).exit_code == 0
    onprem_bin = Path(sys.executable).parent / "onprem"
    script = f"""
        set -u
        mount --bind {db.parent} {db.parent} && mount -o remount,bind,ro {db.parent} || exit 9
        {onprem_bin} --db {db} import {jsonl(tmp_path / 'b.jsonl', 2)}; echo "rc=$?"
    """
    # a safety net, not a deadline: import scans every pair for identifiers (~3,000 words/s, slower on a busy machine)
    out = subprocess.run(["unshare", "-m", "bash", "-c", script], capture_output=True, text=True, timeout=1800)
    # Exit 2 when SQLite cannot even open it there (no -wal/-shm to share), 1 when the write fails.
    assert out.stdout.strip()[-4:] in ("rc=1", "rc=2"), (out.stdout, out.stderr)
    assert out.stderr.strip() == (f"onprem: {db}: the database is read-only (file, folder or disk); make it "
                                  f"writable, or copy it somewhere writable and use --db, then run the same "
                                  f"command again"), out.stderr
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from qa_pairs").fetchone()[0] == 3
    con.close()


def test_read_only_connection_mode_ro(tmp_path, monkeypatch):
    """The same through SQLite's own ?mode=ro: the writing command fails in one line, nothing changes."""
    import sqlite_utils

    from onprem.store.db import Store

    db = tmp_path / "ro.db"
    assert invoke(db, "import", jsonl(tmp_path / "a.jsonl", 3)).exit_code == 0

    def read_only(path, **_options):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return Store(sqlite_utils.Database(conn), Path(path))

    monkeypatch.setattr(onprem.store, "open_store", read_only)
    res = invoke(db, "import", jsonl(tmp_path / "b.jsonl", 2))
    assert res.exit_code == 1, res.output
    assert res.stderr.strip() == (f"onprem: {db}: the database is read-only (file, folder or disk); make it "
                                  f"writable, or copy it somewhere writable and use --db, then run the same "
                                  f"command again")
    res = invoke(db, "stats", "--json")            # reading still works
    assert res.exit_code == 0 and json.loads(res.stdout)["pairs_kept"] == 3
    monkeypatch.undo()
    sane(db)


def test_explain_names_the_failure():
    assert "disk is full" in explain(sqlite3.OperationalError("database or disk is full"), "x.db")
    assert "read-only" in explain(sqlite3.OperationalError("attempt to write a readonly database"), "x.db")
    assert "database is busy" in explain(sqlite3.OperationalError("database is locked"), "x.db")
    assert explain(OSError(28, "No space left on device", "out.jsonl"), "x.db").startswith("out.jsonl: the disk is full")
    assert explain(sqlite3.IntegrityError("UNIQUE constraint failed"), "x.db") is None
    assert explain(ValueError("x"), "x.db") is None

