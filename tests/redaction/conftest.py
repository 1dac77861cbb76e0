"""One real Presidio + spaCy analyzer for the whole redaction test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Let the tests run from a plain checkout too (before `pip install -e .`).
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from redaction import Redactor  # noqa: E402


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    return Redactor.load()


def covers(spans, text: str, value: str, entity_type: str | None = None) -> bool:
    """True when spans (of the type, if given) cover every character of the
    value's first occurrence in text."""
    pos = text.find(value)
    assert pos != -1, f"{value!r} not in test text"
    need = set(range(pos, pos + len(value)))
    for s in spans:
        if entity_type is None or s.entity_type == entity_type:
            need -= set(range(s.start, s.end))
    # blanks and punctuation inside the value need not be covered
    return all(not text[i].isalnum() for i in need)


def touches(spans, text: str, value: str, entity_type: str | None = None) -> bool:
    """True when any span (of the type, if given) overlaps the value."""
    pos = text.find(value)
    assert pos != -1, f"{value!r} not in test text"
    return any(
        s.start < pos + len(value) and pos < s.end and (entity_type is None or s.entity_type == entity_type)
        for s in spans
    )


@pytest.fixture(scope="session")
def check():
    """The span helpers, as a fixture (test modules here are not a package)."""

    class Check:
        pass

    Check.covers = staticmethod(covers)
    Check.touches = staticmethod(touches)
    return Check
