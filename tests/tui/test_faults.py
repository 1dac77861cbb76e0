"""The TUI and text a person types or stores (issue 25): markup characters are text, a crash exits
non-zero, and what it prints names the error, not the data."""

from __future__ import annotations

import asyncio

from tuihelp import drive, text_of, type_text

from tui.app import make_app


def test_brackets_typed_into_search_are_text(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#search-input").focus()
        await type_text(pilot, "[/]")
        await pilot.press("enter")
        await pilot.pause()
        return text_of(screen.query_one("#search-summary"))

    assert "matching “[/]”" in drive(db_path, scenario, start="search")


def test_brackets_typed_into_a_jobs_path_are_text(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#job-path").value = "[/]"
        screen.action_start()
        await pilot.pause()
        return screen.state, [n.message for n in pilot.app._notifications]

    state, notes = drive(db_path, scenario, start="jobs")
    assert state != "running" and "[/]: no such file or folder" in notes


def test_a_crash_exits_non_zero_and_prints_no_data(db_path, capsys):
    app = make_app(db_path, start_screen="overview")

    def boom():
        raise RuntimeError("Client: my name is ZEBRA-SECRET")

    async def run():
        try:
            async with app.run_test() as pilot:
                await pilot.pause()
                app.call_later(boom)
                await pilot.pause()
        except RuntimeError:
            pass                                     # run_test re-raises the app's error for tests

    asyncio.run(run())
    assert app.return_code == 1
    shown = " ".join(capsys.readouterr().err.split())
    assert shown.startswith("onprem tui: unexpected error (RuntimeError at tui/test_faults.py:")
    assert "ZEBRA" not in shown and "Traceback" not in shown


def test_onprem_tui_passes_on_the_apps_exit_code(db_path, monkeypatch):
    from click.testing import CliRunner

    import tui.app
    from onprem.cli import cli

    class Crashed:
        return_code = 1

        def run(self):
            pass

    monkeypatch.setattr(tui.app, "make_app", lambda *a, **k: Crashed())
    res = CliRunner().invoke(cli, ["--db", str(db_path), "tui"])
    assert res.exit_code == 1
