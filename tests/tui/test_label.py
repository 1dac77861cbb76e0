"""Labelling empathy in the TUI: three keys (ER, IP, EX) label a seeker post and its response, the
label is stored per rater with an audit row and the screen moves on; synthetic dialogues and
imported real pairs alike; `eval agreement epitome` reads people's and the judge's labels."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tuihelp import ACTOR, drive, rows, screen_lines, text_of

from onprem.papers.empathy import labelling
from onprem.cli import cli
from onprem.store import open_store


def test_three_keys_label_an_item_and_move_on(dlg_path):
    """`l` opens the rating form on the EPITOME rubric over seeker posts and their responses (one
    form mechanism for every rubric, issue 26)."""
    async def scenario(pilot):
        await pilot.press("l")
        screen = pilot.app.screen
        first = text_of(screen.query_one("#form-status"))
        shown = text_of(screen.query_one("#form-item"))
        title = screen.query_one("#form-item").border_title
        await pilot.press("2", "0", "backspace", "1")       # 0 is one key on a 0-2 scale; Backspace takes it back
        partial = text_of(screen.query_one("#form-criteria"))
        await pilot.press("1")
        await pilot.pause()
        after = text_of(screen.query_one("#form-status"))
        return first, shown, title, partial, after, len(screen.items)

    first, shown, title, partial, after, n = drive(dlg_path, scenario, start="evals")
    assert "epitome · item 1 of" in first and "you rated 0" in first and "0 none, 1 weak, 2 strong" in first
    assert shown.startswith("Seeker post") and "Response" in shown and title.startswith("dialogue")
    assert "2 strong" in partial and "1 weak" in partial
    assert "item 2 of" in after and "you rated 1" in after
    got = rows(dlg_path, "select j.target_kind, j.rater, s.criterion, s.score from judgments j join judgment_scores s "
                         "on s.judgment_id = j.id where j.rater like 'person:%' order by s.criterion")
    assert got == [{"target_kind": "dialogue", "rater": f"person:{ACTOR}", "criterion": c, "score": v}
                   for c, v in (("er", 2), ("ex", 1), ("ip", 1))]
    assert [a["action"] for a in rows(dlg_path, "select action from audit")] == ["rating.save"]
    store = open_store(dlg_path)
    kinds = {it["kind"] for it in labelling.items(store)}
    assert kinds == {"dialogue", "pair"} and n == len(labelling.items(store))   # imported pairs are labelled too


def test_agreement_per_dimension_between_people_and_the_judge(dlg_path):
    store = open_store(dlg_path)
    items = labelling.items(store)[:4]
    for rater, levels in (("ana", [(2, 1, 0), (0, 0, 0), (1, 2, 2), (2, 2, 1)]),
                          ("ben", [(2, 1, 1), (0, 0, 0), (1, 2, 2), (1, 2, 1)])):
        for it, (er, ip, ex) in zip(items, levels):
            labelling.save_label(store, it["kind"], it["id"], rater, {"er": er, "ip": ip, "ex": ex})
    store.close()
    out = json.loads(CliRunner().invoke(cli, ["--db", str(dlg_path), "eval", "agreement", "epitome", "--json"]).output)
    from onprem.evals.agreement import cohen_kappa
    assert out["er"]["pairwise"]["ana|ben"] == cohen_kappa(list("2012"), list("2011"))
    assert out["ip"]["pairwise"]["ana|ben"] == 1.0
    assert out["ex"]["raters"] == ["ana", "ben"] and out["ex"]["n_items"] == 4


def test_the_guideline_of_the_criterion_being_scored_is_on_screen(dlg_path):
    """Issue 28: the rubric's guideline text on screen. EPITOME's level texts (the paper's actor
    prompts) for the dimension being labelled, and the next dimension's once one is entered."""
    from onprem.papers.empathy.judge import epitome

    async def scenario(pilot):
        await pilot.press("l")
        screen = pilot.app.screen
        first = text_of(screen.query_one("#form-criteria"))
        await pilot.press("2")
        second = text_of(screen.query_one("#form-criteria"))
        return first, second

    first, second = drive(dlg_path, scenario, start="evals")
    data = epitome()
    flat = lambda t: " ".join(t.split())    # noqa: E731 - the panel wraps long lines
    assert "Guideline for er" in first and "Guideline for ip" not in first
    assert flat(data["prompts"]["ER:2"]) in flat(first) and flat(data["none_prompt"]) in flat(first)
    assert "2 strong:" in first and "0 none:" in first
    assert "Guideline for ip" in second and flat(data["prompts"]["IP:1"]) in flat(second)



def test_at_160_by_48_the_form_shows_every_line_whole(dlg_path):
    """Issue 28, item 9: no truncated text at 160x48: each criterion's question and each level text
    of the guideline is painted whole on one row."""
    from onprem.papers.empathy.judge import RUBRIC

    async def scenario(pilot):
        await pilot.press("l")
        await pilot.pause()
        return screen_lines(pilot.app)

    painted = " ".join(" ".join(line.split()) for line in drive(dlg_path, scenario, start="evals", size=(160, 48)))
    for c in RUBRIC.criteria:
        assert " ".join(c.question.split()) in painted
    for text in RUBRIC.criteria[0].anchors:
        assert " ".join(text.split()) in painted
