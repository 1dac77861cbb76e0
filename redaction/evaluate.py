"""Precision, recall and F2 per entity type against a truth file.

Truth file (JSON): a list of documents, or {"documents": [...]}. Each
document has "text" (or "file", read by the caller) and either "spans"
([{"start", "end", "entity_type"}], offsets in the text) or "values"
([{"value", "entity_type"}], every occurrence in the text counts).

A truth span is found when a predicted span of the same type overlaps it;
the "ANY" row ignores types (what matters for a leak). F2 weighs recall
twice as much as precision: a missed identifier costs more than a false alarm.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from . import entities as E
from .results import Span

ANY = "ANY"

# Names used by other tools (presidio-evaluator, spaCy) mapped to ours.
ALIASES = {
    "NAME": E.PERSON, "FIRST_NAME": E.PERSON, "LAST_NAME": E.PERSON, "PER": E.PERSON,
    "ADDRESS": E.STREET_ADDRESS, "STREET": E.STREET_ADDRESS,
    "CITY": E.LOCATION, "GPE": E.LOCATION, "LOC": E.LOCATION, "TOWN": E.LOCATION,
    "ZIP": E.ZIP_CODE, "ZIPCODE": E.ZIP_CODE, "POSTCODE": E.ZIP_CODE,
    "DATE": E.DATE_TIME, "DOB": E.DATE_TIME, "BIRTHDAY": E.DATE_TIME,
    "AGE": E.AGE_OVER_89,
    "PHONE": E.PHONE_NUMBER, "FAX": E.PHONE_NUMBER, "PHONE_OR_FAX": E.PHONE_NUMBER,
    "EMAIL": E.EMAIL_ADDRESS, "SSN": E.US_SSN,
    "MRN": E.MEDICAL_RECORD_NUMBER, "MEDICAL_RECORD": E.MEDICAL_RECORD_NUMBER,
    "HEALTH_PLAN": E.HEALTH_PLAN_ID, "MEMBER_ID": E.HEALTH_PLAN_ID,
    "ACCOUNT": E.ACCOUNT_NUMBER, "IBAN_CODE": E.ACCOUNT_NUMBER,
    "LICENSE": E.LICENSE_NUMBER, "LICENCE": E.LICENSE_NUMBER, "US_DRIVER_LICENSE": E.LICENSE_NUMBER,
    "PLATE": E.VEHICLE_PLATE, "VIN": E.VEHICLE_PLATE,
    "DEVICE": E.DEVICE_SERIAL, "SERIAL": E.DEVICE_SERIAL,
    "IP": E.IP_ADDRESS, "DOMAIN_NAME": E.URL,
    "ORGANIZATION": E.FACILITY, "ORG": E.FACILITY, "HOSPITAL": E.FACILITY, "EMPLOYER": E.FACILITY,
    "COMPANY": E.FACILITY,
}


def canonical_type(name: str, aliases: Optional[dict[str, str]] = None) -> str:
    up = name.strip().upper()
    return (aliases or ALIASES).get(up, up)


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


def parse_truth(data, aliases: Optional[dict[str, str]] = None) -> list[TruthDoc]:
    """Truth documents from already-loaded JSON."""
    docs = data.get("documents", []) if isinstance(data, dict) else data
    out = []
    for i, d in enumerate(docs):
        spans = [TruthSpan(int(s["start"]), int(s["end"]), canonical_type(s["entity_type"], aliases)) for s in d.get("spans", [])]
        values = [(v["value"], canonical_type(v["entity_type"], aliases)) for v in d.get("values", [])]
        out.append(TruthDoc(str(d.get("id", d.get("file", i))), d.get("text"), d.get("file"), spans, values))
    return out


def load_truth(path: str | Path, aliases: Optional[dict[str, str]] = None) -> list[TruthDoc]:
    return parse_truth(json.loads(Path(path).read_text(encoding="utf-8")), aliases)


def resolve_values(doc: TruthDoc, text: str) -> list[TruthSpan]:
    """Spans for the document: its own plus every occurrence of its values.
    Values that never occur are recorded in doc.missing_values (and count as missed)."""
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


def score_document(predicted: Iterable[Span], truth: Iterable[TruthSpan], missing: int = 0,
                   aliases: Optional[dict[str, str]] = None) -> dict[str, Counts]:
    """Counts per entity type (and ANY) for one document."""
    pred = [(p.start, p.end, canonical_type(p.entity_type, aliases)) for p in predicted]
    gold = list(truth)
    counts: dict[str, Counts] = {ANY: Counts(fn=missing)}
    for t in gold:
        c = counts.setdefault(t.entity_type, Counts())
        typed = any(pt == t.entity_type and _overlaps(ps, pe, t.start, t.end) for ps, pe, pt in pred)
        c.tp += typed
        c.fn += not typed
        anyhit = any(_overlaps(ps, pe, t.start, t.end) for ps, pe, _ in pred)
        counts[ANY].tp += anyhit
        counts[ANY].fn += not anyhit
    for ps, pe, pt in pred:
        c = counts.setdefault(pt, Counts())
        if not any(t.entity_type == pt and _overlaps(ps, pe, t.start, t.end) for t in gold):
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


def evaluate(docs: list[TruthDoc], analyze: Callable[[str], list[Span]],
             read: Callable[[str], str] = lambda p: Path(p).read_text(encoding="utf-8")) -> dict[str, Counts]:
    """Run ``analyze`` on every document and score it."""
    results = []
    for d in docs:
        text = d.text if d.text is not None else read(d.file or d.id)
        truth = resolve_values(d, text)
        results.append(score_document(analyze(text), truth, missing=len(d.missing_values)))
    return aggregate(results)


def format_table(scores: dict[str, Counts]) -> str:
    lines = [f"{'entity':<24}{'tp':>6}{'fp':>6}{'fn':>6}{'prec':>8}{'recall':>8}{'f2':>8}"]
    for k, c in scores.items():
        lines.append(f"{k:<24}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>8.3f}{c.recall:>8.3f}{c.f(2):>8.3f}")
    return "\n".join(lines)
