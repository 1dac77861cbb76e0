"""Client records (CSV or JSONL) -> validated answers and tool-computed scores.

Each row is checked on its own: a bad row is rejected with one message naming the row id, the
column and the allowed values, and the other rows go on.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from onprem.errors import UserError
from onprem.papers.sqpsych.questionnaires.catalog import Catalog
from onprem.papers.sqpsych.questionnaires.instrument import Alert, Score

FIELDS = ("client_id", "age", "gender", "condition")
AGE_RANGE = (12, 120)
_ITEM_COLUMN = re.compile(r"^([a-z][a-z0-9]*)_(\d+)$")


@dataclass
class ClientRecord:
    client_id: str
    age: int
    gender: str
    condition: str
    responses: dict[str, list[int]]               # questionnaire -> one answer per item, in order
    scores: dict[str, Score] = field(default_factory=dict)
    alerts: list[Alert] = field(default_factory=list)
    line: int = 0

    @property
    def sha256(self) -> str:
        """Identity of the record's content: the same record read twice is one profile."""
        body = json.dumps({"client_id": self.client_id, "age": self.age, "gender": self.gender,
                           "condition": self.condition, "responses": self.responses}, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()

    def scores_dict(self) -> dict:
        return {k: v.model_dump() for k, v in sorted(self.scores.items())}


@dataclass
class RowError:
    row: str        # the client id, or "line N" when there is none
    line: int
    problems: list[str]

    def __str__(self) -> str:
        return f"row {self.row} (line {self.line}) rejected: {'; '.join(self.problems)}"


@dataclass
class ReadResult:
    records: list[ClientRecord]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


# The free-text columns of a record: they reach prompts, logs and exports, so they must hold codes
# and plain categories ("C-104", "female", "depression"), never a person's name, place or number.
FREE_TEXT = ("client_id", "gender", "condition")


def _identifying(raw: dict, scan, problems: list[str]) -> set[str]:
    """Columns whose text looks identifying, each named in `problems` without its value."""
    from onprem import free_text

    # an id is a code, numbers included ("C-101"): only what is surely identifying rejects it
    found = free_text.identifying({col: str(raw.get(col) or "") for col in FREE_TEXT}, codes=("client_id",), scan=scan)
    for col, types in found.items():
        problems.append(f"column {col} looks like it holds an identifier ({', '.join(types)}; value not shown); "
                        f"use a code and plain categories, never a name, place, date or number of a person")
    return set(found)


def _check_row(catalog: Catalog, raw: dict, responses: dict[str, dict[int, object]], line: int,
               problems: list[str]) -> ClientRecord | None:
    """Common checks for both formats. `responses` maps questionnaire -> item number -> raw answer."""
    cid = str(raw.get("client_id") or "").strip()
    if not cid:
        problems.append("column client_id is empty (every row needs an id)")
    age = _int(raw.get("age"))
    if age is None or not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        problems.append(f"column age = {raw.get('age')!r} (allowed: a whole number {AGE_RANGE[0]}-{AGE_RANGE[1]})")
    for col in ("gender", "condition"):
        if not str(raw.get(col) or "").strip():
            problems.append(f"column {col} is empty (allowed: any text)")
    answers: dict[str, list[int]] = {}
    for name, given in responses.items():
        if name not in catalog:
            first = min(given) if given else 1
            problems.append(f"column {name}_{first}: unknown questionnaire {name!r} (known: {', '.join(catalog.names())})")
            continue
        q = catalog.get(name)
        values = []
        for item in q.items:
            col = q.column(item.number)
            if item.number not in given or given[item.number] in (None, ""):
                problems.append(f"column {col} is missing (allowed: {q.allowed})")
                continue
            v = _int(given[item.number])
            if v is None or not q.is_valid_answer(v):
                problems.append(f"column {col} = {given[item.number]!r} is out of range (allowed: {q.allowed})")
                continue
            values.append(v)
        extra = sorted(n for n in given if not 1 <= n <= len(q.items))
        for n in extra:
            problems.append(f"column {q.column(n)}: {name} has only items 1-{len(q.items)}")
        answers[name] = values
    if not responses:
        problems.append("no questionnaire answers (give columns such as phq9_1 ... phq9_9)")
    if problems:
        return None
    rec = ClientRecord(client_id=cid, age=age, gender=str(raw["gender"]).strip(),
                       condition=str(raw["condition"]).strip(), responses=answers, line=line)
    for name, values in answers.items():
        q = catalog.get(name)
        rec.scores[name] = q.score(values)
        rec.alerts += q.alerts_raised(values)
    return rec


def _csv_rows(path: Path, text: str, warnings: list[str]):
    from onprem.fsutil import csv_reader, numbered

    reader = csv_reader(text)
    header = reader.fieldnames or []
    missing = [f for f in FIELDS if f not in header]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}; the header needs "
                        f"{', '.join(FIELDS)} and item columns such as phq9_1")
    other = [h for h in header if h not in FIELDS and not _ITEM_COLUMN.match(h or "")]
    if other:
        warnings.append(f"{path}: ignoring column(s) {', '.join(other)}")
    for i, row in numbered(reader, str(path)):
        responses: dict[str, dict[int, object]] = {}
        for col, value in row.items():
            m = _ITEM_COLUMN.match(col or "")
            if m:
                responses.setdefault(m.group(1), {})[int(m.group(2))] = (value or "").strip()
        # A questionnaire none of whose columns is filled in was simply not given to this client.
        responses = {k: v for k, v in responses.items() if any(x != "" for x in v.values())}
        yield i, row, responses, []


def _jsonl_rows(text: str):
    from onprem.fsutil import iter_jsonl

    for i, row in iter_jsonl(text):
        if isinstance(row, str):
            yield i, {}, {}, [row]
            continue
        problems, responses = [], {}
        given = row.get("responses")
        if not isinstance(given, dict):
            problems.append("field responses must be an object such as {\"phq9\": [0, 1, ...]}")
            given = {}
        for name, values in given.items():
            if not isinstance(values, list):
                problems.append(f"field responses.{name} must be a list of answers")
                continue
            responses[str(name)] = {n: v for n, v in enumerate(values, start=1)}
        yield i, row, responses, problems


def read_records(path: Path, catalog: Catalog, scan=None) -> ReadResult:
    """Read a CSV or JSONL file of client records; bad rows are returned as errors, not raised. A row
    whose free text looks identifying (`scan(text) -> [entity types]`) is rejected, and its id is
    not repeated in the error. `scan` defaults to redaction.identifier_types."""
    if scan is None:
        from redaction import identifier_types as scan
    if not path.is_file():
        raise UserError(f"{path}: client records file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8") from e
    if not text.strip():
        raise UserError(f"{path}: file is empty")
    out = ReadResult([], [])
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        rows = _jsonl_rows(text)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path, text, out.warnings)
    else:
        raise UserError(f"{path}: unknown record format {suffix!r}; use .csv or .jsonl")
    seen: set[str] = set()
    for line, raw, responses, problems in rows:
        flagged = _identifying(raw, scan, problems)
        rec = _check_row(catalog, raw, responses, line, problems)
        rid = (str(raw.get("client_id") or "").strip() if "client_id" not in flagged else "") or f"line {line}"
        if rec is not None and rec.client_id in seen:
            problems.append(f"column client_id = {rec.client_id!r} repeats an earlier row (ids must be unique)")
            rec = None
        if rec is None:
            out.errors.append(RowError(rid, line, problems))
        else:
            seen.add(rec.client_id)
            out.records.append(rec)
    return out
