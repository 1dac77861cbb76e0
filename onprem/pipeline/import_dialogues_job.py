"""`onprem import-dialogues` as a job of the one frame (onprem/job_frame.py): real sessions, split at
speaker labels, redacted turn by turn and stored as dialogues marked real. Progress lines number the
files in the order given and never name them (the TUI's job log and JSON events outlive the run);
an error names the file, because the person has to know which one to fix."""

from __future__ import annotations

import click

from onprem.errors import InputError, UserError
from onprem.job_frame import Done, Plan


class ImportDialoguesJob:
    command = label = "import-dialogues"
    fields = ("imported", "already", "failed")

    def __init__(self, paths, labels: tuple[str, str], values: dict):
        self.paths, self.labels, self.values = list(paths), labels, values

    def plan(self, _store) -> Plan:
        from onprem.pipeline.ingest import find_transcripts

        files = find_transcripts(self.paths)
        if not files:
            raise UserError(f"no .txt or .md transcripts found in {', '.join(self.paths)}")
        v = self.values
        return Plan(items=len(files), data=files, stats={"files": len(files)},
                    params={"roles": list(self.labels), "pii_style": v["pii_style"], "strict": v["strict"]})

    def open_models(self, plan: Plan) -> dict:
        from redaction import Redactor

        self.redactor = Redactor.load()      # spaCy and Presidio: not a generating model, no run row of its own
        return {}

    def run(self, store, plan: Plan, models: dict, run, bar) -> Done:
        from onprem.pipeline.dialogues import import_session
        from onprem.pipeline.ingest import read_document

        redactor, v = self.redactor, self.values

        def scan(text: str) -> list:
            sure, unsure = redactor.analyze_with_uncertain(text)
            return sorted(sure + unsure, key=lambda s: s.start)

        counts = dict.fromkeys(self.fields, 0)
        bar.start(len(plan.data))
        for n, f in enumerate(plan.data, 1):
            try:
                got = import_session(store, read_document(f, v["encoding"]), redactor=redactor, roles=self.labels,
                                     analyze=scan, run_id=run.id, pii_style=v["pii_style"], strict=v["strict"])
            except InputError as e:
                counts["failed"] += 1
                click.echo(f"onprem: {e}", err=True)
                bar.item(f"file {n}: failed", status="failed", counts=counts)
                continue
            if got.dialogue_id is None:
                counts["already"] += 1
                bar.item(f"file {n}: already imported", status="already", counts=counts)
                continue
            counts["imported"] += 1
            red = ", ".join(f"{k} {x}" for k, x in sorted(got.redacted.items())) or "none"
            bar.item(f"file {n}: dialogue {got.dialogue_id}, {got.turns} turns; redacted: {red}; "
                     f"{got.findings} findings left to review", status="imported", counts=counts)
        return Done(f"{counts['imported']} sessions imported, {counts['already']} already there, "
                    f"{counts['failed']} failed", counts=counts, failed=bool(counts["failed"]), stats=counts)
