"""`onprem import-dialogues PATH...`: real therapy sessions, redacted turn by turn, as dialogues."""

from __future__ import annotations

import click

from onprem.cli.options import STRICT_ATTRS
from onprem.events import progress_option


@click.command(name="import-dialogues")
@click.argument("paths", nargs=-1, required=True)
@click.option("--roles", default="therapist,client", show_default=True, metavar="THERAPIST,CLIENT",
              help="The speaker labels of the therapist and of the client in the files.")
@click.option("--pii-style", type=click.Choice(["placeholder", "surrogate"]), default="placeholder", show_default=True)
@click.option("--strict", **STRICT_ATTRS)
@click.option("--encoding", help="Read the files in this encoding instead of UTF-8.")
@progress_option
@click.pass_context
def import_dialogues(ctx, paths, roles, progress_mode, **_options):
    """Real sessions: transcripts split at speaker labels, every turn redacted, stored as dialogues
    marked real (generator `real`), scanned for anything the redaction left. The scan reports the
    uncertain findings too, so a session that has any is held back until a person decides them
    (unless --strict redacted them)."""
    from onprem.job_frame import run_job
    from onprem.pipeline.import_dialogues_job import ImportDialoguesJob

    labels = tuple(x.strip() for x in roles.split(","))
    if len(labels) != 2 or not all(labels) or labels[0].lower() == labels[1].lower():
        raise click.BadParameter("write two different labels, e.g. --roles counsellor,patient", param_hint="--roles")
    ctx.exit(run_job(ctx.obj.store, ImportDialoguesJob(paths, labels, ctx.params), progress_mode))


COMMANDS = [import_dialogues]
