"""The trajectory benchmark in the TUI's Evaluations screen: pick two stored distress-judge runs (a:
scores, b: baseline) and see both curves and the Table-1 row of `onprem eval trajectory`. A panel
the paper registers (`register_tui_panels`); it reads through this paper's trajectory module and
the app's store, and holds no SQL."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from onprem.papers.thousand_voices import plot, trajectory


class TrajectoryPanel(Vertical):
    DEFAULT_CSS = "TrajectoryPanel { height: auto; }"
    BINDINGS = [
        Binding("a", "pick('scores')", "Scores A", id="evals.scores"),
        Binding("b", "pick('baseline')", "Baseline B", id="evals.baseline"),
    ]

    def __init__(self):
        super().__init__(id="ev-trajectory", classes="paper-panel")
        self.picked: dict[str, int] = {}     # "scores" / "baseline" -> judge run id
        self.runs: list[dict] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="ev-top"):
            yield DataTable(id="ev-runs", cursor_type="row")
            yield Static(id="ev-curves", classes="panel")
        yield Static(id="ev-row", classes="panel")

    def on_mount(self) -> None:
        runs = self.query_one("#ev-runs", DataTable)
        runs.border_title = "Judge runs with phase scores (a: scores, b: baseline)"
        runs.add_columns("run", "as", "judge model", "profiles", "started")
        self.query_one("#ev-curves").border_title = "Distress by phase (mean ± SD)"
        self.query_one("#ev-row").border_title = "Trajectory benchmark"

    def refresh_data(self, store) -> None:
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
        self._show_benchmark(store)

    def action_pick(self, role: str) -> None:
        table = self.query_one("#ev-runs", DataTable)
        if not self.runs:
            self.notify("no judge run has phase scores yet: run onprem judge distress", severity="warning")
            return
        self.picked[role] = self.runs[table.cursor_row]["id"]
        self.refresh_data(self.app.store)

    def _show_benchmark(self, store) -> None:
        curves_box, row_box = self.query_one("#ev-curves", Static), self.query_one("#ev-row", Static)
        if not self.picked:
            curves_box.update(Text("pick a run with a (scores) and another with b (baseline)", style="dim"))
            row_box.update("")
            return
        data = {role: trajectory.read_run(store, run_id) for role, run_id in self.picked.items()}
        curves = [plot.phase_curve(f"run:{self.picked[r]}", data[r]) for r in ("scores", "baseline") if r in data]
        width = max(40, (self.app.size.width or 100) - 50)
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
