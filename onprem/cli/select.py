"""`onprem select`: keep the best generated sessions by their quality score; the rest become `filtered`."""

from __future__ import annotations

import click

from onprem.errors import UserError


@click.command(name="select")
@click.option("--generator", required=True, help="Whose sessions, e.g. hybrid or sqpsych.")
@click.option("--top", type=click.IntRange(1), help="Keep the K best sessions.")
@click.option("--min-score", type=click.FloatRange(1, 10), help="Keep sessions scoring at least this (1-10).")
@click.pass_context
def select_command(ctx, generator, top, min_score):
    """Keep the best sessions by `judge quality` (mean of coherence, realism, therapeutic value); mark the
    rest filtered with the reason (never deleted; a later selection can give them back)."""
    from onprem import selection
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


COMMANDS = [select_command]
