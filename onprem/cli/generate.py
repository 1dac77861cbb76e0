"""`onprem generate NAME`: one subcommand per registered generator, built from its Options.

Every generator gets the same frame: --model (every role) and --ROLE-model per role, --seed, --n-ctx,
--threads, --force and --progress; the rest are its own options. A generator added by a plugin
appears here with no change to this file.
"""

from __future__ import annotations

import click

from onprem.cli.options import RegistryGroup, build, component_command, frame


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
    from onprem.generators.job import GenerateJob
    from onprem.job_frame import run_job

    opts = build(gen.Options, values)
    gen.validate(opts)
    ctx.exit(run_job(ctx.obj.store(), GenerateJob(gen, opts, values), values["progress_mode"]))


def command_for(gen) -> click.Command:
    return component_command(gen, _common(gen), run)


@click.group(cls=RegistryGroup, kind="generator", build=command_for)
def generate():
    """Generate synthetic therapy data on local models (one subcommand per registered generator)."""


COMMANDS = [generate]
