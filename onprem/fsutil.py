"""Files in and out, one way each: owner-only atomic writes, and the JSONL and CSV readers.

The readers keep every character: a CSV field may hold newlines inside quotes (the csv module must
see the raw text, not lines), and a JSONL string may hold U+2028, U+2029 or U+0085, which
str.splitlines() would treat as line ends. Rows are numbered by the line they start on.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator, TextIO

# JSON allows these raw inside strings, but many line-oriented tools split on them: escape them.
_LINE_BREAKERS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def read_utf8(path: Path) -> str:
    """A data file's text; one InputError line naming the file when it cannot be read or is not UTF-8."""
    from onprem.errors import InputError

    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 (bad byte at offset {e.start}); save it as UTF-8 and try again") from None
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror}); check the path and its permissions") from None


def json_line(obj) -> str:
    """One JSONL line: UTF-8 text as written, line separators escaped, then a newline."""
    text = json.dumps(obj, ensure_ascii=False)
    for ch, esc in _LINE_BREAKERS.items():
        text = text.replace(ch, esc)
    return text + "\n"


def iter_jsonl(text: str) -> Iterator[tuple[int, dict | str]]:
    """(line number, object) or (line number, problem) for each non-blank line; only \\n (and \\r\\n)
    end a line."""
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, f"not valid JSON ({e.msg})"
            continue
        yield n, rec if isinstance(rec, dict) else "not a JSON object"


# A transcript-sized field is fine (the csv module's default limit, 128 KiB, is not).
CSV_FIELD_LIMIT = 64 * 1024 * 1024


def csv_reader(text: str) -> csv.DictReader:
    """A DictReader over the whole text: quoted newlines stay inside their field. Its `line_num`
    after a row is the line that row ended on. Strict: a quote left open is an error, not a field
    that swallows the rest of the file."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.DictReader(io.StringIO(text, newline=""), strict=True)


def numbered(reader: csv.DictReader, where: str = "CSV", problems: bool = False) -> Iterator[tuple[int, dict | str]]:
    """(line the row starts on, row) for each data row: a quoted field may span lines.

    A row with more fields than the header is a problem (its extra values would be dropped): with
    `problems` it is yielded as (line, what is wrong) and reading goes on, else it raises
    InputError naming the line. A row the csv module cannot parse (a quote left open, a field over
    CSV_FIELD_LIMIT) raises InputError naming the line it starts on: nothing after it can be trusted."""
    from onprem.errors import InputError

    try:
        reader.fieldnames  # reads the header, so line_num counts it
    except csv.Error as e:
        raise InputError(f"{where}: line 1: the header is not valid CSV ({e}); fix it") from None
    width = len(reader.fieldnames or [])
    start = reader.line_num + 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise InputError(f"{where}: line {start}: not valid CSV ({e}; a quote left open?); rows from line {start} "
                             f"on were not read, fix the row and import again") from None
        if None in rec:
            problem = (f"{len(rec[None]) + width} fields, but the header has {width} (an unquoted comma?); "
                       f"quote the field or remove the extra values")
            if not problems:
                raise InputError(f"{where}: line {start}: {problem}")
            yield start, problem
        else:
            yield start, rec
        start = reader.line_num + 1


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clear_stale_temporaries(path: Path) -> int:
    """Remove the hidden temporary files a killed writer (SIGKILL, power loss) left beside `path`:
    each names the pid that wrote it, so only a dead writer's file goes."""
    removed = 0
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            try:
                tmp.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def write_private(path: Path, render: Callable[[TextIO], int]) -> int:
    """Write owner-only (0600) and atomically: a crash never leaves half a file. The temporary file
    carries the writer's pid, so the next write clears one a killed writer left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clear_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = render(f)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        return n
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def sha256_file(path: Path) -> str:
    """The file's sha256, read in chunks (model weights are gigabytes)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def database_files(db: Path | None) -> list[Path]:
    """The database and the side files SQLite keeps beside it."""
    if db is None:
        return []
    return [db, *(Path(f"{db}{side}") for side in ("-wal", "-shm", "-journal"))]


def check_output(path: Path, *, force: bool = False, db: Path | None = None, inputs=(), flag: str = "--out",
                 folder_ok: bool = False) -> None:
    """Refuse an output path that would destroy data: the database or its side files, an input of
    the same command, a folder where a file is written, or (without --force) any existing file."""
    from onprem.errors import UserError

    path = Path(path)
    for protected in database_files(db):
        if _same_file(path, protected):
            raise UserError(f"{path}: {flag} is the database ({protected.name}); writing there would destroy it, "
                            f"choose another file")
    for given in inputs:
        if _same_file(path, Path(given)):
            raise UserError(f"{path}: {flag} is one of this command's inputs; writing there would replace it, "
                            f"choose another file")
    if path.is_dir() and not folder_ok:
        raise UserError(f"{path}: {flag} is a folder; give a file path such as {path / 'out.jsonl'}")
    if path.exists() and not path.is_dir() and not force:
        raise UserError(f"{path}: already exists; add --force to overwrite it, or choose another {flag}")
