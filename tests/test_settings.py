"""The one settings object (onprem.settings): flag, then ONPREM_ variable, then the site's
onprem.toml, then the default; a bad key or value is one line naming where it came from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from onprem import config
from onprem.cli import cli
from onprem.errors import UserError
from onprem.settings import PROJECT_ROOT, Settings, settings, source

NAMES = ("DB", "MODELS_DIR", "THREADS", "PARALLEL", "WORKERS", "SEED", "QUESTIONNAIRES_DIR", "PLUGINS")


@pytest.fixture
def clean(monkeypatch, tmp_path):
    """No ONPREM_ variables and a site file at a path of the test's own."""
    for n in NAMES:
        monkeypatch.delenv(f"ONPREM_{n}", raising=False)
    site = tmp_path / "onprem.toml"
    monkeypatch.setenv("ONPREM_CONFIG", str(site))
    return site


def test_defaults_without_variables_or_site_file(clean):
    s = settings()
    assert s == Settings()
    assert (s.db, s.seed, s.parallel, s.workers, s.threads) == (Path("onprem.db"), 42, "auto", "auto", None)
    assert s.models_dir == PROJECT_ROOT / "models" and source("seed") == "default"


def test_the_site_file_then_the_variable_then_the_flag(clean, monkeypatch):
    clean.write_text('seed = 7\nthreads = 1\nmodels_dir = "/srv/models"\nplugins = ["a.b", "c"]\ndb = "site.db"\n')
    s = settings()
    assert (s.seed, s.threads, s.models_dir, s.plugins) == (7, 1, Path("/srv/models"), ("a.b", "c"))
    assert config.threads_choice() == (1, str(clean)) and config.models_dir() == Path("/srv/models")
    monkeypatch.setenv("ONPREM_SEED", "9")
    monkeypatch.setenv("ONPREM_PARALLEL", "4")
    assert (settings().seed, settings().parallel, source("seed")) == (9, 4, "ONPREM_SEED")
    assert config.db_path() == Path("site.db") and config.db_path("flag.db") == Path("flag.db")


@pytest.mark.parametrize("text,message", [
    ("seeds = 3\n", "unknown setting 'seeds'"),
    ("seed = 'x'\n", "seed = 'x': give a whole number"),
    ("parallel = 99\n", "parallel = 99: give auto or a whole number from 1 to 64"),
    ("threads = 0\n", "threads = 0: give a whole number of 1 or more"),
    ("seed = \n", "cannot read the site settings"),
])
def test_a_bad_site_file_is_one_line_naming_it(clean, text, message):
    clean.write_text(text)
    with pytest.raises(UserError, match=message) as e:
        settings()
    assert str(clean) in str(e.value)


def test_a_bad_variable_is_named_through_the_cli(clean, tmp_path):
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "eval", "respond", "--questions", "q.jsonl"],
                           env={"ONPREM_PARALLEL": "70"})
    assert r.exit_code == 2 and "ONPREM_PARALLEL=70: give auto or a whole number from 1 to 64" in r.output


def test_every_seed_default_is_the_setting(clean, tmp_path, script_file):
    """ONPREM_SEED reaches a command's --seed (recorded with its run), and --help says where it comes from."""
    assert "$ONPREM_SEED or 42" in CliRunner().invoke(cli, ["eval", "respond", "--help"]).output
    q = tmp_path / "q.jsonl"
    q.write_text('{"id": "q1", "question": "How do I sleep better?"}\n')
    db = tmp_path / "s.db"
    r = CliRunner().invoke(cli, ["--db", str(db), "eval", "respond", "--questions", str(q), "--rounds", "1",
                                 "--model", script_file(["Rest."], then="repeat"), "--progress", "plain"],
                           env={"ONPREM_SEED": "7"})
    assert r.exit_code == 0, r.output
    assert sqlite3.connect(db).execute("select seed from runs").fetchall() == [(7,)]
