"""Paraphrase pages into question-answer pairs (the MentalChat16K interview pipeline).

Per page: build the prompt from the redacted text -> schema-constrained model call -> rescan the
output for identifiers and check it against the page's originals -> word filter -> store, all of a
page's rows in one transaction. Pages run in source order; a re-run skips pages already done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from pydantic import BaseModel, Field

import prompts
from onprem import config
from onprem.model.base import Model, PromptPair, Request, Sampling
from onprem.model.structured import structured
from onprem.seeds import derive_seed
from onprem.pipeline import wordfilter
from onprem.pipeline.text import count_words
from onprem.store import Store
from onprem.tally import Tally
from onprem.vocab import PAGE_OUTCOMES
from onprem.settings import DEFAULT_SEED

PROMPT_NAME = "paraphrase"
# Room the prompt's own words take, on top of the page: the v2 template with its worked example is
# 530 tokens on Gemma 3's tokenizer and 576 in SmolLM2's chat form (measured), rounded up.
PROMPT_OVERHEAD_TOKENS = 620

_ONE_LINE = r'^[^"\\\n\r\t]+$'


class QAPair(BaseModel):
    """One round of conversation: the help-seeker's question and the helper's answer."""

    # One line of plain text each: no control characters (JSON would need them escaped, and a small
    # model that starts a new line inside a string rarely finds its way back). No length: see draft_page.
    question: str = Field(min_length=1, pattern=_ONE_LINE)
    answer: str = Field(min_length=1, pattern=_ONE_LINE)


@dataclass(frozen=True)
class Options:
    roles: tuple[str, str] = ("caregiver", "coach")
    min_words: int = 40
    min_words_mode: str = "each"
    page_tokens: int = 700
    seed: int = DEFAULT_SEED
    retries: int = 2
    force: bool = False
    min_grounding: float = config.DEFAULT_MIN_GROUNDING
    sampling: Sampling = field(default_factory=Sampling)
    allowed: tuple[str, ...] = ()     # the project's allow-list: never a finding in an output

    def params(self) -> dict:
        return {"roles": list(self.roles), "min_words": self.min_words,
                "min_words_mode": self.min_words_mode, "page_tokens": self.page_tokens,
                "retries": self.retries, "min_grounding": self.min_grounding, **self.sampling.as_dict()}


@dataclass
class Outcome:
    """What one page produced, before it is stored."""

    status: str                     # kept | filtered | flagged | failed
    reason: str | None
    question: str | None = None
    answer: str | None = None
    findings: list[dict] = field(default_factory=list)
    grounding: float | None = None    # share of the pair's content words found on its page
    completion_tokens: int = 0
    seconds: float = 0.0


def page_budget(model: Model, opts: Options) -> int:
    """Tokens of transcript per page: the requested size, shrunk if prompt + page + answer would
    not fit in the model's context."""
    fits = model.n_ctx - PROMPT_OVERHEAD_TOKENS - opts.sampling.max_tokens
    return max(64, min(opts.page_tokens, fits))


@lru_cache(maxsize=8)
def instructions_of(opts: Options) -> str:
    """The prompt without its page, in both forms: the instructions and the worked example, which
    no pair may copy."""
    pair = render_prompt("", opts)
    return pair.completion + "\n" + "\n".join(m["content"] for m in pair.chat())


def render_prompt(redacted_text: str, opts: Options) -> PromptPair:
    """The page's prompt in both forms; the model's backend picks the one it is sent."""
    seeker, helper = opts.roles
    template = prompts.load(PROMPT_NAME)
    return PromptPair.of(template, seeker=seeker, helper=helper, page=redacted_text, min_words=opts.min_words)


def scan_output(redactor, pair: QAPair, originals: list[dict], allowed=()) -> list[dict]:
    """Identifiers in the generated text: new detections (less the project's allow-list), and
    originals from the page that leaked (always: a leak is the page's own identifier)."""
    from redaction import leak_check
    from redaction.redactor import drop_allowed

    by_text = {o["text"]: o for o in originals}
    findings = []
    for field_name in ("question", "answer"):
        text = getattr(pair, field_name)
        for s in drop_allowed(text, redactor.analyze(text), allowed):
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


@dataclass
class Draft:
    """What the model wrote for one page, before the checks: the pair, or why there is none."""

    value: QAPair | None
    error: str | None
    copied: str | None               # words of the instructions the pair copies, after every try
    completion_tokens: int = 0
    seconds: float = 0.0


def draft_page(model: Model, redacted_text: str, opts: Options) -> Draft:
    """The model's pair for one page. A pair that copies 5+ words of the instructions or the worked
    example (and not of its page) is drawn again with a new seed, up to --retries times."""
    from onprem.textcheck import copied_run

    # The schema fixes the shape only. The 40-word rule is MentalChat16K's filter, applied after: a
    # grammar that demanded 40 words would make a small model pad a page that has nothing to say.
    request = Request(render_prompt(redacted_text, opts), QAPair, opts.sampling, derive_seed(opts.seed, redacted_text))
    told = instructions_of(opts)
    tokens, seconds, copied, result = 0, 0.0, None, None
    for attempt in range(opts.retries + 1):
        seed = request.seed if attempt == 0 else derive_seed(request.seed, "copy", attempt)
        result = structured(model, request.with_seed(seed), retries=opts.retries)
        tokens, seconds = tokens + result.completion_tokens, seconds + result.seconds
        if result.value is None:
            break
        copied = copied_run(f"{result.value.question}\n{result.value.answer}", told, redacted_text)
        if copied is None:
            break
    error = None if result.value is not None else f"{result.error} after {result.attempts} attempts"
    return Draft(result.value, error, copied, tokens, seconds)


def check_page(redactor, draft: Draft, redacted_text: str, originals: list[dict], opts: Options) -> Outcome:
    """A draft through the checks: identifiers in the output, the word filter, grounding."""
    from onprem.textcheck import grounding

    base = dict(completion_tokens=draft.completion_tokens, seconds=draft.seconds)
    if draft.value is None:
        return Outcome(status="failed", reason=draft.error, **base)
    pair = QAPair(question=draft.value.question.strip(), answer=draft.value.answer.strip())
    grounded = round(grounding(f"{pair.question}\n{pair.answer}", redacted_text), 3)
    findings = scan_output(redactor, pair, originals, opts.allowed)
    short = wordfilter.check(pair.question, pair.answer, opts.min_words, opts.min_words_mode)
    if draft.copied:
        status, reason = "filtered", f"copies the prompt's instructions (\"{draft.copied}\") in {opts.retries + 1} tries"
    elif short:
        status, reason = "filtered", short
    elif findings:
        kinds = sorted({f["entity_type"] for f in findings})
        leaks = sum(f["finding"] == "leak" for f in findings)
        status = "flagged"
        reason = f"{len(findings)} identifier finding(s) in the output ({', '.join(kinds)}; {leaks} from the page)"
    elif grounded < opts.min_grounding:
        status = "flagged"
        reason = f"ungrounded: {grounded:.2f} of its content words are on the page (--min-grounding {opts.min_grounding})"
    else:
        status, reason = "kept", None
    return Outcome(status=status, reason=reason, question=pair.question, answer=pair.answer,
                   findings=findings, grounding=grounded, **base)


def paraphrase_page(model: Model, redactor, redacted_text: str, originals: list[dict], opts: Options) -> Outcome:
    """One page through the model and the checks. Pure: touches no database."""
    return check_page(redactor, draft_page(model, redacted_text, opts), redacted_text, originals, opts)


def save_outcome(store: Store, page: dict, outcome: Outcome, run_id: int) -> int:
    """All rows of one page in one transaction (onprem.store.pages)."""
    from onprem.store.pages import save_page_pair

    pair = {"question": outcome.question, "answer": outcome.answer, "q_words": count_words(outcome.question),
            "a_words": count_words(outcome.answer), "grounding": outcome.grounding, "status": outcome.status,
            "reason": outcome.reason}
    return save_page_pair(store, page, run_id, pair, outcome.findings, outcome.status == "failed", outcome.reason)


STATUSES = PAGE_OUTCOMES


def new_tally() -> Tally:
    return Tally("pages", *STATUSES, shown=STATUSES)


def run_pages(store: Store, model: Model, redactor, pages: list[dict], opts: Options, run_id: int,
              on_page: Callable[[dict, Outcome, Tally], None] | None = None, tally: Tally | None = None,
              workers=None) -> Tally:
    """Pages go to the model side by side (model.parallel of them decoding at once, see
    onprem.model.rounds); each draft is checked (in `workers` when given, see
    onprem.pipeline.workers) and its rows committed in page order, so an interrupted run keeps every
    page before the first unfinished one. `tally` (when given) counts as it goes, so an interrupted
    run still records what it did."""
    from collections import deque

    from onprem.model.rounds import in_rounds, tasks_for
    from onprem.pipeline.workers import Workers
    from onprem.store.pages import page_originals

    tally = tally if tally is not None else new_tally()
    checks = workers or Workers(1, redactor)
    drafts = in_rounds(pages, lambda page, m: draft_page(m["model"], page["redacted_text"], opts),
                       {"model": model}, tasks_for(model))
    pending: deque = deque()

    def save_head() -> None:
        page, future = pending.popleft()
        outcome = future.result()
        save_outcome(store, page, outcome, run_id)
        tally.add("pages", outcome.status, tokens=outcome.completion_tokens, seconds=outcome.seconds)
        if on_page:
            on_page(page, outcome, tally)

    for page, draft in drafts:
        pending.append((page, checks.submit(check_page, draft, page["redacted_text"],
                                             page_originals(store, page["id"]), opts)))
        while pending and (pending[0][1].done() or len(pending) > checks.ahead):
            save_head()
    while pending:
        save_head()
    return tally
