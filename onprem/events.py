"""Progress as typed events: one stream for every long job, shown three ways.

A job reports `start` (how many items), one `item` per finished item (its status, a line for people,
the running counts) and `done` (the summary line, the run id). The sink decides how it looks:
  bar    a rich progress bar with live counters (a terminal)
  plain  "label: N to do", "[i/N] line", then the summary (a pipe or a log file)
  jsonl  one JSON object a line on stdout (`--progress jsonl`; the TUI's Jobs screen reads these)
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Iterator

import click

MODES = ("auto", "bar", "plain", "jsonl")


@dataclass
class Event:
    job: str                     # "paraphrase", "generate sqpsych", "judge sqpsych", ...
    kind: str                    # start | item | note | done
    total: int | None = None
    i: int | None = None         # items finished so far (item events)
    status: str | None = None    # the item's outcome: kept, ended, failed, skipped, ...
    text: str = ""               # one line for people
    counts: dict[str, int] = field(default_factory=dict)   # running tallies
    rate: str | None = None      # e.g. "36 tok/s"
    run_id: int | None = None
    exit_code: int | None = None

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, "", {})}, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "Event | None":
        """The event on a line of a child's output, or None for any other line."""
        if not line.startswith("{"):
            return None
        try:
            data = json.loads(line)
        except ValueError:
            return None
        if not isinstance(data, dict) or "job" not in data or "kind" not in data:
            return None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class Sink:  # noqa: B903 - an interface
    def emit(self, event: Event) -> None: ...
    def close(self) -> None: ...


class PlainSink(Sink):
    def __init__(self, label: str):
        self.label = label

    def emit(self, e: Event) -> None:
        if e.kind == "start":
            click.echo(f"{self.label}: {e.total} to do")
        elif e.kind == "item":
            click.echo(f"[{e.i}/{e.total}] {e.text}")
        elif e.text:
            click.echo(e.text)


class JsonlSink(Sink):
    def emit(self, e: Event) -> None:
        sys.stdout.write(e.to_json() + "\n")
        sys.stdout.flush()


class BarSink(Sink):
    def __init__(self, label: str, fields: tuple[str, ...]):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.fields = fields
        counters = "  ".join(f"{k} {{task.fields[{k}]}}" for k in (*fields, "rate"))
        self.bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(counters),
                            TimeRemainingColumn())
        self.task = None
        self.summary = ""

    def emit(self, e: Event) -> None:
        shown = {k: e.counts.get(k, 0) for k in self.fields}
        if e.kind == "start":
            self.bar.start()
            self.task = self.bar.add_task("", total=e.total, rate="", **shown)
        elif e.kind == "item":
            self.bar.update(self.task, completed=e.i, rate=e.rate or "", **shown)
        elif e.kind == "note":
            self.bar.console.print(e.text, markup=False, highlight=False)
        else:
            self.summary = e.text

    def close(self) -> None:
        self.bar.stop()
        if self.summary:
            click.echo(self.summary)


class Progress:
    """What a job calls; it keeps the item count and hands events to the sink."""

    def __init__(self, job: str, sink: Sink):
        self.job, self.sink = job, sink
        self.total = 0
        self.i = 0

    def start(self, total: int) -> None:
        self.total = total
        self.sink.emit(Event(self.job, "start", total=total))

    def item(self, text: str, status: str | None = None, counts: dict | None = None, rate: str | None = None) -> None:
        self.i += 1
        self.sink.emit(Event(self.job, "item", total=self.total, i=self.i, status=status, text=text,
                             counts=dict(counts or {}), rate=rate))

    def note(self, text: str) -> None:
        """A line for people between items (e.g. a long file's ingest): no count moves."""
        self.sink.emit(Event(self.job, "note", total=self.total, i=self.i, text=text))

    def done(self, text: str, counts: dict | None = None, run_id: int | None = None,
             exit_code: int | None = None) -> None:
        self.sink.emit(Event(self.job, "done", total=self.total, i=self.i, text=text, counts=dict(counts or {}),
                             run_id=run_id, exit_code=exit_code))


@contextmanager
def progress(job: str, label: str, fields: tuple[str, ...], mode: str = "auto") -> Iterator[Progress]:
    """`fields` are the counters a bar shows beside it (e.g. kept/filtered/failed)."""
    if mode == "auto":
        mode = "bar" if sys.stdout.isatty() else "plain"
    sink: Sink = JsonlSink() if mode == "jsonl" else BarSink(label, fields) if mode == "bar" else PlainSink(label)
    try:
        yield Progress(job, sink)
    finally:
        sink.close()


# `--progress auto|bar|plain|jsonl`, the same for every long command.
PROGRESS_DECLS = ("--progress", "progress_mode")
PROGRESS_ATTRS = dict(type=click.Choice(MODES), default="auto", show_default=True,
                      help="How progress is shown: a bar on a terminal, plain lines, or JSON events (jsonl).")


def progress_option(f):
    return click.option(*PROGRESS_DECLS, **PROGRESS_ATTRS)(f)
