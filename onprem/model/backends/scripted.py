"""The scripted backend: replies played back from a list, a function or a JSON file. The one test
double of the project, selected like any model (`--model scripted:FILE`), so a test drives the real
CLI, even in a child process, with no monkeypatching.

A script file is JSON: {"replies": ["...", ...], "then": "repeat" | "cycle" | "default",
"default": "...", "kind": "base", "name": "...", "n_ctx": 4096, "delay": 0.0, "record": "FILE"}; with
"record", every request is appended to FILE as a JSON line {"completion", "messages", "seed"}, so a
test can read what a child process sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from onprem.errors import UserError
from onprem.model.base import ContextOverflow, Generation, ModelBase, Request

Reply = str | BaseException | Callable[[Request], str]


class ScriptedModel(ModelBase):
    backend = "scripted"

    def __init__(self, replies: Sequence[Reply] | Callable[[Request], str] = (), *, kind: str = "base",
                 name: str = "scripted", n_ctx: int = 4096, then: str = "default",
                 default: Reply | None = None, delay: float = 0.0, tokens_per_word: float = 1.0,
                 sha256: str | None = None, record: Path | None = None):
        self.replies = replies
        self.kind, self.name, self.n_ctx = kind, name, n_ctx
        self.sha256 = sha256 or hashlib.sha256(f"scripted:{name}".encode()).hexdigest()
        self.then, self.default, self.delay = then, default, delay
        self.tokens_per_word = tokens_per_word
        self.requests: list[Request] = []      # every request, for tests to look at prompts
        self.record = record

    @property
    def replies(self):
        return self._replies

    @replies.setter
    def replies(self, value) -> None:
        """A new script starts from its first reply."""
        self._replies = value if callable(value) else list(value)
        self._played = 0

    @classmethod
    def from_file(cls, path: Path) -> "ScriptedModel":
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise UserError(f"{path}: not a readable script for the scripted backend ({e})") from e
        replies = spec.get("replies", [])
        if not isinstance(replies, list) or not all(isinstance(r, str) for r in replies):
            raise UserError(f"{path}: \"replies\" must be a list of strings")
        return cls(replies, kind=spec.get("kind", "base"), name=spec.get("name", path.stem),
                   n_ctx=int(spec.get("n_ctx", 4096)), then=spec.get("then", "default"),
                   default=spec.get("default"), delay=float(spec.get("delay", 0.0)),
                   sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                   record=Path(spec["record"]) if spec.get("record") else None)

    def count_tokens(self, text: str) -> int:
        return max(1, int(len(text.split()) * self.tokens_per_word))

    def _next(self, request: Request) -> Reply:
        if callable(self.replies):
            return self.replies(request)
        if self._played < len(self.replies) and self.then != "cycle":
            item = self.replies[self._played]
        elif self.then == "cycle" and self.replies:
            item = self.replies[self._played % len(self.replies)]
        elif self.then == "repeat" and self.replies:
            item = self.replies[-1]
        elif self.default is not None:
            item = self.default
        else:
            raise UserError(f"scripted model {self.name!r} has no reply left for request {self._played + 1}")
        self._played += 1
        return item

    def complete(self, request: Request) -> Generation:
        self.requests.append(request)
        if self.record:
            with open(self.record, "a", encoding="utf-8") as f:
                f.write(json.dumps({"completion": request.prompt.completion, "messages": request.prompt.chat(),
                                    "seed": request.seed, "max_tokens": request.sampling.max_tokens}) + "\n")
        if self.delay:
            time.sleep(self.delay)
        prompt_tokens = self.measure(request.prompt)
        if prompt_tokens + request.sampling.max_tokens > self.n_ctx:
            raise ContextOverflow(f"prompt of {prompt_tokens} tokens plus {request.sampling.max_tokens} to "
                                  f"generate exceeds the context of {self.n_ctx}")
        item = self._next(request)
        if callable(item) and not isinstance(item, BaseException):
            item = item(request)
        if isinstance(item, BaseException):
            raise item
        # A reply longer than max_tokens (one token a word here) is cut there, as a real model's would be.
        words = list(re.finditer(r"\S+", item))
        finish = "stop"
        if len(words) > request.sampling.max_tokens:
            item, finish = item[:words[request.sampling.max_tokens - 1].end()], "length"
        return Generation(text=item, prompt_tokens=prompt_tokens, completion_tokens=max(1, len(item.split())),
                          seconds=0.01, finish_reason=finish)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Hashed bag of words, L2-normalised: texts sharing words are near, others far."""
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"[a-z0-9']+", t.lower()):
                out[i, int(hashlib.md5(w.encode()).hexdigest()[:6], 16) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def open_scripted(entry, load) -> ScriptedModel:
    """Replies played back from a JSON script (tests): --model scripted:FILE."""
    return ScriptedModel.from_file(entry.file())
