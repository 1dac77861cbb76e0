"""`onprem plugins`: every registered backend, generator, judge and writer, and where it comes from."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per component.")
def plugins(as_json):
    """List registered components (built-ins and plugins) and the package each comes from."""
    from onprem import plugins as registry

    found = registry.everything()
    if as_json:
        for r in found:
            click.echo(json.dumps({"kind": r.kind, "name": r.name, "origin": r.origin}))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("kind", "name", "what", "from", box=None)
    for r in found:
        what = getattr(r.component, "help", "") or getattr(r.component, "__doc__", "") or ""
        table.add_row(r.kind, r.name, what.split("\n")[0][:60], r.origin)
    Console().print(table)


COMMANDS = [plugins]
