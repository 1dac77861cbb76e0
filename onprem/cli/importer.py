"""`onprem import FILE --format mentalchat16k`: existing pairs in, to browse, review and mix."""

from __future__ import annotations

from pathlib import Path

import click

from onprem.errors import EXIT_PARTIAL
from onprem.pipeline import wordfilter


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["mentalchat16k"]), default="mentalchat16k", show_default=True,
              help="instruction/input/output rows as JSONL or CSV.")
@click.option("--min-words", default=0, show_default=True, type=click.IntRange(0),
              help="Apply the word filter to imported pairs too (0: keep all).")
@click.option("--min-words-mode", type=click.Choice(wordfilter.MODES), default="each", show_default=True)
@click.pass_context
def import_(ctx, files, fmt, min_words, min_words_mode):
    """Import question-answer pairs from JSONL or CSV files. Every question and answer is scanned for
    identifiers; a pair with any finding is stored as flagged and held back until a person decides."""
    from redaction import Redactor

    from onprem.errors import InputError
    from onprem.pipeline.importer import import_pairs

    from onprem.runs import check_sound, ensure_no_running_job

    store = ctx.obj.store()
    check_sound(store)             # never write into a damaged file
    ensure_no_running_job(store)   # one writer at a time: name the job that holds the database
    redactor = Redactor.load()

    def scan(text: str) -> list:
        sure, unsure = redactor.analyze_with_uncertain(text)
        return sure + unsure

    problems = 0
    for path in files:
        try:
            res = import_pairs(store, path, min_words, min_words_mode, scan=scan)
        except InputError as e:
            problems += 1
            click.echo(f"onprem: {e}", err=True)
            continue
        if res.duplicate:
            click.echo(f"{path}: already imported as source {res.source_id}; skipped")
            continue
        for line in res.row_errors[:20]:
            click.echo(f"onprem: {line}", err=True)
        if len(res.row_errors) > 20:
            click.echo(f"onprem: … and {len(res.row_errors) - 20} more bad rows", err=True)
        problems += bool(res.row_errors)
        click.echo(f"{path}: imported {res.imported} pairs as source {res.source_id}"
                   + (f" ({res.filtered} filtered)" if res.filtered else "")
                   + (f"; {res.flagged} flagged for identifier findings, held back until reviewed "
                      f"(`onprem tui`, Review)" if res.flagged else "")
                   + (f"; {len(res.row_errors)} rows skipped" if res.row_errors else ""))
    if problems:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [import_]
