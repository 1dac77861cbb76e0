"""The llama backend: a GGUF file loaded in-process by llama-cpp-python, CPU only.

llama_cpp is imported only when a model is opened, so commands that never run a model stay light.
"""

from __future__ import annotations

import json
import time
from typing import Sequence

import numpy as np

from onprem import config
from onprem.errors import UserError
from onprem.model.base import Generation, ModelBase, Request
from onprem.model.registry import ModelEntry, check_gguf, quiet_native_logs
from onprem.plugins import hookimpl


class LlamaModel(ModelBase):
    backend = "llama"

    def __init__(self, entry: ModelEntry, n_ctx: int = 4096, n_threads: int | None = None):
        from llama_cpp import Llama

        path = entry.file()
        check_gguf(path)
        self.entry = entry
        self.name = entry.name
        self.sha256 = entry.sha256
        self.kind = entry.kind
        self.n_ctx = min(n_ctx, entry.context_length or n_ctx)
        self._threads = n_threads or config.threads()
        try:
            with quiet_native_logs():
                self._llm = Llama(model_path=str(path), n_ctx=self.n_ctx, n_gpu_layers=0,
                                  n_threads=self._threads, verbose=False)
        except (ValueError, RuntimeError) as e:
            raise UserError(f"{path}: llama.cpp could not load model {entry.name!r} ({e}); "
                            f"run `onprem models verify`") from e
        self._grammars: dict[type, object] = {}
        self._embedder = None

    def provenance(self) -> dict:
        return {**super().provenance(), "path": str(self.entry.file()), "n_ctx": self.n_ctx}

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _grammar(self, schema):
        if schema is None:
            return None
        if schema not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[schema] = LlamaGrammar.from_json_schema(
                json.dumps(schema.model_json_schema()), verbose=False)
        return self._grammars[schema]

    def _tokens(self, request: Request) -> list[int]:
        if not self.uses_chat():
            # special=False: text inside a transcript can never smuggle in control tokens.
            return self._llm.tokenize(request.prompt.completion.encode("utf-8"), add_bos=True, special=False)
        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise UserError(f"model {self.name!r} has no chat template; register it with --kind base")
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        tok = self._llm
        formatter = Jinja2ChatFormatter(template=template,
                                        eos_token=tok.detokenize([tok.token_eos()], special=True).decode(),
                                        bos_token=tok.detokenize([tok.token_bos()], special=True).decode())
        rendered = formatter(messages=request.prompt.chat())
        return tok.tokenize(rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True)

    def complete(self, request: Request) -> Generation:
        from onprem.model.backends import llama_sampler

        tokens = self._tokens(request)
        t0 = time.perf_counter()
        result = llama_sampler.run(self._llm, tokens, request.sampling, request.seed,
                                   grammar=self._grammar(request.schema))
        text = self._llm.detokenize(result.tokens).decode("utf-8", errors="replace")
        return Generation(text=text, prompt_tokens=len(tokens), completion_tokens=len(result.tokens),
                          seconds=time.perf_counter() - t0, finish_reason=result.finish_reason)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings from llama.cpp's embedding mode (a second context on
        the same file, opened on first use)."""
        if self._embedder is None:
            import llama_cpp
            from llama_cpp import Llama

            with quiet_native_logs():
                self._embedder = Llama(model_path=str(self.entry.file()), n_ctx=self.n_ctx, n_gpu_layers=0,
                                       n_threads=self._threads, embedding=True,
                                       pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN, verbose=False)
        if not texts:
            return np.zeros((0, self._embedder.n_embd()), dtype=np.float32)
        with quiet_native_logs():
            vectors = [self._embedder.embed(t, normalize=True) for t in texts]
        return np.asarray(vectors, dtype=np.float32)

    def close(self) -> None:
        self._llm.close()
        if self._embedder is not None:
            self._embedder.close()


def open_llama(entry: ModelEntry, n_ctx: int, threads: int | None) -> LlamaModel:
    """GGUF files in-process through llama-cpp-python (CPU)."""
    return LlamaModel(entry, n_ctx=n_ctx, n_threads=threads)


@hookimpl
def register_backends(register):
    register("llama", open_llama)
