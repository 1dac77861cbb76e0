"""Opening the database: owner-only file, WAL, foreign keys, migrations, and the audit helper."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from onprem.errors import UserError
from onprem.store.migrations import migrate

BUSY_TIMEOUT_MS = 5000


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A thin wrapper over a sqlite_utils.Database: the pipeline's only door to SQLite."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None):
        self.db = db
        self.path = path

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """All or nothing: a crash inside leaves no partial rows."""
        with self.db.atomic():
            yield self.db

    def audit(self, actor: str, action: str, table: str | None = None,
              row_id: int | None = None, before: Any = None, after: Any = None) -> None:
        """Append one human (or tool) decision to the append-only audit table."""
        self.db["audit"].insert({
            "at": now(), "actor": actor, "action": action, "table_name": table,
            "row_id": row_id,
            "before": None if before is None else json.dumps(before, ensure_ascii=False),
            "after": None if after is None else json.dumps(after, ensure_ascii=False),
        })

    def close(self) -> None:
        self.db.close()


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite writes a byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def open_store(path: str | Path | None) -> Store:
    """Open (creating if needed) and migrate the store. None means in memory (tests)."""
    if path is None:
        db = sqlite_utils.Database(memory=True)
        p = None
    else:
        p = Path(path)
        if p.is_dir():
            raise UserError(f"{p}: is a folder; give --db a file path such as {p / 'onprem.db'}")
        if not p.exists():
            _create_private(p)
        try:
            db = sqlite_utils.Database(p)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if db.journal_mode != "wal":
                db.enable_wal()
        except sqlite3.DatabaseError as e:
            raise UserError(f"{p}: not a usable onprem database ({e}); point --db at another file") from e
    db.execute("PRAGMA foreign_keys = ON")
    try:
        migrate(db)
    except sqlite3.OperationalError as e:
        raise UserError(f"{p}: could not prepare the database ({e}); is another onprem job migrating it?") from e
    # WAL and shared-memory side files are created by SQLite with the process umask: tighten them.
    if p is not None:
        for side in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
            if side.exists():
                os.chmod(side, 0o600)
    return Store(db, p)
