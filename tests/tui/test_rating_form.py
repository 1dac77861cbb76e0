"""The rating form: any registered rubric, one item at a time, keyboard first; a save is the person's
judgment (rater person:NAME, audited) in the one store of scores, so `eval judge-validity --labels
person:NAME` reads it (issue 26, expert rating forms)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tuihelp import ACTOR, drive, rows, text_of

from onprem.cli import cli


def test_choose_a_rubric_and_score_items_by_keys(dlg_path):
    async def scenario(pilot):
        await pilot.press("f")
        screen = pilot.app.screen
        choices = [str(o.prompt) for o in screen.query_one("#form-rubrics").options]
        # pick "quality" (1-10, three criteria)
        picker = screen.query_one("#form-rubrics")
        picker.highlighted = next(i for i, c in enumerate(choices) if c.startswith("quality:"))
        await pilot.press("enter")
        await pilot.pause()
        first = text_of(screen.query_one("#form-status"))
        shown = text_of(screen.query_one("#form-item"))
        # coherence 10 ("1" waits, "0" completes), realism skipped (Tab), therapeutic value 7 (one key)
        await pilot.press("1")
        waiting = text_of(screen.query_one("#form-criteria"))
        await pilot.press("0", "tab", "7")
        await pilot.pause()
        after = text_of(screen.query_one("#form-status"))
        # the next item: 3, then take it back, 4, Enter, 5, 6
        await pilot.press("3", "backspace", "4", "5", "6")
        await pilot.pause()
        await pilot.press("escape")                          # back on Evaluations: the Raters panel
        await pilot.pause()
        raters = text_of(pilot.app.screen.query_one("#ev-raters"))
        return choices, first, shown, waiting, after, raters

    choices, first, shown, waiting, after, raters = drive(dlg_path, scenario, start="evals")
    # the fixture's sqpsych judgment and the two quality ratings just made, by rubric
    assert f"person:{ACTOR} (2)" in raters and "judge:gemma3-270m (1)" in raters
    assert any(c.startswith("epitome: 3 criteria on 0-2") for c in choices)
    assert "quality · item 1 of" in first and "you rated 0" in first and "scale 1-10" in first
    assert "Transcript" in shown and "Therapist:" in shown
    assert "1_" in waiting
    assert "item 2 of" in after and "you rated 1" in after
    got = rows(dlg_path, "select j.target_id, j.rater, s.criterion, s.score from judgments j join judgment_scores s "
                         "on s.judgment_id = j.id where j.rater like 'person:%' order by j.id, s.criterion")
    ids = sorted({r["target_id"] for r in got})
    assert [(r["target_id"], r["criterion"], r["score"]) for r in got] == [
        (ids[0], "coherence", 10), (ids[0], "therapeutic_value", 7),
        (ids[1], "coherence", 4), (ids[1], "realism", 5), (ids[1], "therapeutic_value", 6)]
    assert {r["rater"] for r in got} == {f"person:{ACTOR}"}
    audit = rows(dlg_path, "select actor, action, after from audit where action = 'rating.save'")
    assert [a["actor"] for a in audit] == [ACTOR, ACTOR] and json.loads(audit[0]["after"])["source"] == "tui"


def test_a_form_rating_is_a_label_judge_validity_reads(dlg_path, tmp_path):
    async def scenario(pilot):
        await pilot.press("f")
        screen = pilot.app.screen
        picker = screen.query_one("#form-rubrics")
        picker.highlighted = next(i for i, o in enumerate(picker.options) if str(o.prompt).startswith("sqpsych:"))
        await pilot.press("enter")
        await pilot.pause()
        # dialogue 1, which the fixture's gemma3-270m judgment scored: 2 on validation, the rest 1
        await pilot.press(*["2" if c.key == "validation" else "1" for c in screen.rubric.criteria])
        await pilot.pause()

    drive(dlg_path, scenario, start="evals")
    r = CliRunner().invoke(cli, ["--db", str(dlg_path), "eval", "judge-validity", "--labels", f"person:{ACTOR}",
                                 "--judge-model", "gemma3-270m", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["validation"]["n"] == 1 and out["validation"]["labels"] == "ordinal"
    assert out["safety"]["mean_score"] == {"1": 1.0}           # the person's 1 against the judge's 1


def test_u_takes_back_the_last_saved_rating(dlg_path):
    """Issue 28, item 4: `u` on the form undoes the saved rating, as it undoes a decision in a queue."""
    async def scenario(pilot):
        await pilot.press("f")
        screen = pilot.app.screen
        choices = [str(o.prompt) for o in screen.query_one("#form-rubrics").options]
        screen.query_one("#form-rubrics").highlighted = next(i for i, c in enumerate(choices) if c.startswith("quality:"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("9", "8", "7")                   # three criteria: saved, on to item 2
        await pilot.pause()
        saved = rows(dlg_path, "select count(*) n from judgments where rater like 'person:%' and status = 'done'")
        await pilot.press("u")
        await pilot.pause()
        return saved[0]["n"]

    saved = drive(dlg_path, scenario, start="evals")
    assert saved == 1
    assert rows(dlg_path, "select count(*) n from judgments where rater like 'person:%' and status = 'done'")[0]["n"] == 0
    assert [r["action"] for r in rows(dlg_path, "select action from audit order by id")] == ["rating.save", "undo"]
