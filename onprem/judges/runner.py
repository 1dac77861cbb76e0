"""The loop every judge shares: targets -> request -> schema-constrained answer -> stored judgment,
one transaction per target, one run record (the job frame's), one progress event per target."""

from __future__ import annotations

from dataclasses import dataclass, field

import prompts as prompt_files
from onprem.job_frame import Done, Plan
from onprem.judges import Judge
from onprem.judges.rubric import JudgeOutcome, Rubric, max_tokens_for, rubric_schema
from onprem.model.base import Request, Sampling
from onprem.model.structured import structured_many
from onprem.seeds import derive_seed
from onprem.store import dialogues as dstore
from onprem.tally import Tally


def sampling_for(rubric: Rubric, temperature: float) -> Sampling:
    return Sampling(temperature=temperature, max_tokens=max_tokens_for(rubric))


@dataclass
class JudgeJob:
    """`onprem judge NAME` in the job frame (onprem.job_frame): the targets this model has still to
    judge are listed once, before it loads, and judged as many at a time as it decodes together
    (see rounds.width_for), stored in target order. `among` limits the targets to some ids (`eval
    quality` judges one run's output); `model` is a model already open (eval quality's)."""
    judge: Judge
    rubric: Rubric
    opts: object
    seed: int
    temperature: float
    retries: int
    force: bool = False
    limit: int | None = None
    model_spec: str | None = None
    load: dict = field(default_factory=dict)       # open_model's n_ctx, threads, parallel, verify
    among: set[int] | None = None
    model: object = None
    tally: Tally = field(default_factory=lambda: Tally("targets", "done", "failed", shown=("done", "failed")))
    fields = ("done", "failed")

    @property
    def command(self) -> str:
        return f"judge {self.judge.name}"

    @property
    def label(self) -> str:
        return self.command

    def _todo(self, store, model_name: str) -> list:
        found = self.judge.targets(store, self.opts, self.rubric, self.force, model_name)
        return [t for t in found if self.among is None or t.id in self.among][:self.limit]

    def plan(self, store) -> Plan:
        from onprem.model.factory import model_name

        name = self.model.name if self.model is not None else model_name(self.model_spec, "judge")
        todo = self._todo(store, name)
        sampling = sampling_for(self.rubric, self.temperature)
        return Plan(len(todo), data=(name, todo), seed=self.seed, prompts=[prompt_files.load(self.judge.prompt_name)],
                    params={"rubric": self.rubric.name, "rubric_version": self.rubric.version,
                            "criteria": self.rubric.keys(), "retries": self.retries, **sampling.as_dict()})

    def open_models(self, plan: Plan) -> dict:
        from onprem.model.factory import open_model

        model = self.model or open_model(self.model_spec, role="judge", items=plan.items, **self.load)
        plan.params["n_ctx"] = model.n_ctx
        return {"judge": model}

    def run(self, store, plan: Plan, models: dict, rec, bar) -> Done:
        from onprem.model.rounds import width_for

        model, rubric, tally = models["judge"], self.rubric, self.tally
        name, todo = plan.data
        if model.name != name:         # a script or file whose model names itself otherwise
            todo = self._todo(store, model.name)
        batch = width_for(model)
        sampling = sampling_for(rubric, self.temperature)
        dstore.save_rubric(store, rubric)
        bar.start(len(todo))
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            requests = [Request(self.judge.prompt_for(store, t, model, rubric, sampling.max_tokens), rubric_schema(rubric),
                                sampling, derive_seed(self.seed, t.id)) for t in chunk]
            for target, res in zip(chunk, structured_many(model, requests, self.retries)):
                outcome = JudgeOutcome.of(res)
                dstore.save_judgment(store, target_kind=target.kind, target_id=target.id, run_id=rec.id,
                                     rubric=rubric, model=model, outcome=outcome)
                tally.add("targets", "done" if outcome.ok else "failed", tokens=outcome.tokens, seconds=outcome.seconds)
                bar.item(f"{target.label}: {outcome.summary(rubric) if outcome.ok else outcome.error}",
                         status="done" if outcome.ok else "failed", counts=tally.counts())
        return Done(f"judged {tally.done} {self.judge.target}s, {tally.failed} failed "
                    f"({tally.tokens} tokens in {tally.seconds:.1f} s)", counts=tally.counts(),
                    failed=bool(tally.failed), stats=tally.as_dict(),
                    tokens_per_second=tally.tokens_per_second if tally.tokens else None)
