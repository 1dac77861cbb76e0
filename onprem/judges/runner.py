"""The loop every judge shares: targets -> request -> schema-constrained answer -> stored judgment,
one transaction per target, one run record, one progress event per target."""

from __future__ import annotations

import prompts as prompt_files
from onprem.store import dialogues as dstore
from onprem.judges import Judge
from onprem.judges.rubric import JudgeOutcome, Rubric, max_tokens_for, rubric_schema
from onprem.model.base import Request, Sampling
from onprem.model.structured import structured_many
from onprem.runs import recorded_run
from onprem.seeds import derive_seed
from onprem.tally import Tally


def sampling_for(rubric: Rubric, temperature: float) -> Sampling:
    return Sampling(temperature=temperature, max_tokens=max_tokens_for(rubric))


def run_judge(store, judge: Judge, model, rubric: Rubric, opts, *, seed: int, temperature: float, retries: int,
              force: bool, limit: int | None, progress, among: set[int] | None = None) -> tuple[int, Tally]:
    """Judge every target not judged yet under `rubric` (all with `force`; only ids in `among` when
    given: `eval quality` judges one run's output). Returns (run id, tally).
    As many targets as the model decodes together (see rounds.width_for) are handed to it at once,
    and stored in target order."""
    from onprem.model.rounds import width_for

    batch = width_for(model)
    sampling = sampling_for(rubric, temperature)
    todo = [t for t in judge.targets(store, opts, rubric, force, model.name) if among is None or t.id in among][:limit]
    dstore.save_rubric(store, rubric)
    tally = Tally("targets", "done", "failed", shown=("done", "failed"))
    with recorded_run(store, f"judge {judge.name}", models={"judge": model}, seed=seed,
                      prompts=[prompt_files.load(judge.prompt_name)],
                      params={"rubric": rubric.name, "rubric_version": rubric.version, "criteria": rubric.keys(),
                              "retries": retries, "n_ctx": model.n_ctx, **sampling.as_dict()}) as run:
        progress.start(len(todo))
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            requests = [Request(judge.prompt_for(store, t, model, rubric, sampling.max_tokens), rubric_schema(rubric), sampling,
                                derive_seed(seed, t.id)) for t in chunk]
            for target, res in zip(chunk, structured_many(model, requests, retries)):
                outcome = JudgeOutcome.of(res)
                dstore.save_judgment(store, target_kind=target.kind, target_id=target.id, run_id=run.id,
                                     rubric=rubric, model=model, outcome=outcome)
                tally.add("targets", "done" if outcome.ok else "failed", tokens=outcome.tokens, seconds=outcome.seconds)
                detail = (outcome.summary(rubric) if outcome.ok
                          else outcome.error)
                progress.item(f"{target.label}: {detail}", status="done" if outcome.ok else "failed",
                              counts=tally.counts())
        run.status = "partial" if tally.failed else "done"
        run.stats = tally.as_dict()
    return run.id, tally
