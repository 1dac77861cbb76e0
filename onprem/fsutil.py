"""Files in and out, one way each: owner-only atomic writes, and the JSONL and CSV readers.

The readers keep every character: a CSV field may hold newlines inside quotes (the csv module must
see the raw text, not lines), and a JSONL string may hold U+2028, U+2029 or U+0085, which
str.splitlines() would treat as line ends. Rows are numbered by the line they start on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator, TextIO

# JSON allows these raw inside strings, but many line-oriented tools split on them: escape them.
_LINE_BREAKERS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


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


def csv_reader(text: str) -> csv.DictReader:
    """A DictReader over the whole text: quoted newlines stay inside their field. Its `line_num`
    after a row is the line that row ended on."""
    return csv.DictReader(io.StringIO(text, newline=""))


def numbered(reader: csv.DictReader) -> Iterator[tuple[int, dict]]:
    """(line the row starts on, row) for each data row: a quoted field may span lines."""
    reader.fieldnames  # reads the header, so line_num counts it
    start = reader.line_num + 1
    for rec in reader:
        yield start, rec
        start = reader.line_num + 1


def write_private(path: Path, render: Callable[[TextIO], int]) -> int:
    """Write owner-only (0600) and atomically: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
