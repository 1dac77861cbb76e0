"""Which questionnaires exist: the built-in files plus any a site adds in its own folder."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from onprem.errors import UserError
from onprem.papers.sqpsych.questionnaires.instrument import Questionnaire

BUILTIN_DIR = Path(__file__).resolve().parent / "data"


def site_dir() -> Path:
    """Where a site keeps extra instruments: $ONPREM_QUESTIONNAIRES_DIR (or questionnaires_dir in
    onprem.toml), else <project>/questionnaires."""
    from onprem.settings import settings

    return settings().questionnaires_dir


@dataclass(frozen=True)
class Entry:
    questionnaire: Questionnaire
    path: Path
    sha256: str
    builtin: bool


def load_file(path: Path) -> Entry:
    """Read and validate one instrument file; errors name the file and the first problem."""
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except OSError as e:
        raise UserError(f"{path}: cannot read questionnaire file ({e.strerror})") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UserError(f"{path}: not valid JSON ({e})") from e
    try:
        q = Questionnaire.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "file"
        raise UserError(f"{path}: invalid questionnaire ({where}: {first['msg']})") from e
    return Entry(q, path, hashlib.sha256(raw).hexdigest(), builtin=path.parent == BUILTIN_DIR)


class Catalog:
    def __init__(self, entries: list[Entry]):
        self.entries = {e.questionnaire.name: e for e in entries}

    @classmethod
    def load(cls, extra_dirs: list[Path] | None = None) -> "Catalog":
        """Built-ins first; a site file with the same name replaces the built-in (and says so in `list`)."""
        entries = [load_file(p) for p in sorted(BUILTIN_DIR.glob("*.json"))]
        for d in [site_dir(), *(extra_dirs or [])]:
            if d.is_dir():
                entries += [load_file(p) for p in sorted(d.glob("*.json"))]
        return cls(entries)

    def names(self) -> list[str]:
        return sorted(self.entries)

    def get(self, name: str) -> Questionnaire:
        if name not in self.entries:
            raise UserError(f"unknown questionnaire {name!r} (known: {', '.join(self.names())})")
        return self.entries[name].questionnaire

    def __contains__(self, name: str) -> bool:
        return name in self.entries
