"""Overview: what is in the database at a glance."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from onprem import config
from onprem.store import queries
from tui.widgets import WordChart, entity_style

BIN_WIDTH = 10


class OverviewScreen(Screen):
    BINDINGS = [Binding("r", "refresh", "Refresh", id="overview.refresh")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            with Horizontal(id="ov-top"):
                yield Static(id="ov-counts", classes="panel")
                yield Static(id="ov-findings", classes="panel")
            yield WordChart(id="ov-chart", classes="panel")
            yield DataTable(id="ov-runs", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        self.query_one("#ov-counts").border_title = "Counts"
        self.query_one("#ov-findings").border_title = "Identifier findings"
        self.query_one("#ov-chart").border_title = "Word counts"
        runs = self.query_one("#ov-runs", DataTable)
        runs.border_title = "Recent runs"
        runs.add_columns("run", "command", "model", "status", "started", "time", "pages")

    def on_screen_resume(self) -> None:
        # also sent when the screen is first shown, so the first paint reads the counts once
        self.action_refresh()

    def action_refresh(self) -> None:
        store = self.app.store
        data = queries.overview_counts(store)
        counts = Table.grid(padding=(0, 1))
        counts.add_column(justify="right", style="bold")
        counts.add_column()
        counts.add_row(f"{data['sources']:,}", "sources")
        counts.add_row(f"{data['pages']:,}", f"pages ({data['pages_pending']:,} pending)")
        for status in ("kept", "filtered", "flagged", "approved", "rejected", "failed"):
            counts.add_row(f"{data['pairs'].get(status, 0):,}", f"pairs {status}")
        counts.add_row(f"{data['dialogues']:,}", "dialogues" + (f" ({data['dialogues_pending']:,} to review)"
                                                                if data["dialogues_pending"] else ""))
        self.query_one("#ov-counts", Static).update(counts)

        findings = Table.grid(padding=(0, 1))
        findings.add_column()
        findings.add_column(justify="right")
        findings.add_column(justify="right", style="yellow")
        findings.add_row(Text("type", style="dim"), Text("found", style="dim"), Text("pending", style="dim"))
        for entity, total, pending in data["findings"][:8]:
            findings.add_row(Text(entity, style=entity_style(entity)), f"{total:,}", f"{pending:,}")
        if len(data["findings"]) > 8:
            findings.add_row(Text(f"… {len(data['findings']) - 8} more types", style="dim"), "", "")
        if not data["findings"]:
            findings.add_row(Text("none recorded", style="dim"), "", "")
        if data["uncertain"]["pending"]:
            findings.add_row(Text(f"{data['uncertain']['pending']:,} uncertain: decide them in Review, key i",
                                  style="bold yellow"), "", "")
        self.query_one("#ov-findings", Static).update(findings)

        self.query_one(WordChart).show(queries.word_histogram(store, BIN_WIDTH), config.DEFAULT_MIN_WORDS, BIN_WIDTH)

        table = self.query_one("#ov-runs", DataTable)
        table.clear()
        for r in queries.recent_runs(store):
            stats = r["stats"]
            table.add_row(str(r["id"]), r["command"], r["model_name"] or "-", r["status"],
                          (r["started_at"] or "")[:16].replace("T", " "), _duration(r["started_at"], r["ended_at"]),
                          str(stats.get("pages", "-")))


def _duration(start: str | None, end: str | None) -> str:
    from datetime import datetime

    if not start or not end:
        return "running" if start and not end else "-"
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.0f} s"
