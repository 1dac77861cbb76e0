"""Hybrid training data's commands: `onprem personas sample|validate` (personas, stored as the cases
`generate scenarios` reads), `onprem select` (the best sessions by quality score), and under `onprem
eval`: `simulate` (counsellor models role-played against one simulated patient) and `summary`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from onprem.cli.options import seed_attrs

from onprem.errors import UserError
from onprem.events import progress_option

GENERATOR = "scenarios"     # one scenario is generated per persona: personas are that generator's cases


@click.group()
def personas():
    """Personas (age, gender, occupation, cultural background, challenge, personality) for scenarios."""


@personas.command()
@click.option("--n", "n", required=True, type=click.IntRange(1, 1_000_000), help="How many personas.")
@click.option("--seed", **seed_attrs("The same seed and N give the same personas."))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also write them as JSONL (owner-only; an existing file only with --force).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.pass_context
def sample(ctx, n, seed, out, force):
    """Draw N personas from the value lists in onprem/papers/hybrid/data/personas.json."""
    from onprem.store import dialogues as dstore
    from onprem.fsutil import json_line, write_private
    from onprem.papers.hybrid import personas as ps

    from onprem import config
    from onprem.fsutil import check_output

    if out:
        check_output(out, force=force, db=config.db_path(ctx.obj.db))
    drawn = ps.sample(n, seed)
    store = ctx.obj.store()
    with store.atomic():
        for p in drawn:
            dstore.ensure_case(store, GENERATOR, p["persona_id"], title=p["persona_id"], facts=p)
    if out:
        write_private(out, lambda f: sum(f.write(json_line(p)) > 0 for p in drawn))
    click.echo(f"{n} personas (seed {seed}) stored for generate scenarios" + (f" and written to {out}" if out else ""))


@personas.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def validate(ctx, file):
    """Check a persona file row by row (one line per bad row)."""
    from onprem.cli.verdict import report
    from onprem.papers.hybrid import personas as ps

    report(ctx, file, *ps.read_file(file), noun="personas")


@click.command(name="select")
@click.option("--generator", required=True, help="Whose sessions, e.g. hybrid or sqpsych.")
@click.option("--top", type=click.IntRange(1), help="Keep the K best sessions.")
@click.option("--min-score", type=click.FloatRange(1, 10), help="Keep sessions scoring at least this (1-10).")
@click.pass_context
def select_command(ctx, generator, top, min_score):
    """Keep the best sessions by `judge quality` (mean of coherence, realism, therapeutic value); mark the
    rest filtered with the reason (never deleted; a later selection can give them back)."""
    from onprem.papers.hybrid import selection
    from onprem.runs import recorded_run

    if (top is None) == (min_score is None):
        raise click.UsageError("give exactly one of --top K or --min-score S")
    store = ctx.obj.store()
    with recorded_run(store, "select", params={"generator": generator, "top": top, "min_score": min_score}) as rec:
        stats = selection.select_sessions(store, generator, top=top, min_score=min_score, run_id=rec.id)
        rec.stats, rec.status = stats, "done"
    if not stats["sessions"]:
        raise UserError(f"no {generator} sessions to select from")
    click.echo(f"select run {rec.id}: {stats['scored']} of {stats['sessions']} {generator} sessions scored; "
               f"kept {stats['kept']}, filtered {stats['filtered']}"
               + (f"; {stats['unscored']} have no quality score (run onprem judge quality)" if stats["unscored"] else ""))


@click.command()
@click.option("--situations", "situations_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help='JSONL {"id": ..., "situation": ...} per line.')
@click.option("--counsellor-model", "counsellors", multiple=True, required=True, metavar="NAME|PATH",
              help="A counsellor model to compare; repeatable.")
@click.option("--patient-model", metavar="NAME|PATH", help="The simulated patient [default: the registry's default].")
@click.option("--turns", default=10, show_default=True, type=click.IntRange(2, 100), help="Turns per conversation.")
@click.option("--seed", **seed_attrs())
@click.option("--threads", type=click.IntRange(1), help="CPU threads [default: $ONPREM_THREADS or all cores].")
@progress_option
@click.pass_context
def simulate(ctx, situations_path, counsellors, patient_model, turns, seed, threads, progress_mode):
    """Role-play every situation once per counsellor model with the same simulated patient; score them
    with `onprem judge empathy-relevance`, then `onprem eval summary RUN`."""
    from onprem.job_frame import run_job
    from onprem.papers.hybrid.simulate import SimulateJob

    job = SimulateJob(situations_path, counsellors, patient_model, turns, seed, threads)
    ctx.exit(run_job(ctx.obj.store(), job, progress_mode))


@click.command()
@click.argument("run_id", metavar="RUN", type=int)
@click.option("--distribution", is_flag=True, help="Also the SD and the count of each score 1-10 behind the figures.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def summary(ctx, run_id, distribution, as_json):
    """Per counsellor model: n, average, median, min and max of empathy and relevance (RUN: an eval
    simulate run or a judge empathy-relevance run)."""
    from onprem.papers.hybrid.simulate import summary as summarise

    result = summarise(ctx.obj.store(), run_id, distribution)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo("| model | criterion | n | avg | median | min | max |" + (" SD | scores 1..10 |" if distribution else ""))
    click.echo("|---|---|---|---|---|---|---|" + ("---|---|" if distribution else ""))
    for model, crits in result.items():
        for crit, d in crits.items():
            extra = ""
            if distribution:
                sd = "-" if d["sd"] is None else f"{d['sd']:.2f}"
                extra = f" {sd} | {' '.join(str(d['counts'][str(k)]) for k in range(1, 11))} |"
            click.echo(f"| {model} | {crit} | {d['n']} | {d['avg']:.2f} | {d['median']:.2f} | {d['min']:g} | {d['max']:g} |"
                       + extra)
