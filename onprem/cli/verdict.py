"""A validated data file's verdict, the same for every kind of file a paper samples or reads."""

from __future__ import annotations

import click


def report(ctx, file, good: list, errors: list[str], noun: str) -> None:
    """A validated file's verdict: one line per bad row on stderr, the counts, exit 1 if any was bad."""
    from onprem.errors import EXIT_PARTIAL

    for e in errors:
        click.echo(f"onprem: {e}", err=True)
    click.echo(f"{file}: {len(good)} valid {noun}, {len(errors)} rejected")
    if errors:
        ctx.exit(EXIT_PARTIAL)
