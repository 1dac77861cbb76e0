"""The one settings object: every `ONPREM_` variable and the site's optional `onprem.toml`, read and
checked in one place. A command's flag wins, then the environment (`ONPREM_SEED=7`), then the site
file (`seed = 7`), then the default below.

The site file is `$ONPREM_CONFIG`, else `onprem.toml` in the project checkout (where install.sh ran),
for what a site fixes for everyone on the workstation (a shared models folder, a seed, the threads of
a machine shared with other work). An unknown key or a bad value is an error naming the file or the
variable and what to give instead.

A dataclass and the standard library's tomllib, not pydantic-settings: that package imports pydantic
and asyncio (about 0.16 s here), and every command, `onprem --help` and the TUI's first screen read
their settings before anything else (bench/startup.py holds them to 0.3 s and 0.5 s).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from onprem.errors import UserError

# The project checkout (install.sh installs it editable), home of models/, questionnaires/, prompts/.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "ONPREM_"
DEFAULT_SEED = 42
MOST_PARALLEL, MOST_WORKERS = 64, 32    # the largest --parallel and --workers a person may give


def auto_or_count(value, most: int) -> int | str | None:
    """"auto", a whole number from 1 to `most` (as typed: spaces and case aside), or None."""
    text = str(value).strip().lower()
    if text == "auto":
        return "auto"
    return int(text) if text.isdigit() and 1 <= int(text) <= most else None


def _path(value) -> Path:
    return Path(str(value)).expanduser()


def _count(value) -> int:
    if isinstance(value, bool) or not str(value).strip().isdigit() or int(value) < 1:
        raise ValueError("a whole number of 1 or more")
    return int(value)


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError("a whole number") from None


def _lanes(most: int):
    def parse(value):
        found = auto_or_count(value, most)
        if found is None:
            raise ValueError(f"auto or a whole number from 1 to {most}")
        return found
    return parse


def _names(value) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(n.strip() for n in items if str(n).strip())


@dataclass(frozen=True)
class Settings:
    db: Path = Path("onprem.db")                               # --db wins
    models_dir: Path = PROJECT_ROOT / "models"                 # GGUF files and registry.json
    threads: int | None = None                                 # llama.cpp threads; None: from the machine's load
    parallel: int | str = "auto"                               # sequences decoded together (--parallel)
    workers: int | str = "auto"                                # redaction and check processes (--workers)
    seed: int = DEFAULT_SEED                                   # every --seed's default
    questionnaires_dir: Path = PROJECT_ROOT / "questionnaires"  # a site's own instruments
    plugins: tuple[str, ...] = ()                              # plugin modules to import (comma-separated)


PARSE = {"db": _path, "models_dir": _path, "threads": _count, "parallel": _lanes(MOST_PARALLEL),
         "workers": _lanes(MOST_WORKERS), "seed": _int, "questionnaires_dir": _path, "plugins": _names}


def site_file() -> Path:
    return _path(os.environ.get(PREFIX + "CONFIG") or PROJECT_ROOT / "onprem.toml")


@lru_cache(maxsize=8)
def _read_site(path: Path, mtime: float) -> dict:
    import tomllib

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise UserError(f"{path}: cannot read the site settings ({e}); fix or remove the file") from e
    unknown = sorted(set(data) - set(PARSE))
    if unknown:
        raise UserError(f"{path}: unknown setting {unknown[0]!r}; the settings are {', '.join(PARSE)}")
    return data


def settings() -> Settings:
    """The settings now: read again on every call (cheap; tests and the TUI's child jobs change the
    environment), the site file parsed once per change."""
    path = site_file()
    site = _read_site(path, path.stat().st_mtime) if path.is_file() else {}
    values = {}
    for f in fields(Settings):
        env = os.environ.get(PREFIX + f.name.upper())
        raw, where = (env, f"{PREFIX}{f.name.upper()}={env}") if env not in (None, "") else (
            site.get(f.name), f"{path}: {f.name} = {site.get(f.name)!r}")
        if raw is None:
            continue
        try:
            values[f.name] = PARSE[f.name](raw)
        except ValueError as e:
            raise UserError(f"{where}: give {e}") from None
    return Settings(**values)


def source(name: str) -> str:
    """Where a setting's value comes from: its variable, the site file, or the default."""
    if os.environ.get(PREFIX + name.upper()) not in (None, ""):
        return PREFIX + name.upper()
    path = site_file()
    if path.is_file() and name in _read_site(path, path.stat().st_mtime):
        return str(path)
    return "default"
