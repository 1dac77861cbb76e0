"""`?`: every key of every screen, as currently mapped (keymap overrides included)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from tui import keys


def _sections():
    """Titled lists of bindings: every screen's, from the key table (tui/keys.py), then the
    Evaluations screen's paper screens and panels and each paper's own screens, from the registries."""
    from onprem import plugins
    from tui.screens import evals

    out = [(title, [b for screen in screens for b in keys.bindings(screen)]) for title, screens in keys.SECTIONS]
    for i, (title, found) in enumerate(out):
        if title == "Evaluations":
            out[i] = (title, [*found, *evals.paper_screen_bindings("evals"),
                              *(b for p in evals.panels("evals") for b in p.BINDINGS)])
    return [
        *out,
        *((r.details.get("description", name), r.load().help_bindings()) for name, r in plugins.tui_screens().items()),
        ("Lists", [Binding("up,down", "", "Move"), Binding("pageup,pagedown", "", "Page"),
                   Binding("home,end", "", "First / last"), Binding("enter", "", "Open"),
                   Binding("tab,shift+tab", "", "Next / previous field"),
                   Binding("escape", "", "Leave a text field (there 1-7 type, not switch screens)")]),
    ]


class HelpScreen(ModalScreen):
    BINDINGS = keys.bindings('help')

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
        for title, bindings in _sections():
            table.add_row(f"[b]{title}[/b]", "", "")
            for b in bindings:
                keys = keymap.get(b.id, b.key) if b.id else b.key
                table.add_row("  " + ", ".join(self.app.get_key_display(Binding(k.strip(), ""))
                                                for k in keys.split(",")), b.description, b.id or "")
        self.query_one("#help-text", Static).update(table)
