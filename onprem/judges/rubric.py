"""Rubrics: named criteria on a declared scale (0-2, 1-10, a level 0/1/2, yes/no) with a version,
and the schema a judge model is held to: one field per criterion, each a score on the scale and a
short reason. The grammar holds the model to exactly those criteria and scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, create_model

# Reason words: letters or digits with inner apostrophes/hyphens, then punctuation ("PHQ-9", "turn 3.").
# Keeps a small model from filling the reason with JSON debris such as "},". The grammar bounds the
# count with a repetition, not maxLength (llama.cpp expands maxLength into a huge grammar).
WORD = r"[A-Za-z0-9]+(['-][A-Za-z0-9]+)*[,.!?;:]*"
REASON_WORDS = 16


@dataclass(frozen=True)
class Scale:
    lo: int
    hi: int
    kind: str = "points"                 # points | level | yesno
    labels: tuple[str, ...] = ()         # e.g. ("no", "yes") or ("none", "weak", "strong")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "lo": self.lo, "hi": self.hi, "labels": list(self.labels)}


@dataclass(frozen=True)
class Criterion:
    key: str        # snake_case, becomes a JSON key
    group: str      # e.g. therapist | client | overall; totals are summed per group
    question: str   # what the top of the scale means, in plain words
    anchors: tuple[str, ...] = ()   # the guideline: what each point of the scale means, lowest first


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]
    scale: Scale = Scale(0, 2)
    version: str = "1"
    group_score: str = "sum"     # how a group reads to a person: sum (CTRS's total) | mean (a 1-10 session score)

    def keys(self) -> list[str]:
        return [c.key for c in self.criteria]

    def subset(self, keys: list[str]) -> "Rubric":
        """Only some criteria (a cheaper run, or re-scoring one aspect); stored under its own name."""
        unknown = [k for k in keys if k not in self.keys()]
        if unknown:
            raise ValueError(f"unknown criteria {', '.join(unknown)} (known: {', '.join(self.keys())})")
        chosen = tuple(c for c in self.criteria if c.key in keys)
        if len(chosen) == len(self.criteria):
            return self
        return Rubric(f"{self.name}:{'+'.join(c.key for c in chosen)}", chosen, self.scale, self.version,
                      self.group_score)


class Mark(BaseModel):
    score: int
    reason: str


@lru_cache(maxsize=None)
def mark_schema(scale: Scale) -> type[BaseModel]:
    pattern = f"^{WORD}( {WORD}){{0,{REASON_WORDS - 1}}}$"
    scores = Literal[tuple(range(scale.lo, scale.hi + 1))]  # type: ignore[misc]
    return create_model("ShortMark", score=(scores, ...), reason=(str, Field(min_length=1, pattern=pattern)))


@lru_cache(maxsize=None)
def rubric_schema(rubric: Rubric) -> type[BaseModel]:
    """One field per criterion, in rubric order (the grammar writes them in that order)."""
    fields = {c.key: (mark_schema(rubric.scale), ...) for c in rubric.criteria}
    return create_model(f"Judgment_{rubric.name}", **fields)


def max_tokens_for(rubric: Rubric) -> int:
    """Room for every criterion's key, score and longest reason (about two tokens per word)."""
    return len(rubric.criteria) * (REASON_WORDS * 2 + 16) + 32


@dataclass
class JudgeOutcome:
    marks: dict[str, Mark] = field(default_factory=dict)
    error: str | None = None
    attempts: int = 0
    tokens: int = 0
    seconds: float = 0.0
    raw: str | None = None       # the last output, kept with a failure

    @property
    def ok(self) -> bool:
        return self.error is None

    def totals(self, rubric: Rubric) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in rubric.criteria:
            if c.key in self.marks:
                out[c.group] = out.get(c.group, 0) + self.marks[c.key].score
        return out

    def summary(self, rubric: Rubric) -> str:
        """One line for a progress report: per group its sum or, where the rubric reads a group as
        a mean (a session scored 1-10), its mean and the scores it is made of."""
        if rubric.group_score != "mean":
            return ", ".join(f"{k} {v}" for k, v in self.totals(rubric).items())
        parts = []
        for group in dict.fromkeys(c.group for c in rubric.criteria):
            marks = {c.key: self.marks[c.key].score for c in rubric.criteria if c.group == group and c.key in self.marks}
            if marks:
                mean = sum(marks.values()) / len(marks)
                parts.append(f"{group} {mean:.1f} (" + ", ".join(f"{k} {v}" for k, v in marks.items()) + ")")
        return ", ".join(parts)

    @classmethod
    def of(cls, res) -> "JudgeOutcome":
        """From a Structured result of rubric_schema."""
        out = cls(attempts=res.attempts, tokens=res.completion_tokens, seconds=res.seconds, raw=res.raw)
        if res.value is None:
            out.error = f"{res.error} after {res.attempts} attempts"
            return out
        out.marks = {k: Mark(score=m.score, reason=" ".join(m.reason.split())) for k, m in res.value}
        return out
