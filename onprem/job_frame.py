"""The one frame of every job that runs a model (paraphrase, generate, judge, eval respond, eval simulate,
dedup):

    plan        read and check the input, name every bad row, count the work: before any model loads
    open        the job's models
    record      a `runs` row (models, seed, prompts, params), interrupted if anything raises
    run         the job's own loop, reporting each item to the one progress stream (onprem.events)
    summarise   one line, the counts, a note when decoding was far slower than before, the exit code

A command is a thin adapter: it builds its Job from its options and returns `run_job(...)`, so every
such command reports, records and exits alike, and the TUI's Jobs screen runs each the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import click

from onprem.errors import EXIT_PARTIAL


@dataclass
class Plan:
    """What a job will do, read and checked before any model loads."""
    items: int                                   # how many things the models will be asked for
    data: Any = None                             # the job's own: cases, questions, targets, rows
    params: dict = field(default_factory=dict)   # recorded with the run
    seed: int | None = None
    prompts: list = field(default_factory=list)  # prompts.Prompt files, hashed into the run
    stats: dict = field(default_factory=dict)    # recorded with the run beside the job's counts
    errors: list[str] = field(default_factory=list)     # bad input, named; the rest runs; exit partial
    warnings: list[str] = field(default_factory=list)
    nothing: str | None = None                   # nothing to do: why, and what to do instead
    nothing_exit: int = 0                        # the exit code then (0: nothing to do is no fault)


@dataclass
class Done:
    """What the job's loop reports back."""
    summary: str                                 # one line for people, after "run N: "
    counts: dict = field(default_factory=dict)
    failed: bool = False                         # some items failed: the run is partial
    stats: dict = field(default_factory=dict)
    tokens_per_second: float | None = None       # for the slow-decoding note


class Job(Protocol):
    command: str            # the run's command and the events' job name: "eval respond"
    label: str              # the progress bar's label
    fields: tuple[str, ...]     # the counters shown beside the bar

    def plan(self, store) -> Plan: ...

    def open_models(self, plan: Plan) -> dict: ...

    def run(self, store, plan: Plan, models: dict, run, bar) -> Done: ...


def run_job(store, job: Job, progress_mode: str = "auto", *, bar=None, close: bool = True) -> int:
    """Plan, open the models, record the run, run with progress, summarise; returns the exit code
    (0 done, 1 partial: some input or items failed). `bar`: report to a progress stream already open
    (a step of a larger job, e.g. eval quality's judge); `close=False` leaves the models open.

    `store` is the Store, or a function that opens it: then the job plans without it (`plan(None)`)
    and the database is opened once the models are, so a job whose input is files (paraphrase)
    leaves no database behind when its model is refused. `store=None`: a job that keeps nothing in
    the database (redact writes copies and a report), so no run is recorded."""
    from contextlib import nullcontext

    from onprem.events import progress
    from onprem.runs import Run, recorded_run, slow_note
    from onprem.store import Store

    open_store = None if store is None or isinstance(store, Store) else store
    plan = job.plan(None if open_store else store)
    for w in plan.warnings:
        click.echo(f"warning: {w}", err=True)
    for e in plan.errors:
        click.echo(f"onprem: {e}", err=True)
    if plan.nothing is not None:
        click.echo(f"{job.command}: {plan.nothing}" if plan.nothing_exit == 0 else f"onprem: {plan.nothing}",
                   err=plan.nothing_exit != 0)
        return plan.nothing_exit
    models = job.open_models(plan)
    try:
        if open_store:
            store = open_store()
        with (recorded_run(store, job.command, models=models, seed=plan.seed, prompts=plan.prompts,
                           params=plan.params) if store is not None else nullcontext(Run(None))) as rec, \
                (nullcontext(bar) if bar is not None else progress(job.command, job.label, job.fields,
                                                                    progress_mode)) as bar:
            rec.stats = dict(plan.stats)
            done = job.run(store, plan, models, rec, bar)
            rec.stats.update(done.stats)
            main = next(iter(models.values()), None)
            if (done.tokens_per_second and main is not None and rec.id is not None
                    and (slow := slow_note(store, rec.id, main, done.tokens_per_second))):
                bar.note(f"note: {slow}")
            partial = done.failed or bool(plan.errors)
            rec.status = "partial" if partial else "done"
            code = EXIT_PARTIAL if partial else 0
            bar.done(f"run {rec.id}: {done.summary}" if rec.id is not None else done.summary,
                     counts=done.counts, run_id=rec.id, exit_code=code)
    finally:
        if close:
            for m in {id(m): m for m in models.values()}.values():     # roles may share one loaded model
                m.close()
    return code
