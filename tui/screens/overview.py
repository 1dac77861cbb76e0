"""Overview: what is in the database at a glance. The pairs as a funnel (pages -> pairs -> kept /
filtered / flagged -> approved -> releasable, as the release gate counts them), findings by type as
bars of decided and pending, the word-count and grounding histograms with their rules' lines, the
recent runs. On a large database the releasable count and the two histograms fill in after the
first paint (they read every pair), so the screen is there at once."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from onprem import config
from onprem.store import overview
from tui.widgets import GroundingChart, WordChart, entity_style
from tui import keys

BIN_WIDTH = 10
BAR = 10                  # characters of the longest bar
AT_ONCE = 20_000          # pairs up to which every figure is read before the first paint


class OverviewScreen(Screen):
    BINDINGS = keys.bindings('overview')

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            with Horizontal(id="ov-top"):
                yield Static(id="ov-counts", classes="panel")
                yield Static(id="ov-findings", classes="panel")
            with Horizontal(id="ov-charts"):
                yield WordChart(id="ov-chart", classes="panel")
                yield GroundingChart(id="ov-grounding", classes="panel")
            yield DataTable(id="ov-runs", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        self.query_one("#ov-counts").border_title = "Counts"
        self.query_one("#ov-findings").border_title = "Identifier findings"
        self.query_one("#ov-chart").border_title = "Word counts"
        self.query_one("#ov-grounding").border_title = "Grounding in the page"
        runs = self.query_one("#ov-runs", DataTable)
        runs.border_title = "Recent runs"
        runs.add_columns("run", "command", "model", "status", "started", "time", "pages")

    def on_screen_resume(self) -> None:
        # also sent when the screen is first shown, so the first paint reads the counts once
        self.action_refresh()

    def action_refresh(self) -> None:
        store = self.app.store
        data = overview.overview_counts(store)
        pairs = sum(n for status, n in data["pairs"].items() if status != "superseded")
        self._funnel = data, pairs

        findings = Table.grid(padding=(0, 1))
        findings.add_column()
        findings.add_column(justify="right")
        findings.add_column(justify="right", style="yellow")
        findings.add_column()
        findings.add_row(Text("type", style="dim"), Text("found", style="dim"), Text("pending", style="dim"),
                         Text("decided █  pending █", style="dim"))
        most = max((total for _, total, _ in data["findings"]), default=0)
        for entity, total, pending in data["findings"][:8]:
            findings.add_row(Text(entity, style=entity_style(entity)), f"{total:,}", f"{pending:,}",
                             Text.assemble(("█" * _width(total - pending, most), "green"),
                                           ("█" * _width(pending, most), "yellow")))
        if len(data["findings"]) > 8:
            findings.add_row(Text(f"… {len(data['findings']) - 8} more types", style="dim"), "", "", "")
        if not data["findings"]:
            findings.add_row(Text("none recorded", style="dim"), "", "", "")
        if data["uncertain"]["pending"]:
            findings.add_row(Text(f"{data['uncertain']['pending']:,} uncertain: decide them in Review, key i",
                                  style="bold yellow"), "", "", "")
        self.query_one("#ov-findings", Static).update(findings)

        if pairs <= AT_ONCE:
            self._show_late(*_late_figures(store))     # the funnel with the gate's count, and the charts
        else:
            self._show_funnel(None)
            for chart in (WordChart, GroundingChart):
                self.query_one(chart).update(Text("reading every pair…", style="dim"))
            # after the paint: a thread reading 100,000 pairs would hold the interpreter while it paints
            self.call_after_refresh(self.run_worker, self._read_late, thread=True, exclusive=True, group="overview")


        table = self.query_one("#ov-runs", DataTable)
        table.clear()
        for r in overview.recent_runs(store):
            stats = r["stats"]
            table.add_row(str(r["id"]), r["command"], r["model_name"] or "-", r["status"],
                          (r["started_at"] or "")[:16].replace("T", " "), _duration(r["started_at"], r["ended_at"]),
                          str(stats.get("pages", "-")))


    def _show_funnel(self, releasable: int | None) -> None:
        data, pairs = self._funnel
        rows = [(data["pages"], f"pages ({data['pages_pending']:,} pending)"), (pairs, "pairs written")]
        rows += [(data["pairs"].get(status, 0), f"pairs {status}")
                 for status in ("kept", "filtered", "flagged", "rejected", "failed", "approved")]
        rows.append((releasable, "releasable"))           # as the release gate counts them
        most = max([n for n, _ in rows if n is not None] + [1])
        counts = Table.grid(padding=(0, 1))
        counts.add_column(justify="right", style="bold")
        counts.add_column()
        counts.add_column()
        counts.add_row(f"{data['sources']:,}", "sources", "")
        for n, label in rows:
            counts.add_row("…" if n is None else f"{n:,}", label,
                           Text("█" * _width(n or 0, most), style="cyan"))
        counts.add_row(f"{data['dialogues']:,}", "dialogues" + (f" ({data['dialogues_pending']:,} to review)"
                                                                if data["dialogues_pending"] else ""), "")
        self.query_one("#ov-counts", Static).update(counts)

    def _show_late(self, releasable: int, grounding: list[tuple[float, int]], words: list[tuple[int, int]]) -> None:
        self._show_funnel(releasable)
        self.query_one(GroundingChart).show(grounding, config.DEFAULT_MIN_GROUNDING)
        self.query_one(WordChart).show(words, config.DEFAULT_MIN_WORDS, BIN_WIDTH)

    def _read_late(self) -> None:
        """In a worker thread, with its own connection (a connection stays in the thread that opened it)."""
        with self.app.worker_store() as store:
            figures = _late_figures(store)
        self.app.call_from_thread(self._show_late, *figures)


def _late_figures(store) -> tuple:
    """What reads every pair: the release gate's count under its default policy, grounding, words."""
    from onprem.release import Policy, select_pairs

    return (len(select_pairs(store, Policy()).rows), overview.grounding_histogram(store),
            overview.word_histogram(store, BIN_WIDTH))


def _width(n: int, most: int) -> int:
    return 0 if not most or not n else max(1, round(n / most * BAR))


def _duration(start: str | None, end: str | None) -> str:
    from datetime import datetime

    if not start or not end:
        return "running" if start and not end else "-"
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.0f} s"
