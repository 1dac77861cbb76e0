"""Precision, recall and F2 per entity type against a truth file.

Truth file (JSON): a list of documents, or {"documents": [...]}. Each
document has "text" (or "file", read by the caller) and "spans"
([{"start", "end", "entity_type"}], offsets in the text) and/or "values"
([{"value", "entity_type"}], every occurrence in the text counts).

Entity-type names of other tools are mapped to ours through the table in
``entity_aliases.json`` (data, not code); a type that maps to null is not a
Safe Harbor identifier and is left out; a type that is neither ours nor in
the table is an error naming the document, never silently dropped.

A truth span is found when a predicted span of the same type overlaps it;
the "ANY" row ignores types (what matters for a leak). F2 weighs recall
twice as much as precision: a missed identifier costs more than a false alarm.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional

from . import entities as E
from .results import Span

ANY = "ANY"
ALIASES_FILE = Path(__file__).with_name("entity_aliases.json")
IGNORE = None  # alias target meaning "not an identifier we score"


class TruthError(ValueError):
    """The truth file is malformed; the message names the document and the field."""


@functools.lru_cache(maxsize=1)
def _packaged_aliases() -> dict[str, Optional[str]]:
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    table = {k.upper(): v for k, v in data["aliases"].items()}
    bad = {k: v for k, v in table.items() if v is not None and v not in E.ENTITY_TYPES}
    if bad:  # a broken table is a bug in this package, not a user error
        raise RuntimeError(f"{ALIASES_FILE}: aliases point at unknown types: {bad}")
    return table


def load_aliases(extra: Optional[Mapping[str, Optional[str]]] = None) -> dict[str, Optional[str]]:
    """The packaged table, with ``extra`` entries (NAME -> our type, or None to ignore) on top."""
    table = dict(_packaged_aliases())
    for k, v in (extra or {}).items():
        if v is not None and v not in E.ENTITY_TYPES:
            raise TruthError(f"alias {k}={v}: {v} is not one of our entity types ({', '.join(E.ENTITY_TYPES)}) or 'ignore'")
        table[k.strip().upper()] = v
    return table


@functools.lru_cache(maxsize=1)
def part_types() -> dict[str, frozenset[str]]:
    """Whole type -> types that may lie inside it without being false positives
    (a truth set's one-span postal address holds a town and a ZIP)."""
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.get("parts", {}).items()}


# Kept for callers that want the table as a plain dict.
ALIASES = _packaged_aliases()


def canonical_type(name: str, aliases: Optional[Mapping[str, Optional[str]]] = None) -> Optional[str]:
    """Our name for ``name``; None when the table says it is not scored.
    Raises KeyError for a type that is neither ours nor in the table."""
    up = str(name).strip().upper()
    if up in E.ENTITY_TYPES:
        return up
    table = _packaged_aliases() if aliases is None else aliases
    if up in table:
        return table[up]
    raise KeyError(up)


@dataclass(frozen=True)
class TruthSpan:
    start: int
    end: int
    entity_type: str


@dataclass
class TruthDoc:
    id: str
    text: Optional[str]
    file: Optional[str]
    spans: list[TruthSpan] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (value, entity_type)
    missing_values: list[tuple[str, str]] = field(default_factory=list)
    ignored: int = 0  # truth entries of types we do not score


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f(self, beta: float = 2.0) -> float:
        return f_beta(self.precision, self.recall, beta)

    def as_dict(self) -> dict:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f2": round(self.f(2.0), 4),
        }


def f_beta(precision: float, recall: float, beta: float = 2.0) -> float:
    b2 = beta * beta
    denom = b2 * precision + recall
    return (1 + b2) * precision * recall / denom if denom else 0.0


def _where(i: int, d) -> str:
    name = d.get("id", d.get("file")) if isinstance(d, dict) else None
    return f"document {i + 1}" + (f" ({name})" if name is not None else "")


def _etype(raw, where: str, aliases) -> Optional[str]:
    if not isinstance(raw, str) or not raw.strip():
        raise TruthError(f"{where}: entity_type must be a non-empty string, got {raw!r}")
    try:
        return canonical_type(raw, aliases)
    except KeyError:
        raise TruthError(
            f"{where}: entity type {raw!r} is neither one of ours nor in the alias table; "
            f"map it with --alias {raw.strip().upper()}=TYPE (or =ignore)"
        ) from None


def parse_truth(data, aliases: Optional[Mapping[str, Optional[str]]] = None) -> list[TruthDoc]:
    """Truth documents from already-loaded JSON; raises TruthError naming the bad entry."""
    docs = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(docs, list):
        raise TruthError('truth must be a list of documents or {"documents": [...]}')
    out = []
    for i, d in enumerate(docs):
        where = _where(i, d)
        if not isinstance(d, dict):
            raise TruthError(f"{where}: must be an object with text or file, and spans or values")
        text, fname = d.get("text"), d.get("file")
        if text is None and fname is None:
            raise TruthError(f"{where}: has neither 'text' nor 'file'")
        if text is not None and not isinstance(text, str):
            raise TruthError(f"{where}: 'text' must be a string")
        if "spans" not in d and "values" not in d:
            raise TruthError(f"{where}: has neither 'spans' nor 'values' (use an empty list for a text with no identifiers)")
        doc = TruthDoc(str(d.get("id", fname if fname is not None else i)), text, fname)
        for j, s in enumerate(d.get("spans") or []):
            w = f"{where} span {j + 1}"
            try:
                start, end = int(s["start"]), int(s["end"])
            except (KeyError, TypeError, ValueError):
                raise TruthError(f"{w}: needs integer 'start' and 'end'") from None
            if not 0 <= start < end:
                raise TruthError(f"{w}: start {start} / end {end} do not make a non-empty span")
            etype = _etype(s.get("entity_type"), w, aliases)
            if etype is None:
                doc.ignored += 1
            else:
                doc.spans.append(TruthSpan(start, end, etype))
        for j, v in enumerate(d.get("values") or []):
            w = f"{where} value {j + 1}"
            if not isinstance(v, dict) or not isinstance(v.get("value"), str) or not v["value"].strip():
                raise TruthError(f"{w}: needs a non-empty string 'value'")
            etype = _etype(v.get("entity_type"), w, aliases)
            if etype is None:
                doc.ignored += 1
            else:
                doc.values.append((v["value"], etype))
        out.append(doc)
    return out


def load_truth(path: str | Path, aliases: Optional[Mapping[str, Optional[str]]] = None) -> list[TruthDoc]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise TruthError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from e
    try:
        return parse_truth(data, aliases)
    except TruthError as e:
        raise TruthError(f"{path}: {e}") from None


def resolve_values(doc: TruthDoc, text: str) -> list[TruthSpan]:
    """Spans for the document: its own plus every occurrence of its values.
    Values that never occur are recorded in doc.missing_values (and count as missed)."""
    for s in doc.spans:
        if s.end > len(text):
            raise TruthError(f"document {doc.id}: span {s.start}-{s.end} runs past the end of the text "
                             f"({len(text)} characters); are the offsets for this text?")
    spans = list(doc.spans)
    doc.missing_values = []
    for value, etype in doc.values:
        found = False
        for m in re.finditer(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE):
            spans.append(TruthSpan(m.start(), m.end(), etype))
            found = True
        if not found:
            doc.missing_values.append((value, etype))
    return spans


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_document(predicted: Iterable[Span], truth: Iterable[TruthSpan], missing: Iterable[str] | int = (),
                   aliases: Optional[Mapping[str, Optional[str]]] = None) -> dict[str, Counts]:
    """Counts per entity type (and ANY) for one document. ``missing`` lists the types of truth
    values that never occur in the text (each counts as missed); an int counts for ANY only."""
    pred = [(p.start, p.end, p.entity_type) for p in predicted]
    gold = list(truth)
    counts: dict[str, Counts] = {ANY: Counts()}
    if isinstance(missing, int):
        counts[ANY].fn += missing
    else:
        for etype in missing:
            counts.setdefault(etype, Counts()).fn += 1
            counts[ANY].fn += 1
    for t in gold:
        c = counts.setdefault(t.entity_type, Counts())
        typed = any(pt == t.entity_type and _overlaps(ps, pe, t.start, t.end) for ps, pe, pt in pred)
        c.tp += typed
        c.fn += not typed
        anyhit = any(_overlaps(ps, pe, t.start, t.end) for ps, pe, _ in pred)
        counts[ANY].tp += anyhit
        counts[ANY].fn += not anyhit
    parts = part_types()
    for ps, pe, pt in pred:
        c = counts.setdefault(pt, Counts())
        inside_whole = any(pt in parts.get(t.entity_type, ()) and t.start <= ps and pe <= t.end for t in gold)
        if not inside_whole and not any(t.entity_type == pt and _overlaps(ps, pe, t.start, t.end) for t in gold):
            c.fp += 1
        if not any(_overlaps(ps, pe, t.start, t.end) for t in gold):
            counts[ANY].fp += 1
    return counts


def aggregate(per_doc: Iterable[dict[str, Counts]]) -> dict[str, Counts]:
    total: dict[str, Counts] = {}
    for counts in per_doc:
        for k, c in counts.items():
            t = total.setdefault(k, Counts())
            t.tp += c.tp
            t.fp += c.fp
            t.fn += c.fn
    return dict(sorted(total.items(), key=lambda kv: (kv[0] == ANY, kv[0])))


@dataclass
class Miss:
    """One truth span no prediction of its type overlapped (for the error listing)."""

    doc: str
    entity_type: str
    start: int
    end: int
    text: str


def misses(doc_id: str, text: str, predicted: Iterable[Span], truth: Iterable[TruthSpan]) -> list[Miss]:
    pred = list(predicted)
    return [
        Miss(doc_id, t.entity_type, t.start, t.end, text[t.start:t.end])
        for t in truth
        if not any(p.entity_type == t.entity_type and _overlaps(p.start, p.end, t.start, t.end) for p in pred)
    ]


def evaluate(docs: list[TruthDoc], analyze: Callable[[str], list[Span]],
             read: Callable[[str], str] = lambda p: Path(p).read_text(encoding="utf-8"),
             missed: Optional[list[Miss]] = None) -> dict[str, Counts]:
    """Run ``analyze`` on every document and score it. Pass a list as ``missed`` to collect
    every truth span that was not found."""
    results = []
    for d in docs:
        text = d.text if d.text is not None else read(d.file or d.id)
        truth = resolve_values(d, text)
        predicted = analyze(text)
        results.append(score_document(predicted, truth, missing=[t for _, t in d.missing_values]))
        if missed is not None:
            missed.extend(misses(d.id, text, predicted, truth))
            missed.extend(Miss(d.id, t, -1, -1, v) for v, t in d.missing_values)
    return aggregate(results)


def format_table(scores: dict[str, Counts]) -> str:
    lines = [f"{'entity':<24}{'tp':>6}{'fp':>6}{'fn':>6}{'prec':>8}{'recall':>8}{'f2':>8}"]
    for k, c in scores.items():
        lines.append(f"{k:<24}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>8.3f}{c.recall:>8.3f}{c.f(2):>8.3f}")
    return "\n".join(lines)
