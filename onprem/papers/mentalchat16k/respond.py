"""`onprem eval respond`: a model answers benchmark questions, round after round, as the
MentalChat16K evaluation does (5 inference rounds per model). Questions come from a JSONL file
`{"id", "question"}` or a CSV `id,question`; each response is stored with its run, round and seed.
Evaluation data has its own tables and is never released as training data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from onprem.errors import InputError
from onprem.store import Store, benchmark

MAX_TOKENS = 512


@dataclass
class Question:
    key: str
    question: str
    line: int


def read_questions(path: Path) -> tuple[list[Question], list[str]]:
    """Questions and one error line per bad row; a file that cannot be read at all raises InputError."""
    from onprem.fsutil import csv_reader, numbered

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it as UTF-8 text ({e})") from e
    rows: list[tuple[int, dict | None, str | None]] = []
    if path.suffix.lower() == ".csv":
        reader = csv_reader(text)
        if [h.strip() for h in (reader.fieldnames or [])][:2] != ["id", "question"]:
            raise InputError(f"{path}: the header must be id,question")
        rows = [(line, row, None) for line, row in numbered(reader, str(path))]
    else:
        for n, raw in enumerate(text.split("\n"), 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                rows.append((n, obj if isinstance(obj, dict) else None, None if isinstance(obj, dict) else "not an object"))
            except ValueError as e:
                rows.append((n, None, f"not JSON ({e.msg})"))
    out, errors, seen = [], [], set()
    for line, row, why in rows:
        if why is None:
            key, q = str((row or {}).get("id") or "").strip(), str((row or {}).get("question") or "").strip()
            why = "needs an id and a question" if not key or not q else ("repeats id " + key if key in seen else None)
        if why:
            errors.append(f"{path}: line {line}: {why}; fix or remove the row")
            continue
        seen.add(key)
        out.append(Question(key, q, line))
    return out, errors


def save_questions(store: Store, questions: list[Question], source: str) -> dict[str, int]:
    """Question key -> id; a key already stored keeps its id (its text must not have changed)."""
    ids = {}
    with store.atomic():
        for q in questions:
            row = benchmark.question_by_key(store, q.key)
            if row and row[1] != q.question:
                raise InputError(f"{source}: line {q.line}: id {q.key} is already stored with another question; "
                                 f"give it a new id")
            ids[q.key] = row[0] if row else benchmark.add_question(store, q.key, q.question, source)
    return ids


def save_response(store: Store, *, run_id: int, question_id: int, model, round_: int, seed: int, gen) -> str:
    status = "failed" if gen.finish_reason == "overflow" or not gen.text.strip() else "done"
    reason = (gen.error if gen.finish_reason == "overflow" else "empty response") if status == "failed" else (
        "cut off by the length limit" if gen.finish_reason == "length" else None)
    benchmark.add_response(store, {
        "run_id": run_id, "question_id": question_id, "model": model.name, "model_sha256": model.sha256,
        "round": round_, "seed": seed, "response": gen.text.strip(), "status": status, "reason": reason,
        "tokens": gen.completion_tokens, "seconds": round(gen.seconds, 3)})
    return status
