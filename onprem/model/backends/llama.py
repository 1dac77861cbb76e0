"""The llama backend: a GGUF file loaded in-process by llama-cpp-python, CPU only.

llama_cpp is imported only when a model is opened, so commands that never run a model stay light.
"""

from __future__ import annotations

import json
from typing import Sequence

import numpy as np

from onprem import config
from onprem.errors import UserError
from onprem.model.base import Generation, Load, ModelBase, Request, complete_one
from onprem.model.registry import ModelEntry, check_gguf, quiet_native_logs

N_BATCH = 512   # prompt tokens per llama_decode call (llama-cpp-python's default)
# KV streams per decoding lane: the two agents of a dialogue each keep their prompt cached between
# turns. Each stream holds one full context; when every store is taken, the one idle longest is
# overwritten.
SEQUENCES_PER_SLOT = 2
# And two more, so a third prompt (a retry's, an end-of-session check's) or the next item's does not
# evict an agent's cache: measured on sqpsych at --parallel 1, prompt tokens decoded per request
# fell from 382 with 2 streams.
SPARE_STREAMS = 2


class LlamaModel(ModelBase):
    backend = "llama"

    def __init__(self, entry: ModelEntry, n_ctx: int = 4096, n_threads: int | None = None,
                 parallel: int | str = 1, items: int | None = None):
        import llama_cpp
        from llama_cpp import _internals as internals
        from llama_cpp._logger import set_verbose

        from onprem.model.backends.llama_batch import BatchDecoder

        path = entry.file()
        check_gguf(path)
        self.entry = entry
        self.name = entry.name
        self.sha256 = entry.sha256
        self.kind = entry.kind
        self.n_ctx = min(n_ctx, entry.context_length or n_ctx)   # per sequence
        self._threads, self._threads_from = (n_threads, "--threads") if n_threads else config.threads_choice()
        set_verbose(False)
        mparams = llama_cpp.llama_model_default_params()
        mparams.n_gpu_layers = 0
        try:
            with quiet_native_logs():
                self._model = internals.LlamaModel(path_model=str(path), params=mparams, verbose=False)
        except (ValueError, RuntimeError) as e:
            raise UserError(f"{path}: llama.cpp could not load model {entry.name!r} ({e}); "
                            f"run `onprem models verify`") from e
        self.metadata = self._model.metadata()
        if parallel == "auto":     # lanes from the work, the KV cost and free memory (onprem.model.lanes)
            from onprem.model import lanes

            choice = lanes.choose(items, lanes.kv_bytes_per_token(self.metadata), self.n_ctx, lanes.free_memory())
            parallel, self._parallel_from = choice.lanes, choice.why
        else:
            self._parallel_from = "--parallel"
        self.parallel = parallel
        cparams = llama_cpp.llama_context_default_params()
        # One KV stream per sequence (llama_batch explains the layout): a sequence's attention
        # walks only its own cells.
        cparams.n_seq_max = min(llama_cpp.llama_max_parallel_sequences(), parallel * SEQUENCES_PER_SLOT + SPARE_STREAMS)
        cparams.kv_unified = False
        cparams.n_ctx = self.n_ctx * cparams.n_seq_max
        # swa_full keeps every position of Gemma 3's sliding-window layers, so a cached prefix stays usable.
        cparams.swa_full = True
        # Flash attention: measured on this CPU (bench/throughput.py) 1.3x the generation steps
        # of 8 sequences, and a little faster with one.
        cparams.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
        cparams.n_batch = cparams.n_ubatch = N_BATCH + parallel
        cparams.n_threads = cparams.n_threads_batch = self._threads
        try:
            with quiet_native_logs():
                self._ctx = internals.LlamaContext(model=self._model, params=cparams, verbose=False)
        except (ValueError, RuntimeError) as e:
            self._model.close()
            raise UserError(f"{path}: llama.cpp could not make a context for model {entry.name!r} at {parallel} "
                            f"lanes of {self.n_ctx} tokens ({e}); try --parallel 1 or a smaller --n-ctx") from e
        self._decoder = BatchDecoder(self._model, self._ctx, slots=cparams.n_seq_max, parallel=parallel,
                                     n_ctx_seq=self.n_ctx, n_batch=N_BATCH)
        self._grammars: dict[type, object] = {}
        self._prompt_tokens: dict[int, int] = {}   # per submitted ticket
        self._embedder = None

    def provenance(self) -> dict:
        # The thread count changes llama.cpp's sums, so outputs: recorded, and checked on resume.
        return {**super().provenance(), "path": str(self.entry.file()), "n_ctx": self.n_ctx,
                "parallel": self.parallel, "parallel_from": self._parallel_from, "n_batch": N_BATCH,
                "threads": self._threads,
                "threads_from": self._threads_from, "verified": self.entry.verified}

    def usage(self) -> dict:
        st = self._decoder.stats
        return {**{k: round(v, 3) if isinstance(v, float) else v for k, v in st.items()},
                "generation_by_width": {w: [n, round(s, 3)] for w, (n, s) in sorted(st["generation_by_width"].items(),
                                                                                  key=lambda kv: int(kv[0]))}}

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def detokenize(self, tokens: list[int], special: bool = False) -> str:
        return self._model.detokenize(tokens, special=special).decode("utf-8", errors="replace")

    def _grammar(self, schema):
        if schema is None:
            return None
        if schema not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[schema] = LlamaGrammar.from_json_schema(
                json.dumps(schema.model_json_schema()), verbose=False)
        return self._grammars[schema]

    def _tokens(self, request: Request) -> list[int]:
        tok = self._model
        if not self.uses_chat():
            # special=False: text inside a transcript can never smuggle in control tokens.
            return tok.tokenize(request.prompt.completion.encode("utf-8"), add_bos=True, special=False)
        template = self.metadata.get("tokenizer.chat_template")
        if not template:
            raise UserError(f"model {self.name!r} has no chat template; register it with --kind base")
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        formatter = Jinja2ChatFormatter(template=template,
                                        eos_token=tok.detokenize([tok.token_eos()], special=True).decode(),
                                        bos_token=tok.detokenize([tok.token_bos()], special=True).decode())
        rendered = formatter(messages=request.prompt.chat())
        return tok.tokenize(rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True)

    def complete(self, request: Request) -> Generation:
        return complete_one(self, request)

    def complete_many(self, requests: Sequence[Request]) -> list[Generation]:
        """All requests through the batch decoder, `parallel` sequences at a time (continuous
        batching)."""
        if self._decoder.busy():   # its step() would hand back other callers' requests too
            raise RuntimeError("the batch decoder is already running other requests")
        tickets = [self.submit(r) for r in requests]
        got: dict[int, Generation] = {}
        while len(got) < len(tickets):
            got.update(self.step())
        return [got[t] for t in tickets]

    # Stepping (onprem.model.base.Stepping): the round coordinator submits requests as its tasks
    # make them and advances the decoder one llama_decode at a time.
    def submit(self, request: Request) -> int:
        from onprem.model.backends.llama_batch import Job

        job = Job(self._tokens(request), request.sampling, request.seed, self._grammar(request.schema))
        ticket = self._decoder.submit(job)
        self._prompt_tokens[ticket] = len(job.tokens)
        return ticket

    def step(self) -> list[tuple[int, Generation]]:
        out = []
        for ticket, res in self._decoder.step():
            n_prompt = self._prompt_tokens.pop(ticket)
            if res.finish_reason == "overflow":
                out.append((ticket, Generation.overflow(res.error)))
                continue
            out.append((ticket, Generation(text=self.detokenize(res.tokens), prompt_tokens=n_prompt,
                                           completion_tokens=len(res.tokens), seconds=res.seconds,
                                           finish_reason=res.finish_reason)))
        return out

    def cancel(self) -> None:
        self._decoder.cancel()
        self._prompt_tokens.clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings from llama.cpp's embedding mode (a second context on
        the same file, opened on first use)."""
        if self._embedder is None:
            import llama_cpp
            from llama_cpp import Llama

            with quiet_native_logs():
                # Pooling needs a text in one micro-batch: batch sizes = the context (longer texts are truncated).
                self._embedder = Llama(model_path=str(self.entry.file()), n_ctx=self.n_ctx, n_gpu_layers=0,
                                       n_batch=self.n_ctx, n_ubatch=self.n_ctx, n_threads=self._threads, embedding=True,
                                       pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN, verbose=False)
        if not texts:
            return np.zeros((0, self._embedder.n_embd()), dtype=np.float32)
        with quiet_native_logs():
            vectors = [self._embedder.embed(t, normalize=True) for t in texts]
        return np.asarray(vectors, dtype=np.float32)

    def close(self) -> None:
        self._decoder.close()
        self._ctx.close()
        self._model.close()
        if self._embedder is not None:
            self._embedder.close()


def open_llama(entry: ModelEntry, load: Load) -> LlamaModel:
    """GGUF files in-process through llama-cpp-python (CPU), `load.parallel` sequences batched."""
    return LlamaModel(entry, n_ctx=load.n_ctx, n_threads=load.threads, parallel=load.parallel, items=load.items)
