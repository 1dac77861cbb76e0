"""Shared fixtures: the real default GGUF and the real Presidio engine are loaded once per session;
a scripted fake model serves the unit tests of parsing and control flow."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from onprem.model.runtime import Generation

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "transcripts"


@pytest.fixture(scope="session")
def redactor():
    from redaction import Redactor

    return Redactor.load()


@pytest.fixture(scope="session")
def real_model():
    """The bundled default model (install.sh registers it)."""
    from onprem.model.registry import resolve
    from onprem.model.runtime import LlamaModel

    return LlamaModel(resolve(None), n_ctx=4096)


@pytest.fixture
def store(tmp_path):
    from onprem.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


def long_text(n: int, word: str = "word") -> str:
    return " ".join(f"{word}{i}" for i in range(n))


def pair_json(q_words: int = 45, a_words: int = 50) -> str:
    return json.dumps({"question": long_text(q_words, "q"), "answer": long_text(a_words, "a")})


@dataclass
class ScriptedModel:
    """Plays back outputs in order; an Exception instance in the script is raised instead."""

    script: list = field(default_factory=list)
    name: str = "scripted"
    sha256: str = "0" * 64
    kind: str = "base"
    n_ctx: int = 4096
    prompts: list = field(default_factory=list)

    def count_tokens(self, text: str) -> int:
        return max(1, int(len(text.split()) * 1.3))

    def generate(self, prompt, schema=None, *, sampling, seed):
        self.prompts.append(prompt)
        item = self.script.pop(0) if self.script else pair_json()
        if isinstance(item, BaseException):
            raise item
        return Generation(text=item, prompt_tokens=self.count_tokens(prompt), completion_tokens=20,
                          seconds=0.01, finish_reason="stop")

    def chat(self, messages, schema=None, *, sampling, seed):
        return self.generate(messages[-1]["content"], schema, sampling=sampling, seed=seed)


@pytest.fixture
def scripted():
    return ScriptedModel()


@pytest.fixture
def cli(tmp_path):
    """Invoke the real CLI against a fresh database; returns the click Result."""
    from onprem.cli import cli as root

    db = tmp_path / "cli.db"

    def invoke(*args, **kw):
        return CliRunner().invoke(root, ["--db", str(db), *map(str, args)], catch_exceptions=False, **kw)

    invoke.db = db
    return invoke
