"""Opening the database: owner-only file, WAL, foreign keys, migrations, and the audit helper."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from onprem.store.sqlite_utils_import import sqlite_utils

from onprem.errors import UserError
from onprem.store.migrations import SchemaError, check_known, migrate, preparing

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

    def __init__(self, db: sqlite_utils.Database, path: Path | None, read_only: bool = False):
        self.db = db
        self.path = path
        self.read_only = read_only     # opened for reading: a read-only file, folder or mount

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

    def count(self, sql: str, params=()) -> int:
        """The one number a `select count(*) ...` gives."""
        return self.db.execute(sql, params).fetchone()[0]

    def copy_to(self, path: Path) -> None:
        """A consistent copy of this database at `path` (SQLite's online backup)."""
        dest = sqlite3.connect(path)
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()

    def close(self) -> None:
        self.db.close()


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite writes a byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def plugin_sets() -> dict[str, list]:
    """The migration sets of the plugins this process has loaded. A command that runs a plugin's
    component or command loads the plugins before it opens the database, so the plugin's tables
    are there when its code runs; a process that never loads plugins (paraphrase, stats) leaves
    them alone and pays nothing for them."""
    from onprem import plugins

    return plugins.migration_sets() if plugins.loaded() else {}


def _writable(p: Path) -> bool:
    """This process can write the database file and the folder its side files go in."""
    return os.access(p, os.W_OK) and not _read_only_place(p)


def _open_read_only(p: Path) -> sqlite_utils.Database:
    """Read-only: `mode=ro`, or on a read-only mount (where SQLite cannot create the WAL's shared
    memory file) `immutable=1`, which is safe there because nothing can write the file."""
    from urllib.parse import quote

    uri = f"file:{quote(str(p.resolve()))}"
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError:
        if not _read_only_place(p):
            raise
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)
    return sqlite_utils.Database(conn)


def open_store(path: str | Path | None, *, read_only: bool | None = False, must_exist: bool = False) -> Store:
    """Open (creating if needed) and migrate the store. None means in memory (tests).

    read_only: False opens for writing (a job, a decision); True opens for reading only; None opens
    for writing when this process can write the file and its folder, else for reading (stats,
    export and the TUI on a read-only file or mount). A read-only store is never migrated, so it must
    already be at this version's schema. must_exist: a command that only reads refuses a path with no
    database instead of creating an empty one."""
    sets = plugin_sets()
    if path is None:
        db = sqlite_utils.Database(memory=True)
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db, sets)
        return Store(db, None)
    p = Path(path)
    if p.is_dir():
        raise UserError(f"{p}: is a folder; give --db a file path such as {p / 'onprem.db'}")
    if not p.exists():
        if must_exist or read_only:
            raise UserError(f"{p}: no database here; give --db the database file (or set ONPREM_DB), "
                            f"or run a job such as `onprem paraphrase` to create one")
        _create_private(p)
    if read_only is None:
        read_only = not _writable(p)
    try:
        if read_only:
            db = _open_read_only(p)
            db.execute("PRAGMA foreign_keys = ON")
            pending = check_known(db, sets)
            if pending:
                raise UserError(f"{p}: this database needs upgrading ({len(pending)} migrations, first {pending[0]}), "
                                f"which a read-only database cannot take; open it once where it is writable")
        else:
            db = sqlite_utils.Database(p)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            with preparing(p):
                if db.journal_mode != "wal":
                    db.enable_wal()
                db.execute("PRAGMA foreign_keys = ON")
                migrate(db, sets)
    except SchemaError as e:
        raise UserError(f"{p}: {e}") from e
    except sqlite3.DatabaseError as e:
        raise UserError(explain(e, p) or f"{p}: not a usable onprem database ({e.__class__.__name__}: {e}); "
                                          f"run `onprem doctor`, or point --db at another file") from e
    if not read_only:
        tighten(p)
    return Store(db, p, read_only=read_only)


def tighten(p: Path) -> None:
    """Remove group and other access from the database and its side files (SQLite creates the WAL
    and shared-memory files with the process umask), keeping the owner's own bits: a database its
    owner made read-only stays read-only."""
    import stat

    for side in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
        try:
            mode = stat.S_IMODE(side.stat().st_mode)
            if mode & 0o077:
                os.chmod(side, mode & 0o700)
        except FileNotFoundError:
            pass


def quick_check(store: Store) -> str | None:
    """None when SQLite's quick_check finds the database sound, else its first complaint."""
    try:
        rows = [r[0] for r in store.db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as e:       # damage bad enough that the check itself cannot walk it
        return str(e)
    return None if rows == ["ok"] else rows[0]
