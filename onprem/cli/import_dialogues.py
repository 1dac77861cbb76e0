"""`onprem import-dialogues PATH...`: real therapy sessions, redacted turn by turn, as dialogues."""

from __future__ import annotations

import click

from onprem.cli.options import STRICT_ATTRS
from onprem.errors import EXIT_PARTIAL, InputError, UserError


@click.command(name="import-dialogues")
@click.argument("paths", nargs=-1, required=True)
@click.option("--roles", default="therapist,client", show_default=True, metavar="THERAPIST,CLIENT",
              help="The speaker labels of the therapist and of the client in the files.")
@click.option("--pii-style", type=click.Choice(["placeholder", "surrogate"]), default="placeholder", show_default=True)
@click.option("--strict", **STRICT_ATTRS)
@click.option("--encoding", help="Read the files in this encoding instead of UTF-8.")
@click.pass_context
def import_dialogues(ctx, paths, roles, pii_style, strict, encoding):
    """Real sessions: transcripts split at speaker labels, every turn redacted, stored as dialogues
    marked real (generator `real`), scanned for anything the redaction left. The scan reports the
    uncertain findings too, so a session that has any is held back until a person decides them
    (unless --strict redacted them)."""
    from redaction import Redactor

    from onprem.pipeline.dialogues import import_session
    from onprem.pipeline.ingest import find_transcripts, read_document
    from onprem.runs import recorded_run

    labels = tuple(x.strip() for x in roles.split(","))
    if len(labels) != 2 or not all(labels) or labels[0].lower() == labels[1].lower():
        raise click.BadParameter("write two different labels, e.g. --roles counsellor,patient", param_hint="--roles")
    files = find_transcripts(list(paths))
    if not files:
        raise UserError(f"no .txt or .md transcripts found in {', '.join(paths)}")
    redactor = Redactor.load()

    def scan(text: str) -> list:
        sure, unsure = redactor.analyze_with_uncertain(text)
        return sorted(sure + unsure, key=lambda s: s.start)

    store = ctx.obj.store()
    failures = imported = skipped = 0
    with recorded_run(store, "import-dialogues", params={"roles": list(labels), "pii_style": pii_style,
                                                         "strict": strict}) as rec:
        for f in files:
            try:
                got = import_session(store, read_document(f, encoding), redactor=redactor, roles=labels,
                                     analyze=scan, run_id=rec.id, pii_style=pii_style, strict=strict)
            except InputError as e:
                failures += 1
                click.echo(f"onprem: {e}", err=True)
                continue
            if got.dialogue_id is None:
                skipped += 1
                click.echo(f"{f}: already imported")
                continue
            imported += 1
            red = ", ".join(f"{k} {v}" for k, v in sorted(got.redacted.items())) or "none"
            click.echo(f"{f}: dialogue {got.dialogue_id}, {got.turns} turns; redacted: {red}; "
                       f"{got.findings} findings left to review")
        rec.stats = {"files": len(files), "imported": imported, "already": skipped, "failed": failures}
        rec.status = "partial" if failures else "done"
    click.echo(f"run {rec.id}: {imported} sessions imported, {skipped} already there, {failures} failed")
    if failures:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [import_dialogues]
