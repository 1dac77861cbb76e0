"""Shared fixtures: the built-in catalog, an in-memory store and a scripted fake Model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onprem.model.runtime import Generation
from onprem.questionnaires import Catalog
from onprem.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "profiles"


NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
           "sixteen seventeen eighteen nineteen twenty").split()


def word(i: int) -> str:
    """Utterances may not contain digits (the grammar allows letters only), so count in words."""
    return NUMBERS[i] if i < len(NUMBERS) else f"{NUMBERS[i // 20]}-{NUMBERS[i % 20]}"


def say(text: str, end: bool = False) -> str:
    return json.dumps({"utterance": text, "end": end})


class FakeModel:
    """Implements the Model protocol with scripted replies: a list (used in order) or a function of
    (prompt or messages, seed). Records every request so tests can look at prompts."""

    def __init__(self, replies, kind: str = "base", name: str = "fake", n_ctx: int = 4096):
        self.replies = replies
        self.kind, self.name, self.sha256, self.n_ctx = kind, name, f"sha-{name}", n_ctx
        self.requests: list = []

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def _reply(self, request, seed) -> Generation:
        self.requests.append(request)
        text = self.replies(request, seed) if callable(self.replies) else self.replies.pop(0)
        return Generation(text=text, prompt_tokens=1, completion_tokens=len(text.split()), seconds=0.01,
                          finish_reason="stop")

    def generate(self, prompt, schema=None, *, sampling, seed):
        return self._reply(prompt, seed)

    def chat(self, messages, schema=None, *, sampling, seed):
        return self._reply(messages, seed)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def store():
    s = open_store(None)
    yield s
    s.close()
