"""Load existing instruction/input/output pairs (e.g. the public MentalChat16K files) as a source.

The whole file goes in one transaction: a file with a fatal problem leaves nothing behind; single
bad rows are skipped and reported by row number.

Every imported question and answer is scanned with the redaction engine (identifiers and uncertain
findings alike): a pair with any finding is stored as flagged, its findings pending, so the release
gate holds it back until a person decides. Imported text is never rewritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from onprem.errors import InputError
from onprem.fsutil import csv_reader, iter_jsonl, numbered
from onprem.pipeline import wordfilter
from onprem.pipeline.text import count_words
from onprem.store import Store, pages
from onprem.store.db import now

FIELDS = ("instruction", "input", "output")
BATCH = 5000


@dataclass
class ImportResult:
    source_id: int | None
    imported: int = 0
    filtered: int = 0
    flagged: int = 0
    duplicate: bool = False
    row_errors: list[str] = field(default_factory=list)


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict | str]]:
    """(row number, record) or (row number, problem); rows are numbered from 1 after any header."""
    if path.suffix.lower() == ".csv":
        reader = csv_reader(text)
        missing = [f for f in ("input", "output") if f not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: CSV header lacks {', '.join(missing)}; expected columns instruction,input,output")
        for n, (line, rec) in enumerate(numbered(reader, str(path), problems=True), start=1):
            yield n, rec if isinstance(rec, dict) else f"(line {line}) {rec}"
        return
    yield from iter_jsonl(text)


def _findings(scan: Callable[[str], list], q: str, a: str) -> list[dict]:
    return [{"field": field, "start": s.start, "end": s.end, "entity_type": s.entity_type, "score": s.score,
             "recognizer": s.recognizer, "text": s.text, "finding": "detected", "decision": "pending"}
            for field, text in (("question", q), ("answer", a)) for s in scan(text)]


def import_pairs(store: Store, path: Path, min_words: int = 0, min_words_mode: str = "each", *,
                 scan: Callable[[str], list]) -> ImportResult:
    """``scan(text) -> [Span]``: what in an imported text may identify someone (see the module doc)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror})") from e
    sha = hashlib.sha256(data).hexdigest()
    existing = pages.source_by_sha256(store, sha)
    if existing:
        return ImportResult(source_id=existing["id"], duplicate=True)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); convert it to UTF-8") from e
    if not text.strip():
        raise InputError(f"{path}: file is empty")

    result = ImportResult(source_id=None)
    stamp = now()
    with store.atomic() as db:
        source_id = pages.add_imported_source(store, {"name": path.name, "path": str(path.resolve()), "sha256": sha,
                                                      "kind": "import", "encoding": "utf-8", "n_words": 0,
                                                      "created_at": stamp})
        batch: list[dict] = []
        found: dict[int, list[dict]] = {}    # seq -> findings, stored once the pairs have ids
        for n, rec in _rows(path, text):
            if isinstance(rec, str):
                result.row_errors.append(f"{path}: row {n}: {rec}; skipped")
                continue
            empty = [f for f in ("input", "output") if not str(rec.get(f) or "").strip()]
            if empty:
                result.row_errors.append(f"{path}: row {n}: empty or missing {' and '.join(empty)}; skipped")
                continue
            q, a = str(rec["input"]), str(rec["output"])   # as written: nothing trimmed or re-flowed
            reason = wordfilter.check(q, a, min_words, min_words_mode) if min_words else None
            result.filtered += reason is not None
            status = "filtered" if reason else "kept"
            if reason is None and (spans := _findings(scan, q, a)):
                found[n] = spans
                types = sorted({s["entity_type"] for s in spans})
                status, reason = "flagged", f"{len(spans)} identifier finding(s) in the imported text ({', '.join(types)})"
                result.flagged += 1
            batch.append({"source_id": source_id, "seq": n, "instruction": rec.get("instruction") or None,
                          "question": q, "answer": a, "q_words": count_words(q), "a_words": count_words(a),
                          "status": status, "reason": reason, "created_at": stamp, "updated_at": stamp})
            if len(batch) >= BATCH:
                pages.insert_imported(db, batch, found, source_id)
                result.imported += len(batch)
                batch, found = [], {}
        if batch:
            pages.insert_imported(db, batch, found, source_id)
            result.imported += len(batch)
        if result.imported == 0:
            raise InputError(f"{path}: no usable rows (first problem: "
                             f"{result.row_errors[0] if result.row_errors else 'none found'})")
    result.source_id = source_id
    return result
