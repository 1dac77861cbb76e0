"""The paper packages' boundary (issue 24): nothing outside onprem/papers/NAME/ imports
onprem.papers.NAME, papers do not import each other, and a paper's modules stay under 400 lines.
The core reaches a paper only through the registries (BUILTINS names its plugin module as data)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("onprem", "tui", "redaction", "prompts")
PAPERS = "onprem.papers."


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path) -> set[str]:
    """Every module a file imports, at any depth (functions too), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def paper_of(module: str) -> str | None:
    return module[len(PAPERS):].split(".")[0] if module.startswith(PAPERS) else None


def violations(root: Path, trees=TREES) -> list[str]:
    out = []
    for tree in trees:
        for path in sorted((root / tree).rglob("*.py")):
            mine = paper_of(module_name(path, root))
            for target in imports(path, root):
                theirs = paper_of(target)
                if theirs and theirs != mine:
                    where = f"paper {mine}" if mine else "the core"
                    out.append(f"{path.relative_to(root)}: {where} imports {target}")
    return sorted(set(out))


def test_nothing_outside_a_paper_imports_it():
    assert violations(ROOT) == []


def test_the_check_finds_a_crossing(tmp_path):
    """The walk above would see a crossing: a core module and another paper importing a paper."""
    (tmp_path / "onprem" / "papers" / "a").mkdir(parents=True)
    (tmp_path / "onprem" / "papers" / "b").mkdir(parents=True)
    for f in ("onprem/__init__.py", "onprem/papers/__init__.py", "onprem/papers/a/__init__.py",
              "onprem/papers/b/__init__.py"):
        (tmp_path / f).write_text("")
    (tmp_path / "onprem" / "papers" / "a" / "gen.py").write_text("from . import stats\n")     # its own: fine
    (tmp_path / "onprem" / "core.py").write_text("def f():\n    from onprem.papers.a import gen\n")
    (tmp_path / "onprem" / "papers" / "b" / "x.py").write_text("import onprem.papers.a.gen\n")
    assert violations(tmp_path, ("onprem",)) == [
        "onprem/core.py: the core imports onprem.papers.a",
        "onprem/core.py: the core imports onprem.papers.a.gen",
        "onprem/papers/b/x.py: paper b imports onprem.papers.a.gen",
    ]


# The schema's migrations are an append-only ledger: each step is kept as it shipped, in one file.
LEDGERS = {"onprem/store/migrations.py"}


def test_every_module_stays_small():
    """One job per module, under 400 lines: the papers, the core, the TUI and redaction."""
    files = [p for d in ("onprem", "tui", "redaction", "prompts") for p in sorted((ROOT / d).rglob("*.py"))]
    long = [f"{p.relative_to(ROOT)}: {n} lines" for p in files if str(p.relative_to(ROOT)) not in LEDGERS
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    assert long == []


def test_each_paper_registers_from_one_plugin_module():
    from onprem.plugins import BUILTINS

    papers = sorted(p.name for p in (ROOT / "onprem" / "papers").iterdir() if (p / "__init__.py").exists())
    registered = sorted(paper_of(module) for _, module in BUILTINS if paper_of(module))
    assert papers == registered and papers                      # every paper package, once
    assert all(module.endswith(".plugin") for _, module in BUILTINS if paper_of(module))


def cycles(root: Path, trees=("onprem", "prompts")) -> list[list[str]]:
    """Strongly connected groups of two or more modules in the import graph (imports inside
    functions count)."""
    import sys

    mods = {module_name(p, root): p for t in trees for p in (root / t).rglob("*.py")}
    graph = {m: {i for i in imports(p, root) if i in mods and i != m} for m, p in mods.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    """The core, the papers, redaction and the TUI: screens reach each other by tui.nav.Open
    messages, and redaction's package loads its names lazily."""
    assert cycles(ROOT, TREES) == []


def test_the_cycle_check_finds_one(tmp_path):
    (tmp_path / "onprem").mkdir()
    (tmp_path / "prompts").mkdir()
    (tmp_path / "onprem" / "__init__.py").write_text("")
    (tmp_path / "prompts" / "__init__.py").write_text("def f():\n    from onprem import a\n")
    (tmp_path / "onprem" / "a.py").write_text("import prompts\n")
    assert cycles(tmp_path) == [["onprem.a", "prompts"]]


def test_no_screen_imports_a_screen_it_opens():
    """A screen asks for another with tui.nav.Open; the app builds it (tui.screens.SCREENS). The
    dialogs and the queue base are parts screens are built from; help reads every screen's keys."""
    from tui.screens import MODES, SCREENS

    navigable = {f"tui.screens.{m}" for m, _ in SCREENS.values()} | {f"tui.screens.{m}" for m in MODES}
    found = []
    for path in sorted((ROOT / "tui" / "screens").glob("*.py")):
        if path.stem in ("help", "__init__"):
            continue
        me = module_name(path, ROOT)
        found += [f"{me} imports {t}" for t in imports(path, ROOT) if t in navigable and t != me]
    assert found == []


STORE = "onprem/store/"


def sql_calls(path: Path, root: Path) -> list[str]:
    """Where a file runs SQL itself: `.execute(`, `.executemany(`, `.executescript(` on anything,
    `.query(` on a database (`db.query`, `store.db.query`; a Textual screen's `self.query` is a DOM
    query), `sqlite3.connect`, and sqlite-utils' table API (`db["pairs"]`, `store.db["pairs"]`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            v = node.value
            if (isinstance(v, ast.Attribute) and v.attr == "db") or (isinstance(v, ast.Name) and v.id == "db"):
                found.append((node.lineno, f"{path.relative_to(root)}:{node.lineno}: db["))
            continue
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        f = node.func
        receiver = f.value.attr if isinstance(f.value, ast.Attribute) else getattr(f.value, "id", "")
        if (f.attr in ("execute", "executemany", "executescript")
                or (f.attr == "query" and receiver in ("db", "conn"))
                or (f.attr == "connect" and receiver == "sqlite3")):
            found.append((node.lineno, f"{path.relative_to(root)}:{node.lineno}: {receiver}.{f.attr}("))
    return [text for _, text in sorted(found)]


def test_sql_lives_only_in_the_store():
    """Every query and write by SQL is in onprem/store/ (papers' and TUI's included)."""
    outside = [hit for tree in TREES for path in sorted((ROOT / tree).rglob("*.py"))
               if not str(path.relative_to(ROOT)).startswith(STORE) for hit in sql_calls(path, ROOT)]
    assert outside == []


def test_the_sql_check_finds_sql(tmp_path):
    (tmp_path / "m.py").write_text("def f(store, self):\n    store.db.execute('select 1')\n"
                                   "    list(store.db.query('select 1'))\n    self.query('#x')\n"
                                   "    import sqlite3\n    sqlite3.connect('x')\n"
                                   "    store.db['pairs'].update(1, {})\n")
    assert sql_calls(tmp_path / "m.py", tmp_path) == ["m.py:2: db.execute(", "m.py:3: db.query(",
                                                      "m.py:6: sqlite3.connect(", "m.py:7: db["]
