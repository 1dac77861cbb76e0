"""Prompt templates as files. Each is a Jinja2 template whose first line names its version;
its sha256 goes into every run that uses it, so a changed wording is always visible."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

HERE = Path(__file__).resolve().parent
_VERSION = re.compile(r"\{#\s*version:\s*(\S+)")
_env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                          trim_blocks=True, lstrip_blocks=True, autoescape=False)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    source: str
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def render(self, **variables) -> str:
        return _env.from_string(self.source).render(**variables).strip() + "\n"


@lru_cache(maxsize=None)
def load(name: str) -> Prompt:
    path = HERE / f"{name}.j2"
    if not path.is_file():
        raise FileNotFoundError(f"prompt template {name!r} not found in {HERE}")
    source = path.read_text(encoding="utf-8")
    m = _VERSION.search(source.split("\n", 1)[0])
    if not m:
        raise ValueError(f"{path}: first line must be a comment like '{{# version: 1 #}}'")
    return Prompt(name=name, version=m.group(1), source=source,
                  sha256=hashlib.sha256(source.encode()).hexdigest())


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.j2"))
