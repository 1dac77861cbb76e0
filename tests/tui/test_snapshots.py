"""SVG snapshots of the main screens at 80x24 (update with `pytest --snapshot-update`)."""

from __future__ import annotations

import pytest
from tuihelp import ACTOR

from tui.app import make_app


def app(db_path, start):
    return make_app(db_path, start_screen=start, actor=ACTOR)


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def press_then_settle(*keys):
    """Press keys, then wait for the workers they started (`m` loads the redaction package in a
    thread while the dialog is open) so the picture does not depend on how long that takes."""
    async def run(pilot):
        from textual.widgets import Input

        await pilot.press(*keys)
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False          # a steady cursor: the picture no longer depends on time
        await pilot.pause()
    return run


class TestOverview:
    def test_overview(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "overview"))


class TestBrowse:
    def test_sources(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "browse"))

    def test_page_with_highlighted_findings(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "browse"), press=["enter", "enter"])

    def test_original_behind_banner(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "browse"), press=["enter", "enter", "o"])


class TestReview:
    def test_queue_item(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "review"))

    def test_mark_missed_dialog(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "review"), run_before=press_then_settle("m"))


class TestDialogues:
    def test_dialogue_list(self, dlg_path, snap_compare):
        assert snap_compare(app(dlg_path, "browse"), press=["d"])

    def test_dialogue_turns_and_judgment(self, dlg_path, snap_compare):
        assert snap_compare(app(dlg_path, "browse"), press=["d", "enter"])

    def test_dialogue_in_review(self, dlg_path, snap_compare):
        assert snap_compare(app(dlg_path, "review"), press=["d"])

    def test_mark_missed_in_dialogue(self, dlg_path, snap_compare):
        assert snap_compare(app(dlg_path, "review"), run_before=press_then_settle("d", "m"))


class TestSearch:
    def test_search_results(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "search"), press=[*"jenny", "enter"])


class TestJobs:
    def test_idle(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "jobs"))


class TestExport:
    def test_preview(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "export"), run_before=settle)


class TestHelp:
    def test_help(self, db_path, snap_compare):
        assert snap_compare(app(db_path, "overview"), press=["question_mark"])


class TestJobsGenerate:
    def test_generate_chosen(self, db_path, snap_compare):
        async def choose(pilot):
            pilot.app.screen.query_one("#job-kind").value = "generate:sqpsych"
            await pilot.pause()

        assert snap_compare(app(db_path, "jobs"), run_before=choose)


@pytest.mark.parametrize("start", ["overview", "review"])
def test_fits_80x24_without_errors(db_path, start):
    """Smallest supported terminal: every main screen mounts and renders."""
    import asyncio

    async def main():
        a = app(db_path, start)
        async with a.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert a.screen.size.width == 80

    asyncio.run(main())
