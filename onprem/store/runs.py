"""The `runs` table's SQL: the job frame (onprem.runs) decides, this reads and writes."""

from __future__ import annotations

import json

from onprem.store.db import Store, now


def running(store: Store) -> list[dict]:
    """Runs recorded as running: {"id", "command", "pid"}."""
    return list(store.db.query("select id, command, pid from runs where status = 'running'"))


def mark_interrupted(store: Store, run_id: int) -> None:
    store.db["runs"].update(run_id, {"status": "interrupted", "ended_at": now()})


def insert(store: Store, row: dict) -> int:
    return store.db["runs"].insert(row).last_pk


def last_of(store: Store, command: str) -> tuple | None:
    """The latest run of a command: (id, status, models JSON), or None."""
    return store.db.execute("select id, status, models from runs where command = ? order by id desc limit 1",
                            [command]).fetchone()


def finish(store: Store, run_id: int, status: str, stats: dict) -> None:
    with store.atomic():
        store.db["runs"].update(run_id, {"status": status, "ended_at": now(),
                                         "stats": json.dumps(stats, sort_keys=True)})


def command(store: Store, run_id: int) -> str | None:
    row = store.db.execute("select command from runs where id = ?", [run_id]).fetchone()
    return row[0] if row else None


def finished_of_model(store: Store, sha256: str, other_than: int) -> list[tuple]:
    """Done or partial runs of a model file, this one aside: (id, stats JSON, models JSON)."""
    return store.db.execute("select id, stats, models from runs where model_sha256 = ? and id != ? "
                            "and status in ('done', 'partial')", [sha256, other_than]).fetchall()


def rows_where_run(store: Store, sql: str, column: str, run_id: int) -> list:
    """The rows of `sql` (a select ending in a where clause) whose `column` holds this run's id."""
    return store.db.execute(f"{sql} and {column} = ?", [run_id]).fetchall()


def recent(store: Store, n: int = 8) -> list[dict]:
    """The newest runs, from the CLI or the TUI alike: id, command, status, model, started, ended."""
    return list(store.db.query("select id, command, status, model_name, started_at, ended_at from runs "
                               "order by id desc limit ?", [n]))
