"""Key actions as data (issue 24, item 7): one table (tui/keys.py) that screens read their BINDINGS
from, the help screen lists, and docs/keys.md prints."""

from __future__ import annotations

import ast
from pathlib import Path

from tui import keys

ROOT = Path(__file__).resolve().parents[2]


def test_docs_keys_is_the_table_printed():
    assert (ROOT / "docs" / "keys.md").read_text(encoding="utf-8") == keys.markdown(), \
        "run: .venv/bin/python -m tui.keys > docs/keys.md"


def test_no_screen_writes_its_keys_inline():
    """Binding(...) is built from the table only; help's generic list keys and the keys papers
    register for their screens (evals.paper_screen_bindings, from the registries) aside."""
    inline = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        if path.name in ("keys.py", "help.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        registered = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                      and f.name == "paper_screen_bindings" for n in ast.walk(f)}
        inline += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                   if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "Binding"
                   and id(n) not in registered]
    assert inline == []


def test_every_screen_reads_its_table_and_ids_are_unique():
    from tui.app import OnpremApp
    from tui.screens import dialogues, review, uncertain

    assert [b.id for b in review.ReviewScreen.BINDINGS] == [row[3] for row in keys.KEYS["review"]]
    assert [b.id for b in OnpremApp.BINDINGS][:7] == [f"goto.{m}" for m in
                                                       ("overview", "browse", "review", "search", "jobs", "export", "evals")]
    assert dialogues.DialogueReviewScreen.BINDINGS[0].id == "dreview.confirm_span"
    assert [b.show for b in uncertain.UncertainScreen.BINDINGS] == [True] * len(keys.KEYS["uncertain"])
    for screen, rows in keys.KEYS.items():
        ids = [row[3] for row in rows]
        assert None not in ids and len(ids) == len(set(ids)), screen     # every key can be remapped
    assert {s for _, screens in keys.SECTIONS for s in screens} <= set(keys.KEYS)
