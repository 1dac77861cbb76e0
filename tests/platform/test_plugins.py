"""A third-party generator and writer, written here in the test, registered the way any plugin is
(ONPREM_PLUGINS names its module), appear in `onprem generate`, `onprem export --format`,
`onprem plugins` and the TUI's Jobs screen with no change to onprem/cli/ or tui/."""

from __future__ import annotations

import json
import sqlite3
import sys
import textwrap

import pytest
from click.testing import CliRunner

from onprem import plugins
from onprem.cli import cli

TOY = textwrap.dedent('''
    """A toy plugin: a generator that asks one model for a two-line exchange per case, and a writer."""
    import json
    from pydantic import BaseModel, Field

    from onprem.dialogue.roleplay import DialogueResult, Turn
    from onprem.generators import Case, DialogueGenerator, Prepared
    from onprem.model.base import PromptPair, Request, Sampling
    from onprem.model.structured import structured
    from onprem.plugins import hookimpl
    from onprem.release.writers import Writer


    class Exchange(BaseModel):
        worry: str = Field(min_length=1)
        reply: str = Field(min_length=1)


    class Options(BaseModel):
        count: int = Field(2, ge=1, le=50, description="How many exchanges.")
        topic: str = Field("sleep", description="What the worry is about.")


    class Toy(DialogueGenerator):
        name = "toy"
        help = "Toy exchanges, one model call each."
        roles = ("writer",)
        Options = Options

        def prepare(self, opts, seed):
            return Prepared([Case(key=f"{opts.topic}-{i}", title=f"toy {i}") for i in range(opts.count)])

        def produce(self, case, segment, models, opts, seed):
            req = Request(PromptPair(f"A worry about {opts.topic} and a kind reply, as JSON:"), Exchange,
                          Sampling(max_tokens=64), seed)
            res = structured(models["writer"], req)
            if res.value is None:
                return DialogueResult(turns=[], status="failed", reason=res.error)
            return DialogueResult(turns=[Turn(0, "client", res.value.worry), Turn(1, "therapist", res.value.reply)],
                                  status="ended", reason="one exchange")


    class ToyLines(Writer):
        name, unit, suffix = "toy-lines", "dialogues", ".txt"
        help = "one line per dialogue"

        def write(self, rows, out):
            for r in rows:
                out.write(r["client_id"] + ": " + " / ".join(m["content"] for m in r["messages"]) + "\\n")
            return len(rows)


    @hookimpl
    def register_generators(register):
        register(Toy())


    @hookimpl
    def register_writers(register):
        register(ToyLines())
''')

REPLIES = [json.dumps({"worry": f"I lie awake {w}", "reply": f"That sounds hard {w}"}) for w in ("often", "again", "still")]


@pytest.fixture
def toy(tmp_path, monkeypatch):
    folder = tmp_path / "site_plugins"
    folder.mkdir()
    (folder / "toy_plugin.py").write_text(TOY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("PYTHONPATH", f"{folder}:{__import__('os').environ.get('PYTHONPATH', '')}")
    monkeypatch.setenv(plugins.ENV_PLUGINS, "toy_plugin")
    plugins.reset()
    script = tmp_path / "toy_script.json"
    script.write_text(json.dumps({"replies": REPLIES, "then": "cycle", "name": "toy-model"}))
    yield f"scripted:{script}"
    monkeypatch.delenv(plugins.ENV_PLUGINS)
    plugins.reset()
    sys.modules.pop("toy_plugin", None)


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_toy_generator_and_writer_through_the_cli(toy, tmp_path):
    db = tmp_path / "toy.db"
    listed = [json.loads(x) for x in invoke(db, "plugins", "--json").output.splitlines()]
    assert {"kind": "generator", "name": "toy", "origin": "ONPREM_PLUGINS: toy_plugin"} in listed
    assert {"kind": "generator", "name": "sqpsych", "origin": "onprem 0.1.0 (built-in sqpsych)"} in listed
    assert "--writer-model" in invoke(db, "generate", "toy", "--help").output    # one flag per declared role

    r = invoke(db, "generate", "toy", "--count", "2", "--topic", "sleep", "--model", toy, "--progress", "plain")
    assert r.exit_code == 0, r.output
    assert "toy: 2 to do" in r.output and "[2/2] toy 1: ended, 2 turns" in r.output
    con = sqlite3.connect(db)
    rows = con.execute("select c.key, d.generator, d.status, json_extract(d.models, '$.writer.name') "
                       "from dialogues d join cases c on c.id = d.case_id order by d.id").fetchall()
    assert rows == [("sleep-0", "toy", "ended", "toy-model"), ("sleep-1", "toy", "ended", "toy-model")]
    again = invoke(db, "generate", "toy", "--count", "2", "--model", toy, "--progress", "plain")
    assert "2 already done" in again.output

    bad = invoke(db, "generate", "toy", "--count", "0", "--model", toy)
    assert bad.exit_code == 2 and "--count" in bad.output

    out = tmp_path / "toy.txt"
    r = invoke(db, "export", "--format", "toy-lines", "--out", out)
    assert r.exit_code == 0, r.output
    assert out.read_text() == "toy 0: I lie awake often / That sounds hard often\ntoy 1: I lie awake again / That sounds hard again\n"
    audit = json.loads(con.execute("select after from audit where action = 'export'").fetchone()[0])
    assert audit["format"] == "toy-lines" and audit["written"] == 2


def test_toy_generator_is_a_job_in_the_tui(toy, tmp_path):
    from onprem import jobs
    from tests.tui.tuihelp import drive, until

    assert "generate:toy" in jobs.job_kinds()
    from onprem.store import open_store

    db = tmp_path / "jobs.db"
    open_store(db).close()

    async def scenario(pilot):
        screen = pilot.app.screen
        screen.query_one("#job-kind").value = "generate:toy"
        await pilot.pause()
        screen.query_one("#job-model").value = toy
        await pilot.press("s")
        await until(pilot, lambda: screen.proc is None, "the toy job to end")
        return screen.state, screen.exit_code, dict(screen.counts), list(screen.query_one("#job-log").lines)

    state, code, counts, log = drive(db, scenario, start="jobs")
    assert (state, code) == ("done", 0), log
    assert counts["ended"] == 2 and counts["turns"] == 4
    assert "generate toy: 2 to do" in log and any(line.startswith("run 1: 2 cases") for line in log)


def test_generator_kinds_are_types_and_capabilities_are_protocols():
    """Issue 24, item 6: what a generator produces is its type; what only some do is a protocol
    met by having the method (no flag the runner switches on)."""
    from onprem import plugins
    from onprem.generators import Chained, Consumes, DialogueGenerator, PairGenerator, TopicDrawn, is_chained

    gens = {name: r.component for name, r in plugins.generators().items()}
    assert {n for n, g in gens.items() if isinstance(g, PairGenerator)} == {"counselling-qa"}
    assert all(isinstance(g, DialogueGenerator) for n, g in gens.items() if n != "counselling-qa")
    assert {n for n, g in gens.items() if isinstance(g, Chained)} == {"pe"}
    assert {n for n, g in gens.items() if isinstance(g, TopicDrawn)} == {"counselling-qa"}
    assert {n for n, g in gens.items() if isinstance(g, Consumes)} == {"hybrid", "scenarios"}
    pe = gens["pe"]
    assert is_chained(pe, pe.Options(profiles="p.jsonl", previous="summary")) and not is_chained(gens["sqpsych"], None)


def test_a_generator_of_neither_kind_is_refused_by_name(tmp_path, monkeypatch):
    (tmp_path / "kindless_plugin.py").write_text(
        "from onprem.generators import Generator\nfrom onprem.plugins import hookimpl\n\n"
        "class Kindless(Generator):\n    name = 'kindless'\n\n"
        "@hookimpl\ndef register_generators(register):\n    register(Kindless())\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("ONPREM_PLUGINS", "kindless_plugin")
    from onprem import plugins
    from onprem.errors import UserError

    plugins.reset()
    try:
        with pytest.raises(UserError, match="generator 'kindless' is neither a DialogueGenerator nor a PairGenerator"):
            plugins.generators()
    finally:
        monkeypatch.delenv("ONPREM_PLUGINS")
        plugins.reset()
