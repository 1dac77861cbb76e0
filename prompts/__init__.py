"""Prompt templates as files. Each is a Jinja2 template whose first line names its version;
its sha256 goes into every run that uses it, so a changed wording is always visible.

The core's templates are here; a plugin brings its own folder (`register_prompt_dirs`), searched
after this one through a Jinja2 ChoiceLoader, so its templates are hashed into its runs the same
way."""

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
        return _compiled(self.source).render(**variables).strip() + "\n"


@lru_cache(maxsize=256)
def _compiled(source: str) -> jinja2.Template:
    return _env.from_string(source)


_CORE = jinja2.FileSystemLoader(HERE)


def _source(template: str) -> tuple[str, str]:
    """(source, file name) from the core folder, else from the plugins' folders: plugins are loaded
    only when a name is not found here (loading them costs their imports)."""
    try:
        source, filename, _ = _CORE.get_source(_env, template)
    except jinja2.TemplateNotFound:
        from onprem import plugins

        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in plugins.prompt_dirs()])
        source, filename, _ = loader.get_source(_env, template)
    return source, filename


@lru_cache(maxsize=None)
def load(name: str) -> Prompt:
    try:
        source, filename = _source(f"{name}.j2")
    except jinja2.TemplateNotFound:
        raise FileNotFoundError(f"prompt template {name!r} not found in {HERE} or a plugin's prompt folder") from None
    path = Path(filename)
    m = _VERSION.search(source.split("\n", 1)[0])
    if not m:
        raise ValueError(f"{path}: first line must be a comment like '{{# version: 1 #}}'")
    return Prompt(name=name, version=m.group(1), source=source,
                  sha256=hashlib.sha256(source.encode()).hexdigest())


def _forget_on_plugin_reset() -> None:
    from onprem import plugins

    plugins.on_reset(load.cache_clear)     # a plugin's template folder may come or go (tests)


_forget_on_plugin_reset()


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.j2"))
