"""Evaluations: the emotional-trajectory benchmark between two stored judge runs (curves and the
Table-1 row of `onprem eval trajectory`), the text statistics of every generator's dialogues
(as `onprem stats` prints them), `k` to rank models' responses (MentalChat16K's human evaluation) and `l` to label empathy (EPITOME). Everything is read through onprem.evals and onprem.store.queries."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from onprem.evals import plot, trajectory
from onprem.store import queries


class EvalsScreen(Screen):
    BINDINGS = [
        Binding("a", "pick('scores')", "Scores A", id="evals.scores"),
        Binding("b", "pick('baseline')", "Baseline B", id="evals.baseline"),
        Binding("k", "rank", "Rank responses", id="evals.rank"),
        Binding("l", "label", "Label empathy", id="evals.label"),
        Binding("r", "refresh", "Refresh", id="evals.refresh"),
    ]

    def __init__(self):
        super().__init__()
        self.picked: dict[str, int] = {}     # "scores" / "baseline" -> judge run id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            with Horizontal(id="ev-top"):
                yield DataTable(id="ev-runs", cursor_type="row")
                yield Static(id="ev-curves", classes="panel")
            yield Static(id="ev-row", classes="panel")
            yield Static(id="ev-text", classes="panel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Evaluations"
        runs = self.query_one("#ev-runs", DataTable)
        runs.border_title = "Judge runs with phase scores (a: scores, b: baseline)"
        runs.add_columns("run", "as", "judge model", "profiles", "started")
        self.query_one("#ev-curves").border_title = "Distress by phase (mean ± SD)"
        self.query_one("#ev-row").border_title = "Trajectory benchmark"
        self.query_one("#ev-text").border_title = "Dialogue text statistics"
        self.action_refresh()
        runs.focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        store = self.app.store
        self.runs = trajectory.score_runs(store)
        table = self.query_one("#ev-runs", DataTable)
        row = table.cursor_row
        table.clear()
        role = {v: k for k, v in self.picked.items()}
        for r in self.runs:
            table.add_row(str(r["id"]), {"scores": "A", "baseline": "B"}.get(role.get(r["id"]), ""),
                          r["model_name"] or "-", str(r["profiles"]), (r["started_at"] or "")[:16].replace("T", " "))
        if self.runs:
            table.move_cursor(row=min(row, len(self.runs) - 1))
        self._show_benchmark()
        self._show_text(queries.dialogue_text(store))

    def action_label(self) -> None:
        from tui.screens.label import LabelScreen

        self.app.push_screen(LabelScreen())

    def action_rank(self) -> None:
        from tui.screens.rank import RankScreen

        self.app.push_screen(RankScreen())

    def action_pick(self, role: str) -> None:
        table = self.query_one("#ev-runs", DataTable)
        if not self.runs:
            self.notify("no judge run has phase scores yet: run onprem judge distress", severity="warning")
            return
        self.picked[role] = self.runs[table.cursor_row]["id"]
        self.action_refresh()

    def _show_benchmark(self) -> None:
        curves_box, row_box = self.query_one("#ev-curves", Static), self.query_one("#ev-row", Static)
        if not self.picked:
            curves_box.update(Text("pick a run with a (scores) and another with b (baseline)", style="dim"))
            row_box.update("")
            return
        store = self.app.store
        data = {role: trajectory.read_run(store, run_id) for role, run_id in self.picked.items()}
        curves = [plot.phase_curve(f"run:{self.picked[r]}", data[r]) for r in ("scores", "baseline") if r in data]
        width = max(40, (self.size.width or 100) - 50)
        curves_box.update(Text.from_ansi(plot.terminal_plot(curves, width, 16)))
        if len(data) < 2:
            row_box.update(Text("pick the other run to compare", style="dim"))
            return
        summary = trajectory.compare(data["scores"], data["baseline"])
        table = Table("scores", "N", "Pearson ↑", "DTW ↓", "RMSE ↓", "S_abs ↑", "undefined r", box=None)

        def f(pair):
            return "-" if pair[0] is None else f"{pair[0]:.2f} ± {'-' if pair[1] is None else format(pair[1], '.2f')}"
        table.add_row(f"run:{self.picked['scores']}", str(summary.n), f(summary.pearson), f(summary.dtw),
                      f(summary.rmse), "-" if summary.s_abs is None else f"{summary.s_abs:.2f}",
                      str(summary.n_pearson_undefined))
        row_box.update(table)

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
