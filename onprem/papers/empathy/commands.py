"""Synthetic Empathy's commands: `onprem eval empathy-labels`, the label readouts per dataset."""

from __future__ import annotations

import json

import click

from onprem.errors import UserError


@click.command("empathy-labels")
@click.option("--judge-model", "model", metavar="NAME", help="The epitome judge to score [default: the first found].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def empathy_labels(ctx, model, as_json):
    """EPITOME labels per dataset (real, synthetic) and dimension: people's agreement (Cohen's kappa)
    and the judge's kappa, accuracy and macro-F1 against the people's majority level."""
    from onprem.papers.empathy.accuracy import readout
    from onprem.papers.empathy.labelling import by_dimension
    from onprem.store.items import origins

    store = ctx.obj.store(reading=True)
    labels = by_dimension(store)
    items = {i for d in labels.values() for i in d}
    if not items:
        raise UserError("no EPITOME labels yet: label in onprem tui (Evaluations, l or f), onprem labels import "
                        "FILE --rubric epitome, or onprem judge epitome")
    result = readout(labels, origins(store, items), f"judge:{model}" if model else None)
    if as_json:
        click.echo(json.dumps(result))
        return

    def f(x):
        return "-" if x is None else f"{x:.3f}"
    click.echo("| dimension | dataset | items people labelled | people's kappa | judge | n | judge kappa | accuracy | macro-F1 |")
    click.echo("|---|---|---:|---:|---|---:|---:|---:|---:|")
    for dim, by in result.items():
        for dataset, r in by.items():
            j = r["judge"] or {}
            click.echo(f"| {dim} | {dataset} | {r['n_items']} | {f(r['people_kappa'])} | {j.get('rater', '-')} | "
                       f"{j.get('n', 0)} | {f(j.get('kappa'))} | {f(j.get('accuracy'))} | {f(j.get('macro_f1'))} |")
