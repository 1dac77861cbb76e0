"""MentalChat16K's synthetic half: counselling QA pairs in two stages, Airoboros-style.

Stage 1: one call writes a batch of client queries, each bound to a topic drawn with the 33 CounselChat
weights (data: generators/data/mentalchat16k_topics.json) through one seeded RNG, each asked to
cover the paper's seven requirements. Stage 2: each query gets its own response call.

Filters are data (generators/data/counselling_filters.json): refusal phrases and stock openers
(regexes), outputs cut off by the length limit, and queries under the requested length (each query,
or the batch's total, as the word filter's each/total). A filtered or failed item is stored with its
status and reason, never dropped. A batch is one case segment: resumable, stored in one transaction.
"""

from __future__ import annotations

import json
import math
import random
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

import prompts
from onprem.errors import UserError
from onprem.fsutil import sha256_file
from onprem.generators import Case, PairGenerator, Prepared
from onprem.generators.pairs import PairResult, PairsResult
from onprem.model.base import PromptPair, Request, Sampling
from onprem.pipeline.text import count_words
from onprem.papers.mentalchat16k.writer import INSTRUCTION
from onprem.seeds import derive_seed, retry_seed

NAME = "counselling-qa"
DATA = Path(__file__).resolve().parent / "data"
TOPICS_FILE = DATA / "mentalchat16k_topics.json"
FILTERS_FILE = DATA / "counselling_filters.json"
_HEADER = re.compile(r"^\s*\**\s*message\s+(\d+)\s*\**\s*[:.)]\s*\**\s*", re.I | re.M)
TOKENS_PER_WORD = 1.6           # room for a query of N words: N * 1.6 tokens (measured ~1.3 on Gemma/SmolLM2)


@lru_cache(maxsize=1)
def topics() -> tuple[list[str], list[float]]:
    rows = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))["topics"]
    return [r["topic"] for r in rows], [r["probability"] for r in rows]


def draw_topics(n: int, seed: int) -> list[str]:
    """n topics, each drawn with the CounselChat probabilities, from one RNG seeded by `seed`."""
    names, weights = topics()
    return random.Random(seed).choices(names, weights=weights, k=n)


@lru_cache(maxsize=1)
def filters() -> dict[str, list[re.Pattern]]:
    spec = json.loads(FILTERS_FILE.read_text(encoding="utf-8"))
    return {k: [re.compile(p, re.I) for p in spec[k]] for k in ("refusals", "openers")}


def filter_reason(text: str) -> str | None:
    """The first refusal or stock-opener rule the text matches, named."""
    rules = filters()
    for p in rules["refusals"]:
        if p.search(text):
            return f"refusal phrase /{p.pattern}/"
    for p in rules["openers"]:
        if p.search(text):
            return f"stock opener /{p.pattern}/"
    return None


def split_messages(text: str) -> dict[int, str]:
    """"Message k:" sections of a batch output, by k (the first header is the prompt's own)."""
    out: dict[int, str] = {}
    marks = list(_HEADER.finditer(text))
    for m, nxt in zip(marks, [*marks[1:], None]):
        body = text[m.end(): nxt.start() if nxt else len(text)].strip()
        k = int(m.group(1))
        if body and k not in out:
            out[k] = " ".join(body.split())
    return out


class Options(BaseModel):
    count: int = Field(10, ge=1, description="How many client queries (and pairs) to generate.")
    batch: int = Field(10, ge=1, le=50, description="Queries written by one call (stage 1).")
    query_words: int = Field(300, ge=1, description="Requested length of each query, in words.")
    length_mode: str = Field("each", pattern="^(each|total)$",
                             description="each: a query under --query-words is filtered; total: the batch's "
                                         "queries must average --query-words (the word filter's each/total).")
    answer_tokens: int = Field(768, ge=16, description="Token limit of a response; one cut off is filtered.")
    temperature: float = 1.0
    retries: int = Field(1, ge=0, le=10, description="Extra draws for a response that a filter rejects.")


class CounsellingQA(PairGenerator):
    name = NAME
    help = "Synthetic counselling QA pairs in two stages with 33 weighted topics (MentalChat16K)."
    roles = ("writer",)
    Options = Options
    case_noun = "batches"
    n_ctx = 4096

    def prompts(self) -> list:
        return [prompts.load("counselling_queries"), prompts.load("counselling_response")]

    def topic_weights(self) -> dict[str, float]:
        names, weights = topics()
        return dict(zip(names, weights))

    def params(self, opts: Options) -> dict:
        return {"generator": NAME, **opts.model_dump(), "topics_sha256": sha256_file(TOPICS_FILE),
                "filters_sha256": sha256_file(FILTERS_FILE)}

    def prepare(self, opts: Options, seed: int) -> Prepared:
        drawn = draw_topics(opts.count, seed)
        cases = []
        for b in range(math.ceil(opts.count / opts.batch)):
            chunk = drawn[b * opts.batch:(b + 1) * opts.batch]
            # Topics are drawn as one prefix-stable sequence, so a larger --count keeps the batches
            # already done; the key names the batch's size, which a different --count may change.
            key = f"{seed}-b{opts.batch}-{b + 1:05d}-n{len(chunk)}"
            cases.append(Case(key=key, title=f"batch {b + 1}", facts={"topics": chunk}, data=chunk))
        return Prepared(cases, stats={"queries": opts.count, "batches": len(cases)})

    def _query_request(self, model, chunk: list[str], opts: Options, seed: int) -> Request:
        template = prompts.load("counselling_queries")
        pair = PromptPair.of(template, topics=chunk, words=opts.query_words)
        want = int(len(chunk) * (opts.query_words * TOKENS_PER_WORD + 16))
        room = model.n_ctx - model.measure(pair) - 8
        if room < 64:
            raise UserError(f"{NAME}: the query prompt does not fit {model.name}'s context ({model.n_ctx} tokens); "
                            f"raise --n-ctx or lower --batch")
        return Request(pair, None, Sampling(temperature=opts.temperature, top_p=1.0, max_tokens=min(want, room),
                                            repeat_penalty=1.1), seed)

    def _response_request(self, model, query: str, opts: Options, seed: int) -> Request:
        template = prompts.load("counselling_response")
        return Request(PromptPair.of(template, query=query), None,
                       Sampling(temperature=0.7, max_tokens=opts.answer_tokens, repeat_penalty=1.1), seed)

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int) -> PairsResult:
        model, chunk = models["writer"], case.data
        gen = model.complete(self._query_request(model, chunk, opts, seed))
        tokens, seconds = gen.completion_tokens, gen.seconds
        text = gen.text if _HEADER.match(gen.text) else "Message 1: " + gen.text
        found = split_messages(text)
        last = max(found) if found else None
        queries: list[tuple[int, str, str | None]] = []       # (k, query, why filtered)
        for k, topic in enumerate(chunk, 1):
            q = found.get(k)
            if q is None:
                queries.append((k, "", "failed: the batch output has no message " + str(k)))
            elif gen.finish_reason == "length" and k == last:
                queries.append((k, q, "query cut off by the length limit"))
            else:
                queries.append((k, q, filter_reason(q)))
        written = [q for _, q, why in queries if q]
        if opts.length_mode == "total" and written:
            mean = sum(count_words(q) for q in written) / len(written)
            short = f"the batch's queries average {mean:.0f} words (minimum {opts.query_words} in total)" \
                if mean < opts.query_words else None
        else:
            short = None
        pairs: list[PairResult] = []
        todo = []
        for k, q, why in queries:
            topic = chunk[k - 1]
            meta = {"topic": topic, "batch": case.key, "message": k}
            if why is None:
                n = count_words(q)
                why = short if opts.length_mode == "total" else (
                    f"query has {n} words (minimum {opts.query_words} each)" if n < opts.query_words else None)
            if why and why.startswith("failed: "):
                pairs.append(PairResult(q, None, "failed", why[8:], {**meta, "stage": "query"}))
            elif why:
                pairs.append(PairResult(q, None, "filtered", why, {**meta, "stage": "query"}))
            else:
                pairs.append(PairResult(q, None, "pending", None, meta))
                todo.append(len(pairs) - 1)
        # Stage 2: each accepted query gets its own response; the queries of a batch decode together.
        attempt_of = {i: 0 for i in todo}
        while todo:
            reqs = [self._response_request(model, pairs[i].question, opts,
                                           retry_seed(derive_seed(seed, "response", pairs[i].meta["message"]),
                                                      attempt_of[i])) for i in todo]
            gens = model.complete_many(reqs)
            again = []
            for i, g in zip(todo, gens):
                tokens, seconds = tokens + g.completion_tokens, seconds + g.seconds
                answer = g.text.strip()
                p = pairs[i]
                p.meta = {**p.meta, "stage": "response", "attempts": attempt_of[i] + 1}
                if g.finish_reason == "overflow":
                    p.answer, p.status, p.reason = None, "failed", f"response prompt does not fit: {g.error}"
                    continue
                why = "response cut off by the length limit" if g.finish_reason == "length" else (
                    "empty response" if not answer else filter_reason(answer))
                if why and attempt_of[i] < opts.retries and g.finish_reason != "length":
                    attempt_of[i] += 1
                    again.append(i)
                    continue
                p.answer, p.status, p.reason = answer, ("filtered" if why else "kept"), why
            todo = again
        return PairsResult(pairs, tokens=tokens, seconds=seconds, instruction=INSTRUCTION)
