"""A paper from outside the tree (issue 24): one package, written here in the test, brings a
generator, a judge, a command of its own and one under `onprem eval`, a migration set for its own
table and its prompt templates, registered the way any plugin is, with no line changed in onprem."""

from __future__ import annotations

import json
import sqlite3
import sys
import textwrap

import pytest
from click.testing import CliRunner

from onprem import plugins
from onprem.cli import cli

PLUGIN = textwrap.dedent('''
    """The toy paper: exchanges about a worry, a judge of their warmth, and notes in its own table."""
    from pathlib import Path

    import click
    from pydantic import BaseModel, Field

    from onprem.dialogue.roleplay import DialogueResult, Turn
    from onprem.generators import Case, DialogueGenerator, Prepared
    from onprem.judges.dialogue import DialogueJudge
    from onprem.judges.rubric import Criterion, Rubric, Scale
    from onprem.model.base import PromptPair, Request, Sampling
    from onprem.model.structured import structured
    from onprem.plugins import hookimpl
    import prompts


    class Exchange(BaseModel):
        worry: str = Field(min_length=1)
        reply: str = Field(min_length=1)


    class Options(BaseModel):
        count: int = Field(2, ge=1, le=50, description="How many exchanges.")


    class ToyPaper(DialogueGenerator):
        name = "toy-paper"
        help = "Toy exchanges from the toy paper's own prompt."
        roles = ("writer",)
        Options = Options

        def prompts(self):
            return [prompts.load("toy_exchange")]

        def prepare(self, opts, seed):
            return Prepared([Case(key=f"t{i}", title=f"toy {i}") for i in range(opts.count)])

        def produce(self, case, segment, models, opts, seed):
            text = prompts.load("toy_exchange").render(topic="sleep")
            res = structured(models["writer"], Request(PromptPair(text), Exchange, Sampling(max_tokens=64), seed))
            if res.value is None:
                return DialogueResult(turns=[], status="failed", reason=res.error)
            return DialogueResult(turns=[Turn(0, "client", res.value.worry), Turn(1, "therapist", res.value.reply)],
                                  status="ended", reason="one exchange")


    class Warmth(DialogueJudge):
        name = "toy-warmth"
        help = "Warmth of the reply, 1-10."
        rubric = Rubric("toy-warmth", (Criterion("warmth", "therapist", "the reply is warm"),),
                        scale=Scale(1, 10, "points"), version="1")
        target = "dialogue"
        prompt_name = "toy_judge"
        generator = "toy-paper"

        def label(self, row):
            return f"dialogue {row['id']}"


    def m001_notes(db):
        db.execute("create table toy_notes (id integer primary key, text text not null)")


    @click.group("toy-notes")
    def notes():
        """The toy paper's notes, in its own table."""


    @notes.command("add")
    @click.argument("text")
    @click.pass_context
    def add(ctx, text):
        store = ctx.obj.store()
        with store.atomic():
            store.db["toy_notes"].insert({"text": text})
        click.echo(f"noted: {text}")


    @click.command("toy-count")
    @click.pass_context
    def count(ctx):
        """How many toy dialogues ended."""
        n = ctx.obj.store().db.execute("select count(*) from dialogues where generator = 'toy-paper'").fetchone()[0]
        click.echo(f"{n} toy dialogues")


    @hookimpl
    def register_generators(register):
        register(ToyPaper())


    @hookimpl
    def register_judges(register):
        register(Warmth())


    @hookimpl
    def register_commands(register):
        register("toy-notes", "toy_paper.plugin:notes")
        register("toy-count", "toy_paper.plugin:count", group="eval")


    @hookimpl
    def register_migrations(register):
        register("toy", [("m001_notes", m001_notes)])


    @hookimpl
    def register_prompt_dirs(register):
        register(Path(__file__).parent / "prompts")
''')

EXCHANGE = '{# version: 3 (the toy paper, in its own words) #}\nA worry about {{ topic }} and a kind reply, as JSON:\n'
JUDGE = ('{# version: 1 #}\nRate the reply.\n"""\n{{ dialogue }}\n"""\n{% for c in rubric.criteria %}- {{ c.key }}: '
         '{{ c.question }}\n{% endfor %}{% if completion %}\nAs JSON:\n{% endif %}\n')
REPLIES = [json.dumps({"worry": f"I lie awake {w}", "reply": f"That sounds hard {w}"}) for w in ("often", "again")]
SCORES = [json.dumps({"warmth": {"score": 7, "reason": "kind"}})]


@pytest.fixture
def paper(tmp_path, monkeypatch):
    folder = tmp_path / "site"
    pkg = folder / "toy_paper"
    (pkg / "prompts").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    (pkg / "prompts" / "toy_exchange.j2").write_text(EXCHANGE, encoding="utf-8")
    (pkg / "prompts" / "toy_judge.j2").write_text(JUDGE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv(plugins.ENV_PLUGINS, "toy_paper.plugin")
    plugins.reset()
    writer, judge = tmp_path / "writer.json", tmp_path / "judge.json"
    writer.write_text(json.dumps({"replies": REPLIES, "then": "cycle", "name": "toy-writer"}))
    judge.write_text(json.dumps({"replies": SCORES, "then": "cycle", "name": "toy-judge"}))
    yield f"scripted:{writer}", f"scripted:{judge}", pkg
    monkeypatch.delenv(plugins.ENV_PLUGINS)
    plugins.reset()
    for name in [m for m in sys.modules if m.startswith("toy_paper")]:
        sys.modules.pop(name)


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_a_paper_package_from_outside_the_tree(paper, tmp_path):
    import hashlib

    writer, judge, pkg = paper
    db = tmp_path / "p.db"
    r = invoke(db, "generate", "toy-paper", "--count", "2", "--model", writer, "--progress", "plain")
    assert r.exit_code == 0, r.output
    con = sqlite3.connect(db)
    run = con.execute("select prompt_name, prompt_hash from runs where command = 'generate toy-paper'").fetchone()
    exchange = (pkg / "prompts" / "toy_exchange.j2").read_bytes()
    assert run == ("toy_exchange@3", hashlib.sha256(exchange).hexdigest())   # hashed like a built-in's
    r = invoke(db, "judge", "toy-warmth", "--model", judge, "--progress", "plain")
    assert r.exit_code == 0, r.output
    assert "judged 2 dialogues" in r.output
    r = invoke(db, "toy-notes", "add", "first note")
    assert r.exit_code == 0 and "noted: first note" in r.output
    assert con.execute("select text from toy_notes").fetchall() == [("first note",)]
    assert ("toy/m001_notes",) in con.execute("select name from _migrations").fetchall()
    assert "toy-notes" in invoke(db, "--help").output
    r = invoke(db, "eval", "toy-count")
    assert r.exit_code == 0 and r.output == "2 toy dialogues\n"
    assert "toy-count" in invoke(db, "eval", "--help").output


def test_a_newer_plugin_set_is_refused_and_an_uninstalled_one_left_alone(paper, tmp_path):
    db = tmp_path / "p.db"
    assert invoke(db, "toy-notes", "add", "x").exit_code == 0
    con = sqlite3.connect(db)
    con.execute("insert into _migrations values ('other-plugin/m001', '2026-01-01')")     # not installed here
    con.commit()
    assert invoke(db, "toy-notes", "add", "y").exit_code == 0
    con.execute("insert into _migrations values ('toy/m999_future', '2027-01-01')")
    con.commit()
    r = CliRunner().invoke(cli, ["--db", str(db), "toy-notes", "add", "z"])
    assert r.exit_code == 2
    assert "made by a newer version of the plugin set toy (migration toy/m999_future" in r.stderr


def test_the_toy_paper_works_from_the_tui(paper, tmp_path, monkeypatch):
    """Its generator and judge are Jobs with their own options in the form, run from the TUI as the
    CLI in a child process (which finds the package the way the site's install would)."""
    from onprem import jobs
    from tests.tui.tuihelp import drive, until

    writer, judge, pkg = paper
    monkeypatch.setenv("PYTHONPATH", str(pkg.parent))
    kinds = jobs.job_kinds()
    assert "--count" in {o.flag for o in kinds["generate:toy-paper"].options()} and "judge:toy-warmth" in kinds
    db = tmp_path / "tui.db"
    assert invoke(db, "toy-notes", "add", "x").exit_code == 0       # a database with the paper's table

    async def scenario(pilot):
        screen = pilot.app.screen
        out = []
        for kind, model in (("generate:toy-paper", writer), ("judge:toy-warmth", judge)):
            screen.query_one("#job-kind").value = kind
            await pilot.pause()
            screen.query_one("#job-model").value = model
            if kind.startswith("generate"):
                count = next(w for w, flag in screen.option_flags.items() if flag == "--count")
                screen.query_one(f"#{count}").value = "3"
            screen.action_start()
            await until(pilot, lambda: screen.proc is None, f"the {kind} job to end")
            out.append((screen.state, dict(screen.counts), list(screen.query_one("#job-log").lines)))
        return out

    (gen_state, gen_counts, gen_log), (judge_state, judge_counts, judge_log) = drive(db, scenario, start="jobs")
    assert gen_state == "done" and gen_counts["ended"] == 3, gen_log
    assert judge_state == "done" and judge_counts == {"done": 3, "failed": 0}, judge_log
