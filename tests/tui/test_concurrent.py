"""The TUI reads the database while another process writes to it (a job, through WAL)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tuihelp import drive, text_of

from tui.widgets import PagedTable

WRITER = textwrap.dedent("""
    import sys, time
    from onprem.store import open_store
    from onprem.store.db import now
    store = open_store(sys.argv[1])
    with store.atomic():
        run = store.db["runs"].insert({"command": "paraphrase", "tool_version": "0.1.0", "started_at": now(),
                                       "status": "running"}).last_pk
    print("ready", flush=True)
    for batch in range(40):
        with store.atomic():   # one page's rows per transaction, as the pipeline writes them
            store.db["qa_pairs"].insert_all([{
                "source_id": 3, "run_id": run, "seq": 1000 + batch * 10 + i, "question": "written during browsing",
                "answer": "a fresh answer", "q_words": 3, "a_words": 3, "status": "kept",
                "created_at": now(), "updated_at": now()} for i in range(10)])
        time.sleep(0.06)
    with store.atomic():
        store.db["runs"].update(run, {"status": "done", "ended_at": now()})
    print("done", flush=True)
""")


def test_browse_while_another_process_writes(db_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"

    async def scenario(pilot):
        seen = []
        await pilot.press("down", "down", "enter")          # imported source: its pairs
        table = pilot.app.screen.query_one(PagedTable)
        while writer.poll() is None:                         # keep browsing while rows arrive
            await pilot.press("pagedown", "end", "home", "escape", "r")
            seen.append(pilot.app.screen.query_one(PagedTable).current["pairs"])
            await pilot.press("enter")
            table = pilot.app.screen.query_one(PagedTable)
        await pilot.press("escape", "1")                     # back, and the Overview re-reads
        return seen, table.total_rows, text_of(pilot.app.screen.query_one("#ov-counts"))

    seen, last_total, counts = drive(db_path, scenario, start="browse")
    assert writer.wait(timeout=30) == 0
    assert len(seen) >= 2                                  # browsed while the writer ran
    assert seen == sorted(seen) and seen[0] >= 30          # counts only grow, never a torn read
    assert "432 pairs kept" in counts                       # 32 + 400 written by the other process
    assert last_total <= 430
