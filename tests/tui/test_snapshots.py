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
        assert snap_compare(app(db_path, "review"), press=["m"])


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
