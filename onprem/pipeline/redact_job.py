"""`onprem redact` as a job of the one frame (onprem/job_frame.py): a redacted copy of each transcript,
written owner-only and atomically, and a count report. It keeps nothing in the database (no run is
recorded). Progress lines and the count table number the files in the order given and never name
them: the TUI's job log and JSON events outlive the run, and file names often carry a client's name.
Errors name the file, because the person has to know which one to fix."""

from __future__ import annotations

import json
import stat
from collections import Counter
from pathlib import Path

import click

from onprem.errors import InputError, UserError
from onprem.job_frame import Done, Plan

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
    names = [f"file {f['n']}" for f in per_file]      # numbers, not names: see the module's note
    width = max([len("entity type"), *(len(t) for t in totals)]) + 2
    cols = [max(len(n), 5) + 2 for n in names]
    lines = ["entity type".ljust(width) + "".join(n.rjust(c) for n, c in zip(names, cols)) + "total".rjust(8)]
    for etype in sorted(totals):
        cells = "".join(str(f["counts"].get(etype, 0)).rjust(c) for f, c in zip(per_file, cols))
        lines.append(etype.ljust(width) + cells + str(totals[etype]).rjust(8))
    all_cells = "".join(str(sum(f["counts"].values())).rjust(c) for f, c in zip(per_file, cols))
    lines.append("all".ljust(width) + all_cells + str(sum(totals.values())).rjust(8))
    return "\n".join(lines)



class RedactJob:
    command = label = "redact"
    fields = ("redacted", "failed")

    def __init__(self, paths, out_dir: Path, values: dict, db: Path):
        self.paths, self.out_dir, self.values, self.db = list(paths), out_dir, values, db

    def plan(self, _store) -> Plan:
        from onprem.fsutil import check_output
        from onprem.pipeline.ingest import find_transcripts

        files = find_transcripts(self.paths)
        if not files:
            raise UserError(f"no .txt or .md transcripts found in {', '.join(self.paths)}")
        report = self.values["report_path"]
        if report is not None:      # before any copy is written: a bad --report changes nothing
            check_output(report, force=self.values["force"], db=self.db, inputs=files, flag="--report")
        warning = prepare_out_dir(self.out_dir)
        return Plan(items=len(files), data=files, warnings=[warning.removeprefix("warning: ")] if warning else [])

    def open_models(self, plan: Plan) -> dict:
        from redaction import Redactor

        self.redactor = Redactor.load()
        if not self.values["model_name"]:
            return {}
        from onprem.model.factory import open_model

        return {"pii": open_model(self.values["model_name"], role="pii")}   # before any copy is written

    def run(self, _store, plan: Plan, models: dict, _run, bar) -> Done:
        from redaction import PlaceholderMap

        from onprem import pii_model
        from onprem.pipeline.ingest import read_document

        v, files, out_dir, model = self.values, plan.data, self.out_dir, models.get("pii")
        per_file: list[dict] = []
        failures: list[dict] = []
        written: dict[str, Path] = {}
        totals: Counter = Counter()
        total_uncertain: Counter = Counter()
        bar.start(len(files))
        for n, f in enumerate(files, 1):
            target = out_dir / f.name
            try:
                copy_of(f, target, files, written, out_dir, v["force"])
                doc = read_document(f, v["encoding"])
                mapping = PlaceholderMap(seed=doc.sha256[:16])  # same seed as `paraphrase`: same surrogates
                red = pii_model.redact(self.redactor, doc.text, mapping, v["pii_style"], v["strict"], model)
                try:
                    write_text_private(target, red.text + "\n")
                except OSError as e:
                    raise InputError(f"{target}: cannot write the redacted copy ({e.strerror})") from e
            except InputError as e:
                failures.append({"file": str(f), "error": str(e)})
                click.echo(f"onprem: {e}", err=True)
                bar.item(f"file {n}: failed", status="failed", counts=_counts(per_file, failures))
                continue
            written[f.name] = f
            counts = red.counts()
            totals.update(counts)
            uncertain = Counter(s.entity_type for s in red.uncertain)
            total_uncertain.update(uncertain)
            per_file.append({"file": f.name, "n": n, "source": str(f), "out": str(out_dir.resolve() / f.name),
                             "counts": dict(sorted(counts.items())), "identifiers": len(red.spans),
                             "distinct": len(mapping), "uncertain": dict(sorted(uncertain.items()))})
            bar.item(f"file {n}: {len(red.spans)} identifiers replaced ({len(mapping)} distinct)"
                     + (f"; {len(red.uncertain)} uncertain findings kept" if red.uncertain else ""),
                     status="redacted", counts=_counts(per_file, failures))
        if per_file:
            bar.note("\n" + count_table(totals, per_file))
        if total_uncertain:
            bar.note(f"{sum(total_uncertain.values())} uncertain findings were kept in the copies "
                     f"({', '.join(f'{k} {t}' for t, k in sorted(total_uncertain.items()))}): words the recognizers "
                     f"could not decide on. Re-run with --strict to redact them too, or paraphrase the transcripts "
                     f"and decide each one in `onprem tui` (Review, key i).")
        if v["report_path"] is not None:
            report = {"style": v["pii_style"], "strict": v["strict"], "model": model.name if model is not None else None,
                      "out": str(out_dir.resolve()), "files": [{k: x for k, x in f.items() if k != "n"} for f in per_file],
                      "totals": dict(sorted(totals.items())), "uncertain": dict(sorted(total_uncertain.items())),
                      "failed": failures}
            try:
                write_text_private(v["report_path"], json.dumps(report, indent=2) + "\n")
            except OSError as e:
                raise UserError(f"{v['report_path']}: cannot write the report ({e.strerror}); check the path") from e
            bar.note(f"report written to {v['report_path']}")
        return Done(f"{len(per_file)}/{len(files)} files redacted into {out_dir} ({v['pii_style']} style"
                    + (", uncertain findings too (--strict)" if v["strict"] else "") + ")"
                    + (f"; {len(failures)} failed" if failures else ""),
                    counts=_counts(per_file, failures), failed=bool(failures))


def copy_of(f: Path, target: Path, files: list[Path], written: dict, out_dir: Path, force: bool) -> None:
    """Refuse a copy that would overwrite its original, another input or another copy."""
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


def _counts(per_file: list, failures: list) -> dict:
    return {"redacted": len(per_file), "failed": len(failures)}
