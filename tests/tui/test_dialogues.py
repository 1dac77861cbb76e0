"""Dialogues in the TUI, driven by keys through Pilot and checked on the widgets and in the database:
browse (list -> turns with findings and judgment), the dialogue review queue (every decision at once,
audited, undoable), export honouring the decisions, and `generate sqpsych` as a job (progress, live
counts, the identifier scan after it, cancel) on a scripted model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tuihelp import ACTOR, answers_keys, drive, rows, text_of, type_text, until

from tui.screens.dialogues import DialogueReviewScreen, DialogueScreen, DialoguesScreen
from tui.widgets import PagedTable, entity_style

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples" / "profiles"


def styles_at(text, start: int, end: int) -> set[str]:
    """Styles a rich Text applies over exactly [start, end)."""
    return {str(s.style) for s in text.spans if s.start <= start and s.end >= end}


def test_browse_dialogues_turns_findings_and_judgment(dlg_path):
    async def scenario(pilot):
        await pilot.press("d")
        screen = pilot.app.screen
        assert isinstance(screen, DialoguesScreen)
        table = screen.query_one(PagedTable)
        listed = [(r["client_id"], r["status"], r["findings"], r["totals"]) for r in table.rows_data]
        preview = text_of(screen.query_one("#dialogue-preview"))
        await pilot.press("enter")
        page = pilot.app.screen
        assert isinstance(page, DialogueScreen)
        turns = page.query_one("#dialogue-turns").content
        out = {"listed": listed, "preview": preview, "turns": turns.plain,
               "legend": text_of(page.query_one("#legend")), "judge": text_of(page.query_one("#dialogue-judge-text"))}
        at = turns.plain.index("Tom Baker")
        out["person_style"] = styles_at(turns, at, at + len("Tom Baker"))
        await pilot.press("v")
        out["review"] = type(pilot.app.screen).__name__, pilot.app.screen.single
        await pilot.press("escape", "escape", "escape")
        out["back"] = type(pilot.app.screen).__name__
        return out

    out = drive(dlg_path, scenario, start="browse")
    assert out["listed"][0] == ("C001", "capped", 2, {"therapist": 3, "client": 2, "overall": 1})
    assert [r[:2] for r in out["listed"][1:]] == [("C002", "ended"), ("C003", "failed")]
    assert "C001 · depression" in out["preview"] and "2 open" in out["preview"] and "T3 C2 O1" in out["preview"]
    assert "2 Client: Hard. I stayed with my brother Tom Baker in Boston" in out["turns"]
    assert entity_style("PERSON") in out["person_style"]
    assert "PERSON" in out["legend"] and "LOCATION" in out["legend"]
    assert "validation" in out["judge"] and "therapist 3" in out["judge"]
    assert out["review"] == ("DialogueReviewScreen", 1)
    assert out["back"] == "SourcesScreen"
    assert rows(dlg_path, "select * from audit") == []          # looking decides nothing


def test_dialogue_review_queue_every_decision_written_at_once(dlg_path):
    async def scenario(pilot):
        await pilot.press("d")                                   # pair review -> dialogue queue
        screen = pilot.app.screen
        assert isinstance(screen, DialogueReviewScreen)
        seen = {"start": text_of(screen.query_one("#counter")), "dialogue": screen.dialogue["id"],
                "first": screen.selected["text"]}
        await pilot.press("c")                                   # Tom Baker: PII
        seen["next"] = screen.selected["text"]
        await pilot.press("f")                                   # Boston: not PII
        await pilot.press("m")                                   # missed text
        await type_text(pilot, "my brother")
        await pilot.press("enter")
        seen["spans"] = [(s["text"], s["decision"]) for s in screen.spans]
        screen.query_one("#dreview-spans").move_cursor(row=0)
        await pilot.press("e")                                   # edit the turn of the selected finding
        area = pilot.app.screen.query_one("#edit-turn")
        area.text = "Hard. I stayed with family in Boston and barely slept."
        await pilot.press("ctrl+s")
        seen["edited"] = [(s["text"], s["decision"]) for s in screen.spans]
        seen["turn_shown"] = text_of(screen.turn_widgets[1])
        await pilot.press("u")                                   # undo the edit
        seen["after_undo"] = screen.dialogue["turns"][1]["content"]
        await pilot.press("e", "ctrl+s")                         # edit again (the same text, for real)
        await pilot.press("a")                                   # approve: the queue is done
        seen["end"] = text_of(screen.query_one("#counter"))
        seen["left"] = screen.dialogue
        return seen

    seen = drive(dlg_path, scenario, start="review")
    assert "0 / 1 dialogues reviewed" in seen["start"] and seen["dialogue"] == 1
    assert seen["first"] == "Tom Baker" and seen["next"] == "Boston"
    assert seen["spans"] == [("my brother", "added"), ("Tom Baker", "confirmed"), ("Boston", "rejected")]
    assert seen["edited"] == [("my brother", "removed"), ("Tom Baker", "removed"), ("Boston", "rejected")]
    assert "family in Boston" in seen["turn_shown"]
    assert seen["after_undo"].startswith("Hard. I stayed with my brother Tom Baker")
    assert "1 / 1 dialogues reviewed" in seen["end"] and "nothing left" in seen["end"] and seen["left"] is None
    assert rows(dlg_path, "select review_status, review_reason from dialogues where id = 1") == [
        {"review_status": "approved", "review_reason": f"approved by {ACTOR}"}]
    actions = [(r["action"], r["table_name"]) for r in rows(dlg_path, "select action, table_name from audit order by id")]
    assert actions == [("span.confirm", "pii_spans"), ("span.reject", "pii_spans"), ("span.add", "dialogues"),
                       ("turn.edit", "turns"), ("undo", "turns"), ("dialogue.approve", "dialogues")]
    # The second edit (Ctrl+S on unchanged text) changed nothing, so it wrote nothing.
    assert rows(dlg_path, "select content from turns where dialogue_id = 1 and seq = 1")[0]["content"].startswith(
        "Hard. I stayed with my brother Tom Baker")


def test_dialogue_reject_undo_and_navigation(dlg_path):
    async def scenario(pilot):
        pilot.app.push_screen(DialogueReviewScreen())
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press("r")                                     # reject the dialogue
        rejected = rows(dlg_path, "select review_status from dialogues where id = 1")[0]["review_status"]
        after_reject = screen.dialogue
        await pilot.press("u")                                     # undo brings it back to the queue
        back = screen.dialogue["id"] if screen.dialogue else None
        await pilot.press("n")
        wrapped = screen.dialogue["id"] if screen.dialogue else None
        return rejected, after_reject, back, wrapped, text_of(screen.query_one("#counter"))

    rejected, after_reject, back, wrapped, counter = drive(dlg_path, scenario, start="review")
    assert rejected == "rejected" and after_reject is None
    assert back == 1 and wrapped == 1                              # the only dialogue left to review
    assert "0 / 1 dialogues reviewed" in counter
    assert rows(dlg_path, "select review_status from dialogues where id = 1")[0]["review_status"] is None
    assert [r["action"] for r in rows(dlg_path, "select action from audit order by id")] == ["dialogue.reject", "undo"]


def test_overview_counts_dialogues_to_review(dlg_path):
    async def scenario(pilot):
        return text_of(pilot.app.screen.query_one("#ov-counts"))

    assert "3 dialogues (1 to review)" in drive(dlg_path, scenario)


def test_export_dialogues_follows_review(dlg_path, tmp_path):
    target = tmp_path / "dialogues.jsonl"

    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def scenario(pilot):
        screen = pilot.app.screen
        await settle(pilot)
        screen.query_one("#export-format").value = "messages"
        await pilot.pause()
        await settle(pilot)
        held = text_of(screen.query_one("#export-preview"))
        assert screen.query_one("#export-path").value == "export.jsonl"
        screen.query_one("#export-flagged").value = True
        await settle(pilot)
        flagged = text_of(screen.query_one("#export-preview"))
        screen.query_one("#export-flagged").value = False
        await settle(pilot)
        screen.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+w")
        await settle(pilot)
        return held, flagged, text_of(screen.query_one("#export-preview"))

    held, flagged, written = drive(dlg_path, scenario, start="export")
    assert "1 dialogues would be released" in held
    assert "unresolved identifier findings" in held and "failed" in held
    assert "2 dialogues would be released" in flagged and "identifier findings (include flagged is on)" in flagged
    assert "1 dialogues written to" in written
    lines = [json.loads(x) for x in target.read_text().splitlines()]
    assert [x["client_id"] for x in lines] == ["C002"]
    audit = rows(dlg_path, "select action, after from audit")
    assert audit[-1]["action"] == "export" and json.loads(audit[-1]["after"])["format"] == "messages"


# --- generate sqpsych as a job -----------------------------------------------------------------------
def _records(tmp_path, n: int) -> Path:
    """The first `n` example client records."""
    lines = (EXAMPLES / "clients.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "clients.csv"
    path.write_text("\n".join(lines[: n + 1]) + "\n", encoding="utf-8")
    return path


# Each reply takes six words of this list, seven further on each time: no two turns of a dialogue alike
# (the role-play refuses repeats). The second reply names a person and a town for the scan to find.
WORDS = ("morning evening walking sleeping worry family work friends music garden coffee letters train "
         "weekend sister doctor kitchen window dinner running reading autumn winter summer spring river "
         "market office laughter silence weather habits plans tired calm busy hopeful restless quiet bright").split()


def _script(tmp_path, delay: float = 0.0) -> str:
    """`--model scripted:FILE`: the real `onprem generate sqpsych` in the child, on the scripted backend."""
    replies = []
    for n in range(1, 401):
        words = " ".join(WORDS[(n * 7 + k) % len(WORDS)] for k in range(6))
        text = "Last week I visited my friend John Smith in Boston" if n == 2 else f"Well {words}"
        replies.append(json.dumps({"utterance": text, "end": False}))
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"replies": replies, "then": "cycle", "delay": delay, "name": "scripted"}))
    return f"scripted:{path}"


async def _start_generate(pilot, records: Path, model: str):
    screen = pilot.app.screen
    screen.query_one("#job-kind").value = "generate:sqpsych"
    await pilot.pause()
    await pilot.press("tab")                               # keyboard only: kind -> path field
    assert pilot.app.focused is screen.query_one("#job-path")
    screen.query_one("#job-path").value = str(records)
    screen.query_one("#job-model").value = model
    await pilot.press("enter")
    return screen


async def _wait(pilot, cond, what: str):
    await until(pilot, cond, what)


def test_generate_job_progress_counts_and_scan(db_path, tmp_path):
    records = _records(tmp_path, 2)

    async def scenario(pilot):
        screen = await _start_generate(pilot, records, _script(tmp_path))
        assert screen.state == "running" and screen.query_one("#job-start").label.plain == "Start generate"
        await _wait(pilot, lambda: screen.proc is None, "the generate job to end")
        bar = screen.query_one("#job-progress")
        return (screen.state, screen.exit_code, dict(screen.counts), (bar.total, bar.progress),
                text_of(screen.query_one("#job-counts")), list(screen.query_one("#job-log").lines))

    state, code, counts, bar, shown, log = drive(db_path, scenario, start="jobs")
    assert (state, code) == ("done", 0), log[-8:]
    assert counts["capped"] == 2 and counts["failed"] == 0 and counts["turns"] > 0
    assert counts["findings"] >= 2                       # the real scan finds John Smith and Boston
    assert bar == (2, 2)                                  # both dialogues
    assert "capped 2" in shown and f"findings {counts['findings']}" in shown
    assert any(line.endswith(" findings") for line in log)
    dialogues = rows(db_path, "select id, status, scanned_at from dialogues order by id")
    assert len(dialogues) == 2 and all(d["scanned_at"] for d in dialogues)
    found = rows(db_path, "select distinct entity_type from pii_spans where field = 'turn' and decision = 'pending'")
    assert {"PERSON", "LOCATION"} <= {r["entity_type"] for r in found}
    assert rows(db_path, "select status from runs where command = 'generate sqpsych'")[0]["status"] == "done"


def test_generate_job_cancel(db_path, tmp_path):
    records = _records(tmp_path, 6)
    model = _script(tmp_path, delay=0.05)                 # 30 turns: about 1.5 s a dialogue

    async def scenario(pilot):
        screen = await _start_generate(pilot, records, model)
        await _wait(pilot, lambda: screen.counts.get("capped", 0) >= 1 or screen.proc is None, "the first dialogue")
        seen = dict(screen.counts)
        answered = await answers_keys(pilot, screen)        # the UI answers while the job runs
        await pilot.press("escape", "x")
        await _wait(pilot, lambda: screen.proc is None, "the job to end after cancel")
        return seen, answered, screen.state, screen.exit_code

    seen, answered, state, code = drive(db_path, scenario, start="jobs")
    assert seen["capped"] == 1 and answered
    assert state == "cancelled" and code == 130
    assert rows(db_path, "select status from runs where command = 'generate sqpsych'")[0]["status"] == "interrupted"
    made = rows(db_path, "select count(*) n, count(scanned_at) scanned from dialogues")[0]
    # Each dialogue is stored whole with its scan, or not at all: nothing half-done.
    assert 1 <= made["n"] < 6 and made["scanned"] == made["n"]


def test_jobs_run_the_real_cli():
    """A job is `python -m onprem ...` with JSON progress events; tests change only the --model."""
    from onprem import jobs

    assert jobs.LAUNCHER[1:] == ["-m", "onprem"]
    assert shutil.which(jobs.LAUNCHER[0]) or Path(jobs.LAUNCHER[0]).exists()
    cmd = jobs.job_kinds()["generate:sqpsych"].command("x.db", "clients.csv", "m")
    assert cmd[3:] == ["--db", "x.db", "generate", "sqpsych", "--profiles", "clients.csv", "--model", "m",
                       "--progress", "jsonl"]


def test_search_dialogue_turns_and_open_one(dlg_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        table = screen.query_one(PagedTable)
        screen.query_one("#search-scope").value = "turns"
        await pilot.press("slash")
        await type_text(pilot, "mornings")
        await pilot.press("enter")
        found = [(r["client_id"], r["seq"], r["speaker"]) for r in table.rows_data]
        summary = text_of(screen.query_one("#search-summary"))
        await pilot.press("enter")
        opened = pilot.app.screen
        return found, summary, (type(opened).__name__, getattr(opened, "dialogue_id", None))

    found, summary, opened = drive(dlg_path, scenario, start="search")
    # "mornings" (stemmed: also "morning") is said in dialogue 2 only.
    assert found == [("C002", 1, "client"), ("C002", 2, "therapist")]
    assert "2 dialogue turns" in summary
    assert opened == ("DialogueScreen", 2)


def test_sessions_a_selection_filtered_come_first_and_approve_gives_them_back(dlg_path):
    """`onprem select` marks low scorers filtered; the dialogue queue shows them first (lowest score
    first) for a person to read and approve, which gives the session its status back (undoable)."""
    from onprem.papers.hybrid import selection
    from onprem.store import dialogues as dstore
    from onprem.papers.hybrid.quality import RUBRIC
    from onprem.judges.rubric import JudgeOutcome, Mark
    from onprem.model.backends.scripted import ScriptedModel
    from onprem.store import open_store

    store = open_store(dlg_path)
    judge = ScriptedModel(name="judge")
    for did, score in ((1, 8), (2, 3)):
        dstore.save_judgment(store, target_kind="dialogue", target_id=did, run_id=None, rubric=RUBRIC, model=judge,
                             outcome=JudgeOutcome(marks={c.key: Mark(score=score, reason="ok") for c in RUBRIC.criteria}))
    assert selection.select_sessions(store, "sqpsych", top=1, run_id=2)["filtered"] == 1
    store.close()

    async def scenario(pilot):
        pilot.app.push_screen(DialogueReviewScreen())
        await pilot.pause()
        screen = pilot.app.screen
        first = screen.dialogue["id"]
        await pilot.press("a")
        status = rows(dlg_path, "select status, review_status from dialogues where id = 2")[0]
        await pilot.press("u")
        return first, status

    first, status = drive(dlg_path, scenario, start="review")
    assert first == 2
    assert status == {"status": "ended", "review_status": "approved"}
    assert rows(dlg_path, "select status, review_status from dialogues where id = 2")[0] == \
        {"status": "filtered", "review_status": None}


def test_keys_while_a_job_runs_are_actions_and_quit_asks_first(db_path, tmp_path):
    """x typed into the path box while the job ran on, and q stopped a running job without asking
    (issue 28): while a job runs the form is read-only and keys are the screen's."""
    records = _records(tmp_path, 6)
    model = _script(tmp_path, delay=0.05)

    async def scenario(pilot):
        screen = await _start_generate(pilot, records, model)
        path_before = screen.query_one("#job-path").value
        assert screen.query_one("#job-path").disabled and pilot.app.focused is screen.query_one("#job-log")
        await pilot.press("q")                             # asks; the job runs on
        asked = type(pilot.app.screen).__name__
        await pilot.press("n")
        still = screen.running and pilot.app.screen is screen
        await pilot.press("x")                             # no Esc first: cancels, types nothing
        await _wait(pilot, lambda: screen.proc is None, "the job to end after x")
        return asked, still, screen.state, screen.query_one("#job-path").value == path_before, \
            screen.query_one("#job-path").disabled

    asked, still, state, unchanged, disabled = drive(db_path, scenario, start="jobs")
    assert asked == "ConfirmScreen" and still
    assert state == "cancelled" and unchanged and not disabled


def test_a_dialogue_not_judged_yet_names_judges_that_exist():
    """The hint names the judges registered for the dialogue's generator, never `onprem judge
    GENERATOR` (there is no `onprem judge pe` or `onprem judge hybrid`; issue 28, item 6)."""
    from click.testing import CliRunner

    from onprem.cli import cli
    from tui.screens.dialogue_text import judgment_text

    for generator, want in (("pe", ["distress", "epitome", "quality"]), ("hybrid", ["cbt-techniques", "epitome", "quality"]),
                            ("sqpsych", ["epitome", "quality", "sqpsych"])):
        hint = judgment_text({"judgments": [], "generator": generator}).plain
        assert hint == "not judged yet (" + ", ".join(f"onprem judge {n}" for n in want) + ")"
        for name in want:                        # each suggested command exists
            assert CliRunner().invoke(cli, ["judge", name, "--help"]).exit_code == 0
    assert "no registered judge" in judgment_text({"judgments": [], "generator": "scenarios"}).plain


def test_a_scenario_is_shown_under_its_summary_and_distortions():
    """Issue 28, item 10: a Hybrid scenario (or session) shows its App. B header above the text."""
    import json

    from tui.screens.dialogue_text import scenario_header

    head = scenario_header({"meta": json.dumps({"summary": "A nurse who worries.", "distortions": ["Mind Reading"]})})
    assert head.plain == "Summary: A nurse who worries.\nCognitive distortions: Mind Reading\n\n"
    assert scenario_header({"meta": json.dumps({"phase": 2})}) is None and scenario_header({"meta": None}) is None
