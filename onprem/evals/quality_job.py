"""`eval quality`'s work for one model: the same N inputs through a generator (or paraphrase) into a
scratch database, the generator's judge over what it wrote, and the report of onprem/evals/quality.py.

The scratch database keeps the steward's own database clean: evaluation output is never training
data. A generator that reads an earlier step's output (hybrid sessions read stored scenarios) gets a
copy of the steward's database to read it from. Each model sees the same inputs under the same seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from onprem.evals.quality import dialogue_report, fixed_text, pair_report
from onprem.store import open_store
from onprem.store.pages import pages_to_do
from onprem.store.quality import run_dialogues, run_pairs


@dataclass
class Frame:
    """What every model's run shares."""

    n: int
    seed: int
    n_ctx: int
    threads: int | None
    parallel: int | str
    scratch: Path
    judge: str | None = None        # a judge's name; None: none
    progress: object = None         # an events progress bar (item lines per model)
    notes: list[str] = field(default_factory=list)


def scratch_store(frame: Frame, label: str, base=None):
    """A fresh database for one model's run, or a copy of `base` (the steward's) when the generator
    reads what an earlier step stored."""
    path = frame.scratch / (re.sub(r"[^A-Za-z0-9._-]+", "_", label) + ".db")
    path.unlink(missing_ok=True)
    if base is not None and base.path is not None:
        base.copy_to(path)
    return open_store(path)


def prompt_text(prompt_list) -> str:
    return "\n".join(fixed_text(p.source) for p in prompt_list)


def reads_store(gen) -> bool:
    from onprem.generators import Consumes

    return isinstance(gen, Consumes)


def run_generator(gen, opts, model_spec: str, frame: Frame, base) -> dict:
    from onprem.generators import cases_of
    from onprem.generators.runner import new_tally, run_cases
    from onprem.model.factory import open_models
    from onprem.runs import recorded_run

    store = scratch_store(frame, f"{gen.name}-{model_spec}", base if reads_store(gen) else None)
    prepared = cases_of(gen, store, opts, frame.seed)
    prepared.cases = prepared.cases[:frame.n]
    if not prepared.cases:
        raise ValueError(prepared.empty)
    models = open_models({r: model_spec for r in gen.roles}, n_ctx=frame.n_ctx, threads=frame.threads,
                         parallel=frame.parallel, items=len(prepared.cases))
    model = next(iter(models.values()))
    try:
        params = {**gen.params(opts), "n_ctx": frame.n_ctx}
        with recorded_run(store, f"generate {gen.name}", models=models, seed=frame.seed, prompts=gen.prompts(),
                          params=params) as rec:
            gen.save_inputs(store, prepared, opts)
            tally = new_tally(gen)
            # force: a copied database may hold this generator's earlier output; every model writes its own
            run_cases(store, gen, prepared.cases, opts, models, seed=frame.seed, run_id=rec.id, params=params,
                      force=True, progress=_Lines(frame.progress, model.name), tally=tally)
            rec.stats = tally.as_dict()
        text = prompt_text(gen.prompts())
        rows = run_pairs(store, rec.id) if gen.produces == "pairs" else run_dialogues(store, rec.id)
        report = (pair_report if gen.produces == "pairs" else dialogue_report)(rows, text)
        report["tokens_per_second"] = round(tally.tokens_per_second, 1)
        report["judge"] = judge_parse(store, frame, model, {r["id"] for r in rows}, gen.produces == "pairs")
        report["model"] = _provenance(model)
        return report
    finally:
        for m in {id(m): m for m in models.values()}.values():
            m.close()


def run_paraphrase(files: list[Path], popts, pii_style: str, model_spec: str, frame: Frame, redactor) -> dict:
    import prompts
    from onprem.model.factory import open_model
    from onprem.pipeline import paraphrase as pp
    from onprem.pipeline.ingest import ingest, read_document
    from onprem.runs import recorded_run

    store = scratch_store(frame, f"paraphrase-{model_spec}")
    model = open_model(model_spec, role="paraphrase", n_ctx=frame.n_ctx, threads=frame.threads, parallel=frame.parallel,
                       items=frame.n)
    try:
        budget = pp.page_budget(model, popts)
        source_ids, have = [], 0
        for f in files:   # only as many files as the first N pages need
            sid, _ = ingest(store, read_document(f), redactor=redactor, budget=budget, count_tokens=model.count_tokens,
                            pii_style=pii_style)
            source_ids.append(sid)
            have += len(pages_to_do(store, [sid], False))
            if have >= frame.n:
                break
        pages = pages_to_do(store, source_ids, False)[:frame.n]
        with recorded_run(store, "paraphrase", models={"paraphrase": model}, seed=popts.seed,
                          prompts=[prompts.load(pp.PROMPT_NAME)], params=popts.params()) as run:
            lines = _Lines(frame.progress, model.name)
            tally = pp.run_pages(store, model, redactor, pages, popts, run.id,
                                 on_page=lambda page, o, t: lines.item(f"source {page['source_id']} page {page['seq'] + 1}: {o.status}"))
            run.stats = tally.as_dict()
        rows = run_pairs(store, run.id)
        report = pair_report(rows, prompt_text([prompts.load(pp.PROMPT_NAME)]))
        report["tokens_per_second"] = round(tally.tokens_per_second, 1)
        report["judge"] = judge_parse(store, frame, model, {r["id"] for r in rows}, True)
        report["model"] = _provenance(model)
        return report
    finally:
        model.close()


def judge_parse(store, frame: Frame, model, ids: set[int], pairs: bool) -> dict | None:
    """The judge over this run's output on the same model: how many of its verdicts parsed. A judge
    with a `pairs` option (EPITOME) reads pairs with it set."""
    if not frame.judge or not ids:
        return None
    from onprem import plugins
    from onprem.job_frame import run_job
    from onprem.judges.runner import JudgeJob

    judge = plugins.get("judge", frame.judge)
    opts = judge.Options(**({"pairs": True} if pairs and "pairs" in judge.Options.model_fields else {}))
    job = JudgeJob(judge, judge.rubric, opts, seed=frame.seed, temperature=judge.temperature, retries=2, among=ids,
                   model=model)
    run_job(store, job, bar=_Lines(frame.progress, f"{model.name} judge"), close=False)
    tally = job.tally
    total = tally.done + tally.failed
    return {"name": judge.name, "n": total, "parsed": round(tally.done / total, 3) if total else None}


def _provenance(model) -> dict:
    return {"name": model.name, "sha256": getattr(model, "sha256", None)}


class _Lines:
    """The progress bar of the whole evaluation, with each line named by its model."""

    def __init__(self, bar, name: str):
        self.bar, self.name = bar, name

    def start(self, total: int) -> None:
        pass

    def item(self, line: str, **_kw) -> None:
        if self.bar is not None:
            self.bar.note(f"{self.name}: {line}")

    def note(self, line: str) -> None:
        self.item(line)

    def done(self, line: str, **_kw) -> None:
        pass                        # the evaluation's own summary reports the judge's parse rate
