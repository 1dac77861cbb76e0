"""`onprem redact PATH... --out DIR`: redacted copies of transcripts, without the model.

Each transcript is read exactly as `onprem paraphrase` reads it, redacted as one document (so
`[PERSON_1]` is the same person throughout the file) and written to DIR under its own file name,
owner-only and atomically. A per-entity-type count report is printed and, with --report, written
as JSON. Neither the copies' originals nor the placeholder map are written anywhere: the report
holds counts only.
"""

from __future__ import annotations

from pathlib import Path

import click

from onprem.cli.options import STRICT_ATTRS
from onprem.events import progress_option


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the redacted copies (created owner-only).")
@click.option("--pii-style", type=click.Choice(["placeholder", "surrogate"]), default="placeholder",
              show_default=True, help="Replace identifiers with [TYPE_n] placeholders or realistic fakes.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the per-entity-type counts as JSON (owner-only).")
@click.option("--strict", **STRICT_ATTRS)
@click.option("--model", "model_name", metavar="NAME",
              help="Also ask this local instruct model what in the redacted text still looks identifying; "
                   "its answers join the uncertain findings (never redacted without --strict).")
@click.option("--encoding", help="Read transcripts in this encoding instead of UTF-8.")
@click.option("--force", is_flag=True, help="Overwrite redacted copies or a --report file that already exist.")
@progress_option
@click.pass_context
def redact(ctx, paths, out_dir, progress_mode, **_options):
    """Write a redacted copy of each transcript into --out, with a count report. No model needed."""
    from onprem import config
    from onprem.job_frame import run_job
    from onprem.pipeline.redact_job import RedactJob

    db = config.db_path(ctx.obj.db if ctx.obj is not None else None)
    ctx.exit(run_job(None, RedactJob(paths, out_dir, ctx.params, db), progress_mode))


COMMANDS = [redact]
