"""`onprem export`: release reviewed, filtered, redacted data in a registered format (onprem.release)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from onprem.cli.options import seed_attrs


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


MIX_FLAGS = ("total", "real_ratio", "seed", "stratify", "synthetic_from")


def export_callback(fmt, out, force, reviewed_only, include_flagged, include_uncertain, mix, total, real_ratio, seed,
                    stratify, synthetic_from, **extra):
    """Write releasable pairs or dialogues; the release is recorded in the audit log.

    --mix draws a real + synthetic training set: exactly round(total x real ratio) real items (real
    sessions or pairs from transcripts) and the rest synthetic, seeded, with a manifest beside --out."""
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
    mixing = None
    if mix:
        from onprem.release.mix import Mix

        if total is None:
            raise click.UsageError("--mix needs --total N")
        mixing = Mix(total=total, real_ratio=real_ratio, seed=seed, stratify=stratify,
                     synthetic_from=tuple(g.strip() for g in (synthetic_from or "").split(",") if g.strip()))
    else:
        given = [n for n in MIX_FLAGS if ctx.get_parameter_source(n).name == "COMMANDLINE"]
        if given:
            raise click.UsageError(f"{flag(given[0])} is an option of --mix")
    store = ctx.obj.store(reading=True)
    done = release(store, fmt, out, Policy(reviewed_only=reviewed_only, include_flagged=include_flagged,
                                             include_uncertain=include_uncertain),
                   actor=current_actor(), stdout=sys.stdout, opts=opts, mix=mixing, force=force)
    held = ", ".join(f"{k} {v}" for k, v in sorted(done.selection.held.items())) or "none"
    click.echo(f"exported {done.written} {done.noun} ({fmt}) to {out or 'standard output'}; held back: {held}; "
               f"sha256 {done.sha256[:12]}…", err=True)
    if mixing is not None:
        from onprem.release import manifest_path

        n_real, n_syn = mixing.counts()
        click.echo(f"mix: {n_real} real + {n_syn} synthetic (real ratio {n_real / max(done.written, 1):.3f}), seed "
                   f"{mixing.seed}; manifest {manifest_path(out)}", err=True)
    if not done.audited:
        click.echo(f"warning: the database is read-only, so this release is not in its audit log; keep this line: "
                   f"{fmt} {done.written} {done.noun} sha256 {done.sha256}", err=True)
    if done.selection.flagged_included:
        click.echo(f"warning: {done.selection.flagged_included} released {done.unit} have identifier findings "
                   f"(--include-flagged)", err=True)


export = click.Command("export", callback=export_callback, help=export_callback.__doc__, params=[
    click.Option(["--format", "fmt"], type=FormatChoice(), default="mentalchat16k", show_default=True,
                 help="A registered writer: mentalchat16k, csv (pairs); messages, sqpsychconv, pe, epitome "
                      "(dialogues); `onprem plugins` lists them all."),
    click.Option(["--out"], type=click.Path(path_type=Path),
                 help="File to write (created owner-only) [default: standard output]; a directory for a set of files. "
                      "Never the database; an existing file only with --force."),
    click.Option(["--force"], is_flag=True, help="Overwrite an existing --out file (or a set's files)."),
    click.Option(["--reviewed-only"], is_flag=True, help="Release only pairs (or dialogues) a person approved."),
    click.Option(["--include-flagged"], is_flag=True,
                 help="Also release pairs or dialogues with unresolved identifier findings (counted)."),
    click.Option(["--include-uncertain"], is_flag=True,
                 help="Also release pairs whose page has uncertain findings nobody decided yet (decide them in "
                      "`onprem tui`, Review, key i)."),
    click.Option(["--mix"], is_flag=True, help="A real + synthetic training set (see --total, --real-ratio)."),
    click.Option(["--total"], type=click.IntRange(1), help="--mix: items in the set."),
    click.Option(["--real-ratio"], type=click.FloatRange(0, 1), default=0.6, show_default=True,
                 help="--mix: share of real items."),
    click.Option(["--seed"], **seed_attrs("--mix: the seed of the draw.")),
    click.Option(["--stratify"], type=click.Choice(["topic"]), help="--mix: keep each side's topics in proportion."),
    click.Option(["--synthetic-from"], metavar="GEN,...", help="--mix: synthetic items only from these generators."),
    *writer_options().values(),
])


COMMANDS = [export]
