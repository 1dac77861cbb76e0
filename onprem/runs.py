"""The `runs` table: every model-calling job records what produced its rows.

    with recorded_run(store, "generate sqpsych", models=models, seed=seed, prompts=ps, params=p) as run:
        ...                      # run.id for the rows it writes; run.stats and run.status to fill in

A job that raises (Ctrl-C, a cancel from the TUI, a crash) is recorded as interrupted.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata

from onprem import __version__
from onprem.errors import UserError
from onprem.store import Store
from onprem.store import runs as table
from onprem.store.db import now


def library_versions() -> dict[str, str]:
    out = {}
    for dist in ("llama-cpp-python", "presidio-analyzer", "spacy", "sqlite-utils", "pydantic"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ensure_no_running_job(store: Store) -> None:
    """One writer at a time: name the job that holds the database. Jobs whose process died are
    marked interrupted, so a crash never blocks the next run."""
    for row in table.running(store):
        if row["pid"] != os.getpid() and _alive(row["pid"]):
            raise UserError(f"database is busy: job {row['id']} ({row['command']}, pid {row['pid']}) "
                            f"is running; wait for it or stop it first")
        with store.atomic():
            table.mark_interrupted(store, row["id"])


def _models_json(models: dict) -> str:
    return json.dumps({role: m.provenance() for role, m in models.items()}, sort_keys=True)


def start_run(store: Store, command: str, *, models: dict | None = None, params: dict | None = None,
              seed: int | None = None, prompts: list | None = None) -> int:
    """`models`: role -> Model (the first is the run's main model); `prompts`: prompts.Prompt files."""
    models = models or {}
    main = next(iter(models.values()), None)
    prompt = prompts[0] if prompts else None
    params = {**(params or {})}
    if prompts and len(prompts) > 1:
        params["prompts"] = {p.label: p.sha256 for p in prompts}
    check_sound(store)
    # One transaction, begun IMMEDIATE (Store.atomic): checking for a running job and recording ours
    # is one step, so two jobs started together cannot both pass.
    with store.atomic():
        ensure_no_running_job(store)
        check_resume_threads(store, command, models)
        return table.insert(store, {
            "command": command,
            "model_name": getattr(main, "name", None),
            "model_path": main.provenance().get("path") if main is not None else None,
            "model_sha256": getattr(main, "sha256", None),
            "models": _models_json(models),
            "params": json.dumps(params, sort_keys=True),
            "seed": seed,
            "prompt_name": prompt.label if prompt else None,
            "prompt_hash": prompt.sha256 if prompt else None,
            "tool_version": __version__,
            "versions": json.dumps(library_versions(), sort_keys=True),
            "pid": os.getpid(),
            "started_at": now(),
            "status": "running",
        })


def check_sound(store: Store) -> None:
    """A writing job starts only on a database that passes SQLite's quick_check: writing into a damaged
    file can spread the damage. Names the database and what to do; quotes no row."""
    from onprem.store.db import quick_check

    problem = quick_check(store)
    if problem is not None:
        raise UserError(f"{store.path}: the database fails SQLite's integrity check ({problem[:120]}); nothing was "
                        f"written. Restore it from a backup, or recover it with `sqlite3 {store.path} .recover`; "
                        f"`onprem doctor` checks it")


def check_resume_threads(store: Store, command: str, models: dict) -> None:
    """llama.cpp's sums, and so its outputs, depend on the thread count. A run that continues an
    interrupted or partial run of the same command must use the threads that run used, unless the
    person chose them with --threads (recorded as such)."""
    last = table.last_of(store, command)
    if last is None or last[1] not in ("interrupted", "partial"):
        return
    before = json.loads(last[2] or "{}")
    for role, m in models.items():
        prov = m.provenance()
        now_threads, was = prov.get("threads"), (before.get(role) or {}).get("threads")
        if now_threads is None or was is None or now_threads == was or prov.get("threads_from") == "--threads":
            continue
        raise UserError(f"run {last[0]} ({command}, {last[1]}) used {was} threads for {role}; this run would use "
                        f"{now_threads} ({prov.get('threads_from')}), and llama.cpp's outputs differ with the thread "
                        f"count. Pass --threads {was} to continue it alike, or --threads {now_threads} to accept "
                        f"different outputs")


def finish_run(store: Store, run_id: int, status: str, stats: dict) -> None:
    table.finish(store, run_id, status, stats)


@dataclass
class Run:
    id: int | None          # None: a job that keeps nothing in the database (job_frame.run_job)
    status: str = "done"
    stats: dict = field(default_factory=dict)


@contextmanager
def recorded_run(store: Store, command: str, **kw):
    """start_run, then finish_run with the status the job set (interrupted if it raised)."""
    run = Run(start_run(store, command, **kw))
    models = kw.get("models") or {}
    try:
        yield run
    except BaseException:
        finish_run(store, run.id, "interrupted", {**run.stats, **_usage(models)})
        raise
    finish_run(store, run.id, run.status, {**run.stats, **_usage(models)})


def command_of(store: Store, run_id: int, label: str) -> str:
    """The command a stored run recorded (e.g. "judge mentalchat7"); `label` names the run in the
    error when there is none."""
    from onprem.errors import UserError

    found = table.command(store, run_id)
    if found is None:
        raise UserError(f"{label}: no such run (onprem stats lists runs)")
    return found


def scores_of_run(store: Store, run_id: int, rubric: str, target_kind: str, by_command: dict[str, str],
                  label: str) -> list:
    """The live scores under `rubric` (onprem.store.scores) that belong to one run, whichever of the
    commands in `by_command` made it: "judgments" for a judge run (its own judgments), "items" for
    a run that made the items (every live judgment of them)."""
    from onprem.errors import UserError
    from onprem.store.scores import scores

    command = command_of(store, run_id, label)
    if command not in by_command:
        wanted = " or ".join(f"`{c}`" for c in by_command)
        raise UserError(f"{label} is a `{command}` run; give an {wanted} run")
    if by_command[command] == "judgments":
        return scores(store, rubric, target_kind=target_kind, run=run_id)
    return scores(store, rubric, target_kind=target_kind, made_by_run=run_id)


def _usage(models: dict) -> dict:
    used = {role: u for role, m in models.items() if (u := getattr(m, "usage", dict)())}
    return {"decoding": used} if used else {}


def slow_note(store: Store, run_id: int, model, rate: float) -> str | None:
    """A line when this run decoded at a third or less of the best rate an earlier run of the same
    model file had in this database: the machine is likely busy, and fewer threads may be faster."""
    sha = getattr(model, "sha256", None)
    prov = model.provenance()
    if not sha or rate <= 0 or prov.get("threads") is None:    # a local model, whose threads matter
        return None
    best = None
    for rid, stats, models in table.finished_of_model(store, sha, run_id):
        r = (json.loads(stats or "{}") or {}).get("tokens_per_second") or 0
        if best is None or r > best[1]:
            threads = next((m.get("threads") for m in json.loads(models or "{}").values() if m.get("sha256") == sha), None)
            best = (rid, r, threads)
    if best is None or rate * 3 > best[1]:
        return None
    return (f"this run decoded at {rate:.1f} tokens/s, a third or less of the {best[1]:.1f} tokens/s run {best[0]} had "
            f"on {model.name} ({best[2] or '?'} threads then, {prov.get('threads', '?')} now from "
            f"{prov.get('threads_from', '?')}); other work may be using the cores: try --threads 1 "
            f"(or ONPREM_THREADS=1), and `onprem doctor` shows the choice")
