"""`onprem export`: release reviewed, filtered, redacted data in the formats fine-tuning tools read."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from onprem.pipeline.export import FORMATS, Policy, export as run_export, unit


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="mentalchat16k", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (created owner-only) [default: standard output].")
@click.option("--reviewed-only", is_flag=True, help="Release only pairs (or dialogues) a person approved.")
@click.option("--include-flagged", is_flag=True, help="Also release pairs or dialogues with unresolved identifier findings (counted).")
@click.pass_context
def export(ctx, fmt, out, reviewed_only, include_flagged):
    """Write releasable pairs (mentalchat16k, csv) or dialogues (messages, sqpsychconv)."""
    store = ctx.obj.store()
    policy = Policy(reviewed_only=reviewed_only, include_flagged=include_flagged)
    n, sel = run_export(store, fmt, out, policy, stdout=sys.stdout)
    held = ", ".join(f"{k} {v}" for k, v in sorted(sel.held.items())) or "none"
    where = out if out else "standard output"
    click.echo(f"exported {n} {unit(fmt)} ({fmt}) to {where}; held back: {held}", err=True)
    if sel.flagged_included:
        click.echo(f"warning: {sel.flagged_included} released {unit(fmt)} have identifier findings (--include-flagged)",
                   err=True)


COMMANDS = [export]
