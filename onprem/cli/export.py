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


def writer_options() -> dict[str, click.Option]:
    """Every registered writer's own flags (its Options), once each: `onprem export` takes them all
    and passes a writer only its own (another format's flag is a usage error)."""
    from onprem import plugins
    from onprem.cli.options import options_of

    out: dict[str, click.Option] = {}
    for r in plugins.writers().values():
        if r.component.Options is not None:
            for o in options_of(r.component.Options):
                out.setdefault(o.name, o)
    return out


def export_callback(fmt, out, reviewed_only, include_flagged, **extra):
    """Write releasable pairs or dialogues; the release is recorded in the audit log."""
    from onprem.cli.options import build, flag
    from onprem.release import Policy, release, writer
    from onprem.review import current_actor

    ctx = click.get_current_context()
    w = writer(fmt)
    own = set(w.Options.model_fields) if w.Options is not None else set()
    for name, value in extra.items():
        source = ctx.get_parameter_source(name)
        if name not in own and source is not None and source.name == "COMMANDLINE":
            raise click.UsageError(f"{flag(name)} is not an option of --format {fmt}")
    opts = build(w.Options, extra) if w.Options is not None else None
    store = ctx.obj.store()
    try:
        done = release(store, fmt, out, Policy(reviewed_only=reviewed_only, include_flagged=include_flagged),
                       actor=current_actor(), stdout=sys.stdout, opts=opts)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    held = ", ".join(f"{k} {v}" for k, v in sorted(done.selection.held.items())) or "none"
    click.echo(f"exported {done.written} {done.noun} ({fmt}) to {out or 'standard output'}; held back: {held}; "
               f"sha256 {done.sha256[:12]}…", err=True)
    if done.selection.flagged_included:
        click.echo(f"warning: {done.selection.flagged_included} released {done.unit} have identifier findings "
                   f"(--include-flagged)", err=True)


export = click.Command("export", callback=export_callback, help=export_callback.__doc__, params=[
    click.Option(["--format", "fmt"], type=FormatChoice(), default="mentalchat16k", show_default=True,
                 help="A registered writer: mentalchat16k, csv (pairs); messages, sqpsychconv, pe, epitome "
                      "(dialogues); `onprem plugins` lists them all."),
    click.Option(["--out"], type=click.Path(path_type=Path),
                 help="File to write (created owner-only) [default: standard output]; a directory for a set of files."),
    click.Option(["--reviewed-only"], is_flag=True, help="Release only pairs (or dialogues) a person approved."),
    click.Option(["--include-flagged"], is_flag=True,
                 help="Also release pairs or dialogues with unresolved identifier findings (counted)."),
    *writer_options().values(),
])


COMMANDS = [export]
