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
    Options = None               # a pydantic model of the writer's own `onprem export` flags, if any

    def rows(self, store, selection, opts) -> list[dict]:
        """What `write` gets from the gated selection (a writer may reshape rows, reading the store,
        and count what it holds back in `selection.held`)."""
        return selection.rows

    def write(self, rows: Iterable[dict], out: TextIO) -> int:
        raise NotImplementedError

    def writes_set(self, opts) -> bool:
        """True when these options ask for several files and a manifest (`write_set`) instead of one."""
        return False

    def write_set(self, rows: list[dict], out_dir, opts) -> dict:
        """Write several files into out_dir; return the manifest (also written there)."""
        raise NotImplementedError
