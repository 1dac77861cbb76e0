"""Evaluations: the panels papers register for this screen (Thousand Voices: the emotional-trajectory
benchmark between two stored judge runs), the text statistics of every generator's dialogues (as
`onprem stats` prints them), and the screens papers open from here (MentalChat16K: `k` to rank
models' responses; Synthetic Empathy: `l` to label empathy, EPITOME), and `f`, the rating form
that scores items on any rubric. Everything is read through onprem.evals, onprem.store.dialogue_stats and the
papers' own modules."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from onprem.store import dialogue_stats
from tui import keys


def paper_screen_bindings(screen: str) -> list[Binding]:
    """Keys that open the screens papers register as opened from `screen` (id SCREEN.NAME)."""
    from onprem import plugins

    return [Binding(r.details["key"], f"app.open_paper_screen('{name}')", r.details.get("description", name),
                    id=f"{screen}.{name}")
            for name, r in plugins.tui_screens().items() if r.details.get("opened_from") == screen]


def panels(screen: str) -> list:
    """The widget classes plugins register for `screen`, imported now."""
    from onprem import plugins

    return [r.load() for r in plugins.tui_panels().get(screen, [])]


class EvalsScreen(Screen):
    BINDINGS = keys.bindings('evals')

    def __init__(self):
        super().__init__()
        for b in paper_screen_bindings("evals"):       # what papers open from here, e.g. k: rank
            self._bindings.key_to_bindings.setdefault(b.key, []).append(b)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            for panel in panels("evals"):
                yield panel()
            yield Static(id="ev-raters", classes="panel")
            yield Static(id="ev-text", classes="panel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Evaluations"
        self.query_one("#ev-text").border_title = "Dialogue text statistics"
        self.query_one("#ev-raters").border_title = "Raters: people and judges, per rubric (f rates on a form)"
        self.action_refresh()
        self.focus_next()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        store = self.app.store
        for panel in self.query(".paper-panel"):
            panel.refresh_data(store)
        self._show_text(dialogue_stats.dialogue_text(store))
        from onprem.evals.agreement import raters_summary   # numpy: not needed for the first screen

        self._show_raters(raters_summary(store))

    def _show_raters(self, rubrics: list[dict]) -> None:
        box = self.query_one("#ev-raters", Static)
        if not rubrics:
            box.update(Text("no ratings yet: run a judge, or rate on the form (f)", style="dim"))
            return
        table = Table("rubric", "raters (items rated)", "mean pairwise kappa", box=None)
        for r in rubrics:
            kappa = "-" if r["mean_kappa"] is None else f"{r['mean_kappa']:.2f}"
            table.add_row(r["rubric"], ", ".join(f"{who} ({n})" for who, n in r["raters"]), kappa)
        box.update(table)

    def _show_text(self, text: dict[str, dict]) -> None:
        box = self.query_one("#ev-text", Static)
        if not text:
            box.update(Text("no releasable dialogues yet", style="dim"))
            return
        table = Table("generator", "dialogues", "speaker", "turns", "words/turn", "vocabulary", "words/exchange by group",
                      box=None)
        for generator, t in text.items():
            groups = ", ".join(f"{g} {v}" for g, v in t["words_per_exchange"].items())
            for i, (speaker, d) in enumerate(t["speakers"].items()):
                table.add_row(generator if i == 0 else "", str(t["dialogues"]) if i == 0 else "", speaker,
                              str(d["turns"]), str(d["words_per_turn"]), str(d["vocabulary"]), groups if i == 0 else "")
        box.update(table)
