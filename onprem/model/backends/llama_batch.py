"""Continuous batching over llama.cpp's low-level API: many sequences per `llama_decode`.

Requests are submitted and the decoder advances one `llama_decode` at a time (`step`): every step
holds the next token of every generating sequence and the prompt tokens of newly admitted ones
(chunked to the batch size); each sequence is sampled from its own logits row with its own sampler
(see llama_sampler). A finished request leaves its lane and a waiting one takes it at the next step,
and the caller may submit new requests between steps, so one long output never holds up the others
(the scheme of llama.cpp's examples/parallel and of llama-server).

KV layout: one KV stream per sequence (`kv_unified` off), so a sequence's attention walks only its
own cells and never another sequence's. Sequences 0..parallel-1 are
the decoding lanes; llama.cpp decodes a multi-stream batch as one micro-batch only over consecutive
sequence ids, so the lanes are those ids and the batch lists them in order. The other sequences
store idle caches.

Prefix reuse: every sequence keeps the tokens its KV stream holds. A new request starts from the
longest prefix any sequence holds (a whole-stream copy, `llama_memory_seq_cp`, then a cut), so a
prompt's fixed instructions are decoded once, a retry with a new seed decodes MIN_CHUNK tokens of
prompt, and a dialogue's next turn decodes only the new turns. A lane's cache that would be
overwritten is first parked in the store idle longest. Gemma 3's sliding-window layers keep every
position only with `swa_full`, which the context sets.

Everything here runs on one thread in a fixed order: the same submissions in the same order give
the same batches, hence the same outputs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import llama_cpp
import numpy as np
from llama_cpp import _internals as internals

from onprem.model.backends.grammar_mask import VocabTree
from onprem.model.backends.llama_sampler import SequenceSampler

MIN_CHUNK = 64
# llama.cpp's repacked CPU matmul kernels (ggml-cpu/repack.cpp) compute a batch's rows four at a
# time and the last n % 4 rows one at a time, and the two paths round differently (logits up to
# ~1 apart here). So at --parallel 1 prompt chunks start at multiples of ROW_GROUP positions, a
# cache is reused only up to one, and generated tokens (one row per step) are never reused: a
# token's values are then the same whichever prefix was cached, and an output does not depend on
# what ran before it (tests/test_batching.py).
ROW_GROUP = 4


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
    seconds: float = 0.0      # its share of the decoding steps it was in
    error: str | None = None


@dataclass
class Slot:
    seq: int
    cand: internals.LlamaTokenDataArray | None      # sampling scratch, lent while it decodes
    cached: list[int] = field(default_factory=list)   # tokens at positions 0.. in this sequence's KV
    ticket: int | None = None                          # the request it is decoding
    max_tokens: int = 0
    feed: list[int] = field(default_factory=list)      # tokens still to decode before sampling
    sampler: SequenceSampler | None = None
    chunks: list[int] = field(default_factory=list)    # prefill chunk sizes still to decode
    out: list[int] = field(default_factory=list)
    fed_out: int = 0                                   # generated tokens decoded into the cache
    decoded: int = 0
    seconds: float = 0.0
    last_used: int = -1

    @property
    def busy(self) -> bool:
        return self.ticket is not None


def common_prefix(a: list[int], b: list[int]) -> int:
    n = min(len(a), len(b))
    if n == 0:
        return 0
    diff = np.flatnonzero(np.asarray(a[:n]) != np.asarray(b[:n]))
    return int(diff[0]) if diff.size else n


class BatchDecoder:
    """`parallel` lanes decode at once; the sequences beyond them (`slots` in all) keep idle
    caches, so the prompts of many dialogues' agents stay cached between their turns. With one
    lane every sequence may decode (a single sequence is always one micro-batch)."""

    def __init__(self, model: internals.LlamaModel, ctx: internals.LlamaContext, slots: int, parallel: int,
                 n_ctx_seq: int, n_batch: int):
        self.model, self.ctx = model, ctx
        self.n_ctx_seq, self.n_batch, self.parallel = n_ctx_seq, n_batch, parallel
        self.n_vocab = model.n_vocab()
        self.scratch = [internals.LlamaTokenDataArray(n_vocab=self.n_vocab) for _ in range(parallel)]
        self.slots = [Slot(seq=i, cand=None) for i in range(slots)]
        self.lanes = self.slots if parallel == 1 else self.slots[:parallel]
        self.stores = [s for s in self.slots if s not in self.lanes]
        self.batch = llama_cpp.llama_batch_init(n_batch + parallel, 0, 1)   # a prefill + every next token
        self.mem = llama_cpp.llama_get_memory(ctx.ctx)
        self.waiting: list[tuple[int, Job]] = []
        self._tree: VocabTree | None = None   # built at the first request with a grammar
        self._tickets = 0
        self._clock = 0
        # Totals since load, recorded in the run (Model.usage) and printed by bench/throughput.py.
        # "generation steps" hold only next tokens, no prompt: their rate is comparable with a raw
        # llama.cpp decode loop of the same width.
        self.stats = dict(steps=0, seconds=0.0, prompt_tokens_decoded=0, prompt_tokens_reused=0, generated=0,
                          generation_steps=0, generation_step_tokens=0, generation_step_seconds=0.0,
                          generation_by_width={}, cache_copies=0, requests=0,
                          grammar_fallbacks=0)

    def close(self) -> None:
        if self.batch is not None:
            llama_cpp.llama_batch_free(self.batch)
            self.batch = None

    # -- the interface ---------------------------------------------------------------------------
    def submit(self, job: Job) -> int:
        """Queue a request; its result comes out of a later `step` under the returned ticket."""
        self._tickets += 1
        self.waiting.append((self._tickets, job))
        return self._tickets

    def busy(self) -> bool:
        return bool(self.waiting) or any(s.busy for s in self.lanes)

    def step(self) -> list[tuple[int, Result]]:
        """Admit waiting requests to free lanes (in submission order), decode once, and return the
        requests that finished, in lane order."""
        done: list[tuple[int, Result]] = []
        if self.waiting and any(not s.busy for s in self.lanes):
            self._warm_shared_prefix([job for _, job in self.waiting])
        while self.waiting:
            ticket, job = self.waiting[0]
            if len(job.tokens) + job.sampling.max_tokens > self.n_ctx_seq or not job.tokens:
                self.waiting.pop(0)
                done.append((ticket, Result([], "overflow", error=(
                    f"prompt of {len(job.tokens)} tokens plus {job.sampling.max_tokens} to generate "
                    f"exceeds the context of {self.n_ctx_seq}"))))
                continue
            lane = self._free_lane_for(job.tokens)
            if lane is None:
                break
            self.waiting.pop(0)
            self._admit(lane, ticket, job)
        if any(s.busy for s in self.lanes):
            done += self._decode_step()
        return done

    def cancel(self) -> None:
        """Drop every waiting and running request (an interrupted run); the caches stay valid."""
        self.waiting.clear()
        for s in self.lanes:
            if s.busy:
                self._release(s)

    # -- admission -------------------------------------------------------------------------------
    def _free_lane_for(self, toks: list[int]) -> Slot | None:
        free = [s for s in self.lanes if not s.busy]
        if not free or len(free) <= len(self.lanes) - self.parallel:
            return None
        # A free lane holding the longest prefix any sequence holds decodes least and copies nothing.
        best = max(common_prefix(s.cached, toks) for s in self.slots)
        own = [s for s in free if best >= MIN_CHUNK and common_prefix(s.cached, toks) == best]
        if own:
            return own[0]
        if self.parallel == 1:
            return min(free, key=lambda s: s.last_used)   # every sequence is a lane: the one idle longest
        # The lowest free lane keeps the generating lanes consecutive (its cache is parked first; a
        # stream copy costs ~10 ms here, a gap one more pass over the weights at every step).
        return free[0]

    def _copy(self, src: Slot, dst: Slot) -> None:
        """dst's stream becomes a copy of src's (between streams llama.cpp copies whole buffers,
        at the next decode, in the order asked)."""
        llama_cpp.llama_memory_seq_rm(self.mem, dst.seq, -1, -1)
        llama_cpp.llama_memory_seq_cp(self.mem, src.seq, dst.seq, -1, -1)
        dst.cached = list(src.cached)
        self.stats["cache_copies"] += 1

    def _park(self, lane: Slot, keep_from: Slot | None) -> None:
        """Before a lane's cache is overwritten, keep it in the store idle longest, unless it is
        short or another sequence holds it already."""
        if len(lane.cached) < 2 * MIN_CHUNK:
            return
        if any(common_prefix(s.cached, lane.cached) == len(lane.cached) for s in self.slots if s is not lane):
            return
        stores = [s for s in self.stores if s is not keep_from]
        if stores:
            target = min(stores, key=lambda s: s.last_used)
            self._copy(lane, target)
            target.last_used = lane.last_used

    def _admit(self, lane: Slot, ticket: int, job: Job) -> None:
        toks = job.tokens
        best, src = 0, None
        for other in self.slots:  # the longest prefix any sequence holds (ties: this lane's own)
            n = common_prefix(other.cached, toks)
            if n > best or (n == best and n > 0 and other is lane):
                best, src = n, other
        # At least MIN_CHUNK prompt tokens are decoded (see prefill_chunks), and at least one, to get
        # logits; the first starts a row group.
        keep = max(0, min(best, len(toks) - MIN_CHUNK))
        keep -= keep % ROW_GROUP
        if src is not lane:
            self._park(lane, src)
            if src is not None and keep > 0:
                self._copy(src, lane)
                self._clock += 1
                src.last_used = self._clock
            else:
                llama_cpp.llama_memory_seq_rm(self.mem, lane.seq, -1, -1)
                lane.cached = []
        if not llama_cpp.llama_memory_seq_rm(self.mem, lane.seq, keep, -1):
            llama_cpp.llama_memory_seq_rm(self.mem, lane.seq, -1, -1)  # a cache that cannot cut
            keep = 0
        lane.cached = list(toks[:keep])
        lane.feed = list(toks[keep:])
        lane.chunks = prefill_chunks(len(lane.feed), self.n_batch)
        lane.ticket, lane.max_tokens, lane.out, lane.decoded, lane.seconds = ticket, job.sampling.max_tokens, [], 0, 0.0
        busy = {id(s.cand) for s in self.lanes if s.busy and s is not lane}
        lane.cand = next(c for c in self.scratch if id(c) not in busy)
        if job.grammar is not None and self._tree is None:
            self._tree = VocabTree(self.model.vocab, self.n_vocab)
        lane.sampler = SequenceSampler(self.model, lane.cand, job.sampling, job.seed, job.grammar, self._tree)
        self.stats["prompt_tokens_reused"] += keep
        self._clock += 1
        lane.last_used = self._clock

    def _warm_shared_prefix(self, jobs: list[Job]) -> None:
        """Requests waiting together that open with the same tokens (a prompt's instructions and
        worked example) would otherwise each decode them, being admitted before any has: decode
        the shared part once into one lane, which the others then copy."""
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
        lane = self._free_lane_for(prefix)
        self._admit(lane, -1, Job(prefix, jobs[0].sampling, 0))   # decoded, never sampled from
        while lane.chunks:
            self.batch.n_tokens = 0
            c = lane.chunks.pop(0)
            self._add(lane, lane.feed[:c], False)
            if llama_cpp.llama_decode(self.ctx.ctx, self.batch) != 0:
                raise RuntimeError("llama_decode failed while decoding a shared prefix")
            lane.cached.extend(lane.feed[:c])
            lane.feed = lane.feed[c:]
            self.stats["prompt_tokens_decoded"] += c
        self._release(lane)

    # -- one decode ------------------------------------------------------------------------------
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

    def _decode_step(self) -> list[tuple[int, Result]]:
        """One llama_decode over the lanes in sequence order: the next token of every generating
        lane, and whole prefill chunks while they fit (a chunk that does not fit waits a step)."""
        self.batch.n_tokens = 0
        fed: list[tuple[Slot, int, int]] = []   # lane, tokens fed, batch index of its logits (-1: none)
        room = self.n_batch
        for lane in self.lanes:
            if not lane.busy:
                continue
            if lane.out:
                fed.append((lane, 1, self._add(lane, lane.feed, True)))
                continue
            if lane.chunks[0] > room and self.parallel > 1 and min(room, lane.chunks[0] - room) >= MIN_CHUNK:
                # Take what fits rather than leave a gap in the lanes: llama.cpp would split the
                # batch at the gap, one more pass over the weights. (--parallel 1 never splits, so
                # its chunk sizes stay those of prefill_chunks.)
                lane.chunks[0:1] = [room, lane.chunks[0] - room]
            if lane.chunks[0] <= room:
                c = lane.chunks[0]
                final = len(lane.chunks) == 1
                last = self._add(lane, lane.feed[:c], final)
                fed.append((lane, c, last if final else -1))
                room -= c
        if self.batch.n_tokens == 0:
            raise RuntimeError("batch decoder stalled: no sequence could be fed")
        t0 = time.perf_counter()
        rc = llama_cpp.llama_decode(self.ctx.ctx, self.batch)
        if rc != 0:
            raise RuntimeError(f"llama_decode failed ({rc}) with {self.batch.n_tokens} tokens in the batch")
        done = []
        for lane, n, last in fed:
            lane.cached.extend(lane.feed[:n])
            lane.feed = lane.feed[n:]
            if lane.out:
                lane.fed_out += n
            else:
                lane.chunks.pop(0)
                lane.decoded += n
                self.stats["prompt_tokens_decoded"] += n
            if last < 0:
                continue
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.ctx.ctx, last), shape=(self.n_vocab,))
            token = lane.sampler.sample(logits)
            if lane.sampler.is_end(token):
                done.append(self._finish(lane, "stop"))
                continue
            lane.out.append(token)
            if len(lane.out) >= lane.max_tokens:
                done.append(self._finish(lane, "length"))
            else:
                lane.feed = [token]
        seconds = time.perf_counter() - t0
        for lane, _, _ in fed:
            lane.seconds += seconds / len(fed)
        for _, res in done:
            res.seconds += seconds / len(fed)
        st = self.stats
        st["steps"] += 1
        st["seconds"] += seconds
        sampled = sum(1 for _, _, last in fed if last >= 0)
        st["generated"] += sampled
        if len(fed) == self.batch.n_tokens:   # one row per sequence: no prompt in this step
            st["generation_steps"] += 1
            st["generation_step_tokens"] += sampled
            st["generation_step_seconds"] += seconds
            by = st["generation_by_width"].setdefault(str(sampled), [0, 0.0])   # steps, seconds
            by[0] += 1
            by[1] += seconds
        return done

    def _release(self, lane: Slot) -> None:
        """The lane's request is over: it keeps only its prompt's cache. Generated tokens were
        decoded one row at a time, which the CPU kernels compute differently from a prompt's row
        groups (ROW_GROUP), so a later prompt that repeats them (a dialogue's next turn) decodes
        them again rather than reuse them."""
        n_prompt = len(lane.cached) - lane.fed_out
        if lane.fed_out and not llama_cpp.llama_memory_seq_rm(self.mem, lane.seq, n_prompt, -1):
            llama_cpp.llama_memory_seq_rm(self.mem, lane.seq, -1, -1)
            n_prompt = 0
        del lane.cached[n_prompt:]
        lane.ticket, lane.sampler, lane.feed, lane.out, lane.chunks, lane.fed_out = None, None, [], [], [], 0

    def _finish(self, lane: Slot, reason: str) -> tuple[int, Result]:
        res = Result(tokens=lane.out, finish_reason=reason, prompt_decoded=lane.decoded,
                     grammar_fallbacks=lane.sampler.fallbacks, seconds=lane.seconds)
        ticket = lane.ticket
        self.stats["requests"] += 1
        self.stats["grammar_fallbacks"] += lane.sampler.fallbacks
        self._release(lane)
        return ticket, res


def prefill_chunks(n: int, n_batch: int) -> list[int]:
    """Sizes in which n prompt tokens are decoded: n_batch at a time, with no chunk under
    MIN_CHUNK (unless the whole prompt is), and every chunk but the last a multiple of ROW_GROUP,
    so each chunk starts a row group wherever the first one started."""
    k = max(1, -(-n // n_batch))
    sizes = [n_batch] * (k - 1) + [n - n_batch * (k - 1)]
    if k > 1 and sizes[-1] < MIN_CHUNK:
        d = MIN_CHUNK - sizes[-1]
        d += -d % ROW_GROUP
        sizes[-2] -= d
        sizes[-1] += d
    return sizes
