"""Progress as typed events (`--progress jsonl`), and cancelling a job that inherited SIGINT as ignored."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from onprem.events import Event

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "examples" / "profiles" / "clients.csv"


def utterances(n: int) -> list[str]:
    return [json.dumps({"utterance": f"Reply number {'x' * (i % 7 + 1)} and {'y' * (i // 7 + 1)}", "end": False})
            for i in range(n)]


def test_paraphrase_jsonl_progress_is_one_event_a_line(tmp_path, script_file):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text("Coach: how are you\fCaregiver: tired\fCoach: and today?", encoding="utf-8")
    model = script_file([], default=json.dumps({"question": " ".join(["q"] * 45), "answer": " ".join(["a"] * 50)}))
    out = subprocess.run([sys.executable, "-m", "onprem", "--db", str(tmp_path / "e.db"), "paraphrase", str(folder),
                          "--model", model, "--progress", "jsonl", "--min-grounding", "0"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    events = [Event.from_json(line) for line in out.stdout.splitlines()]
    assert all(events), out.stdout                            # nothing but events on stdout
    assert [e.kind for e in events] == ["start", "item", "item", "item", "done"]
    assert events[0].job == "paraphrase" and events[0].total == 3
    assert [e.i for e in events[1:4]] == [1, 2, 3] and events[1].text == "source 1 page 1: kept"
    assert "a.txt" not in out.stdout                            # file names may carry a client's name
    assert events[3].counts == {"kept": 3, "filtered": 0, "flagged": 0, "failed": 0}
    done = events[-1]
    assert done.run_id == 1 and done.exit_code == 0 and done.text.startswith("run 1: 1/1 files, 3 pages: 3 kept")


def test_plain_progress_is_unchanged(tmp_path, script_file):
    """Without a terminal: "label: N to do", "[i/N] line", then the summary, as before."""
    model = script_file(utterances(40), then="cycle")
    rows = PROFILES.read_text().splitlines()[:2]
    records = tmp_path / "one.csv"
    records.write_text("\n".join(rows) + "\n")
    out = subprocess.run([sys.executable, "-m", "onprem", "--db", str(tmp_path / "p.db"), "generate", "sqpsych",
                          "--profiles", str(records), "--model", model, "--max-turns", "4"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "sqpsych: 1 to do" and lines[1].startswith("[1/1] C001: capped, 4 turns; ")
    assert lines[2].startswith("run 1: 1 clients (0 rows rejected), 0 already done; 0 ended, 1 reached the turn cap")


def test_cancel_works_when_sigint_was_inherited_as_ignored(tmp_path, script_file):
    """A TUI started from a non-interactive shell passes SIGINT on as ignored: the job must still stop.
    The TUI cancels with SIGTERM, which the CLI turns into the same clean interruption."""
    model = script_file(utterances(400), then="cycle", delay=0.05)
    records = tmp_path / "six.csv"
    records.write_text("\n".join(PROFILES.read_text().splitlines()[:7]) + "\n")
    db = tmp_path / "c.db"
    ignore_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)  # noqa: E731
    proc = subprocess.Popen([sys.executable, "-m", "onprem", "--db", str(db), "generate", "sqpsych", "--profiles",
                             str(records), "--model", model, "--progress", "jsonl"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=ignore_sigint, start_new_session=True)
    try:
        first = None
        while first is None or first.kind != "item":
            first = Event.from_json(proc.stdout.readline())
        proc.send_signal(signal.SIGINT)
        time.sleep(1.0)
        assert proc.poll() is None                              # SIGINT is ignored: it runs on
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 130
    con = sqlite3.connect(db)
    assert con.execute("select status from runs").fetchone()[0] == "interrupted"
    made = con.execute("select count(*), count(scanned_at) from dialogues").fetchone()
    assert 1 <= made[0] < 6 and made[1] == made[0]              # whole dialogues only, each with its scan
    n_turns = con.execute("select count(*) from turns").fetchone()[0]
    assert n_turns == 30 * made[0]
