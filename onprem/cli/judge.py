"""`onprem judge NAME`: one subcommand per registered judge, each scoring its rubric on a local model.

Every judge gets --model, --seed, --temperature, --retries, --n-ctx, --limit, --criteria,
--list-criteria, --force and --progress, plus its own options; the loop is judges/runner.py.
"""

from __future__ import annotations

import click

from onprem.cli.options import RegistryGroup, build, component_command, frame


def _common(judge) -> list[click.Option]:
    model, *rest = frame("Judge model [default: the registry's judge model, else its default].")
    model = click.Option(["--model", "--judge-model", "model_name"], metavar="NAME|PATH", help=model.help)
    return [
        model, *rest,
        click.Option(["--temperature"], default=judge.temperature, show_default=True, type=float),
        click.Option(["--retries"], default=2, show_default=True, type=click.IntRange(0, 10),
                     help="Extra attempts when the output is invalid."),
        click.Option(["--n-ctx"], default=judge.n_ctx, show_default=True, type=click.IntRange(1024),
                     help="Model context size."),
        click.Option(["--limit"], type=click.IntRange(1), help="Judge at most this many targets."),
        click.Option(["--criteria"], metavar="KEY,...", help="Score only these criteria (see --list-criteria)."),
        click.Option(["--list-criteria"], is_flag=True, help="Print the rubric's criteria and exit."),
        click.Option(["--force"], is_flag=True, help="Judge again targets that already have a judgment (old ones superseded)."),
    ]


def run(ctx: click.Context, judge, values: dict) -> None:
    from onprem.job_frame import run_job
    from onprem.judges.runner import JudgeJob

    rubric = judge.rubric
    if values["list_criteria"]:
        scale = rubric.scale
        click.echo(f"{rubric.name} version {rubric.version}, scale {scale.lo}-{scale.hi} ({scale.kind})")
        for c in rubric.criteria:
            click.echo(f"{c.key:<22} {c.group:<10} {c.question}")
        return
    if values["criteria"]:
        try:
            rubric = rubric.subset([k.strip() for k in values["criteria"].split(",") if k.strip()])
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--criteria") from e
    opts = build(judge.Options, values)
    check_generator(getattr(opts, "generator", None))
    job = JudgeJob(judge, rubric, opts, seed=values["seed"], temperature=values["temperature"],
                   retries=values["retries"], force=values["force"], limit=values["limit"],
                   model_spec=values["model_name"],
                   load={"n_ctx": values["n_ctx"], "threads": values["threads"], "parallel": values["parallel"],
                         "verify": values.get("verify", False)})
    ctx.exit(run_job(ctx.obj.store(), job, values["progress_mode"]))


def command_for(judge) -> click.Command:
    return component_command(judge, _common(judge), run)


@click.group(cls=RegistryGroup, kind="judge", build=command_for)
def judge():
    """Score stored dialogues, segments, pairs or responses with a rubric (one subcommand per registered judge)."""


COMMANDS = [judge]


def check_generator(name: str | None) -> None:
    """--generator names a producer of dialogues: a registered generator, real sessions
    (import-dialogues) or the evaluation conversations of eval simulate. Anything else is a typo,
    which would otherwise judge nothing and say "0 to do"."""
    if name is None:
        return
    from onprem import plugins
    from onprem.vocab import EVALUATION_GENERATORS, REAL_GENERATOR

    known = [*plugins.generators(), REAL_GENERATOR, *EVALUATION_GENERATORS]
    if name not in known:
        raise click.BadParameter(f"no generator {name!r} (one of: {', '.join(sorted(known))})",
                                 param_hint="--generator")
