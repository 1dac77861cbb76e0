"""`?`: every key of every screen, as currently mapped (keymap overrides included)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _sections(app_bindings):
    """Titled lists of bindings: the running app's own (passed in: this screen does not import the
    app, which imports it), then each screen's."""
    from onprem import plugins
    from tui.screens import (browse, dialogs, dialogues, evals, export, jobs, overview, rating_form, review, search,
                             uncertain)

    return [
        ("Everywhere", app_bindings),
        ("Overview", overview.OverviewScreen.BINDINGS),
        ("Browse: sources", browse.SourcesScreen.BINDINGS),
        ("Browse: pages / pairs", browse.PagesScreen.BINDINGS),
        ("Browse: page", browse.PageScreen.BINDINGS),
        ("Original text", browse.OriginalScreen.BINDINGS),
        ("Browse: dialogues", dialogues.DialoguesScreen.BINDINGS),
        ("Browse: a dialogue", dialogues.DialogueScreen.BINDINGS),
        ("Review", review.ReviewScreen.BINDINGS),
        ("Edit pair", dialogs.EditPairScreen.BINDINGS),
        ("Review: dialogues", dialogues.DialogueReviewScreen.BINDINGS),
        ("Review: uncertain findings", uncertain.UncertainScreen.BINDINGS),
        ("Edit turn", dialogs.EditTurnScreen.BINDINGS),
        ("Search", search.SearchScreen.BINDINGS),
        ("Jobs", jobs.JobsScreen.BINDINGS),
        ("Export", export.ExportScreen.BINDINGS),
        ("Evaluations", [*evals.EvalsScreen.BINDINGS, *evals.paper_screen_bindings("evals"),
                         *(b for p in evals.panels("evals") for b in p.BINDINGS)]),
        ("Rating form", rating_form.RatingFormScreen.BINDINGS),
        *((r.details.get("description", name), r.load().help_bindings()) for name, r in plugins.tui_screens().items()),
        ("Lists", [Binding("up,down", "", "Move"), Binding("pageup,pagedown", "", "Page"),
                   Binding("home,end", "", "First / last"), Binding("enter", "", "Open"),
                   Binding("tab,shift+tab", "", "Next / previous field"),
                   Binding("escape", "", "Leave a text field (there 1-7 type, not switch screens)")]),
    ]


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark", "app.pop_screen", "Close help", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys (Esc closes; remap with a keymap file of binding ids)"
        keymap = self.app._keymap
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        table.add_column(style="dim")
        for title, bindings in _sections(self.app.BINDINGS):
            table.add_row(f"[b]{title}[/b]", "", "")
            for b in bindings:
                keys = keymap.get(b.id, b.key) if b.id else b.key
                table.add_row("  " + ", ".join(self.app.get_key_display(Binding(k.strip(), ""))
                                                for k in keys.split(",")), b.description, b.id or "")
        self.query_one("#help-text", Static).update(table)
