"""`onprem export`: release reviewed, filtered, redacted data in a registered format (onprem.release)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


class FormatChoice(click.Choice):
    """The registered writers, looked up when the command runs (a plugin's format is there too)."""

    def __init__(self):
        super().__init__([])

    @property
    def choices(self):
        from onprem import plugins

        return list(plugins.writers())

    @choices.setter
    def choices(self, value):
        pass


@click.command()
@click.option("--format", "fmt", type=FormatChoice(), default="mentalchat16k", show_default=True,
              help="A registered writer: mentalchat16k, csv (pairs); messages, sqpsychconv (dialogues); "
                   "`onprem plugins` lists them all.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (created owner-only) [default: standard output].")
@click.option("--reviewed-only", is_flag=True, help="Release only pairs (or dialogues) a person approved.")
@click.option("--include-flagged", is_flag=True, help="Also release pairs or dialogues with unresolved identifier findings (counted).")
@click.pass_context
def export(ctx, fmt, out, reviewed_only, include_flagged):
    """Write releasable pairs or dialogues; the release is recorded in the audit log."""
    from onprem.release import Policy, release
    from onprem.review import current_actor

    store = ctx.obj.store()
    done = release(store, fmt, out, Policy(reviewed_only=reviewed_only, include_flagged=include_flagged),
                   actor=current_actor(), stdout=sys.stdout)
    held = ", ".join(f"{k} {v}" for k, v in sorted(done.selection.held.items())) or "none"
    click.echo(f"exported {done.written} {done.noun} ({fmt}) to {out or 'standard output'}; held back: {held}; "
               f"sha256 {done.sha256[:12]}…", err=True)
    if done.selection.flagged_included:
        click.echo(f"warning: {done.selection.flagged_included} released {done.unit} have identifier findings "
                   f"(--include-flagged)", err=True)


COMMANDS = [export]
