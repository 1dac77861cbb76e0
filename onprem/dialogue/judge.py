"""A rubric judge: a local model scores one dialogue on named criteria, each 0-2 with a reason.

Generic: a generator passes its own `Rubric`; the output schema is built from the rubric, so the
grammar holds the model to exactly those criteria and to scores 0, 1 or 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, create_model

from onprem.model.runtime import Model, Sampling, structured

# Reason words: letters or digits with inner apostrophes/hyphens, then punctuation ("PHQ-9", "turn 3.").
# Keeps a small model from filling the reason with JSON debris such as "},".
_WORD = r"[A-Za-z0-9]+(['-][A-Za-z0-9]+)*[,.!?;:]*"
REASON_WORDS = 16   # a short reason; the grammar bounds it (no maxLength: see roleplay.py)


@dataclass(frozen=True)
class Criterion:
    key: str        # snake_case, becomes a JSON key
    group: str      # therapist | client | overall
    question: str   # what a 2 means, in plain words


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]

    def keys(self) -> list[str]:
        return [c.key for c in self.criteria]

    def subset(self, keys: list[str]) -> "Rubric":
        """Only some criteria (a cheaper run, or re-scoring one aspect); stored under its own name."""
        unknown = [k for k in keys if k not in self.keys()]
        if unknown:
            raise ValueError(f"unknown criteria {', '.join(unknown)} (known: {', '.join(self.keys())})")
        chosen = tuple(c for c in self.criteria if c.key in keys)
        return self if len(chosen) == len(self.criteria) else Rubric(f"{self.name}:{'+'.join(self.keys_of(chosen))}", chosen)

    @staticmethod
    def keys_of(criteria) -> list[str]:
        return [c.key for c in criteria]


class Mark(BaseModel):
    score: Literal[0, 1, 2]
    reason: str


@lru_cache(maxsize=None)
def _mark_schema() -> type[Mark]:
    pattern = f"^{_WORD}( {_WORD}){{0,{REASON_WORDS - 1}}}$"
    return create_model("ShortMark", __base__=Mark, reason=(str, Field(min_length=1, pattern=pattern)))


@lru_cache(maxsize=None)
def rubric_schema(rubric: Rubric) -> type[BaseModel]:
    """One field per criterion, in rubric order (the grammar writes them in that order)."""
    fields = {c.key: (_mark_schema(), ...) for c in rubric.criteria}
    return create_model(f"Judgment_{rubric.name}", **fields)


@dataclass
class JudgeOutcome:
    marks: dict[str, Mark] = field(default_factory=dict)
    error: str | None = None
    attempts: int = 0
    tokens: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def totals(self, rubric: Rubric) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in rubric.criteria:
            if c.key in self.marks:
                out[c.group] = out.get(c.group, 0) + self.marks[c.key].score
        return out


def transcript(turns: list[dict]) -> str:
    """"Therapist: ..." lines from [{"speaker" or "role", "content"}]."""
    return "\n".join(f"{(t.get('speaker') or t.get('role')).capitalize()}: {t['content']}" for t in turns)


def max_tokens_for(rubric: Rubric) -> int:
    """Room for every criterion's key, score and longest reason (about two tokens per word)."""
    return len(rubric.criteria) * (REASON_WORDS * 2 + 16) + 32


def render_fitting(model: Model, rubric: Rubric, prompt, turns: list[dict], profile: str, max_tokens: int) -> str:
    """The judge prompt; when the dialogue is too long for the context, turns from the middle are
    left out (the opening and the close matter most to the rubric) and the gap is marked."""
    completion = model.kind != "instruct"
    budget = model.n_ctx - max_tokens - 16
    head, tail = len(turns), 0
    while True:
        shown = turns[:head] + ([{"speaker": "note", "content": f"[{len(turns) - head - tail} turns left out]"}]
                                if head + tail < len(turns) else []) + (turns[len(turns) - tail:] if tail else [])
        text = prompt.render(rubric=rubric, dialogue=transcript(shown), profile=profile, completion=completion)
        if model.count_tokens(text) <= budget or head <= 2:
            return text
        # Keep the first third and the last third, shrinking both.
        keep = max(2, (head + tail) * 2 // 3)
        head, tail = (keep + 1) // 2, keep // 2


def judge(model: Model, rubric: Rubric, prompt, *, turns: list[dict], profile: str, sampling: Sampling,
          seed: int, retries: int = 2) -> JudgeOutcome:
    """Score one dialogue. `prompt` is a prompts.Prompt taking rubric, dialogue, profile, completion."""
    text = render_fitting(model, rubric, prompt, turns, profile, sampling.max_tokens)
    res = structured(model, rubric_schema(rubric), prompt=text, sampling=sampling, seed=seed, retries=retries)
    out = JudgeOutcome(attempts=res.attempts, tokens=res.completion_tokens, seconds=res.seconds)
    if res.value is None:
        out.error = f"{res.error} after {res.attempts} attempts"
        return out
    out.marks = {k: Mark(score=m.score, reason=" ".join(m.reason.split())) for k, m in res.value}
    return out
