"""Jobs: run `onprem paraphrase`, any registered generator or any registered judge without freezing
the UI, with progress, live counts and cancel. The list of jobs comes from the registries
(onprem.jobs), so a plugin's generator appears here with no change to this screen.

The job is the CLI itself in a child process (read by a worker thread): the model's CPU work never
competes with the UI for the GIL, and the CLI's own guarantees hold: a cancel (SIGTERM, which a child
can never have inherited as ignored) loses at most the item in flight, whose rows are written in one
transaction, and the run is recorded as interrupted. The child reports progress as JSON events
(`--progress jsonl`); any other line it prints (errors, warnings) goes to the log as it is.
"""

from __future__ import annotations

from rich.text import Text

import os
import signal
import subprocess
import time
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Footer, Header, Input, Log, ProgressBar, Select, Sparkline, Static

from onprem import jobs
from onprem.events import Event
from tui import keys


class JobsScreen(Screen):
    BINDINGS = keys.bindings('jobs')

    def __init__(self):
        super().__init__()
        self.proc: subprocess.Popen | None = None
        self.kinds = jobs.job_kinds()
        self.kind = "paraphrase"
        self.counts = dict.fromkeys(self.kinds[self.kind].counts, 0)
        self.state = "idle"          # idle | running | cancelling | done | cancelled | failed
        self.exit_code: int | None = None
        self.timing = ""             # elapsed, rate and ETA, as the CLI's bar shows them
        self._started: float | None = None
        self.rates: list[float] = []     # tokens/s of each item, for the sparkline
        self.option_flags: dict[str, str] = {}   # widget id -> its --flag
        self._forms = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Select([(k.label, key) for key, k in self.kinds.items()], value="paraphrase",
                         allow_blank=False, id="job-kind")
            yield Input(placeholder=self.kinds["paraphrase"].path_hint, id="job-path")
            yield Input(placeholder="model (default)", id="job-model")
            yield Input(placeholder="threads", id="job-threads", type="integer")
        yield Grid(id="job-options")
        with Horizontal(id="job-buttons"):
            yield Button("Start paraphrase", id="job-start", variant="primary")
            yield Button("Cancel", id="job-cancel", variant="error", disabled=True)
        yield ProgressBar(total=1, id="job-progress", show_eta=False)  # idle: 0%, not an animation
        yield Static(id="job-counts")
        with Horizontal(id="job-rate-row"):
            yield Static("tok/s ", id="job-rate-label")
            yield Sparkline([], summary_function=max, id="job-rate")
        yield Log(id="job-log", max_lines=2000)
        yield DataTable(id="job-runs", cursor_type="none", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Jobs"
        self.show_threads()
        self.render_counts()
        self.show_options()
        runs = self.query_one("#job-runs", DataTable)
        runs.add_columns("run", "command", "status", "model", "started", "took")
        runs.border_title = "Runs (CLI and TUI alike)"
        self.show_runs()
        self.set_interval(5, self.show_runs)      # runs started from a terminal appear too

    def fit_fields(self, kind) -> None:
        """A job with no model to choose (import-dialogues) or no --threads (redact) greys that field."""
        model = self.query_one("#job-model", Input)
        model.disabled = kind.model_flag is None
        model.placeholder = "model (default)" if kind.model_flag else "(no model)"
        self.query_one("#job-threads", Input).disabled = not kind.takes_threads

    def show_options(self) -> None:
        """The command's other options (its generator's or judge's own, roles, seed, force, ...),
        built from the command itself: empty fields keep the command's defaults."""
        grid = self.query_one("#job-options", Grid)
        grid.remove_children()             # removed after this handler: the new ids must differ
        self._forms += 1
        self.option_flags = {}
        widgets = []
        for i, o in enumerate(self.kinds[self.kind].options()):
            wid = f"job-opt-{self._forms}-{i}"
            self.option_flags[wid] = o.flag
            label = f"{o.flag} ({o.default})" if o.default else o.flag
            if o.is_flag:
                w = Checkbox(o.flag, id=wid, compact=True)
            elif o.choices:
                w = Select([(c, c) for c in o.choices], prompt=label, id=wid, compact=True)
            else:
                w = Input(placeholder=label, id=wid, compact=True)
            w.tooltip = o.help or None
            widgets.append(w)
        grid.mount_all(widgets)

    def option_values(self) -> dict[str, str | bool]:
        out: dict[str, str | bool] = {}
        for wid, flag in self.option_flags.items():
            w = self.query_one(f"#{wid}")
            value = w.value
            out[flag] = value if isinstance(value, bool) else ("" if value is None or value is Select.NULL else str(value).strip())
        return out

    def show_runs(self) -> None:
        from onprem.store import runs as run_rows

        table = self.query_one("#job-runs", DataTable)
        table.clear()
        for r in run_rows.recent(self.app.store):
            table.add_row(str(r["id"]), r["command"], r["status"], r["model_name"] or "", (r["started_at"] or "")[:19],
                          took(r["started_at"], r["ended_at"]))

    def show_threads(self) -> None:
        """The thread count a job would get now, and why: the machine's load moves it (onprem doctor)."""
        from onprem import config

        n, source = config.threads_choice()
        self.query_one("#job-threads", Input).tooltip = f"auto now: {n} ({source}); empty follows the load"

    def render_counts(self) -> None:
        parts = "  ".join(f"{k} {v}" for k, v in self.counts.items())
        code = f" (exit {self.exit_code})" if self.exit_code is not None else ""
        self.query_one("#job-counts", Static).update(Text(f" {self.state}{code}   {parts}"
                                                          + (f"   {self.timing}" if self.timing else "")))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "job-kind" or self.proc is not None:
            return
        self.kind = str(event.value)
        kind = self.kinds[self.kind]
        self.query_one("#job-path", Input).placeholder = kind.path_hint
        self.query_one("#job-start", Button).label = kind.button
        self.fit_fields(kind)
        self.counts = dict.fromkeys(kind.counts, 0)
        self.render_counts()
        self.show_options()

    # --- start / cancel -----------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "job-start":
            self.action_start()
        elif event.button.id == "job-cancel":
            self.action_cancel()

    def action_start(self) -> None:
        if self.proc is not None:
            self.notify("A job is already running; cancel it first", severity="warning")
            return
        kind = self.kinds[self.kind]
        path = self.query_one("#job-path", Input).value.strip()
        if kind.path_flag is not None:
            if not path or not Path(path).exists():
                self.notify(f"{path or 'nothing'}: no such file or folder", severity="error")
                return
            if kind.file_only and not Path(path).is_file():
                self.notify(f"{path}: give a file ({kind.path_hint})", severity="error")
                return
        model = self.query_one("#job-model", Input).value.strip()
        threads = self.query_one("#job-threads", Input).value.strip()
        if threads and (not threads.isdigit() or int(threads) < 1):
            self.notify(f"threads {threads!r}: give a whole number of 1 or more, or leave it empty", severity="error")
            return
        cmd = kind.command(self.app.db_path, path, model, int(threads) if threads else None, self.option_values())
        self.counts = dict.fromkeys(kind.counts, 0)
        self.exit_code, self.timing, self._started = None, "", None
        self.rates = []
        self.query_one("#job-rate", Sparkline).data = []
        self.state = "running"
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#job-log", Log).clear()
        self.query_one("#job-log", Log).write_line("$ onprem " + " ".join(cmd[len(jobs.LAUNCHER) + 2:]))
        self._form_enabled(False)          # while it runs, single-letter keys are actions, never text
        self.query_one("#job-start", Button).disabled = True
        self.query_one("#job-cancel", Button).disabled = False
        self.query_one("#job-log", Log).focus()
        self.render_counts()
        # Unbuffered, so progress lines arrive as each page finishes; own session, so a Ctrl-C in
        # the terminal is the TUI's to handle, not the child's.
        self.proc = self.spawn(cmd)
        self.follow(self.proc)

    @staticmethod
    def spawn(cmd: list[str]) -> subprocess.Popen:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                encoding="utf-8", errors="replace", bufsize=1, start_new_session=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def action_cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.state = "cancelling"
            self.render_counts()
            self.proc.send_signal(signal.SIGTERM)

    def stop_job(self, wait: bool = False) -> None:
        """Used when the app quits: a job never outlives the TUI silently."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            if wait:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()

    def _form_enabled(self, on: bool) -> None:
        for wid in ("#job-kind", "#job-path", "#job-model", "#job-threads", *(f"#{w}" for w in self.option_flags)):
            self.query_one(wid).disabled = not on
        if on:
            self.fit_fields(self.kinds[self.kind])

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def action_focus_log(self) -> None:
        self.query_one("#job-log").focus()

    # --- the worker ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="job")
    def follow(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.app.call_from_thread(self.on_line, line.rstrip("\n"))
        code = proc.wait()
        self.app.call_from_thread(self.on_finished, code)

    def on_line(self, line: str) -> None:
        event = Event.from_json(line)
        log = self.query_one("#job-log", Log)
        if event is None:                      # an error or warning line: shown as it is
            log.write_line(line)
            return
        bar = self.query_one(ProgressBar)
        if event.kind == "start":
            log.write_line(f"{event.job}: {event.total} to do")
            bar.update(total=event.total, progress=0)
            self._started, self.timing = time.monotonic(), ""
            return
        if event.kind == "item":
            log.write_line(f"[{event.i}/{event.total}] {event.text}")
            bar.update(total=event.total, progress=event.i)
            if self._started is not None:
                self.timing = timing(event.i, event.total, time.monotonic() - self._started)
            if (rate := tokens_per_second(event.rate)) is not None:
                self.rates.append(rate)
                self.query_one("#job-rate", Sparkline).data = self.rates[-200:]
        elif event.text:
            log.write_line(event.text)
        self.counts.update({k: v for k, v in event.counts.items() if k in self.counts})
        self.render_counts()

    def on_finished(self, code: int) -> None:
        self.exit_code = code
        self.state = ("cancelled" if self.state == "cancelling" else
                      "done" if code == 0 else "partly failed" if code == 1 else "failed")
        self.proc = None
        self.query_one("#job-start", Button).disabled = False
        self.query_one("#job-cancel", Button).disabled = True
        self._form_enabled(True)
        self.render_counts()
        self.show_runs()
        self.notify(f"{self.kinds[self.kind].label} {self.state}", severity="information" if code == 0 else "warning")


def timing(done: int, total: int | None, elapsed: float) -> str:
    """`3/7 · 0:41 elapsed · 4.4/min · ETA 0:55`: the items' rate so far, and the time the rest
    would take at it."""
    def clock(seconds: float) -> str:
        m, sec = divmod(int(round(seconds)), 60)
        return f"{m // 60}:{m % 60:02d}:{sec:02d}" if m >= 60 else f"{m}:{sec:02d}"

    out = f"{done}/{total or '?'} · {clock(elapsed)} elapsed"
    if done and elapsed > 0:
        out += f" · {60 * done / elapsed:.1f}/min"
        if total and total > done:
            out += f" · ETA {clock((total - done) * elapsed / done)}"
    return out


def tokens_per_second(rate: str | None) -> float | None:
    """The number in an item event's rate ("36 tok/s"), or None."""
    if not rate:
        return None
    try:
        return float(rate.split()[0])
    except (ValueError, IndexError):
        return None


def took(started: str | None, ended: str | None) -> str:
    """A run's duration as m:ss from its ISO times ("" while it runs)."""
    from datetime import datetime

    if not started or not ended:
        return ""
    try:
        seconds = (datetime.fromisoformat(ended) - datetime.fromisoformat(started)).total_seconds()
    except ValueError:
        return ""
    m, sec = divmod(int(round(seconds)), 60)
    return f"{m}:{sec:02d}"
