"""Jobs: run `onprem paraphrase` on a folder, or `onprem generate sqpsych` on a file of client
records, without freezing the UI, with progress, live counts and cancel.

The job is the CLI itself in a child process (read by a worker thread): the model's CPU work never
competes with the UI for the GIL, and the CLI's own guarantees hold — Ctrl-C (SIGINT, what Cancel
sends) loses at most the page or dialogue in flight, whose rows are written in one transaction, and
the run is recorded as interrupted. The CLI's plain progress lines are parsed as they come. The
generate command stores each dialogue with its identifier findings, so new dialogues reach the
review queue ready to decide.
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
from textual.widgets import Button, Footer, Header, Input, Log, ProgressBar, Select, Static

TOTAL = re.compile(r"^(paraphrase|sqpsych): (\d+) to do")
STEP = re.compile(r"^\[(\d+)/(\d+)\] .* page \d+: (kept|filtered|flagged|failed)\b")
# `onprem generate sqpsych`: "[2/5] C002: ended, 12 turns; 2 findings", "... capped, 30 turns (2 unusable);
# 0 findings", "... failed, 3 turns; reason", "... already done".
GEN_STEP = re.compile(r"^\[(\d+)/(\d+)\] .+?: (already done|ended|capped|failed)\b(?:, (\d+) turns)?"
                      r"(?:.*; (\d+) findings$)?")
SUMMARY = re.compile(r"^run (\d+): ")
STATUSES = ("kept", "filtered", "flagged", "failed")
GEN_COUNTS = ("ended", "capped", "failed", "skipped", "turns", "findings")

# What runs a job: the CLI in a child process (the tests point it at a scripted model).
LAUNCHER = [sys.executable, "-m", "onprem"]

KINDS = {
    "paraphrase": ("paraphrase", "folder or file of transcripts (Enter starts)", "Start paraphrase"),
    "sqpsych": ("generate sqpsych", "client records file, CSV or JSONL (Enter starts)", "Start generate"),
}


def job_command(db_path, kind: str, path: str, model: str) -> list[str]:
    if kind == "sqpsych":
        cmd = [*LAUNCHER, "--db", str(db_path), "generate", "sqpsych", "--profiles", path]
        return cmd + (["--therapist-model", model, "--client-model", model] if model else [])
    return [*LAUNCHER, "--db", str(db_path), "paraphrase", path] + (["--model", model] if model else [])


class JobsScreen(Screen):
    BINDINGS = [
        Binding("s", "start", "Start", id="jobs.start"),
        Binding("x", "cancel", "Cancel job", id="jobs.cancel"),
        Binding("escape", "focus_log", "Leave field", id="jobs.leave_field", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.proc: subprocess.Popen | None = None
        self.kind = "paraphrase"
        self.counts = dict.fromkeys(STATUSES, 0)
        self.state = "idle"          # idle | running | cancelling | done | cancelled | failed
        self.exit_code: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Select([(label, k) for k, (label, _, _) in KINDS.items()], value="paraphrase",
                         allow_blank=False, id="job-kind")
            yield Input(placeholder=KINDS["paraphrase"][1], id="job-path")
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

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "job-kind" or self.proc is not None:
            return
        self.kind = str(event.value)
        _, placeholder, button = KINDS[self.kind]
        self.query_one("#job-path", Input).placeholder = placeholder
        self.query_one("#job-start", Button).label = button
        self.counts = dict.fromkeys(GEN_COUNTS if self.kind == "sqpsych" else STATUSES, 0)
        self.render_counts()

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
        if self.kind == "sqpsych" and not Path(path).is_file():
            self.notify(f"{path}: give a file of client records (CSV or JSONL)", severity="error")
            return
        model = self.query_one("#job-model", Input).value.strip()
        cmd = job_command(self.app.db_path, self.kind, path, model)
        self.counts = dict.fromkeys(GEN_COUNTS if self.kind == "sqpsych" else STATUSES, 0)
        self.exit_code = None
        self.state = "running"
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#job-log", Log).clear()
        self.query_one("#job-log", Log).write_line(
            "$ onprem " + ("generate sqpsych --profiles " if self.kind == "sqpsych" else "paraphrase ") + path)
        self.query_one("#job-kind", Select).disabled = True
        self.query_one("#job-start", Button).disabled = True
        self.query_one("#job-cancel", Button).disabled = False
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
            bar.update(total=int(m.group(2)), progress=0)
            return
        if self.kind == "paraphrase":
            m = STEP.match(line)
            if m:
                self.counts[m.group(3)] += 1
        else:
            m = GEN_STEP.match(line)
            if m:
                self.counts["skipped" if m.group(3) == "already done" else m.group(3)] += 1
                self.counts["turns"] += int(m.group(4) or 0)
                self.counts["findings"] += int(m.group(5) or 0)
        if m:
            bar.update(total=int(m.group(2)), progress=int(m.group(1)))
            self.render_counts()

    def on_finished(self, code: int) -> None:
        self.exit_code = code
        self.state = ("cancelled" if self.state == "cancelling" else
                      "done" if code == 0 else "partly failed" if code == 1 else "failed")
        self.proc = None
        self.query_one("#job-start", Button).disabled = False
        self.query_one("#job-cancel", Button).disabled = True
        self.query_one("#job-kind", Select).disabled = False
        self.render_counts()
        what = "generate sqpsych" if self.kind == "sqpsych" else "paraphrase"
        self.notify(f"{what} {self.state}", severity="information" if code == 0 else "warning")
