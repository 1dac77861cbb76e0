"""Jobs: paraphrase from the TUI on the real default model, with progress, live counts and cancel."""

from __future__ import annotations

import pytest
from tuihelp import answers_keys, drive, rows, text_of, until

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


def test_every_model_running_command_is_a_job_whose_form_fits_its_command():
    """Issue 24: paraphrase, redact, import-dialogues, generate, judge, dedup, eval respond, eval
    simulate and eval quality are Jobs; a registered job names its command, and each option its form
    fills is one that command has (a renamed option fails here, not in a person's job log)."""
    from onprem import jobs, plugins

    kinds = jobs.job_kinds()
    assert {"paraphrase", "redact", "import-dialogues", "dedup", "eval respond", "eval simulate",
            "eval quality"} <= set(kinds)
    for name, r in plugins.jobs().items():
        command, kind = r.load(), kinds[name]
        options = {o for p in command.params for o in p.opts}
        wanted = ({"--progress"} | ({kind.model_flag} if kind.model_flag else set())
                  | ({kind.path_flag} if kind.path_flag else set()))
        assert wanted <= options, (name, wanted - options)
        assert kind.takes_threads == ("--threads" in options)
        assert command.name == kind.args[-1]
        if kind.path_flag == "":
            assert any(p.param_type_name == "argument" for p in command.params), name


def test_eval_respond_runs_as_a_job(db_path, tmp_path, script_file):
    """A benchmark question answered from the Jobs screen: the form's file and model reach the CLI,
    its events fill the counters, and the responses are stored under the run."""
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "question": "How do I sleep better?"}\n', encoding="utf-8")
    model = script_file(["Keep a regular bedtime and a dark room."], then="repeat")

    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#job-kind").value = "eval respond"
        await pilot.pause()
        assert str(screen.query_one("#job-start").label) == "Start respond"
        screen.query_one("#job-path").value = str(questions)
        screen.query_one("#job-model").value = model
        rounds = next(w for w, flag in screen.option_flags.items() if flag == "--rounds")
        screen.query_one(f"#{rounds}").value = "2"           # the command's own option, in its form
        screen.action_start()
        await until(pilot, lambda: screen.proc is None, "the respond job to end")
        screen.show_runs()
        runs = screen.query_one("#job-runs")
        return (screen.state, screen.exit_code, dict(screen.counts), list(screen.query_one("#job-log").lines),
                [runs.get_row_at(i)[1:3] for i in range(runs.row_count)])

    state, code, counts, log, runs = drive(db_path, scenario, start="jobs")
    assert (state, code) == ("done", 0), log
    assert counts == {"done": 2, "failed": 0}                           # 1 question x 2 rounds, as the form said
    assert "$ onprem eval respond --questions" in log[0] and "--rounds 2" in log[0]
    assert "eval respond: 2 to do" in log and any("next: onprem judge mentalchat7 --responses run:" in x for x in log)
    assert [r["n"] for r in rows(db_path, "select count(*) n from eval_responses where status = 'done'")] == [2]
    assert runs[0] == ["eval respond", "done"]


def test_redact_and_import_dialogues_run_as_jobs(db_path, tmp_path):
    """The two spaCy/Presidio commands from the Jobs screen: redact's --out is a field of its form,
    import-dialogues has no model field; neither progress line names a file (file names often carry
    a client's name), and the import is recorded as a run."""
    src = tmp_path / "maria-lopez.txt"
    src.write_text("Counsellor: Hello Maria, how was the week?\nPatient: My brother Tom called from "
                   "555-201-7788 and I could not sleep.\n", encoding="utf-8")
    out = tmp_path / "copies"

    async def scenario(pilot):
        screen, seen = pilot.app.screen, {}
        for kind, extra in (("redact", {"--out": str(out)}), ("import-dialogues", {"--roles": "counsellor,patient"})):
            screen.query_one("#job-kind").value = kind
            await pilot.pause()
            seen[kind] = {"model field": not screen.query_one("#job-model").disabled,
                          "threads field": not screen.query_one("#job-threads").disabled}
            screen.query_one("#job-path").value = str(src)
            for wid, flag in screen.option_flags.items():
                if flag in extra:
                    screen.query_one(f"#{wid}").value = extra[flag]
            screen.action_start()
            await until(pilot, lambda: screen.proc is None, f"the {kind} job to end")
            seen[kind].update(state=screen.state, counts=dict(screen.counts),
                              log=list(screen.query_one("#job-log").lines))
        return seen

    seen = drive(db_path, scenario, start="jobs")
    red, imp = seen["redact"], seen["import-dialogues"]
    assert red["state"] == "done" and red["counts"] == {"redacted": 1, "failed": 0}, red["log"]
    assert (red["model field"], red["threads field"]) == (True, False)
    assert (imp["model field"], imp["threads field"]) == (False, False)
    copy = (out / src.name).read_text()
    assert "Maria" not in copy and "555-201-7788" not in copy and "[PERSON_1]" in copy
    assert imp["state"] == "done" and imp["counts"] == {"imported": 1, "already": 0, "failed": 0}, imp["log"]
    for log in (red["log"], imp["log"]):
        assert not any("maria-lopez" in line for line in log[1:]), log      # log[0] is the command typed
    assert any("file 1: dialogue" in line and "redacted:" in line for line in imp["log"])
    assert rows(db_path, "select command, status from runs order by id desc limit 1")[0] == \
        {"command": "import-dialogues", "status": "done"}


@pytest.mark.model
def test_dedup_runs_as_a_job_on_the_default_model(db_path):
    """The embedding step reports each text through the one event stream (Jobs counts, bar, ETA)."""
    todo = rows(db_path, "select count(*) n from qa_pairs where status in ('kept', 'flagged', 'approved') "
                         "and question is not null and question != ''")[0]["n"]

    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#job-kind").value = "dedup"
        await pilot.pause()
        screen.query_one("#job-threads").value = "1"
        screen.action_start()
        await until(pilot, lambda: screen.proc is None, "the dedup job to end")
        bar = screen.query_one("#job-progress")
        return screen.state, dict(screen.counts), (bar.total, bar.progress), list(screen.query_one("#job-log").lines)

    state, counts, bar, log = drive(db_path, scenario, start="jobs")
    assert state == "done", log
    assert counts["embedded"] == todo and bar == (todo, todo) and todo > 0
    assert any(line.startswith("run ") and f"{todo} embedded" in line for line in log)
    run = rows(db_path, "select command, status from runs order by id desc limit 1")[0]
    assert run == {"command": "dedup", "status": "done"}


def test_a_jobs_form_offers_every_option_of_its_command():
    """Issue 28, item 7: roles, turns, seed, parallel, force, ... come from the command itself, so a
    generator's or judge's new option is in its form with no change to the screen."""
    from onprem import jobs

    for key, kind in jobs.job_kinds().items():
        cmd = kind.click_command()
        shown = {o.flag for o in kind.options()}
        expected = {max(p.opts, key=len) for p in cmd.params if p.param_type_name == "option" and not p.hidden
                    and not {"--progress", "--threads", "--help", "--list-criteria", kind.model_flag,
                             kind.path_flag} & set(p.opts)}
        assert shown == expected, key
    sq = jobs.job_kinds()["generate:sqpsych"]
    flags = {o.flag: o for o in sq.options()}
    assert {"--max-turns", "--therapist-model", "--client-model", "--seed", "--parallel", "--force"} <= set(flags)
    assert flags["--force"].is_flag and flags["--max-turns"].default == "30"
    cmd = sq.command("x.db", "c.csv", "", None, {"--max-turns": "6", "--force": True, "--seed": "", "--verify": False})
    assert cmd[3:] == ["--db", "x.db", "generate", "sqpsych", "--profiles", "c.csv", "--max-turns", "6", "--force",
                       "--progress", "jsonl"]


def test_runs_from_the_cli_are_listed_and_rates_draw_a_sparkline(db_path):
    """A run started from a terminal shows in Jobs; each item's tok/s feeds the sparkline."""
    import json

    from onprem.runs import recorded_run
    from onprem.store import open_store

    store = open_store(db_path)
    with recorded_run(store, "generate sqpsych", params={}) as rec:
        rec.status = "partial"
    store.close()

    async def scenario(pilot):
        screen = pilot.app.screen
        screen.show_runs()
        runs = screen.query_one("#job-runs")
        listed = [runs.get_row_at(i)[1:3] for i in range(runs.row_count)]
        screen.on_line(json.dumps({"job": "paraphrase", "kind": "start", "total": 3}))
        for i, rate in enumerate(("12 tok/s", "30 tok/s", None), 1):
            screen.on_line(json.dumps({"job": "paraphrase", "kind": "item", "i": i, "total": 3, "rate": rate}))
        await pilot.pause()
        return listed, list(screen.rates), list(screen.query_one("#job-rate").data)

    listed, rates, data = drive(db_path, scenario, start="jobs")
    assert listed[0] == ["generate sqpsych", "partial"]
    assert rates == [12.0, 30.0] and data == [12.0, 30.0]
