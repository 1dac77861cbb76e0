"""llama.cpp's threads follow the machine's load (issue 28, item 1): the cores other work leaves free,
ONPREM_THREADS or --threads to fix the number; `doctor` shows the choice; a run far slower than an
earlier run of the same model says so and names the fix."""

from __future__ import annotations

import pytest

from onprem import config


@pytest.mark.parametrize("cores, load, want", [
    (2, 0.0, 2), (2, 0.4, 2), (2, 0.6, 1), (2, 1.0, 1), (2, 6.0, 1),    # never fewer than one
    (8, 2.4, 6), (8, 0.0, 8), (4, None, 4),                                # unknown load: every core
])
def test_threads_for_load_by_hand(cores, load, want):
    assert config.threads_for_load(cores, load) == want


def test_the_environment_wins_and_the_source_is_named(monkeypatch):
    monkeypatch.setenv("ONPREM_THREADS", "3")
    assert config.threads_choice() == (3, "ONPREM_THREADS")
    monkeypatch.delenv("ONPREM_THREADS")
    monkeypatch.setattr(config, "_load", lambda: 1.2)
    monkeypatch.setattr(config.os, "cpu_count", lambda: 4)
    assert config.threads_choice() == (3, "machine load: 1.2 other tasks running on 4 cores")
    monkeypatch.setattr(config, "_load", lambda: None)
    assert config.threads_choice() == (4, "all cores")


def test_load_reads_the_runnable_tasks_less_this_process():
    load = config._load()
    assert load is None or load >= 0.0


def test_doctor_shows_the_threads(cli):
    out = cli("doctor").output
    assert "llama.cpp threads now: " in out and "ONPREM_THREADS" in out


class _Model:
    name, sha256 = "m", "1" * 64

    def __init__(self, threads, source="machine load: 1.0 other tasks running on 2 cores"):
        self.threads, self.source = threads, source

    def provenance(self) -> dict:
        return {"backend": "llama", "name": self.name, "sha256": self.sha256, "threads": self.threads,
                "threads_from": self.source}


def test_a_run_far_slower_than_before_says_so(tmp_path):
    from onprem.runs import finish_run, slow_note, start_run
    from onprem.store import open_store

    store = open_store(tmp_path / "x.db")
    fast = start_run(store, "paraphrase", models={"paraphrase": _Model(1)})
    finish_run(store, fast, "done", {"tokens_per_second": 16.1})
    slow = start_run(store, "paraphrase", models={"paraphrase": _Model(2, "ONPREM_THREADS")})
    note = slow_note(store, slow, _Model(2, "ONPREM_THREADS"), 3.2)
    assert note.startswith("this run decoded at 3.2 tokens/s, a third or less of the 16.1 tokens/s run 1 had on m "
                           "(1 threads then, 2 now from ONPREM_THREADS)")
    assert "--threads 1" in note
    assert slow_note(store, slow, _Model(2), 5.4) is None           # above a third: no note
    other = _Model(2)
    other.sha256 = "2" * 64
    assert slow_note(store, slow, other, 0.5) is None               # another model file: nothing to compare

    class Scripted(_Model):
        def provenance(self):
            return {"backend": "scripted", "name": "m", "sha256": self.sha256}
    assert slow_note(store, slow, Scripted(1), 0.1) is None         # no threads: no note
    store.close()


def test_a_jobs_form_threads_value_reaches_the_command():
    from onprem.jobs import job_kinds

    kind = job_kinds()["paraphrase"]
    cmd = kind.command("x.db", "t/", "", 1)
    assert cmd[-5:] == ["--threads", "1", "--progress", "jsonl", "t/"]      # the positional path last
    assert "--threads" not in kind.command("x.db", "t/", "")       # empty: the load decides

