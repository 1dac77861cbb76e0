"""`onprem paraphrase` as a job of the one frame (onprem/job_frame.py): transcripts -> redacted pages ->
question-answer pairs. The frame plans, opens the models, records the run and summarises; this module
says what each step means for paraphrase."""

from __future__ import annotations

import dataclasses

import click

from onprem.errors import InputError, UserError
from onprem.job_frame import Done, Plan
from onprem.pipeline import paraphrase as pp


def estimate_pages(files, page_tokens: int) -> int:
    """Pages the files will give, before they are read (for --parallel auto): a page per form feed,
    else about four characters a token."""
    total = 0
    for f in files:
        try:
            size = f.stat().st_size
            breaks = f.read_bytes().count(b"\f") if size < 50_000_000 else 0
        except OSError:
            continue
        total += max(breaks + 1, -(-size // (page_tokens * 4)))
    return max(1, total)


def next_step(tally) -> str:
    """What a person does after a run: decide on flagged pairs and findings first, then release."""
    if tally.flagged:
        return f"onprem review (decide on {tally.flagged} flagged pairs and their findings), then onprem export"
    return "onprem review (check the identifier findings), then onprem export --out FILE"


class ParaphraseJob:
    command = label = "paraphrase"
    fields = pp.STATUSES

    def __init__(self, paths, opts: pp.Options, values: dict):
        self.paths, self.opts, self.values = list(paths), opts, values

    def plan(self, store) -> Plan:
        """Finds the transcripts; reading them is the run's first step (a file that cannot be read is
        named then, and the rest go on). Needs no database: the frame opens it after the models."""
        import prompts
        from onprem.pipeline.ingest import find_transcripts

        files = find_transcripts(self.paths)
        if not files:
            raise UserError(f"no .txt or .md transcripts found in {', '.join(self.paths)}")
        v = self.values
        return Plan(items=estimate_pages(files, self.opts.page_tokens), data=files, seed=self.opts.seed,
                    prompts=[prompts.load(pp.PROMPT_NAME), *([prompts.load("pii_check")] if v["pii_model"] else [])],
                    params={**self.opts.params(), "pii_style": v["pii_style"], "strict": v["strict"]},
                    stats={"files": len(files)})

    def open_models(self, plan: Plan) -> dict:
        from onprem.model.factory import open_model
        from onprem.pipeline.workers import Choice, choose

        v = self.values
        model = open_model(v["model_name"], role="paraphrase", n_ctx=v["n_ctx"], threads=v["threads"],
                           parallel=v["parallel"], verify=v["verify"], items=plan.items)
        checker = open_model(v["pii_model"], role="pii", threads=v["threads"]) if v["pii_model"] else None
        self.procs = (Choice(1, "in this process: a second-look --pii-model cannot be sent to a worker") if checker
                      else choose(v["workers"], plan.items))
        plan.params.update({"n_ctx": model.n_ctx, "workers": self.procs.workers, "workers_from": self.procs.why})
        return {"paraphrase": model, **({"pii": checker} if checker else {})}

    def run(self, store, plan: Plan, models: dict, run, bar) -> Done:
        from onprem.allowed import terms as allowed_terms
        from onprem.pipeline.workers import Workers, ingest_files
        from onprem.store.pages import pages_to_do

        v, files, model = self.values, plan.data, models["paraphrase"]
        opts = dataclasses.replace(self.opts, allowed=tuple(allowed_terms(store)))
        failed_files, tally = 0, pp.new_tally()

        def unreadable(e: InputError) -> None:
            nonlocal failed_files
            failed_files += 1
            click.echo(f"onprem: {e}", err=True)

        def on_page(page, outcome, tally):
            # the source's number, never its file name: progress lines, JSONL events and the TUI's job
            # log outlive the run, and file names often carry a client's name (`onprem stats`, the
            # TUI's Browse map numbers to files on this machine)
            line = f"source {page['source_id']} page {page['seq'] + 1}: {outcome.status}"
            if outcome.reason:
                line += f" ({outcome.reason})"
            bar.item(line, status=outcome.status, counts=tally.counts(), rate=f"{tally.tokens_per_second:.0f} tok/s")

        with Workers(self.procs.workers) as pool:
            source_ids = ingest_files(store, files, pool, encoding=v["encoding"], budget=pp.page_budget(model, opts),
                                      count_tokens=model.count_tokens, pii_style=v["pii_style"], force=opts.force,
                                      strict=v["strict"], on_error=unreadable, pii_model=models.get("pii"),
                                      note=bar.note)
            run.stats["files_failed"] = failed_files
            if model.backend == "llama":
                pool.in_this_process()      # the local model decodes on every core; its checks are a sliver
            pages = pages_to_do(store, source_ids, opts.force)
            bar.start(len(pages))
            try:
                pp.run_pages(store, model, None, pages, opts, run.id, on_page=on_page, tally=tally, workers=pool)
            finally:
                run.stats.update(tally.as_dict())
        return Done(f"{len(files) - failed_files}/{len(files)} files, {tally.pages} pages: "
                    f"{tally.kept} kept, {tally.filtered} filtered, {tally.flagged} flagged, {tally.failed} failed; "
                    f"{tally.tokens} tokens at {tally.tokens_per_second:.1f} tokens/s; next: {next_step(tally)}",
                    counts=tally.counts(), failed=bool(failed_files or tally.failed),
                    tokens_per_second=tally.tokens_per_second if tally.tokens else None)
