"""`onprem generate NAME`: one subcommand per registered generator, built from its Options.

Every generator gets the same frame: --model (every role) and --ROLE-model per role, --seed, --n-ctx,
--threads, --force and --progress; the rest are its own options. A generator added by a plugin
appears here with no change to this file.
"""

from __future__ import annotations

import click

from onprem.cli.options import RegistryGroup, build, component_command, frame
from onprem.errors import EXIT_PARTIAL
from onprem.events import progress


def _common(gen) -> list[click.Option]:
    roles = [click.Option([f"--{r}-model", f"{r}_model"], metavar="NAME|PATH",
                          help=f"Model for the {r} [default: --model, else the registry's {r} model, else its default].")
             for r in gen.roles]
    model, *rest = frame("Model for every role [default: the registry's default].")
    return [
        model, *roles, *rest,
        click.Option(["--n-ctx"], default=gen.n_ctx, show_default=True, type=click.IntRange(512),
                     help="Model context size."),
        click.Option(["--force"], is_flag=True,
                     help="Redo cases that already have a dialogue (old ones are kept as superseded)."),
    ]


def run(ctx: click.Context, gen, values: dict) -> None:
    from onprem.dialogue.scan import load_analyzer
    from onprem.generators.runner import new_tally, run_cases, summary_line
    from onprem.model.factory import open_models
    from onprem.runs import recorded_run, slow_note

    opts = build(gen.Options, values)
    gen.validate(opts)
    store = ctx.obj.store()
    prepared = gen.from_store(store, gen.prepare(opts, values["seed"]), opts)   # bad rows named before any model loads
    for w in prepared.warnings:
        click.echo(f"warning: {w}", err=True)
    for e in prepared.errors:
        click.echo(f"onprem: {e}", err=True)
    if not prepared.cases:
        click.echo(f"onprem: {prepared.empty}", err=True)
        ctx.exit(EXIT_PARTIAL)
    specs = {r: values.get(f"{r}_model") or values["model_name"] for r in gen.roles}
    side_by_side = len(prepared.cases) * (1 if gen.chained(opts) else max(len(c.segments) for c in prepared.cases))
    models = open_models(specs, n_ctx=values["n_ctx"], threads=values["threads"], parallel=values["parallel"],
                         verify=values.get("verify", False), items=side_by_side)
    analyze = load_analyzer(store)   # each dialogue is stored with its identifier findings, ready for review
    params = {**gen.params(opts), "n_ctx": values["n_ctx"],
              "models": {r: {"name": m.name, "sha256": m.sha256} for r, m in models.items()}}
    with recorded_run(store, f"generate {gen.name}", models=models, seed=values["seed"], prompts=gen.prompts(),
                      params=params) as rec, \
            progress(f"generate {gen.name}", gen.name, new_tally(gen).shown, values["progress_mode"]) as bar:
        rec.stats = dict(prepared.stats)
        gen.save_inputs(store, prepared, opts)
        tally = new_tally(gen)
        try:
            run_cases(store, gen, prepared.cases, opts, models, seed=values["seed"], run_id=rec.id,
                      params=params, force=values["force"], progress=bar, scan=analyze, tally=tally)
        finally:
            rec.stats.update(tally.as_dict())
        slow = slow_note(store, rec.id, next(iter(models.values())), tally.tokens_per_second) if tally.tokens else None
        if slow:
            bar.note(f"note: {slow}")
        bad = bool(prepared.errors or tally.failed)
        rec.status = "partial" if bad else "done"
        bar.done(f"run {rec.id}: " + summary_line(gen, tally, len(prepared.cases), len(prepared.errors)),
                 counts=tally.counts(), run_id=rec.id, exit_code=EXIT_PARTIAL if bad else 0)
    if bad:
        ctx.exit(EXIT_PARTIAL)


def command_for(gen) -> click.Command:
    return component_command(gen, _common(gen), run)


@click.group(cls=RegistryGroup, kind="generator", build=command_for)
def generate():
    """Generate synthetic therapy data on local models (one subcommand per registered generator)."""


COMMANDS = [generate]
