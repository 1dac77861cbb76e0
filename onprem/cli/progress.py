"""Progress for long jobs: a live bar on a terminal, one plain line per item otherwise."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click


class PlainProgress:
    def __init__(self, total: int, label: str):
        self.total, self.done = total, 0
        click.echo(f"{label}: {total} to do")

    def advance(self, line: str, **_fields) -> None:
        self.done += 1
        click.echo(f"[{self.done}/{self.total}] {line}")


class BarProgress:
    def __init__(self, progress, task):
        self._progress, self._task = progress, task

    def advance(self, line: str, **fields) -> None:
        self._progress.update(self._task, advance=1, **fields)


@contextmanager
def progress(total: int, label: str, fields: dict):
    """`fields` are live counters shown beside the bar, e.g. kept/filtered/failed."""
    if not sys.stdout.isatty():
        yield PlainProgress(total, label)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    counters = "  ".join(f"{k} {{task.fields[{k}]}}" for k in fields)
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(counters),
                  TimeRemainingColumn()) as bar:
        task = bar.add_task(label, total=total, **fields)
        yield BarProgress(bar, task)
