"""Paraphrase pages into question-answer pairs (the MentalChat16K interview pipeline).

Per page: build the prompt from the redacted text -> schema-constrained model call -> rescan the
output for identifiers and check it against the page's originals -> word filter -> store, all of a
page's rows in one transaction. Pages run in source order; a re-run skips pages already done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from pydantic import BaseModel, Field, create_model

import prompts
from onprem.model.base import Model, PromptPair, Request, Sampling
from onprem.model.structured import structured
from onprem.seeds import derive_seed
from onprem.pipeline import wordfilter
from onprem.pipeline.text import count_words
from onprem.store import Store
from onprem.store.db import now

PROMPT_NAME = "paraphrase"
# Room the prompt's own words take, on top of the page (measured on the template, rounded up).
PROMPT_OVERHEAD_TOKENS = 320


class QAPair(BaseModel):
    """One round of conversation: the help-seeker's question and the helper's answer."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)


# A "word" the grammar lets the model write: no quotes, backslashes, spaces or newlines inside.
_GRAMMAR_WORD = r'[^" \\\n]+'


@lru_cache(maxsize=None)
def pair_schema(min_words_each: int) -> type[QAPair]:
    """The schema the model is held to. With a per-field minimum, the grammar itself asks for at
    least that many words, so a small model cannot stop after one sentence. The word filter still
    counts the result independently (a grammar "word" such as "-" is not a word to the filter)."""
    if min_words_each <= 1:
        return QAPair
    pattern = f"^({_GRAMMAR_WORD} ){{{min_words_each - 1},}}{_GRAMMAR_WORD}$"
    field = (str, Field(min_length=1, pattern=pattern))
    return create_model(f"QAPairMin{min_words_each}", __base__=QAPair, question=field, answer=field)


@dataclass(frozen=True)
class Options:
    roles: tuple[str, str] = ("caregiver", "coach")
    min_words: int = 40
    min_words_mode: str = "each"
    page_tokens: int = 700
    seed: int = 42
    retries: int = 2
    force: bool = False
    sampling: Sampling = field(default_factory=Sampling)

    def params(self) -> dict:
        return {"roles": list(self.roles), "min_words": self.min_words,
                "min_words_mode": self.min_words_mode, "page_tokens": self.page_tokens,
                "retries": self.retries, **self.sampling.as_dict()}


@dataclass
class Outcome:
    """What one page produced, before it is stored."""

    status: str                     # kept | filtered | flagged | failed
    reason: str | None
    question: str | None = None
    answer: str | None = None
    findings: list[dict] = field(default_factory=list)
    completion_tokens: int = 0
    seconds: float = 0.0


def page_budget(model: Model, opts: Options) -> int:
    """Tokens of transcript per page: the requested size, shrunk if prompt + page + answer would
    not fit in the model's context."""
    fits = model.n_ctx - PROMPT_OVERHEAD_TOKENS - opts.sampling.max_tokens
    return max(64, min(opts.page_tokens, fits))


def render_prompt(redacted_text: str, opts: Options) -> PromptPair:
    """The page's prompt in both forms; the model's backend picks the one it is sent."""
    seeker, helper = opts.roles
    template = prompts.load(PROMPT_NAME)

    def text(completion: bool) -> str:
        return template.render(seeker=seeker, helper=helper, page=redacted_text, min_words=opts.min_words,
                               completion=completion)
    return PromptPair(completion=text(True), messages=({"role": "user", "content": text(False)},))


def scan_output(redactor, pair: QAPair, originals: list[dict]) -> list[dict]:
    """Identifiers in the generated text: new detections, and originals from the page that leaked."""
    from redaction import leak_check

    by_text = {o["text"]: o for o in originals}
    findings = []
    for field_name in ("question", "answer"):
        text = getattr(pair, field_name)
        for s in redactor.analyze(text):
            findings.append({"field": field_name, "start": s.start, "end": s.end,
                             "entity_type": s.entity_type, "score": s.score,
                             "recognizer": s.recognizer, "text": s.text, "finding": "detected"})
        for leak in leak_check(text, originals=list(by_text)):
            src = by_text.get(leak.original, {})
            findings.append({"field": field_name, "start": leak.start, "end": leak.end,
                             "entity_type": src.get("entity_type", "UNKNOWN"), "score": 1.0,
                             "recognizer": "leak_check", "text": text[leak.start:leak.end],
                             "finding": "leak"})
    return findings


def paraphrase_page(model: Model, redactor, redacted_text: str, originals: list[dict], opts: Options) -> Outcome:
    """One page through the model and the checks. Pure: touches no database."""
    schema = pair_schema(opts.min_words if opts.min_words_mode == "each" else 1)
    request = Request(render_prompt(redacted_text, opts), schema, opts.sampling, derive_seed(opts.seed, redacted_text))
    result = structured(model, request, retries=opts.retries)
    base = dict(completion_tokens=result.completion_tokens, seconds=result.seconds)
    if result.value is None:
        return Outcome(status="failed", reason=f"{result.error} after {result.attempts} attempts", **base)
    pair = QAPair(question=result.value.question.strip(), answer=result.value.answer.strip())
    findings = scan_output(redactor, pair, originals)
    short = wordfilter.check(pair.question, pair.answer, opts.min_words, opts.min_words_mode)
    if short:
        status, reason = "filtered", short
    elif findings:
        kinds = sorted({f["entity_type"] for f in findings})
        leaks = sum(f["finding"] == "leak" for f in findings)
        status = "flagged"
        reason = f"{len(findings)} identifier finding(s) in the output ({', '.join(kinds)}; {leaks} from the page)"
    else:
        status, reason = "kept", None
    return Outcome(status=status, reason=reason, question=pair.question, answer=pair.answer,
                   findings=findings, **base)


def save_outcome(store: Store, page: dict, outcome: Outcome, run_id: int) -> int:
    """All rows of one page in one transaction: earlier pairs of the page (with --force) are
    superseded, never deleted."""
    stamp = now()
    with store.atomic() as db:
        db.execute("update qa_pairs set status = 'superseded', reason = ?, updated_at = ? "
                   "where page_id = ? and status != 'superseded'",
                   [f"redone by run {run_id}", stamp, page["id"]])
        pair_id = db["qa_pairs"].insert({
            "source_id": page["source_id"], "page_id": page["id"], "run_id": run_id, "seq": page["seq"],
            "question": outcome.question, "answer": outcome.answer,
            "q_words": count_words(outcome.question), "a_words": count_words(outcome.answer),
            "status": outcome.status, "reason": outcome.reason, "created_at": stamp, "updated_at": stamp,
        }).last_pk
        db["pii_spans"].insert_all([
            {**f, "source_id": page["source_id"], "page_id": page["id"], "pair_id": pair_id, "decision": "pending"}
            for f in outcome.findings
        ])
        db["pages"].update(page["id"], {"status": "failed" if outcome.status == "failed" else "done",
                                        "error": outcome.reason if outcome.status == "failed" else None})
    return pair_id


def pages_to_do(store: Store, source_ids: Iterable[int], force: bool) -> list[dict]:
    ids = list(source_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    where = "" if force else "and p.status != 'done'"
    return list(store.db.query(
        f"select p.id, p.source_id, p.seq, p.redacted_text from pages p "
        f"where p.source_id in ({marks}) {where} order by p.source_id, p.seq", ids))


def page_originals(store: Store, page_id: int) -> list[dict]:
    return list(store.db.query(
        "select text, entity_type from pii_spans where page_id = ? and field = 'page' and decision != 'rejected'",
        [page_id]))


STATUSES = ("kept", "filtered", "flagged", "failed")


@dataclass
class Tally:
    pages: int = 0
    kept: int = 0
    filtered: int = 0
    flagged: int = 0
    failed: int = 0
    tokens: int = 0
    seconds: float = 0.0

    def add(self, o: Outcome) -> None:
        self.pages += 1
        setattr(self, o.status, getattr(self, o.status) + 1)
        self.tokens += o.completion_tokens
        self.seconds += o.seconds

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    def counts(self) -> dict:
        return {k: getattr(self, k) for k in STATUSES}

    def as_dict(self) -> dict:
        return {**self.__dict__, "tokens_per_second": round(self.tokens_per_second, 1)}


def run_pages(store: Store, model: Model, redactor, pages: list[dict], opts: Options, run_id: int,
              on_page: Callable[[dict, Outcome, Tally], None] | None = None) -> Tally:
    tally = Tally()
    for page in pages:
        outcome = paraphrase_page(model, redactor, page["redacted_text"], page_originals(store, page["id"]), opts)
        save_outcome(store, page, outcome, run_id)
        tally.add(outcome)
        if on_page:
            on_page(page, outcome, tally)
    return tally
