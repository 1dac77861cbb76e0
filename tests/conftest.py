"""Shared fixtures: the real default GGUF and the real Presidio engine are loaded once per session;
a scripted fake model serves the unit tests of parsing and control flow."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from onprem.model.backends.scripted import ScriptedModel

# llama.cpp's outputs depend on its thread count, which by default follows the machine's load: the
# tests pin it to every core (what the pinned outputs were made with), so a busy machine changes no pin.
os.environ.setdefault("ONPREM_THREADS", str(os.cpu_count() or 1))
# Likewise --parallel: its default, auto, batches as many pages as a run has, and batched sums differ
# from one-at-a-time ones. The pins were made one at a time; tests of auto pass it explicitly.
os.environ.setdefault("ONPREM_PARALLEL", "1")
# Worker processes for redaction change no output (tests/test_workers.py shows it), but each costs a
# few seconds to start: tests start them only when they ask for --workers.
os.environ.setdefault("ONPREM_WORKERS", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "transcripts"


@pytest.fixture(scope="session")
def redactor():
    from redaction import Redactor

    return Redactor.load()


@pytest.fixture(scope="session")
def real_model():
    """The bundled default model (install.sh registers it)."""
    from onprem.model.factory import open_model

    return open_model(None, n_ctx=4096)


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


@pytest.fixture
def scripted():
    """The scripted backend: replies set with `.replies = [...]` (an exception instance is raised),
    then a valid 45/50-word pair for every further request."""
    return ScriptedModel(default=pair_json(), tokens_per_word=1.3)


def sent(model: ScriptedModel) -> list[str]:
    """The completion prompts a (base) scripted model was sent."""
    return [r.prompt.completion for r in model.requests]


@pytest.fixture
def scripted_cli(script_file, tmp_path):
    """`--model` for the scripted backend in a CLI run: a valid 45/50-word pair for every request,
    each request recorded; `.sent()` reads back the completion prompts."""
    record = tmp_path / "requests.jsonl"

    class Arg(str):
        def sent(self) -> list[str]:
            return [json.loads(x)["completion"] for x in record.read_text().splitlines()] if record.exists() else []
    return Arg(script_file([], default=pair_json(), name="scripted", record=str(record)))


@pytest.fixture
def script_file(tmp_path):
    """Write a script for `--model scripted:FILE` (the scripted backend in a child process)."""
    def write(replies, **spec) -> str:
        path = tmp_path / f"script{len(list(tmp_path.glob('script*.json')))}.json"
        path.write_text(json.dumps({"replies": replies, **spec}), encoding="utf-8")
        return f"scripted:{path}"
    return write


@pytest.fixture
def cli(tmp_path):
    """Invoke the real CLI against a fresh database; returns the click Result."""
    from onprem.cli import cli as root

    db = tmp_path / "cli.db"

    def invoke(*args, **kw):
        return CliRunner().invoke(root, ["--db", str(db), *map(str, args)], catch_exceptions=False, **kw)

    invoke.db = db
    return invoke
