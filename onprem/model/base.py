"""The one model interface every backend implements and every pipeline calls.

A `Request` carries the prompt in both forms, completion text and chat messages, plus the schema,
sampling and seed; only the backend decides which form it sends (a base model gets the completion
text, an instruct model the messages through its chat template, a server its chat endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Generic, Protocol, Sequence, TypeVar, runtime_checkable

import numpy as np
from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


class ContextOverflow(ValueError):
    """The prompt plus the tokens to generate do not fit the model's context: no retry can help."""


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


@dataclass(frozen=True)
class Load:
    """How a backend opens a model: context per sequence, CPU threads, sequences decoded together
    (--parallel). Recorded in every run's models."""

    n_ctx: int = 4096
    threads: int | None = None
    parallel: int | str = 1          # or "auto": chosen by the backend from `items` (onprem.model.lanes)
    items: int | None = None         # how many items the job may run side by side (None: not known)


@dataclass(frozen=True)
class PromptPair:
    """One prompt in both forms. `messages` defaults to the completion text as one user message."""

    completion: str
    messages: tuple[dict, ...] | None = None

    def chat(self) -> list[dict]:
        return [dict(m) for m in self.messages] if self.messages else [{"role": "user", "content": self.completion}]

    @classmethod
    def of(cls, prompt, **variables) -> "PromptPair":
        """A prompt template (prompts.Prompt) in both forms: rendered with completion=True for base
        models, and with completion=False as one user message for instruct models."""
        return cls(prompt.render(completion=True, **variables),
                   ({"role": "user", "content": prompt.render(completion=False, **variables)},))


@dataclass(frozen=True)
class Request:
    prompt: PromptPair
    schema: type[BaseModel] | None = None
    sampling: Sampling = field(default_factory=Sampling)
    seed: int = 0

    def with_seed(self, seed: int) -> "Request":
        return replace(self, seed=seed)


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str | None = None     # stop | length | overflow (the prompt did not fit)
    error: str | None = None             # why, when finish_reason is overflow

    @classmethod
    def overflow(cls, why: str) -> "Generation":
        return cls(text="", prompt_tokens=0, completion_tokens=0, seconds=0.0, finish_reason="overflow", error=why)


@dataclass
class Structured(Generic[T]):
    """The outcome of a schema-constrained request: value, or error after every attempt failed."""

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

    @property
    def raw(self) -> str | None:
        """The last output the model wrote (kept with failures so a person can see why)."""
        return self.generations[-1].text if self.generations else None


class Model(Protocol):
    """What the pipelines need from any model, local or remote."""

    name: str
    sha256: str | None   # of the weights, where the backend can prove it (local files); None for servers
    kind: str            # base | instruct
    n_ctx: int
    backend: str

    def count_tokens(self, text: str) -> int: ...
    def uses_chat(self) -> bool: ...                    # which form of a prompt this model is sent
    def measure(self, prompt: PromptPair) -> int: ...
    def complete(self, request: Request) -> Generation: ...
    def complete_many(self, requests: Sequence[Request]) -> list[Generation]: ...
    def provenance(self) -> dict: ...
    def usage(self) -> dict: ...
    def close(self) -> None: ...


@runtime_checkable
class Embedder(Protocol):
    """An optional capability: backends that can embed text say so by having this method."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Stepping(Protocol):
    """An optional capability of backends that decode step by step (continuous batching): requests
    are submitted at any time and `step` advances every running one by one decode, returning those
    that finished. onprem.model.rounds then feeds a pipeline's next requests in between steps, so a
    decoding lane never waits for the slowest request of a round."""

    def submit(self, request: Request) -> int: ...
    def step(self) -> list[tuple[int, Generation]]: ...
    def cancel(self) -> None: ...


def complete_one(model: "Model", request: Request) -> Generation:
    """`complete` for a backend (or proxy) whose `complete_many` does the work."""
    gen = model.complete_many([request])[0]
    if gen.finish_reason == "overflow":
        raise ContextOverflow(gen.error)
    return gen


class ModelBase:
    """Defaults every backend shares: sequential complete_many, the prompt form by kind."""

    name: str = "model"
    sha256: str | None = None
    kind: str = "base"
    n_ctx: int = 4096
    backend: str = "?"

    def count_tokens(self, text: str) -> int:
        raise NotImplementedError

    def uses_chat(self) -> bool:
        return self.kind == "instruct"

    def measure(self, prompt: PromptPair) -> int:
        """Tokens the prompt takes in the form this model is sent (chat: content plus a little per
        message for the template's markers)."""
        if self.uses_chat():
            return sum(self.count_tokens(m["content"]) + 8 for m in prompt.chat())
        return self.count_tokens(prompt.completion)

    def complete(self, request: Request) -> Generation:
        raise NotImplementedError

    def complete_many(self, requests: Sequence[Request]) -> list[Generation]:
        """One generation per request, in order. Sequential here; batching backends override it.
        A prompt that does not fit comes back as an `overflow` generation, not an exception, so one
        long item never costs the others their answers."""
        out = []
        for r in requests:
            try:
                out.append(self.complete(r))
            except ContextOverflow as e:
                out.append(Generation.overflow(str(e)))
        return out

    def provenance(self) -> dict:
        return {"backend": self.backend, "name": self.name, "sha256": self.sha256, "kind": self.kind}

    def usage(self) -> dict:
        """What the backend did since it was opened (tokens decoded, reused, time): recorded in the run."""
        return {}

    def close(self) -> None:
        pass
