"""`onprem tui` (opens on the Overview) and `onprem review` (opens on the review queue)."""

from __future__ import annotations

from pathlib import Path

import click

from onprem import config
from onprem.errors import UserError


def _run(ctx: click.Context, start: str, keys: Path | None, rater: str | None = None) -> None:
    path = config.db_path(ctx.obj.db)
    if not path.exists():
        raise UserError(f"{path}: no database here; run `onprem paraphrase` or `onprem import` first, "
                        f"or point --db at one")
    from tui.app import load_keymap, make_app

    app = make_app(path, start_screen=start, keymap=load_keymap(keys), actor=rater, debug=ctx.obj.debug)
    app.run()
    if app.return_code:           # a crash is not a clean exit
        ctx.exit(app.return_code)


keys_option = click.option("--keys", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help='JSON keymap of binding id -> key, e.g. {"review.approve": "y"} (see `?`).')


rater_option = click.option("--rater", metavar="NAME",
                            help="Your name on every decision, label and ranking [default: your login name].")


@click.command()
@keys_option
@rater_option
@click.pass_context
def tui(ctx, keys, rater):
    """Browse, review, search, run jobs, export, rank and label in a terminal UI."""
    _run(ctx, "overview", keys, rater)


@click.command()
@keys_option
@rater_option
@click.pass_context
def review(ctx, keys, rater):
    """Open the terminal UI on the review queue (flagged pairs and pending findings)."""
    _run(ctx, "review", keys, rater)


COMMANDS = [tui, review]
