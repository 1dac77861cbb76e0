"""The `onprem` command line: one module per command group, registered below."""

from __future__ import annotations

import importlib
import signal
import sqlite3
import sys
from dataclasses import dataclass, field

import click

from onprem import __version__, config
from onprem.errors import EXIT_PARTIAL, EXIT_USAGE, UserError


@dataclass
class AppContext:
    db: str | None
    debug: bool
    _store: object = field(default=None, repr=False)

    def store(self, *, reading: bool = False):
        """The database. `reading`: a command that only reads (stats, export, tui) refuses a path with
        no database, and opens a read-only file or mount for reading instead of failing."""
        if self._store is None:
            from onprem.store import open_store

            path = config.db_path(self.db)
            self._store = (open_store(path, read_only=None, must_exist=True) if reading else open_store(path))
        return self._store


# The whole command line: command name -> the module in onprem/cli/ that defines it (in its COMMANDS).
# Modules are imported only when their command runs, so `onprem tui` does not pay for llama.cpp,
# Presidio or the exporters before its first screen (click's "lazy group" pattern).
COMMAND_MODULES = {
    "paraphrase": "paraphrase", "redact": "redact", "export": "export", "import": "importer",
    "stats": "stats", "models": "models", "generate": "generate",
    "judge": "judge", "eval": "eval", "tui": "tui", "review": "tui", "doctor": "doctor", "plugins": "plugins",
    "dedup": "dedup",
    "import-dialogues": "import_dialogues", "labels": "labels", "audit": "audit",
}


# What `onprem --help` says of each built-in command: the first paragraph of its help, kept here so
# the top-level help imports no command module (pydantic, the writers, the release gate). A test
# checks each against the command's own help.
COMMAND_HELP = {
    "audit": "A seeded random audit of synthetic pairs, decided in the review queue.",
    "dedup": "Mark near-duplicate pairs (status `duplicate`, with the nearest pair and the cosine); every item keeps "
             "its similarity to the nearest accepted one, so a new --threshold needs no re-embedding.",
    "doctor": "Check the installation, model checksums, spaCy model, file permissions, the offline guard and plugins.",
    "eval": "Evaluations: redaction against ground truth, judges against people, models against each other, and "
            "each paper's benchmarks (e.g. trajectory).",
    "export": "Write releasable pairs or dialogues; the release is recorded in the audit log.",
    "generate": "Generate synthetic therapy data on local models (one subcommand per registered generator).",
    "import": "Import question-answer pairs from JSONL or CSV files. Every question and answer is scanned for "
              "identifiers; a pair with any finding is stored as flagged and held back until a person decides.",
    "import-dialogues": "Real sessions: transcripts split at speaker labels, every turn redacted, stored as dialogues "
                        "marked real (generator `real`), scanned for anything the redaction left. The scan reports "
                        "the uncertain findings too, so a session that has any is held back until a person decides "
                        "them (unless --strict redacted them).",
    "judge": "Score stored dialogues, segments, pairs or responses with a rubric (one subcommand per registered judge).",
    "labels": "People's labels and ratings: import them from a file.",
    "models": "Local GGUF models: list, add, verify checksums, choose the default.",
    "paraphrase": "Paraphrase transcripts page by page into question-answer pairs.",
    "plugins": "List registered components (built-ins and plugins) and the package each comes from.",
    "redact": "Write a redacted copy of each transcript into --out, with a count report. No model needed.",
    "review": "Open the terminal UI on the review queue (flagged pairs and pending findings).",
    "stats": "Counts of sources, pages, pairs by status and dialogues; word-count distributions.",
    "tui": "Browse, review, search, run jobs, export, rank and label in a terminal UI.",
}


class PluginCommands(click.Group):
    """A group that also offers the commands plugins register for it (`register_commands`), each
    imported only when it runs. `plugin_group` names the group to plugins (None: the top level)."""

    plugin_group: str | None = None

    def _registered(self) -> dict:
        from onprem import plugins

        return {name: r for (group, name), r in plugins.commands().items() if group == self.plugin_group}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._registered()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = super().get_command(ctx, name)
        if found is not None:
            return found
        registered = self._registered().get(name)
        return registered.load() if registered is not None else None


class OnpremGroup(PluginCommands):
    """Loads each command's module on first use; turns UserError into one line on stderr and its exit
    code; --debug shows the traceback. `--db PATH` may also come after the command (`onprem stats
    --db x.db`): it is the group's option wherever it is written."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_db(args))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self._registered()})

    def format_commands(self, ctx: click.Context, formatter) -> None:
        """click's listing, from COMMAND_HELP and the help plugins register with their commands,
        importing a command's module only when neither has its words."""
        from click.utils import make_default_short_help

        registered = self._registered()
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            text = COMMAND_HELP.get(name) or (registered[name].details.get("help") if name in registered else None)
            if text is None:
                cmd = self.get_command(ctx, name)
                if cmd is None or cmd.hidden:
                    continue
                rows.append((name, cmd.get_short_help_str(limit)))
            else:
                rows.append((name, make_default_short_help(text, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMAND_MODULES:
            return super().get_command(ctx, name)
        module = importlib.import_module(f"onprem.cli.{COMMAND_MODULES[name]}")
        return next(c for c in module.COMMANDS if c.name == name)

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
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as e:
            if _missing_spacy_model(e) and not (ctx.obj is not None and ctx.obj.debug):
                click.echo(f"onprem: {e}", err=True)      # names the model and how to install it
                ctx.exit(EXIT_USAGE)
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(f"onprem: {unexpected(e, config.db_path(ctx.obj.db if ctx.obj is not None else None))}",
                       err=True)
            ctx.exit(EXIT_PARTIAL)


def hoist_db(args: list[str]) -> list[str]:
    """Move every `--db PATH` / `--db=PATH` written after the command to the front (no command has a
    --db of its own; after `--` nothing is an option)."""
    head, rest, i = [], [], 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        if a == "--db" and i + 1 < len(args):
            head += args[i:i + 2]
            i += 2
            continue
        if a.startswith("--db="):
            head.append(a)
        else:
            rest.append(a)
        i += 1
    return head + rest


def _missing_spacy_model(e: Exception) -> bool:
    """redaction's ModelNotInstalledError, mapped here once for every command (without importing the
    redaction stack to recognise it)."""
    return type(e).__name__ == "ModelNotInstalledError" and type(e).__module__.startswith("redaction")


def unexpected(e: Exception, db) -> str:
    """One line for a failure nobody planned for. Disk full, read-only database, a writer holding
    the lock get their advice; any other error is named by its type and where it happened, never by
    its message, which may quote a row of the database (a transcript, a pair). --debug shows it all."""
    from onprem.errors import where
    from onprem.store.db import explain

    if isinstance(e, (sqlite3.Error, OSError)):
        message = explain(e, db)
        if message is not None:
            return message
    if isinstance(e, sqlite3.Error):
        # SQLite's own messages name tables and columns, never values.
        return (f"{db}: database error ({e.__class__.__name__}: {e}); run `onprem doctor` to check the database, "
                f"--debug for details")
    return (f"unexpected error ({e.__class__.__name__}{where(e)}); nothing half-written was kept; run the command again "
            f"with --debug to see the details (they may quote your data)")


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


def _cancel(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    # SIGTERM cancels like Ctrl-C: the item in flight is rolled back, the run recorded as interrupted,
    # exit 130. The TUI cancels jobs with SIGTERM, because a process started from a non-interactive
    # shell inherits SIGINT as ignored and would run on.
    signal.signal(signal.SIGTERM, _cancel)
    cli(prog_name="onprem")


if __name__ == "__main__":
    sys.exit(main())
