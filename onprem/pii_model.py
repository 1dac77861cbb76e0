"""The optional local-model pass over redacted text (`redact --model`, `paraphrase --pii-model`).

A local instruct model is asked, schema-constrained, for what in an already redacted page still
looks identifying. Its answers are never trusted: a string that does not occur in the page is
dropped, one inside a placeholder or an identifier already found is dropped, and the rest become
uncertain findings (score 0.3), decided by a person like every other uncertain finding -- or
redacted under --strict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

import prompts
from onprem.model.base import PromptPair, Request, Sampling
from onprem.model.structured import structured_many

PROMPT_NAME = "pii_check"
SCORE = 0.3
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
# Short greedy answers: a finding is a few words, a page has few of them.
SAMPLING = Sampling(temperature=0.0, max_tokens=256)


class Findings(BaseModel):
    people: list[str] = Field(max_length=10)
    places: list[str] = Field(max_length=10)
    numbers: list[str] = Field(max_length=10)


@dataclass(frozen=True)
class Finding:
    text: str
    kind: str


_AGE = re.compile(r"(?:9\d|1[0-2]\d|ninety.*|a hundred.*)", re.IGNORECASE)


def _kind(field: str, text: str) -> str:
    if field == "people":
        return "PERSON"
    if field == "places":
        return "LOCATION"
    return "AGE_OVER_89" if _AGE.fullmatch(text.strip()) else "ACCOUNT_NUMBER"


def ask(model, texts: list[str]) -> list[list[Finding]]:
    """The model's findings for each text (an empty list where it gave no valid answer)."""
    template = prompts.load(PROMPT_NAME)
    requests = [Request(PromptPair.of(template, page=t), Findings, SAMPLING, seed=0) for t in texts]
    out = []
    for r in structured_many(model, requests, retries=1):
        v = r.value
        out.append([] if v is None else [Finding(t, _kind(f, t)) for f in ("people", "places", "numbers")
                                          for t in getattr(v, f)])
    return out


def locate(text: str, findings: list[Finding], taken: list[tuple[int, int]], recognizer: str) -> list:
    """Where each answer occurs in `text` (whole words, any case), outside placeholders and spans
    already taken: the uncertain spans, in `text`'s offsets."""
    from redaction import Span

    blocked = list(taken) + [m.span() for m in _PLACEHOLDER.finditer(text)]
    out = []
    for f in findings:
        needle = f.text.strip().strip("\"'.,")
        if len(needle) < 2 or _PLACEHOLDER.fullmatch(needle):
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.IGNORECASE):
            if any(m.start() < e and s < m.end() for s, e in blocked):
                continue
            blocked.append(m.span())
            out.append(Span(m.start(), m.end(), f.kind, SCORE, recognizer, m.group()))
    return sorted(out, key=lambda s: s.start)


# The prompt's own words, on top of a chunk (about 100 tokens), rounded up,
# plus room for the answer.
OVERHEAD_TOKENS = 200 + SAMPLING.max_tokens


def second_look(model, text: str, redacted_text: str, spans: list) -> list:
    """Uncertain spans (in `text`'s offsets) for what the model finds in the redacted form of
    `text`, asked chunk by chunk so each fits the model's context; `spans` are the findings
    already made in `text` (sure and uncertain). The model sees only redacted text."""
    from onprem.pipeline.split import split_pages

    budget = max(64, model.n_ctx - OVERHEAD_TOKENS)
    chunks = split_pages(redacted_text, budget, model.count_tokens)
    findings = [f for per_chunk in ask(model, chunks) for f in per_chunk]
    return locate(text, findings, [(s.start, s.end) for s in spans], f"model:{model.name}")


def redact(redactor, text: str, mapping, style: str, strict: bool = False, model=None):
    """`redactor.redact`, with the model's second look joining the uncertain findings, and under
    `strict` every uncertain finding redacted too: the one sequence `redact` and `ingest` share."""
    import dataclasses

    red = redactor.redact(text, mapping, style=style)
    if model is not None:
        more = second_look(model, text, red.text, red.spans + red.uncertain)
        red = dataclasses.replace(red, uncertain=sorted(red.uncertain + more, key=lambda s: s.start))
    if strict and red.uncertain:
        red = redactor.redact(text, mapping, style=style, spans=red.spans + red.uncertain)
    return red
