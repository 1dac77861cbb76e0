"""`onprem eval quality --models A,B [-n N] COMMAND [ARGS]...`: the same N inputs of one generator (or
of paraphrase) on each model, measured side by side and stored as a run; `onprem eval quality-report`
prints stored reports side by side, so two models or two prompts can be compared later.

COMMAND ARGS are what you would give `onprem generate` or `onprem paraphrase`:
    onprem eval quality --models gemma3-270m,smollm2-135m -n 4 paraphrase examples/transcripts
    onprem eval quality --models smollm2-135m,qwen2.5-coder-1.5b -n 2 generate pe --profiles 2 --phases 1-2
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import click

from onprem.cli.options import PARALLEL_DECLS, parallel_attrs, seed_attrs
from onprem.errors import EXIT_PARTIAL, UserError
from onprem.events import PROGRESS_ATTRS, PROGRESS_DECLS, progress

ROWS = (  # (label, path in the report, format)
    ("items", "items", "d"), ("valid", "valid", "%"), ("turns ok", "turns_ok", "%"), ("usable", "usable", "%"),
    ("prompt copy", "prompt_copy", "%"), ("source copy", "source_copy", "%"), ("grounding", "grounding", ".2f"), ("facts used", "facts_used", ".2f"),
    ("role errors", "role_errors", "%"), ("repetition", "repetition", "map"), ("length", "length", "length"),
    ("filtered", "filtered", "map"), ("judge parsed", "judge", "judge"), ("tokens/s", "tokens_per_second", ".1f"),
)


def parse_models(_ctx, _param, value: str) -> list[str]:
    names = [m.strip() for m in value.split(",") if m.strip()]
    if not names:
        raise click.BadParameter("name one or more models, comma-separated: e.g. gemma3-270m,smollm2-135m")
    return names


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--models", required=True, callback=parse_models, metavar="A,B,...",
              help="Models to compare (registered names or GGUF paths); each plays every role.")
@click.option("-n", "--n", "n", default=4, show_default=True, type=click.IntRange(1),
              help="Inputs per model: pages for paraphrase, cases (clients, cells, queries) for a generator.")
@click.option("--seed", **seed_attrs("Seed of every model's run (the same inputs)."))
@click.option("--judge", "judge_name", metavar="NAME",
              help="Judge run over each model's output with that model [default: the generator's judge; "
                   "EPITOME for pairs]; its parse rate is reported.")
@click.option("--no-judge", is_flag=True, help="Skip the judge.")
@click.option("--n-ctx", default=4096, show_default=True, type=click.IntRange(512), help="Model context size.")
@click.option("--threads", type=click.IntRange(1), help="CPU threads [default: $ONPREM_THREADS or all cores].")
@click.option(*PARALLEL_DECLS, **parallel_attrs())
@click.option("--split", type=click.Choice(["all", "dev", "held-out"]), default="all", show_default=True,
              help="paraphrase: only the transcripts of one half, by a hash of the file name: tune a prompt on "
                   "dev, report it on held-out (generators: use another --seed for held-out inputs).")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path),
              help="Keep each model's output in a database in this folder (to read in the TUI with --db).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(*PROGRESS_DECLS, **PROGRESS_ATTRS)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_context
def quality(ctx, models, n, seed, judge_name, no_judge, n_ctx, threads, parallel, split, keep, as_json, progress_mode,
            command):
    """One generator (or paraphrase) on the same N seeded inputs per model, side by side: structurally
    valid, usable, filtered and why, copy of the prompt and of the source, grounding, repetition,
    role errors, lengths, judge parse rate and tokens/s. Stored as a run (see eval quality-report)."""
    from onprem.evals.quality_job import Frame
    from onprem.runs import recorded_run

    name, args = _command(command)
    job = _prepare(ctx, name, args, split)
    judge = None if no_judge else (judge_name or default_judge(name, job["produces"]))
    store = ctx.obj.store()
    scratch = keep or Path(tempfile.mkdtemp(prefix="onprem-quality-"))
    scratch.mkdir(parents=True, exist_ok=True)
    report, errors = {}, []
    with recorded_run(store, f"eval quality {name}", seed=seed, prompts=job["prompts"],
                      params={"command": [name, *args], "models": models, "n": n, "seed": seed, "judge": judge, "split": split,
                              "options": job["params"],
                              "prompt_files": {p.label: p.sha256 for p in job["prompts"]}}) as rec, \
            progress(f"eval quality {name}", f"quality {name}", (), progress_mode) as bar:
        frame = Frame(n=n, seed=seed, n_ctx=n_ctx, threads=threads, parallel=parallel, scratch=scratch,
                      judge=judge, progress=bar)
        for model in models:
            try:
                report[model] = job["run"](model, frame, store)
            except UserError as e:
                errors.append(f"{model}: {e}")
                bar.note(f"onprem: {model}: {e}")
            finally:
                rec.stats = {"quality": report, "errors": errors}
        rec.status = "partial" if errors else "done"
        bar.done(f"run {rec.id}: {name} on {len(report)} of {len(models)} models, {n} inputs each",
                 run_id=rec.id, exit_code=EXIT_PARTIAL if errors else 0)
    if keep is None:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    click.echo(json.dumps({"run": rec.id, "command": name, "n": n, "report": report}, sort_keys=True) if as_json
               else table(report, title=f"eval quality {name}, {n} inputs per model (run {rec.id})"))
    if errors:
        ctx.exit(EXIT_PARTIAL)


def _command(command: tuple[str, ...]) -> tuple[str, list[str]]:
    args = list(command)
    if args[0] == "generate":
        args = args[1:]
    if not args:
        raise UserError("eval quality: name a generator (generate NAME ...) or paraphrase PATH...")
    return args[0], args[1:]


def _prepare(ctx, name: str, args: list[str], split: str) -> dict:
    """The command's own options parsed by its own command; a function running it on one model."""
    from onprem import plugins
    from onprem.cli.options import build

    if name == "paraphrase":
        return _prepare_paraphrase(ctx, args, split)
    if split != "all":
        raise UserError("--split chooses transcripts of paraphrase; for a generator's held-out inputs use another --seed")
    if name not in plugins.generators():
        raise UserError(f"eval quality: no generator {name!r} (one of: paraphrase, "
                        f"{', '.join(sorted(plugins.generators()))})")
    from onprem.cli.generate import command_for

    gen = plugins.generators()[name].load()
    values = command_for(gen).make_context(f"generate {name}", list(args), parent=ctx).params
    opts = build(gen.Options, values)
    gen.validate(opts)

    def run(model, frame, store):
        from onprem.evals.quality_job import run_generator

        return run_generator(gen, opts, model, frame, store)

    return {"produces": gen.produces, "prompts": gen.prompts(), "params": gen.params(opts), "run": run}


def in_split(path: Path, split: str) -> bool:
    """Half the files by the sha256 of the file name (stable across machines and copies): dev when
    its first byte is even."""
    import hashlib

    if split == "all":
        return True
    return (hashlib.sha256(path.name.encode()).digest()[0] % 2 == 0) == (split == "dev")


def _prepare_paraphrase(ctx, args: list[str], split: str) -> dict:
    import prompts
    from onprem.cli.paraphrase import options_from, paraphrase
    from onprem.pipeline import paraphrase as pp
    from onprem.pipeline.ingest import find_transcripts

    values = paraphrase.make_context("paraphrase", list(args), parent=ctx).params
    files = [f for f in find_transcripts(list(values["paths"])) if in_split(f, split)]
    if not files:
        raise UserError(f"no .txt or .md transcripts found in {', '.join(values['paths'])}"
                        + (f" (in the {split} split)" if split != "all" else ""))
    popts = options_from(values)
    state: dict = {}

    def run(model, frame, _store):
        from onprem.evals.quality_job import run_paraphrase
        from redaction import Redactor

        state.setdefault("redactor", Redactor.load())
        return run_paraphrase(files, popts, values["pii_style"], model, frame, state["redactor"])

    return {"produces": "pairs", "prompts": [prompts.load(pp.PROMPT_NAME)], "params": popts.params(), "run": run}


def default_judge(name: str, produces: str) -> str | None:
    from onprem import plugins
    from onprem.judges import judges_for

    if produces == "pairs":
        return "epitome" if "epitome" in plugins.judges() else None
    found = judges_for(name)
    own = [j for j in found if getattr(plugins.judges()[j].component, "generator", None) == name]
    return (own or found or [None])[0]      # the generator's own judge (SQPsych's, PE's distress) first


def cell(value, fmt: str) -> str:
    if value is None or value == {}:
        return "-"
    if fmt == "%":
        return f"{value:.0%}"
    if fmt == "d":
        return str(value)
    if fmt == "map":
        return ", ".join(f"{k} {cell(v, '.2f') if isinstance(v, float) else v}" for k, v in value.items())
    if fmt == "judge":
        if not value["n"]:
            return f"none to judge ({value['name']})"
        return f"{value['parsed']:.0%} of {value['n']} ({value['name']})"
    if fmt == "length":
        return "; ".join(f"{k.replace('_', ' ')} {s['median']} [{s['p10']}-{s['p90']}]"
                         for k, s in value.items() if s["n"]) or "-"
    return format(value, fmt)


def shown(columns: dict[str, dict]):
    """(label, cells) per measure; a row only one kind of output has (turns ok, grounding, facts
    used) is left out when no column has it."""
    for label, key, fmt in ROWS:
        vals = [r.get(key) for r in columns.values()]
        if all(v is None for v in vals) and key in ("turns_ok", "grounding", "facts_used"):
            continue
        yield label, [cell(v, fmt) for v in vals]


def markdown_table(columns: dict[str, dict]) -> str:
    lines = ["| measure | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(c.replace("|", "/") for c in cells) + " |" for label, cells in shown(columns)]
    return "\n".join(lines)


def table(columns: dict[str, dict], title: str) -> str:
    """Measures as rows, models (or runs) as columns; lengths are median [p10-p90]."""
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    t.add_column("measure")
    for name in columns:
        t.add_column(name, overflow="fold")
    for label, cells in shown(columns):
        t.add_row(label, *cells)
    console = Console(width=160, file=io.StringIO())
    console.print(t)
    return console.file.getvalue()


@click.command("quality-report")
@click.argument("runs", nargs=-1, type=int)
@click.option("--generator", "name", help="Only reports of this generator (or paraphrase).")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as one JSON list.")
@click.option("--markdown", is_flag=True, help="Print one Markdown table per run (for a report or the docs).")
@click.pass_context
def quality_report(ctx, runs, name, as_json, markdown):
    """Stored `eval quality` reports side by side, one column per run and model (all, or RUNS)."""
    from onprem.store.quality import quality_runs

    found = quality_runs(ctx.obj.store(reading=True), list(runs) or None, name)
    if runs and len(found) != len(set(runs)):
        missing = sorted(set(runs) - {r["id"] for r in found})
        raise UserError(f"no eval quality run {', '.join(map(str, missing))}; `onprem eval quality-report` lists them")
    if not found:
        raise UserError("no eval quality runs yet; run onprem eval quality --models A,B COMMAND ...")
    if as_json:
        click.echo(json.dumps(found, sort_keys=True))
        return
    if markdown:
        for r in found:
            click.echo(f"{' '.join(r['params'].get('command', []))} — n {r['params'].get('n')}, seed "
                       f"{r['params'].get('seed', '-')} (run {r['id']})\n")
            click.echo(markdown_table(r["report"]) + "\n")
        return
    columns = {f"run {r['id']} {m}": rep for r in found for m, rep in r["report"].items()}
    click.echo(table(columns, title="eval quality reports"))
    for r in found:
        files = ", ".join(f"{k} {v[:12]}" for k, v in r["params"].get("prompt_files", {}).items())
        click.echo(f"run {r['id']} ({r['started_at'][:16]}): {' '.join(r['params'].get('command', []))}; "
                   f"n {r['params'].get('n')}, seed {r['params'].get('seed', '-')}; prompts {files or '-'}")
