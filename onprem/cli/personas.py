"""`onprem personas sample|validate`: Hybrid training-data personas, stored as the cases `generate scenarios` reads."""

from __future__ import annotations

from pathlib import Path

import click

GENERATOR = "scenarios"     # one scenario is generated per persona: personas are that generator's cases


@click.group()
def personas():
    """Personas (age, gender, occupation, cultural background, challenge, personality) for scenarios."""


@personas.command()
@click.option("--n", "n", required=True, type=click.IntRange(1, 1_000_000), help="How many personas.")
@click.option("--seed", default=42, show_default=True, type=int, help="The same seed and N give the same personas.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also write them as JSONL (owner-only; an existing file only with --force).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.pass_context
def sample(ctx, n, seed, out, force):
    """Draw N personas from the value lists in onprem/profiles/data/personas.json."""
    from onprem.dialogue import store as dstore
    from onprem.fsutil import json_line, write_private
    from onprem.profiles import personas as ps

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
    from onprem.profiles import personas as ps

    report(ctx, file, *ps.read_file(file), noun="personas")


COMMANDS = [personas]
