"""Jobs: run `onprem paraphrase` on a folder without freezing the UI, with progress and cancel.

The job is the CLI itself in a child process (read by a worker thread): the model's CPU work never
competes with the UI for the GIL, and the CLI's own guarantees hold — Ctrl-C (SIGINT, what Cancel
sends) loses at most the page in flight, whose rows are written in one transaction, and the run is
recorded as interrupted.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Log, ProgressBar, Static

TOTAL = re.compile(r"^paraphrase: (\d+) to do")
STEP = re.compile(r"^\[(\d+)/(\d+)\] .* page \d+: (kept|filtered|flagged|failed)\b")
SUMMARY = re.compile(r"^run (\d+): ")
STATUSES = ("kept", "filtered", "flagged", "failed")


class JobsScreen(Screen):
    BINDINGS = [
        Binding("s", "start", "Start", id="jobs.start"),
        Binding("x", "cancel", "Cancel job", id="jobs.cancel"),
        Binding("escape", "focus_log", "Leave field", id="jobs.leave_field", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.proc: subprocess.Popen | None = None
        self.counts = dict.fromkeys(STATUSES, 0)
        self.state = "idle"          # idle | running | cancelling | done | cancelled | failed
        self.exit_code: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Input(placeholder="folder or file of transcripts (Enter starts)", id="job-path")
            yield Input(placeholder="model (default)", id="job-model")
        with Horizontal(id="job-buttons"):
            yield Button("Start paraphrase", id="job-start", variant="primary")
            yield Button("Cancel", id="job-cancel", variant="error", disabled=True)
        yield ProgressBar(total=1, id="job-progress", show_eta=False)  # idle: 0%, not an animation
        yield Static(id="job-counts")
        yield Log(id="job-log", max_lines=2000)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Jobs"
        self.render_counts()

    def render_counts(self) -> None:
        parts = "  ".join(f"{k} {v}" for k, v in self.counts.items())
        code = f" (exit {self.exit_code})" if self.exit_code is not None else ""
        self.query_one("#job-counts", Static).update(f" {self.state}{code}   {parts}")

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
        path = self.query_one("#job-path", Input).value.strip()
        if not path or not Path(path).exists():
            self.notify(f"{path or 'nothing'}: no such file or folder", severity="error")
            return
        model = self.query_one("#job-model", Input).value.strip()
        cmd = [sys.executable, "-m", "onprem", "--db", str(self.app.db_path), "paraphrase", path]
        if model:
            cmd += ["--model", model]
        self.counts = dict.fromkeys(STATUSES, 0)
        self.exit_code = None
        self.state = "running"
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#job-log", Log).clear()
        self.query_one("#job-log", Log).write_line("$ onprem paraphrase " + path)
        self.query_one("#job-start", Button).disabled = True
        self.query_one("#job-cancel", Button).disabled = False
        self.render_counts()
        # Unbuffered, so progress lines arrive as each page finishes; own session, so a Ctrl-C in
        # the terminal is the TUI's to handle, not the child's.
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     encoding="utf-8", errors="replace", bufsize=1, start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.follow(self.proc)

    def action_cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.state = "cancelling"
            self.render_counts()
            self.proc.send_signal(signal.SIGINT)

    def stop_job(self, wait: bool = False) -> None:
        """Used when the app quits: a job never outlives the TUI silently."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            if wait:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()

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
        self.query_one("#job-log", Log).write_line(line)
        bar = self.query_one(ProgressBar)
        if m := TOTAL.match(line):
            bar.update(total=int(m.group(1)), progress=0)
        elif m := STEP.match(line):
            self.counts[m.group(3)] += 1
            bar.update(total=int(m.group(2)), progress=int(m.group(1)))
            self.render_counts()

    def on_finished(self, code: int) -> None:
        self.exit_code = code
        self.state = ("cancelled" if self.state == "cancelling" else
                      "done" if code == 0 else "partly failed" if code == 1 else "failed")
        self.proc = None
        self.query_one("#job-start", Button).disabled = False
        self.query_one("#job-cancel", Button).disabled = True
        self.render_counts()
        self.notify(f"paraphrase {self.state}", severity="information" if code == 0 else "warning")
