"""The `onprem` command line: one module per command group, registered below."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field

import click

from onprem import __version__, config
from onprem.errors import EXIT_PARTIAL, UserError


@dataclass
class AppContext:
    db: str | None
    debug: bool
    _store: object = field(default=None, repr=False)

    def store(self):
        if self._store is None:
            from onprem.store import open_store

            self._store = open_store(config.db_path(self.db))
        return self._store


class OnpremGroup(click.Group):
    """Turns UserError into one line on stderr and its exit code; --debug shows the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as e:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(f"onprem: {e}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("onprem: interrupted; finished pages are saved, run the same command to resume", err=True)
            ctx.exit(130)
        except (sqlite3.Error, OSError) as e:
            # Disk full, read-only database, a writer holding the lock: one line, not a traceback.
            from onprem.store.db import explain

            message = explain(e, config.db_path(ctx.obj.db if ctx.obj is not None else None))
            if message is None or (ctx.obj is not None and ctx.obj.debug):
                raise
            click.echo(f"onprem: {message}", err=True)
            ctx.exit(EXIT_PARTIAL)


@click.group(cls=OnpremGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", help="SQLite database file [default: $ONPREM_DB or ./onprem.db]")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(__version__, prog_name="onprem")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """Turn sensitive transcripts into training data on this machine only."""
    from onprem.offline import install_guard

    install_guard()
    ctx.obj = AppContext(db=db, debug=debug)


def _register() -> None:
    """Every command module exposes COMMANDS; this list is the whole command line."""
    from onprem.cli import (doctor, eval, export, generate, importer, judge, models, paraphrase,
                            questionnaires, redact, stats, tui)

    for module in (paraphrase, redact, export, importer, stats, models, questionnaires, generate, judge,
                   eval, tui, doctor):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="onprem")


if __name__ == "__main__":
    sys.exit(main())
