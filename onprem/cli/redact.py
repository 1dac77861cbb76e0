"""`onprem redact PATH... --out DIR`: redacted copies of transcripts, without the model.

Each transcript is read exactly as `onprem paraphrase` reads it, redacted as one document (so
`[PERSON_1]` is the same person throughout the file) and written to DIR under its own file name,
owner-only and atomically. A per-entity-type count report is printed and, with --report, written
as JSON. Neither the copies' originals nor the placeholder map are written anywhere: the report
holds counts only.
"""

from __future__ import annotations

import json
import stat
from collections import Counter
from pathlib import Path

import click

from onprem.cli.options import STRICT_ATTRS
from onprem.errors import EXIT_PARTIAL, InputError, UserError

DIR_MODE = 0o700


def write_text_private(path: Path, text: str) -> None:
    from onprem.fsutil import write_private

    write_private(path, lambda f: f.write(text))


def prepare_out_dir(out: Path) -> str | None:
    """Create DIR as 0700. An existing folder is used as it is; returns a warning when other users
    can read or enter it (its files are still 0600)."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder; give --out a folder for the redacted copies")
    try:
        out.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"{out}: cannot create the output folder ({e.strerror}); check the path and its permissions") from e
    mode = stat.S_IMODE(out.stat().st_mode)
    if mode & 0o077:
        return (f"warning: {out} is accessible to other users (mode {mode:o}); the redacted files are "
                f"owner-only, but consider `chmod 700 {out}`")
    return None


def count_table(totals: Counter, per_file: list[dict]) -> str:
    """Entity types down, files across, totals last: the plain-text report."""
    names = [f["file"] for f in per_file]
    width = max([len("entity type"), *(len(t) for t in totals)]) + 2
    cols = [max(len(n), 5) + 2 for n in names]
    lines = ["entity type".ljust(width) + "".join(n.rjust(c) for n, c in zip(names, cols)) + "total".rjust(8)]
    for etype in sorted(totals):
        cells = "".join(str(f["counts"].get(etype, 0)).rjust(c) for f, c in zip(per_file, cols))
        lines.append(etype.ljust(width) + cells + str(totals[etype]).rjust(8))
    all_cells = "".join(str(sum(f["counts"].values())).rjust(c) for f, c in zip(per_file, cols))
    lines.append("all".ljust(width) + all_cells + str(sum(totals.values())).rjust(8))
    return "\n".join(lines)


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
@click.pass_context
def redact(ctx, paths, out_dir, pii_style, report_path, strict, model_name, encoding, force):
    """Write a redacted copy of each transcript into --out, with a count report. No model needed."""
    from redaction import PlaceholderMap, Redactor

    from onprem.pipeline.ingest import find_transcripts, read_document

    from onprem import config, pii_model
    from onprem.fsutil import check_output

    files = find_transcripts(list(paths))
    if not files:
        raise UserError(f"no .txt or .md transcripts found in {', '.join(paths)}")
    db = config.db_path(ctx.obj.db if ctx.obj is not None else None)
    if report_path is not None:     # before any copy is written: a bad --report changes nothing
        check_output(report_path, force=force, db=db, inputs=files, flag="--report")
    warning = prepare_out_dir(out_dir)
    if warning:
        click.echo(warning, err=True)
    redactor = Redactor.load()
    model = None
    if model_name:
        from onprem.model.factory import open_model

        model = open_model(model_name, role="pii")   # before any copy: a bad model writes nothing

    out_resolved = out_dir.resolve()
    per_file: list[dict] = []
    failures: list[dict] = []
    written: dict[str, Path] = {}
    totals: Counter = Counter()
    total_uncertain: Counter = Counter()
    for f in files:
        target = out_dir / f.name
        try:
            if target.resolve() == f.resolve():
                raise InputError(f"{f}: --out {out_dir} is the folder it is in; refusing to overwrite the original "
                                 f"with its redacted copy, choose another folder")
            if f.name in written:
                raise InputError(f"{f}: has the same file name as {written[f.name]}; both would be written to "
                                 f"{target}, redact them into separate folders")
            if any(target.resolve() == g.resolve() for g in files):
                raise InputError(f"{f}: its copy {target} would replace another input; choose another --out folder")
            if target.exists() and not force:
                raise InputError(f"{target}: already exists; add --force to overwrite the redacted copy, "
                                 f"or choose another --out folder")
            doc = read_document(f, encoding)
            mapping = PlaceholderMap(seed=doc.sha256[:16])  # same seed as `paraphrase`: same surrogates
            red = pii_model.redact(redactor, doc.text, mapping, pii_style, strict, model)
            try:
                write_text_private(target, red.text + "\n")
            except OSError as e:
                raise InputError(f"{target}: cannot write the redacted copy ({e.strerror})") from e
        except InputError as e:
            failures.append({"file": str(f), "error": str(e)})
            click.echo(f"onprem: {e}", err=True)
            continue
        written[f.name] = f
        counts = red.counts()
        totals.update(counts)
        uncertain = Counter(s.entity_type for s in red.uncertain)
        total_uncertain.update(uncertain)
        per_file.append({"file": f.name, "source": str(f), "out": str(out_resolved / f.name),
                         "counts": dict(sorted(counts.items())), "identifiers": len(red.spans),
                         "distinct": len(mapping), "uncertain": dict(sorted(uncertain.items()))})
        click.echo(f"{f} -> {target}: {len(red.spans)} identifiers replaced ({len(mapping)} distinct)"
                   + (f"; {len(red.uncertain)} uncertain findings kept" if red.uncertain else ""))

    if per_file:
        click.echo("")
        click.echo(count_table(totals, per_file))
    click.echo(f"\n{len(per_file)}/{len(files)} files redacted into {out_dir} ({pii_style} style"
               + (", uncertain findings too (--strict)" if strict else "") + ")"
               + (f"; {len(failures)} failed" if failures else ""))
    if total_uncertain:
        click.echo(f"{sum(total_uncertain.values())} uncertain findings were kept in the copies "
                   f"({', '.join(f'{n} {t}' for t, n in sorted(total_uncertain.items()))}): words the recognizers "
                   f"could not decide on. Re-run with --strict to redact them too, or paraphrase the transcripts "
                   f"and decide each one in `onprem tui` (Review, key i).")
    if model is not None:
        model.close()
    if report_path is not None:
        report = {"style": pii_style, "strict": strict, "model": model.name if model is not None else None,
                  "out": str(out_resolved), "files": per_file,
                  "totals": dict(sorted(totals.items())), "uncertain": dict(sorted(total_uncertain.items())),
                  "failed": failures}
        try:
            write_text_private(report_path, json.dumps(report, indent=2) + "\n")
        except OSError as e:
            raise UserError(f"{report_path}: cannot write the report ({e.strerror}); check the path") from e
        click.echo(f"report written to {report_path}")
    if failures:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [redact]
