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

# SQLite's words for the failures a person can act on -> what to say (path first).
_STORAGE_FAILURES = (
    (("database or disk is full", "disk is full"),
     "the disk is full; the transaction in progress was rolled back (no partial rows); "
     "free space and run the same command again to resume"),
    (("readonly database", "read-only", "readonly"),
     "the database is read-only (file, folder or disk); make it writable, or copy it somewhere writable "
     "and use --db, then run the same command again"),
    (("database is locked", "database is busy", "database table is locked"),
     "database is busy: another onprem process is writing it; wait for that job to finish and try again"),
    (("disk i/o error",),
     "disk I/O error while writing; check the disk (full, removed or failing) and run the same command again"),
    (("unable to open database file",),
     "cannot open the database file; check that its folder exists and is writable"),
)


def _read_only_place(path: Path) -> bool:
    """The database's folder is on a read-only file system, or cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def explain(error: BaseException, path) -> str | None:
    """One line for a storage failure (disk full, read-only, busy), or None when it is not one."""
    import errno

    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{error.filename or path}: the disk is full; nothing half-written was kept; free space and try again"
    if isinstance(error, OSError) and error.errno == errno.EROFS:
        if path is not None and str(error.filename or path).startswith(str(path)):
            return f"{path}: {_STORAGE_FAILURES[1][1]}"
        return f"{error.filename}: the file system is read-only; choose a writable place"
    if not isinstance(error, sqlite3.Error):
        return None
    text = str(error).lower()
    if ("unable to open" in text or "readonly" in text) and path is not None and _read_only_place(Path(path)):
        return f"{path}: {_STORAGE_FAILURES[1][1]}"
    for needles, advice in _STORAGE_FAILURES:
        if any(n in text for n in needles):
            return f"{path}: {advice}"
    return None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A thin wrapper over a sqlite_utils.Database: the pipeline's only door to SQLite."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None):
        self.db = db
        self.path = path

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """All or nothing: a crash inside leaves no partial rows.

        The outermost block starts with BEGIN IMMEDIATE: it takes the write lock first, waiting up to
        busy_timeout for another process's transaction. A deferred BEGIN would read first and then
        fail at once with "database is locked" when another process (a reviewer approving a pair in
        the TUI) committed in between, a lock upgrade SQLite's busy handler cannot wait for."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():          # nested: a savepoint
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise

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
            raise UserError(explain(e, p) or f"{p}: not a usable onprem database ({e}); point --db at another file") from e
    db.execute("PRAGMA foreign_keys = ON")
    try:
        migrate(db)
    except sqlite3.OperationalError as e:
        raise UserError(explain(e, p) or f"{p}: could not prepare the database ({e}); is another onprem job migrating it?") from e
    # WAL and shared-memory side files are created by SQLite with the process umask: tighten them.
    if p is not None:
        for side in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
            if side.exists():
                os.chmod(side, 0o600)
    return Store(db, p)
