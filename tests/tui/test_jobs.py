"""Jobs: paraphrase from the TUI on the real default model, with progress, live counts and cancel."""

from __future__ import annotations

import pytest
from tuihelp import answers_keys, drive, text_of, until

from onprem.store import open_store

PAGE = ("Caregiver: Since my father's stroke I help him with meals, pills and appointments, and by the "
        "evening I am exhausted and short with my children.\n"
        "Coach: That is a heavy load. Which part of the evening feels hardest for you right now?\n"
        "Caregiver: Bedtime. He needs help washing and I have nothing left for myself afterwards.\n")


@pytest.mark.model
def test_paraphrase_job_progress_and_cancel(db_path, tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "two_pages.txt").write_text(PAGE + "\f" + PAGE.replace("father", "mother"), encoding="utf-8")

    async def scenario(pilot):
        screen = pilot.app.screen
        await pilot.press("tab")                               # keyboard only: kind -> path field
        assert pilot.app.focused is screen.query_one("#job-path")
        screen.query_one("#job-path").value = str(folder)
        await pilot.press("enter")
        assert screen.state == "running"
        assert await answers_keys(pilot, screen)           # the UI answers while the model works
        await until(pilot, lambda: sum(screen.counts.values()) > 0 or screen.proc is None, "the first page")
        assert sum(screen.counts.values()) == 1, screen.query_one("#job-log").lines[-5:]
        progress = screen.query_one("#job-progress")
        seen = (progress.total, progress.progress)
        await pilot.press("escape", "x")                   # cancel during page 2
        await until(pilot, lambda: screen.proc is None, "the job to end after cancel")
        return seen, screen.state, screen.exit_code

    seen, state, code = drive(db_path, scenario, start="jobs")
    assert seen == (2, 1)
    assert state == "cancelled" and code == 130
    store = open_store(db_path)
    try:
        run = list(store.db.query("select status from runs where command = 'paraphrase' order by id desc limit 1"))[0]
        pages = list(store.db.query("select p.seq, p.status, (select count(*) from qa_pairs q where q.page_id = p.id) n "
                                    "from pages p join sources s on s.id = p.source_id "
                                    "where s.name = 'two_pages.txt' order by p.seq"))
    finally:
        store.close()
    assert run["status"] == "interrupted"
    # The finished page has its pair; the cancelled one has no rows at all.
    assert pages == [{"seq": 0, "status": "done", "n": 1}, {"seq": 1, "status": "pending", "n": 0}]


def test_the_jobs_form_refuses_a_bad_thread_count(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#job-path").value = "."
        screen.query_one("#job-threads").value = "0"
        screen.action_start()
        await pilot.pause()
        return screen.state, screen.query_one("#job-threads").tooltip

    state, tip = drive(db_path, scenario, start="jobs")
    assert state == "idle"                                           # not started
    assert tip.startswith("auto now: ") and "ONPREM_THREADS" in tip


@pytest.mark.parametrize("done,total,elapsed,expected", [
    (3, 7, 41.0, "3/7 · 0:41 elapsed · 4.4/min · ETA 0:55"),       # 4 left at 41/3 s each = 54.7 s
    (7, 7, 125.0, "7/7 · 2:05 elapsed · 3.4/min"),                   # done: no ETA
    (0, 12, 3.0, "0/12 · 0:03 elapsed"),                             # no rate before the first item
    (1, 100, 3700.0, "1/100 · 1:01:40 elapsed · 0.0/min · ETA 101:45:00"),
])
def test_jobs_timing_is_the_rate_so_far_and_the_rest_at_it(done, total, elapsed, expected):
    from tui.screens.jobs import timing

    assert timing(done, total, elapsed) == expected


def test_the_jobs_counts_line_shows_elapsed_rate_and_eta(db_path):
    """Issue 28, item 7: elapsed time, rate and ETA beside the counts, as the CLI's bar shows them
    (events fed as a job's child process writes them)."""
    import json

    async def scenario(pilot):
        screen = pilot.app.screen
        screen.on_line(json.dumps({"job": "paraphrase", "kind": "start", "i": 0, "total": 4}))
        screen.on_line(json.dumps({"job": "paraphrase", "kind": "item", "i": 1, "total": 4, "status": "kept",
                                   "text": "source 1 page 1: kept", "counts": {"kept": 1}}))
        await pilot.pause()
        return text_of(screen.query_one("#job-counts"))

    line = drive(db_path, scenario, start="jobs")
    assert "kept 1" in line and "1/4 · 0:0" in line and "elapsed ·" in line and "/min · ETA " in line
