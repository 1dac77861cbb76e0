"""Export writers: one module per format, registered through the `register_writers` hook.

A writer names its format, what it releases (pairs or dialogues) and its file suffix, and writes
the rows the release gate chose. `onprem export --format NAME` and the TUI's Export screen list the
registered writers."""

from __future__ import annotations

from typing import Iterable, TextIO


class Writer:
    name: str = ""
    unit: str = "pairs"          # pairs | dialogues
    suffix: str = ".jsonl"
    help: str = ""
    noun: str | None = None      # what one written record is, when not one of `unit` ("profiles")

    def write(self, rows: Iterable[dict], out: TextIO) -> int:
        raise NotImplementedError
