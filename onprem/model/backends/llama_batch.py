"""Continuous batching over llama.cpp's low-level API: many sequences per `llama_decode`.

Each sequence (a llama.cpp `seq_id`) holds one request at a time, `parallel` of them at once. Every step puts into
one `llama_batch` the next token of every generating sequence and the prompt tokens of newly
admitted ones (chunked to the batch size), decodes once, and samples each sequence from its own
logits row with its own sampler (see llama_sampler). A finished sequence leaves and a waiting
request takes its slot at the next step, so one long output never holds up the others
(the scheme of llama.cpp's examples/parallel and of llama-server).

Prefix reuse: a slot keeps the tokens its KV cache holds after its request finishes. A new request
starts from the longest prefix it shares with any slot's tokens, its own or (copied through
`llama_memory_seq_cp`) another's, so a prompt's fixed instructions are decoded once, a retry with
a new seed decodes one token of prompt, and a dialogue's next turn decodes only the new turns.
Gemma 3's sliding-window layers keep every position only with `swa_full`, which the context sets.

Everything here runs on one thread in a fixed order: the same requests and slot count give the
same batches, hence the same outputs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import llama_cpp
import numpy as np
from llama_cpp import _internals as internals

from onprem.model.backends.llama_sampler import SequenceSampler

MIN_CHUNK = 64


@dataclass
class Job:
    tokens: list[int]
    sampling: object          # onprem.model.base.Sampling
    seed: int
    grammar: object = None    # a LlamaGrammar, or None


@dataclass
class Result:
    tokens: list[int]
    finish_reason: str        # stop | length | overflow
    prompt_decoded: int = 0   # prompt tokens actually decoded (the rest came from the cache)
    grammar_fallbacks: int = 0
    error: str | None = None


@dataclass
class Slot:
    seq: int
    cand: internals.LlamaTokenDataArray | None      # sampling scratch, lent while it decodes
    cached: list[int] = field(default_factory=list)   # tokens at positions 0.. in this sequence's KV
    job: int | None = None
    feed: list[int] = field(default_factory=list)      # tokens still to decode before sampling
    sampler: SequenceSampler | None = None
    chunks: list[int] = field(default_factory=list)    # prefill chunk sizes still to decode
    out: list[int] = field(default_factory=list)
    decoded: int = 0
    last_used: int = -1


def common_prefix(a: list[int], b: list[int]) -> int:
    n = min(len(a), len(b))
    if n == 0:
        return 0
    diff = np.flatnonzero(np.asarray(a[:n]) != np.asarray(b[:n]))
    return int(diff[0]) if diff.size else n


class BatchDecoder:
    """`parallel` sequences decode at once; there are more sequences than that (`slots`), so the
    prompts of many dialogues' agents stay cached between their turns."""

    def __init__(self, model: internals.LlamaModel, ctx: internals.LlamaContext, slots: int, parallel: int,
                 n_ctx_seq: int, n_batch: int):
        self.model, self.ctx = model, ctx
        self.n_ctx_seq, self.n_batch, self.parallel = n_ctx_seq, n_batch, parallel
        self.n_vocab = model.n_vocab()
        self.scratch = [internals.LlamaTokenDataArray(n_vocab=self.n_vocab) for _ in range(parallel)]
        self.slots = [Slot(seq=i, cand=None) for i in range(slots)]
        self.batch = llama_cpp.llama_batch_init(n_batch + parallel, 0, 1)   # a prefill + every next token
        self.mem = llama_cpp.llama_get_memory(ctx.ctx)
        self._clock = 0
        # Totals since load, recorded in the run (Model.usage) and printed by bench/throughput.py.
        # "generation steps" hold only next tokens, no prompt: their rate is comparable with a raw
        # llama.cpp decode loop of the same width.
        self.stats = dict(steps=0, seconds=0.0, prompt_tokens_decoded=0, prompt_tokens_reused=0, generated=0,
                          generation_steps=0, generation_step_tokens=0, generation_step_seconds=0.0)

    def close(self) -> None:
        if self.batch is not None:
            llama_cpp.llama_batch_free(self.batch)
            self.batch = None

    # -- admission ---------------------------------------------------------------------------
    def _admit(self, slot: Slot, index: int, job: Job) -> None:
        toks = job.tokens
        best, src = 0, None
        for other in self.slots:  # the longest prefix any sequence holds (ties: this slot's own)
            n = common_prefix(other.cached, toks)
            if n > best or (n == best and n > 0 and other is slot):
                best, src = n, other
        # At least MIN_CHUNK prompt tokens are decoded (see prefill_chunks), and at least one, to get logits.
        keep = max(0, min(best, len(toks) - MIN_CHUNK))
        if src is not slot:
            llama_cpp.llama_memory_seq_rm(self.mem, slot.seq, -1, -1)
            if src is not None and keep > 0:
                # Whole-sequence copy, then the cut below: between per-sequence streams llama.cpp
                # copies only whole buffers; in a unified buffer the copy just shares the cells.
                llama_cpp.llama_memory_seq_cp(self.mem, src.seq, slot.seq, -1, -1)
        if not llama_cpp.llama_memory_seq_rm(self.mem, slot.seq, keep, -1):
            llama_cpp.llama_memory_seq_rm(self.mem, slot.seq, -1, -1)  # a cache that cannot cut
            keep = 0
        slot.cached = list(toks[:keep])
        slot.feed = list(toks[keep:])
        slot.chunks = prefill_chunks(len(slot.feed), self.n_batch)
        slot.job, slot.out, slot.decoded = index, [], 0
        busy = {id(s.cand) for s in self.slots if s.job is not None and s is not slot}
        slot.cand = next(c for c in self.scratch if id(c) not in busy)
        slot.sampler = SequenceSampler(self.model, slot.cand, job.sampling, job.seed, job.grammar)
        self.stats["prompt_tokens_reused"] += keep
        self._clock += 1
        slot.last_used = self._clock

    def _free_slot_for(self, toks: list[int]) -> Slot | None:
        if sum(s.job is not None for s in self.slots) >= self.parallel:
            return None
        free = [s for s in self.slots if s.job is None]
        # Prefer the slot already holding most of this prompt, then the one idle longest.
        return max(free, key=lambda s: (common_prefix(s.cached, toks), -s.last_used))

    # -- the loop ----------------------------------------------------------------------------
    def run(self, jobs: list[Job]) -> list[Result]:
        results: list[Result | None] = [None] * len(jobs)
        self._warm_shared_prefix(jobs)
        waiting = list(range(len(jobs)))
        waiting.reverse()  # pop() from the end takes requests in order
        while waiting or any(s.job is not None for s in self.slots):
            while waiting:
                i = waiting[-1]
                job = jobs[i]
                need = len(job.tokens) + job.sampling.max_tokens
                if need > self.n_ctx_seq or not job.tokens:
                    waiting.pop()
                    results[i] = Result([], "overflow", error=(
                        f"prompt of {len(job.tokens)} tokens plus {job.sampling.max_tokens} to generate "
                        f"exceeds the context of {self.n_ctx_seq}"))
                    continue
                slot = self._free_slot_for(job.tokens)
                if slot is None:
                    break
                waiting.pop()
                self._admit(slot, i, job)
            if any(s.job is not None for s in self.slots):
                self._step(jobs, results)
        return results  # type: ignore[return-value]

    def _warm_shared_prefix(self, jobs: list[Job]) -> None:
        """Requests handed over together that open with the same tokens (a prompt's instructions
        and worked example) would otherwise each decode them, being admitted before any has: decode
        the shared part once into one sequence, which the others then copy."""
        if len(jobs) < 2:
            return
        shared = jobs[0].tokens
        n = len(shared)
        for job in jobs[1:]:
            n = common_prefix(shared[:n], job.tokens)
        if n < 2 * MIN_CHUNK:
            return
        prefix = shared[:n]
        if max(common_prefix(s.cached, prefix) for s in self.slots) >= n - MIN_CHUNK:
            return  # already cached
        slot = self._free_slot_for(prefix)
        if slot is None:
            return
        self._admit(slot, -1, Job(prefix, jobs[0].sampling, 0))   # decoded, never sampled from
        while slot.chunks:
            self.batch.n_tokens = 0
            c = slot.chunks.pop(0)
            self._add(slot, slot.feed[:c], False)
            if llama_cpp.llama_decode(self.ctx.ctx, self.batch) != 0:
                raise RuntimeError("llama_decode failed while decoding a shared prefix")
            slot.cached.extend(slot.feed[:c])
            slot.feed = slot.feed[c:]
            self.stats["prompt_tokens_decoded"] += c
        slot.job, slot.sampler = None, None

    def _add(self, slot: Slot, tokens: list[int], logits_last: bool) -> int:
        b = self.batch
        pos0 = len(slot.cached)
        for k, tok in enumerate(tokens):
            j = b.n_tokens
            b.token[j], b.pos[j], b.n_seq_id[j] = tok, pos0 + k, 1
            b.seq_id[j][0] = slot.seq
            b.logits[j] = False
            b.n_tokens += 1
        if logits_last:
            b.logits[b.n_tokens - 1] = True
        return b.n_tokens - 1

    def _step(self, jobs: list[Job], results: list) -> None:
        """One llama_decode: the next token of every generating sequence, then whole prefill
        chunks while they fit; a chunk that does not fit waits for the next step."""
        self.batch.n_tokens = 0
        fed: list[tuple[Slot, int, int]] = []   # slot, tokens fed, batch index of its logits (-1: none)
        for slot in self.slots:
            if slot.job is not None and slot.out:
                fed.append((slot, 1, self._add(slot, slot.feed, True)))
        room = self.n_batch
        for slot in self.slots:
            if slot.job is None or slot.out or slot.chunks[0] > room:
                continue
            c = slot.chunks[0]
            final = len(slot.chunks) == 1
            last = self._add(slot, slot.feed[:c], final)
            fed.append((slot, c, last if final else -1))
            room -= c
        if self.batch.n_tokens == 0:
            raise RuntimeError("batch decoder stalled: no sequence could be fed")
        t0 = time.perf_counter()
        rc = llama_cpp.llama_decode(self.ctx.ctx, self.batch)
        while rc == 1 and self._evict():   # no room in the KV cache: drop the oldest idle prefix
            rc = llama_cpp.llama_decode(self.ctx.ctx, self.batch)
        if rc != 0:
            raise RuntimeError(f"llama_decode failed ({rc}) with {self.batch.n_tokens} tokens in the batch")
        for slot, n, last in fed:
            slot.cached.extend(slot.feed[:n])
            slot.feed = slot.feed[n:]
            if not slot.out:
                slot.chunks.pop(0)
                slot.decoded += n
                self.stats["prompt_tokens_decoded"] += n
            if last < 0:
                continue
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.ctx.ctx, last), shape=(self.n_vocab,))
            token = slot.sampler.sample(logits)
            if slot.sampler.is_end(token):
                self._finish(slot, results, "stop")
                continue
            slot.out.append(token)
            if len(slot.out) >= jobs[slot.job].sampling.max_tokens:
                self._finish(slot, results, "length")
            else:
                slot.feed = [token]
        seconds = time.perf_counter() - t0
        st = self.stats
        st["steps"] += 1
        st["seconds"] += seconds
        sampled = sum(1 for _, _, last in fed if last >= 0)
        st["generated"] += sampled
        if len(fed) == self.batch.n_tokens:   # one row per sequence: no prompt in this step
            st["generation_steps"] += 1
            st["generation_step_tokens"] += sampled
            st["generation_step_seconds"] += seconds

    def _evict(self) -> bool:
        idle = [s for s in self.slots if s.job is None and s.cached]
        if not idle:
            return False
        oldest = min(idle, key=lambda s: s.last_used)
        llama_cpp.llama_memory_seq_rm(self.mem, oldest.seq, -1, -1)
        oldest.cached = []
        return True

    def _finish(self, slot: Slot, results: list, reason: str) -> None:
        results[slot.job] = Result(tokens=slot.out, finish_reason=reason, prompt_decoded=slot.decoded,
                                   grammar_fallbacks=slot.sampler.fallbacks)
        slot.job, slot.sampler, slot.feed, slot.out, slot.chunks = None, None, [], [], []


def prefill_chunks(n: int, n_batch: int) -> list[int]:
    """Sizes in which n prompt tokens are decoded: n_batch at a time, with no chunk under
    MIN_CHUNK (unless the whole prompt is). llama.cpp's CPU kernels give a token the same values in
    any chunk of MIN_CHUNK rows or more, but slightly different ones in each smaller size; keeping
    every chunk that large makes a prompt's cache the same whichever prefix was reused, so an
    output does not depend on what ran before it (at --parallel 1; tests/test_batching.py)."""
    k = max(1, -(-n // n_batch))
    sizes = [n_batch] * (k - 1) + [n - n_batch * (k - 1)]
    if k > 1 and sizes[-1] < MIN_CHUNK:
        d = MIN_CHUNK - sizes[-1]
        sizes[-2] -= d
        sizes[-1] += d
    return sizes
