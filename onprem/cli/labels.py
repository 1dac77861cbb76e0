"""`onprem labels import FILE --rubric NAME`: people's ratings made elsewhere (a spreadsheet, another
annotation tool) stored as the ratings made in the TUI are: each row a person's judgment of one
item under the rubric (onprem.store.scores), audited with the file named. A refused row is named
with its line and why; the rest are imported."""

from __future__ import annotations

from pathlib import Path

import click

from onprem.errors import EXIT_PARTIAL, InputError, UserError
from onprem.fsutil import read_utf8


@click.group()
def labels():
    """People's labels and ratings: import them from a file."""


def rubric_named(name: str):
    from onprem.judges import registered_rubrics

    rubrics = registered_rubrics()
    if name not in rubrics:
        raise UserError(f"--rubric {name}: no such rubric; rubrics: {', '.join(sorted(rubrics))}")
    return rubrics[name][0]


def check_row(row: dict, rubric, store) -> tuple[str, int, str, dict[str, int]] | str:
    """(kind, id, rater, scores) of a CSV row, or why it is refused."""
    from onprem.store.scores import target_exists

    item, rater = (row.get("item") or "").strip(), (row.get("rater") or "").strip()
    kind, _, tid = item.partition(":")
    if not kind or not tid.isdigit():
        return f"item {item!r} is not KIND:ID (dialogue:12, pair:3)"
    if not rater or ":" in rater:
        return "rater is empty or has a colon (give the person's name)"
    if not target_exists(store, kind, int(tid)):
        return f"{item} is not in the database"
    values, lo, hi = {}, rubric.scale.lo, rubric.scale.hi
    for key in rubric.keys():
        raw = (row.get(key) or "").strip()
        if raw == "":
            continue
        try:
            v = int(raw)
        except ValueError:
            return f"{key} {raw!r} is not an integer"
        if not lo <= v <= hi:
            return f"{key} {v} is outside the rubric's scale {lo}-{hi}"
        values[key] = v
    if not values:
        return f"no score given (criteria: {', '.join(rubric.keys())})"
    return kind, int(tid), rater, values


@labels.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rubric", "rubric_name", required=True, help="The rubric the ratings use (e.g. epitome, quality).")
@click.pass_context
def import_(ctx, file, rubric_name):
    """CSV with the header item,rater,<criterion>,... (e.g. item,rater,er,ip,ex for epitome); item is
    dialogue:ID or pair:ID, as `eval agreement` names items; a blank cell is a criterion not rated."""
    from onprem.store import dialogues as dstore
    from onprem.fsutil import csv_reader, numbered
    from onprem.store.scores import save_rating

    rubric = rubric_named(rubric_name)
    if not file.is_file():
        raise UserError(f"{file}: no such file; give a CSV item,rater,{','.join(rubric.keys())}")
    reader = csv_reader(read_utf8(file))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if header[:2] != ["item", "rater"]:
        raise InputError(f"{file}: the header must start item,rater, then criteria of {rubric.name}: "
                         f"{','.join(rubric.keys())}")
    unknown = [h for h in header[2:] if h not in rubric.keys()]
    if unknown or len(header) == 2:
        raise InputError(f"{file}: {', '.join(unknown) or 'no criteria'} in the header; {rubric.name}'s criteria are "
                         f"{','.join(rubric.keys())}")
    store = ctx.obj.store()
    dstore.save_rubric(store, rubric)
    imported, refused, seen = 0, 0, set()
    for line, row in numbered(reader, str(file), problems=True):
        checked = row if isinstance(row, str) else check_row({k.strip(): v for k, v in row.items() if k}, rubric, store)
        if not isinstance(checked, str):
            kind, tid, rater, values = checked
            if (kind, tid, rater) in seen:
                checked = f"rater {rater} rates {kind}:{tid} twice in this file"
        if isinstance(checked, str):
            click.echo(f"{file}: line {line}: {checked}; skipped", err=True)
            refused += 1
            continue
        seen.add((kind, tid, rater))
        save_rating(store, rubric=rubric, target_kind=kind, target_id=tid, rater=rater, values=values,
                    source=f"file:{file.name}")
        imported += 1
    click.echo(f"{imported} ratings imported under {rubric.name} ({len({r for *_, r in seen})} raters), "
               f"{refused} refused")
    if refused:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [labels]
