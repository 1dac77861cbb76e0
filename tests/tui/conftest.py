"""Fixtures of the TUI tests; helpers live in tuihelp.py (importlib import mode: put it on the path)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tuihelp import add_dialogues, build_db  # noqa: E402
from onprem.store import open_store  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "onprem.db"
    build_db(path)
    return path


@pytest.fixture
def dlg_path(db_path):
    """The same database plus generated dialogues with findings and a judgment."""
    add_dialogues(db_path)
    return db_path


@pytest.fixture
def store(db_path):
    s = open_store(db_path)
    yield s
    s.close()
