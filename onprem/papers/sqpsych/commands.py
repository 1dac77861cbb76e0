"""`onprem questionnaires list | show NAME | validate FILE | score RECORDS`."""

from __future__ import annotations

from pathlib import Path

import click

from onprem.errors import EXIT_PARTIAL


def _catalog(extra: Path | None):
    from onprem.papers.sqpsych.questionnaires import Catalog

    return Catalog.load([extra] if extra else None)


extra_dir_option = click.option(
    "--questionnaires", "extra", type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Another folder of instrument files (besides built-ins and $ONPREM_QUESTIONNAIRES_DIR).")


@click.group()
def questionnaires():
    """Questionnaires that ground client profiles (built-in PHQ-9, GAD-7, PCL-5, plus a site's own)."""


@questionnaires.command("list")
@extra_dir_option
def list_(extra):
    """Known instruments: items, answer range, total range and where each comes from."""
    cat = _catalog(extra)
    for name in cat.names():
        e = cat.entries[name]
        q = e.questionnaire
        lo, hi = q.total_range
        values = [o.value for o in q.scale]
        where = "built-in" if e.builtin else str(e.path)
        click.echo(f"{name:<8} {len(q.items):>3} items, answers {min(values)}-{max(values)}, total {lo}-{hi}, "
                   f"{len(q.bands)} bands  {q.title}  [{where}]")


@questionnaires.command()
@click.argument("name")
@extra_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the definition as JSON.")
def show(name, extra, as_json):
    """One instrument in full: scale, items, bands and alerts."""
    q = _catalog(extra).get(name)
    if as_json:
        click.echo(q.model_dump_json(indent=2))
        return
    click.echo(f"{q.title} ({q.name}, version {q.version})")
    if q.description:
        click.echo(q.description)
    click.echo(f"Asked about: {q.timeframe}. Answers: {q.allowed}.")
    for item in q.items:
        click.echo(f"  {q.column(item.number):<9} {item.text}")
    click.echo("Severity: " + ", ".join(f"{b.min}-{b.max} {b.label}" for b in q.bands))
    for a in q.alerts:
        click.echo(f"Alert {a.key}: item {a.item} >= {a.min}: {a.text}")


@questionnaires.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def validate(file):
    """Check an instrument file a site wants to add (same format as the built-ins)."""
    from onprem.papers.sqpsych.questionnaires import load_file

    q = load_file(file).questionnaire
    lo, hi = q.total_range
    click.echo(f"{file}: valid questionnaire {q.name!r}: {len(q.items)} items, total {lo}-{hi}, "
               f"bands {', '.join(b.label for b in q.bands)}")


@questionnaires.command()
@click.argument("records", type=click.Path(path_type=Path, dir_okay=False))
@extra_dir_option
@click.pass_context
def score(ctx, records, extra):
    """Validate client records (CSV or JSONL) and print the scores the tool computes; no model."""
    from onprem.papers.sqpsych.questionnaires import read_records

    res = read_records(records, _catalog(extra))
    for w in res.warnings:
        click.echo(f"warning: {w}", err=True)
    for r in res.records:
        scores = ", ".join(f"{k} {v.total} ({v.severity})" for k, v in sorted(r.scores.items()))
        alerts = f"  alerts: {', '.join(sorted({a.key for a in r.alerts}))}" if r.alerts else ""
        click.echo(f"{r.client_id}: {scores}{alerts}")
    for e in res.errors:
        click.echo(f"onprem: {records}: {e}", err=True)
    click.echo(f"{len(res.records)} records valid, {len(res.errors)} rejected", err=True)
    if res.errors:
        ctx.exit(EXIT_PARTIAL)
