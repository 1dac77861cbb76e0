"""Redaction and output checks in worker processes beside the model (issue 29).

When the model is fast (the site's GPU servers), the coordinator's own work bounds a run: spaCy and
Presidio over every page before the model sees it, and the rescan and leak check of every output
after. `Workers(n)` runs that work in n processes, each with its own redactor; the caller alone
writes the store (SQLite has one writer) in source and page order, so the database is the same as
with one process. `Workers(1)` does the same work in this process through the same calls.

Workers start from a fork server, not by forking this process: a fork of a process that has loaded
llama.cpp or started threads is not safe. They ignore Ctrl-C (the coordinator handles it, rolling
back the item in flight) and die with their parent.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
from collections import deque
from dataclasses import dataclass
from typing import Callable

from onprem.errors import InputError

MAX_WORKERS = 4
MIN_PAGES = 24               # fewer pages do not repay a worker's start (spaCy and Presidio load: ~3 s)
MEMORY_PER_WORKER = 600 << 20   # a worker's resident size after a run of 314 pages was ~450 MB
MEMORY_SHARE = 0.25          # of the memory free now: the machine is shared
AHEAD = 4                    # items in flight per worker: enough to keep each busy while the head is stored

_redactor = None             # a worker's own
_failed: BaseException | None = None    # why a worker could not load it, raised by each of its tasks


@dataclass(frozen=True)
class Choice:
    workers: int
    why: str                 # recorded in the run: "auto: 314 pages; 2 cores"


def choose(requested: int | str, pages: int, cores: int | None = None, free: int | None = None) -> Choice:
    """Processes for redaction and checks: a number, or auto from the pages to do, the cores and
    the memory free."""
    if requested != "auto":
        return Choice(int(requested), f"--workers {requested}")
    from onprem.model.lanes import free_memory

    cores = cores or os.cpu_count() or 1
    free = free_memory() if free is None else free
    if pages < MIN_PAGES or cores < 2:
        return Choice(1, f"auto: {pages} pages, {cores} cores: in this process")
    want, why = min(cores, MAX_WORKERS), [f"{pages} pages", f"{cores} cores"]
    if free is not None and free * MEMORY_SHARE // MEMORY_PER_WORKER < want:
        want = max(1, int(free * MEMORY_SHARE // MEMORY_PER_WORKER))
        why.append(f"memory allows {want}")
    return Choice(want, "auto: " + "; ".join(why))


def parse(value) -> int | str:
    """--workers' value: "auto" or a whole number of processes."""
    from onprem.settings import MOST_WORKERS, auto_or_count

    parsed = auto_or_count(value, MOST_WORKERS)
    if parsed is None:
        raise ValueError(f"--workers {value!r}: give auto or a number of processes from 1 to {MOST_WORKERS}")
    return parsed


def _start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:   # PR_SET_PDEATHSIG: a worker whose parent is killed outright exits too
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    global _redactor, _failed
    from redaction import Redactor

    try:
        _redactor = Redactor.load()
    except Exception as e:    # noqa: BLE001 - e.g. the spaCy model is missing: each task reports it
        _failed = e


def _in_worker(task: Callable, *args):
    if _failed is not None:
        # the caller sees the reason in one line, as it would from this process; a failed initializer
        # would instead break the pool with a message that names no cause
        raise _failed
    return task(_redactor, *args)


class Workers:
    """Where redaction and checks run: n processes, or (n = 1) this one."""

    def __init__(self, n: int = 1, redactor=None):
        self.n, self._redactor = n, redactor
        self._pool = None
        if n > 1:
            self._pool = cf.ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("forkserver"),
                                                initializer=_start)

    @property
    def redactor(self):
        """This process's redactor, loaded when first needed (a pool may never need it)."""
        if self._redactor is None:
            from redaction import Redactor

            self._redactor = Redactor.load()
        return self._redactor

    @property
    def ahead(self) -> int:
        return AHEAD * self.n if self._pool else 1

    def submit(self, task: Callable, *args) -> cf.Future:
        """`task(redactor, *args)` in a worker, with that worker's redactor. `task` is a module's
        function (sent by name); args and result must pickle."""
        if self._pool is not None:
            return self._pool.submit(_in_worker, task, *args)
        done: cf.Future = cf.Future()
        done.set_result(task(self.redactor, *args))    # an error here is raised here, as before
        return done

    def redact(self, pages: list[str], seed: str, style: str, strict: bool, pii_model=None, note=None) -> cf.Future:
        """A document's pages redacted. A second-look model (`pii_model`) and progress notes stay in
        this process: they cannot be sent to another."""
        from onprem.pipeline.ingest import redact_document

        if self._pool is None:
            return self.submit(redact_document, pages, seed, style, strict, pii_model, note)
        if pii_model is not None:
            raise ValueError("a second-look model runs in this process: use Workers(1) with --pii-model")
        return self.submit(redact_document, pages, seed, style, strict)

    def in_this_process(self) -> None:
        """From now on, work here: a local model is about to take the cores."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def close(self, interrupted: bool = False) -> None:
        if self._pool is not None:
            # interrupted: drop what has not started; a worker ends the item it is on (< 1 s) and exits
            self._pool.shutdown(wait=not interrupted, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        self.close(interrupted=exc_type is not None)


def ingest_files(store, files, workers: Workers, *, encoding, budget: int, count_tokens, pii_style: str,
                 force: bool, strict: bool, on_error: Callable[[InputError], None], pii_model=None,
                 note=None) -> list[int]:
    """Read, redact and store transcripts, in file order. Redaction runs in the workers, up to
    `workers.ahead` documents ahead of the one being stored; a file that cannot be read is reported
    by `on_error` and skipped. Returns the source ids, new and already stored, in file order."""
    from onprem.pipeline.ingest import read_document, store_document, stored_source
    from onprem.pipeline.split import split_pages

    ids: list[int] = []
    pending: deque = deque()      # (doc, pages, future), in file order
    in_flight: set[str] = set()

    def store_head() -> None:
        doc, pages, future = pending.popleft()
        redacted, mapping = future.result()
        ids.append(store_document(store, doc, pages, redacted, mapping, count_tokens, pii_style))
        in_flight.discard(doc.sha256)

    for f in files:
        try:
            doc = read_document(f, encoding)
            if doc.sha256 in in_flight:          # the same file twice: store the first before asking
                while pending:
                    store_head()
            sid = stored_source(store, doc, pii_style, force, lambda: workers.redactor)
        except InputError as e:
            on_error(e)
            continue
        if sid is not None:
            while pending:                        # keep file order in `ids`
                store_head()
            ids.append(sid)
            continue
        pages = split_pages(doc.text, budget, count_tokens)
        pending.append((doc, pages, workers.redact(pages, doc.sha256[:16], pii_style, strict, pii_model, note)))
        in_flight.add(doc.sha256)
        while pending and (pending[0][2].done() or len(pending) > workers.ahead):
            store_head()
    while pending:
        store_head()
    return ids
