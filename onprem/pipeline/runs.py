"""The `runs` table: every model-calling job records what produced its rows."""

from __future__ import annotations

import json
import os
from importlib import metadata

from onprem import __version__
from onprem.errors import UserError
from onprem.store import Store
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
    for row in store.db.query("select id, command, pid from runs where status = 'running'"):
        if row["pid"] != os.getpid() and _alive(row["pid"]):
            raise UserError(f"database is busy: job {row['id']} ({row['command']}, pid {row['pid']}) "
                            f"is running; wait for it or stop it first")
        with store.atomic():
            store.db["runs"].update(row["id"], {"status": "interrupted", "ended_at": now()})


def start_run(store: Store, command: str, *, model=None, params: dict | None = None,
              seed: int | None = None, prompt=None) -> int:
    # One transaction, begun IMMEDIATE (Store.atomic): checking for a running job and recording ours
    # is one step, so two jobs started together cannot both pass.
    with store.atomic():
        ensure_no_running_job(store)
        return store.db["runs"].insert({
            "command": command,
            "model_name": getattr(model, "name", None),
            "model_path": str(model.entry.file()) if hasattr(model, "entry") else None,
            "model_sha256": getattr(model, "sha256", None),
            "params": json.dumps(params or {}, sort_keys=True),
            "seed": seed,
            "prompt_name": prompt.label if prompt else None,
            "prompt_hash": prompt.sha256 if prompt else None,
            "tool_version": __version__,
            "versions": json.dumps(library_versions(), sort_keys=True),
            "pid": os.getpid(),
            "started_at": now(),
            "status": "running",
        }).last_pk


def finish_run(store: Store, run_id: int, status: str, stats: dict) -> None:
    with store.atomic():
        store.db["runs"].update(run_id, {"status": status, "ended_at": now(),
                                         "stats": json.dumps(stats, sort_keys=True)})
