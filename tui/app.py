"""The app and its factory, shared by `onprem tui`/`onprem review` and the tests (posting's habit)."""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from textual.app import App

from onprem.review import current_actor
from onprem.store import Store, open_store
from tui.nav import Open
from tui import keys

START_SCREENS = ("overview", "browse", "review", "search", "jobs", "export", "evals")


class OnpremApp(App):
    CSS_PATH = "onprem.tcss"
    TITLE = "onprem"
    # ctrl+p: every action of the screen in front, by name (get_system_commands); not in the footer
    ENABLE_COMMAND_PALETTE = True
    # Every binding has an id, so a keymap file can move it: {"goto.review": "f3"}.
    BINDINGS = keys.bindings('app')

    def __init__(self, db_path: str | Path, start_screen: str = "overview", keymap: dict[str, str] | None = None,
                 actor: str | None = None, debug: bool = False):
        if start_screen not in START_SCREENS:
            raise ValueError(f"start_screen must be one of {START_SCREENS}")
        self.DEFAULT_MODE = start_screen  # read by App.__init__: the first screen shown
        from tui.screens import MODES

        self.MODES = MODES
        super().__init__()
        self.db_path = Path(db_path)
        self.actor = actor or current_actor()
        self.debug_errors = debug
        self._store: Store | None = None
        if keymap:
            self.set_keymap(keymap)

    @property
    def store(self) -> Store:
        """The UI thread's connection (sqlite3 connections stay in the thread that opened them;
        workers open their own)."""
        if self._store is None:
            self._store = open_store(self.db_path, read_only=None)   # a read-only file or mount: browse it
        return self._store

    @contextmanager
    def worker_store(self) -> Iterator[Store]:
        """A worker thread's own connection to the same database, closed when the work is done."""
        store = open_store(self.db_path, read_only=None)
        try:
            yield store
        finally:
            store.close()

    def notify(self, message: str, *, markup: bool = False, **kw) -> None:
        """Notifications carry paths, queries and data a person typed or stored (`[/]` is text, not
        markup): markup only where a caller asks for it."""
        super().notify(message, markup=markup, **kw)

    def _fatal_error(self) -> None:
        """An unhandled error: Textual would print a traceback with its local variables, which can
        hold a pair's or a transcript's text. Print one line naming the error and where it happened
        (onprem --debug tui shows Textual's full traceback); the exit code is 1 either way."""
        import sys

        from rich.text import Text

        from onprem.errors import where

        if self.debug_errors:
            return super()._fatal_error()
        error = sys.exc_info()[1] or self._exception
        self.bell()
        self._exit_renderables.append(Text(f"onprem tui: unexpected error ({type(error).__name__}{where(error)}); decisions "
                                           f"saved so far are kept; run `onprem --debug tui` to see the details "
                                           f"(they may quote your data)"))
        self._close_messages_no_wait()

    def undo_last(self):
        """`u` on any screen: this person's last saved decision, whichever screen made it, undone in
        one audit row; says what it undid. Returns it (onprem.review.Undone), or None."""
        from onprem import review
        from onprem.errors import UserError

        try:
            undone = review.undo_last(self.store, self.actor)
        except UserError as e:
            self.notify(str(e), severity="warning")
            return None
        self.notify(f"Undid {undone.action} on {undone.table} {undone.row_id}" if undone else "Nothing to undo")
        return undone

    def on_open(self, message: Open) -> None:
        """A screen asked for another (tui.nav.Open): screens do not import each other."""
        from tui import screens

        self.push_screen(screens.build(message.screen, **message.args))

    def action_open_paper_screen(self, name: str) -> None:
        """A screen a paper registers (register_tui_screens), imported when first opened."""
        from onprem import plugins

        self.push_screen(plugins.tui_screens()[name].load()())

    def action_open_rating_form(self) -> None:
        """The rating form (any rubric), opened from the Evaluations screen."""
        from tui.screens.rating_form import RatingFormScreen

        self.push_screen(RatingFormScreen())

    def get_system_commands(self, screen):
        """The palette lists every key's action on the screen in front (and the app's), by its
        description, beside Textual's own (theme, keys, screenshot, quit)."""
        from functools import partial

        from textual.app import SystemCommand

        yield from super().get_system_commands(screen)
        seen = set()
        for key, active in screen.active_bindings.items():
            b = active.binding
            if active.node not in (screen, self):      # a widget's own cursor keys are not actions
                continue
            if not b.description or b.action in ("command_palette", "quit") or (b.action, b.description) in seen:
                continue
            seen.add((b.action, b.description))
            title = f"Go to {b.description}" if (b.id or "").startswith("goto.") else b.description
            yield SystemCommand(title, f"key {b.key_display or key} ({b.id or b.action})",
                                partial(self.run_action, b.action, active.node))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _jobs_screens(self) -> list:
        from tui.screens.jobs import JobsScreen

        return [screen for stack in self._screen_stacks.values() for screen in stack if isinstance(screen, JobsScreen)]

    async def action_quit(self) -> None:
        """Quit; a running job is stopped only after the person says so."""
        if any(screen.running for screen in self._jobs_screens()):
            from tui.screens.dialogs import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self._stop_jobs_and_exit()

            self.push_screen(ConfirmScreen("A job is running. Stop it and quit?"), answered)
            return
        self._stop_jobs_and_exit()

    def _stop_jobs_and_exit(self) -> None:
        for screen in self._jobs_screens():
            screen.stop_job(wait=True)
        self.exit()

    def on_ready(self) -> None:
        # Everything built so far (Textual, CSS, the first screen) lives as long as the app: keep
        # it out of the cyclic collector, whose full passes over it otherwise land on a key press.
        gc.freeze()

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()


def load_keymap(path: str | Path | None) -> dict[str, str]:
    """A JSON object of binding id -> key(s), e.g. {"review.approve": "y"}."""
    if not path:
        return {}
    return json.loads(Path(path).read_text(encoding="utf-8"))


def make_app(db_path: str | Path, start_screen: str = "overview", keymap: dict[str, str] | None = None,
             actor: str | None = None, debug: bool = False) -> OnpremApp:
    return OnpremApp(db_path, start_screen=start_screen, keymap=keymap, actor=actor, debug=debug)
