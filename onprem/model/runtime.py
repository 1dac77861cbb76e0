"""The one model interface: generate(prompt, schema) and chat(messages, schema) over llama-cpp-python.

Structured output goes pydantic model -> JSON schema -> llama.cpp grammar -> pydantic validation,
with bounded retries; the caller gets either a valid object or the reason it failed.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from onprem import config
from onprem.errors import UserError
from onprem.model.registry import ModelEntry, check_gguf, quiet_native_logs

T = TypeVar("T", bound=BaseModel)


class ContextOverflow(ValueError):
    """The prompt plus the tokens to generate do not fit the model's context: no retry can help.
    Defined here, not in the sampler, so importing the runtime does not load llama.cpp."""


@dataclass(frozen=True)
class Sampling:
    """Generation parameters; recorded verbatim in every run."""

    temperature: float = 0.3
    top_p: float = 0.9
    top_k: int = 40
    repeat_penalty: float = 1.15
    max_tokens: int = 512

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str | None = None


@dataclass
class Structured(Generic[T]):
    """The outcome of a schema-constrained call: value, or error after every attempt failed."""

    value: T | None
    attempts: int
    error: str | None = None
    generations: list[Generation] = field(default_factory=list)

    @property
    def completion_tokens(self) -> int:
        return sum(g.completion_tokens for g in self.generations)

    @property
    def seconds(self) -> float:
        return sum(g.seconds for g in self.generations)


class Model(Protocol):
    """What the pipelines need from a model; the real one and test fakes both provide it."""

    name: str
    sha256: str
    kind: str       # "base" (completion prompt) or "instruct" (chat template)
    n_ctx: int

    def count_tokens(self, text: str) -> int: ...

    def generate(self, prompt: str, schema: type[BaseModel] | None = None, *,
                 sampling: Sampling, seed: int) -> Generation: ...

    def chat(self, messages: list[dict], schema: type[BaseModel] | None = None, *,
             sampling: Sampling, seed: int) -> Generation: ...


class LlamaModel:
    """A GGUF file loaded by llama-cpp-python, CPU only."""

    def __init__(self, entry: ModelEntry, n_ctx: int = 4096, n_threads: int | None = None):
        from llama_cpp import Llama

        path = entry.file()
        check_gguf(path)
        self.entry = entry
        self.name = entry.name
        self.sha256 = entry.sha256
        self.kind = entry.kind
        self.n_ctx = min(n_ctx, entry.context_length or n_ctx)
        try:
            with quiet_native_logs():
                self._llm = Llama(model_path=str(path), n_ctx=self.n_ctx, n_gpu_layers=0,
                                  n_threads=n_threads or config.threads(), verbose=False)
        except (ValueError, RuntimeError) as e:
            raise UserError(f"{path}: llama.cpp could not load model {entry.name!r} ({e}); "
                            f"run `onprem models verify`") from e
        self._grammars: dict[type, object] = {}

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _grammar(self, schema: type[BaseModel] | None):
        if schema is None:
            return None
        if schema not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[schema] = LlamaGrammar.from_json_schema(
                json.dumps(schema.model_json_schema()), verbose=False)
        return self._grammars[schema]

    def _loop(self, tokens: list[int], schema, sampling: Sampling, seed: int) -> Generation:
        from onprem.model import sampler

        t0 = time.perf_counter()
        result = sampler.run(self._llm, tokens, sampling, seed, grammar=self._grammar(schema))
        text = self._llm.detokenize(result.tokens).decode("utf-8", errors="replace")
        return Generation(text=text, prompt_tokens=len(tokens), completion_tokens=len(result.tokens),
                          seconds=time.perf_counter() - t0, finish_reason=result.finish_reason)

    def generate(self, prompt, schema=None, *, sampling: Sampling, seed: int) -> Generation:
        # special=False: text inside a transcript can never smuggle in control tokens.
        tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False)
        return self._loop(tokens, schema, sampling, seed)

    def chat(self, messages, schema=None, *, sampling: Sampling, seed: int) -> Generation:
        """Instruct models: the conversation rendered with the chat template from GGUF metadata."""
        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise UserError(f"model {self.name!r} has no chat template; register it with --kind base")
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        tok = self._llm
        formatter = Jinja2ChatFormatter(template=template,
                                        eos_token=tok.detokenize([tok.token_eos()], special=True).decode(),
                                        bos_token=tok.detokenize([tok.token_bos()], special=True).decode())
        rendered = formatter(messages=messages)
        tokens = tok.tokenize(rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True)
        return self._loop(tokens, schema, sampling, seed)

    def close(self) -> None:
        self._llm.close()


def derive_seed(seed: int, key: str) -> int:
    """A seed for one item (a page, a client record) from the run seed and the item itself, so a
    resumed or re-ordered run draws exactly what an uninterrupted one would."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest()
    return int(digest[:8], 16) & 0x7FFFFFFF


def parse(schema: type[T], text: str) -> T:
    return schema.model_validate_json(text)


def structured(model: Model, schema: type[T], *, prompt: str | None = None,
               messages: list[dict] | None = None, sampling: Sampling, seed: int,
               retries: int = 2) -> Structured[T]:
    """Ask for a `schema` object: grammar-constrained, validated, retried with a new seed.

    Base models get `prompt` as a completion; instruct models get `messages` through their
    chat template (built from `prompt` when no messages are given).
    """
    result: Structured[T] = Structured(value=None, attempts=0)
    for attempt in range(retries + 1):
        attempt_seed = seed + attempt * 7919  # a different, still reproducible draw
        try:
            if model.kind == "instruct":
                msgs = messages or [{"role": "user", "content": prompt}]
                gen = model.chat(msgs, schema, sampling=sampling, seed=attempt_seed)
            else:
                gen = model.generate(prompt, schema, sampling=sampling, seed=attempt_seed)
        except ContextOverflow as e:
            result.attempts, result.error = attempt + 1, str(e)
            return result  # the same prompt cannot fit on a retry either
        result.generations.append(gen)
        result.attempts = attempt + 1
        if gen.finish_reason == "length":
            result.error = f"output cut off at {sampling.max_tokens} tokens"
            continue
        try:
            result.value = parse(schema, gen.text)
            result.error = None
            return result
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ())) or "output"
            result.error = f"invalid output ({where}: {first.get('msg')})"
    return result
