"""Instrument files: built-ins load, scores and severity bands, validation of a site's own file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.errors import UserError
from onprem.papers.sqpsych.questionnaires import Catalog, load_file


@pytest.mark.parametrize("name,total,band", [
    ("phq9", 0, "minimal"), ("phq9", 4, "minimal"), ("phq9", 5, "mild"), ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"), ("phq9", 14, "moderate"), ("phq9", 15, "moderately severe"),
    ("phq9", 19, "moderately severe"), ("phq9", 20, "severe"), ("phq9", 27, "severe"),
    ("gad7", 4, "minimal"), ("gad7", 5, "mild"), ("gad7", 9, "mild"), ("gad7", 10, "moderate"),
    ("gad7", 14, "moderate"), ("gad7", 15, "severe"), ("gad7", 21, "severe"),
    ("pcl5", 32, "below screening cut-off"), ("pcl5", 33, "probable PTSD"), ("pcl5", 80, "probable PTSD"),
])
def test_bands(catalog, name, total, band):
    q = catalog.get(name)
    top = max(o.value for o in q.scale)
    answers = []
    for _ in q.items:  # spread the total over the items
        a = min(top, total - sum(answers))
        answers.append(a)
    assert sum(answers) == total
    assert q.score(answers).model_dump() == {"total": total, "severity": band}


def test_builtins(catalog):
    assert catalog.names() == ["gad7", "pcl5", "phq9"]
    assert [len(catalog.get(n).items) for n in ("phq9", "gad7", "pcl5")] == [9, 7, 20]
    assert catalog.get("pcl5").total_range == (0, 80)


def test_score_needs_every_item(catalog):
    with pytest.raises(ValueError, match="need 9 answers"):
        catalog.get("phq9").score([1] * 8)


def test_item9_raises_self_harm_alert(catalog):
    q = catalog.get("phq9")
    assert [a.key for a in q.alerts_raised([0] * 8 + [1])] == ["self_harm"]
    assert q.alerts_raised([3] * 8 + [0]) == []


def _instrument(**change) -> dict:
    base = {"name": "who5x", "title": "Well-being check", "timeframe": "in the last week",
            "scale": [{"value": 0, "label": "never"}, {"value": 1, "label": "sometimes"}, {"value": 2, "label": "often"}],
            "items": [{"number": 1, "text": "Felt cheerful", "persona": "I felt cheerful"},
                      {"number": 2, "text": "Felt calm", "persona": "I felt calm"}],
            "bands": [{"min": 0, "max": 1, "label": "low"}, {"min": 2, "max": 4, "label": "fine"}]}
    base.update(change)
    return base


@pytest.mark.parametrize("change,message", [
    ({"bands": [{"min": 0, "max": 1, "label": "low"}, {"min": 3, "max": 4, "label": "fine"}]}, "gap or overlap"),
    ({"bands": [{"min": 0, "max": 3, "label": "all"}]}, "must cover totals 0-4"),
    ({"items": [{"number": 2, "text": "x", "persona": "x"}]}, "numbered 1..1"),
    ({"name": "Bad Name"}, "lower-case"),
    ({"alerts": [{"item": 7, "min": 1, "key": "k", "text": "t"}]}, "item 7"),
])
def test_invalid_instrument_names_the_problem(tmp_path, change, message):
    f = tmp_path / "mine.json"
    f.write_text(json.dumps(_instrument(**change)))
    with pytest.raises(UserError, match=message) as e:
        load_file(f)
    assert str(f) in str(e.value)


def test_site_instrument_joins_catalog(tmp_path, monkeypatch):
    (tmp_path / "who5x.json").write_text(json.dumps(_instrument()))
    monkeypatch.setenv("ONPREM_QUESTIONNAIRES_DIR", str(tmp_path))
    cat = Catalog.load()
    assert "who5x" in cat.names()
    assert cat.get("who5x").score([1, 2]).severity == "fine"
    out = CliRunner().invoke(cli, ["questionnaires", "list"])
    assert out.exit_code == 0 and "who5x" in out.output and str(tmp_path) in out.output


def test_cli_show_and_validate(tmp_path):
    r = CliRunner()
    show = r.invoke(cli, ["questionnaires", "show", "phq9"])
    assert show.exit_code == 0 and "phq9_9" in show.output and "15-19 moderately severe" in show.output
    assert r.invoke(cli, ["questionnaires", "show", "nope"]).exit_code == 2
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_instrument()))
    assert r.invoke(cli, ["questionnaires", "validate", str(good)]).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    res = r.invoke(cli, ["questionnaires", "validate", str(bad)])
    assert res.exit_code == 2 and "not valid JSON" in res.output


def test_every_command_imports():
    """Each command's body imports lazily; load them all so a broken import fails here, fast."""
    import importlib
    for mod in ("onprem.cli.generate", "onprem.cli.judge", "onprem.papers.sqpsych.commands"):
        importlib.import_module(mod)
    from onprem import plugins
    from onprem.cli import generate, judge

    # Every registered generator and judge builds its command (the plugin modules import cleanly).
    for group, table in ((generate.generate, plugins.generators()), (judge.judge, plugins.judges())):
        for name in table:
            assert group.get_command(None, name).name == name
    # And every command a plugin registers (a paper's commands) loads.
    for (group_name, name), registered in plugins.commands().items():
        assert registered.load().name == name
