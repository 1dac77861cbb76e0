"""Shared fixtures: the built-in catalog, an in-memory store and the scripted model backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onprem.model.backends.scripted import ScriptedModel
from onprem.papers.sqpsych.questionnaires import Catalog
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


def script_model(replies, kind: str = "base", name: str = "fake", n_ctx: int = 4096) -> ScriptedModel:
    """The scripted backend with replies from a list (used in order) or a function of (what the
    model was sent, seed): the completion text for a base model, the chat messages for an instruct one."""
    if callable(replies):
        fn = replies
        replies = lambda req: fn(sent_one(req, kind), req.seed)  # noqa: E731
    return ScriptedModel(replies, kind=kind, name=name, n_ctx=n_ctx, sha256=f"sha-{name}")


def sent_one(request, kind: str):
    return request.prompt.chat() if kind == "instruct" else request.prompt.completion


def sent(model: ScriptedModel) -> list:
    """Everything the model was sent, in the form its kind gets."""
    return [sent_one(r, model.kind) for r in model.requests]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def store():
    s = open_store(None)
    yield s
    s.close()
