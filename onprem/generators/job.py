"""`onprem generate NAME` in the job frame (onprem.job_frame): the generator's cases are read and
checked before any model loads, then produced by the shared loop (onprem.generators.runner)."""

from __future__ import annotations

from dataclasses import dataclass

from onprem.errors import EXIT_PARTIAL
from onprem.generators import Generator, cases_of, is_chained
from onprem.job_frame import Done, Plan


@dataclass
class GenerateJob:
    gen: Generator
    opts: object                  # the generator's Options, validated
    values: dict                  # the command's frame options: models, seed, n_ctx, threads, parallel, force

    @property
    def command(self) -> str:
        return f"generate {self.gen.name}"

    @property
    def label(self) -> str:
        return self.gen.name

    @property
    def fields(self) -> tuple[str, ...]:
        from onprem.generators.runner import new_tally

        return new_tally(self.gen).shown

    def plan(self, store) -> Plan:
        gen, v = self.gen, self.values
        prepared = cases_of(gen, store, self.opts, v["seed"])
        if not prepared.cases:
            return Plan(0, errors=prepared.errors, warnings=prepared.warnings, nothing=prepared.empty,
                        nothing_exit=EXIT_PARTIAL)
        side_by_side = len(prepared.cases) * (1 if is_chained(gen, self.opts) else max(len(c.segments) for c in prepared.cases))
        return Plan(side_by_side, data=prepared, seed=v["seed"], prompts=gen.prompts(), errors=prepared.errors,
                    warnings=prepared.warnings, stats=dict(prepared.stats),
                    params={**gen.params(self.opts), "n_ctx": v["n_ctx"]})

    def open_models(self, plan: Plan) -> dict:
        from onprem.model.factory import open_models

        v = self.values
        specs = {r: v.get(f"{r}_model") or v["model_name"] for r in self.gen.roles}
        models = open_models(specs, n_ctx=v["n_ctx"], threads=v["threads"], parallel=v["parallel"],
                             verify=v.get("verify", False), items=plan.items)
        plan.params["models"] = {r: {"name": m.name, "sha256": m.sha256} for r, m in models.items()}
        return models

    def run(self, store, plan: Plan, models: dict, rec, bar) -> Done:
        from onprem.dialogue.scan import load_analyzer
        from onprem.generators.runner import new_tally, run_cases, summary_line

        prepared, v = plan.data, self.values
        analyze = load_analyzer(store)   # each dialogue is stored with its identifier findings, ready for review
        self.gen.save_inputs(store, prepared, self.opts)
        tally = new_tally(self.gen)
        try:
            run_cases(store, self.gen, prepared.cases, self.opts, models, seed=v["seed"], run_id=rec.id,
                      params=plan.params, force=v["force"], progress=bar, scan=analyze, tally=tally)
        finally:
            rec.stats.update(tally.as_dict())       # an interrupted run keeps what it did
        return Done(summary_line(self.gen, tally, len(prepared.cases), len(prepared.errors)), counts=tally.counts(),
                    failed=bool(tally.failed), stats=tally.as_dict(),
                    tokens_per_second=tally.tokens_per_second if tally.tokens else None)
