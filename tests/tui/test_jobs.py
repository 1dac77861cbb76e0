"""Jobs: paraphrase from the TUI on the real default model, with progress, live counts and cancel."""

from __future__ import annotations

import pytest
from tuihelp import answers_keys, drive, until

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
