"""`onprem profiles sample pe --n N --seed S`: sampled client profiles (Thousand Voices of Trauma)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def profiles():
    """Sampled client profiles for the generators."""


@profiles.command()
@click.argument("kind", type=click.Choice(["pe"]))
@click.option("--n", "n", required=True, type=click.IntRange(1, 1_000_000), help="How many profiles.")
@click.option("--seed", default=42, show_default=True, type=int, help="The same seed and N give the same profiles.")
@click.option("--preset", type=click.Choice(["paper", "reported"]), default="paper", show_default=True,
              help="paper: the gender weights the paper states; reported: the shares of its 500 released profiles.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also write them as JSONL (owner-only; an existing file only with --force).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.pass_context
def sample(ctx, kind, n, seed, preset, out, force):
    """Draw N profiles (client, therapist, session context) from the distributions in onprem/profiles/data."""
    from onprem.dialogue import store as dstore
    from onprem.fsutil import json_line, write_private
    from onprem.profiles import pe

    from onprem import config
    from onprem.fsutil import check_output

    if out:
        check_output(out, force=force, db=config.db_path(ctx.obj.db))
    drawn = pe.sample(n, seed, preset)
    store = ctx.obj.store()
    with store.atomic():
        for p in drawn:
            dstore.ensure_case(store, "pe", p["profile_id"], title=p["profile_id"], facts=p)
    if out:
        write_private(out, lambda f: sum(f.write(json_line(p)) > 0 for p in drawn))
    click.echo(f"{n} profiles (seed {seed}, preset {preset}) stored as cases of generator pe"
               + (f" and written to {out}" if out else ""))


@profiles.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def validate(ctx, file):
    """Check a profile file row by row (one line per bad row)."""
    from onprem.profiles import pe

    report(ctx, file, *pe.read_file(file), noun="profiles")


def report(ctx, file, good: list, errors: list[str], noun: str) -> None:
    """A validated file's verdict: one line per bad row on stderr, the counts, exit 1 if any was bad."""
    from onprem.errors import EXIT_PARTIAL

    for e in errors:
        click.echo(f"onprem: {e}", err=True)
    click.echo(f"{file}: {len(good)} valid {noun}, {len(errors)} rejected")
    if errors:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [profiles]
