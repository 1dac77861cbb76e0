"""Comparing counsellor models the Hybrid-training-data way (§4.2): every situation (JSONL
{"id", "situation"}) is role-played once per counsellor model with the same simulated patient, on the
shared role-play loop; the conversations are dialogues of the `simulate` generator (evaluation data,
never exported); `onprem judge empathy-relevance` scores them and `summary` reports, per counsellor
model, n, average, median, min and max of each score, as the paper's results table does."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

import prompts
from onprem.dialogue.roleplay import Agent, Limits, roleplay
from onprem.errors import EXIT_PARTIAL, InputError, UserError
from onprem.generators import Case, DialogueGenerator
from onprem.papers.hybrid.scenarios import cbt
from onprem.fsutil import read_utf8
from onprem.model.base import Sampling

NAME = "simulate"


def read_situations(path: Path) -> tuple[list[dict], list[str]]:
    """Situations to role-play, one JSONL row each; a situation that looks identifying (a real
    client's name, town or date) is rejected, value not shown (onprem.free_text)."""
    from onprem import free_text
    from onprem.fsutil import iter_jsonl

    if not path.is_file():
        raise UserError(f"--situations {path}: no such file; give JSONL with {{\"id\", \"situation\"}} per line")
    good, errors, seen = [], [], set()
    for line, row in iter_jsonl(read_utf8(path)):
        if isinstance(row, str):
            errors.append(f"{path}: line {line}: {row}")
            continue
        key, text = str(row.get("id") or "").strip(), str(row.get("situation") or "").strip()
        if not key or not text or key in seen:
            errors.append(f"{path}: line {line}: " + ("repeats id " + key if key in seen else "needs an id and a situation"))
            continue
        seen.add(key)
        if named := free_text.identifying({"id": key, "situation": text}, codes=("id",)):
            errors.append(f"{path}: line {line}: " + "; ".join(free_text.problem(f) for f in named))
            continue
        good.append({"id": key, "situation": text})
    return good, errors


class Options(BaseModel):
    situations: Path
    turns: int = Field(10, ge=2, le=100)
    max_words: int = 60
    temperature: float = 0.7


class Simulate(DialogueGenerator):
    """Not registered as a plugin: `onprem eval simulate` runs it over every counsellor model at once."""
    name = NAME
    roles = ("counsellor", "patient")
    Options = Options
    released = False
    case_noun = "situations"

    def prompts(self) -> list:
        return [prompts.load("hybrid_counsellor"), prompts.load("simulated_patient")]

    def cases(self, situations: list[dict], counsellors: dict[str, str]) -> list[Case]:
        """One case per (counsellor model, situation): each model's conversation is its own.
        `counsellors`: role (the key of its model in the run's models) -> model name."""
        return [Case(key=f"{name}:{s['id']}", title=f"{s['id']} ({name})",
                     facts={**s, "counsellor_model": name, "counsellor_role": role}, data=s)
                for role, name in counsellors.items() for s in situations]

    def prepare(self, opts, seed):
        raise NotImplementedError("built by onprem eval simulate")

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int):
        data = cbt()
        limits = Limits(max_turns=opts.turns, min_turns=opts.turns, max_words=opts.max_words)
        sampling = Sampling(temperature=opts.temperature, max_tokens=limits.max_tokens())
        counsellor_vars = lambda ctx: {"distortions": ", ".join(data["distortions"]),  # noqa: E731
                                       "techniques": ", ".join(data["techniques"]),
                                       "questions": " ".join(data["question_bank"]),
                                       "example": data["example_session"], "closing": ctx.index >= opts.turns - 2}
        patient = Agent("client", models["patient"], prompts.load("simulated_patient"), sampling,
                        lambda ctx: {"situation": case.data["situation"]})
        counsellor = Agent("therapist", models[case.facts["counsellor_role"]], prompts.load("hybrid_counsellor"), sampling,
                           counsellor_vars)
        result = roleplay((patient, counsellor), limits, seed)
        result.meta = {"situation": case.data["id"], "counsellor_model": case.facts["counsellor_model"]}
        return result


def summary(store, run_id: int, distribution: bool = False) -> dict:
    """{counsellor model: {criterion: {n, avg, median, min, max}}} of a judge run over simulated
    conversations (or of every empathy-relevance judgment of an `eval simulate` run); with
    `distribution`, also the SD and the count of each score 1-10 behind those figures."""
    import numpy as np

    from onprem.runs import scores_of_run
    from onprem.store import dialogues as dstore

    got = scores_of_run(store, run_id, "empathy-relevance", "dialogue",
                        {"eval simulate": "items", "judge empathy-relevance": "judgments"}, f"run {run_id}")
    facts = dstore.dialogue_facts(store, [int(sc.item.split(":")[1]) for sc in got])
    rows = [(f["meta"].get("counsellor_model"), sc.criterion, sc.score) for sc in got
            if (f := facts[int(sc.item.split(":")[1])])["generator"] == "simulate"]
    if not rows:
        raise InputError(f"run {run_id}: no empathy-relevance scores of simulated conversations yet")
    by: dict[str, dict[str, list[float]]] = {}
    for model, crit, score in rows:
        by.setdefault(model, {}).setdefault(crit, []).append(float(score))
    def figures(v: list[float]) -> dict:
        out = {"n": len(v), "avg": float(np.mean(v)), "median": float(np.median(v)), "min": float(min(v)),
               "max": float(max(v))}
        if distribution:
            out["sd"] = float(np.std(v, ddof=1)) if len(v) > 1 else None
            out["counts"] = {str(k): int(sum(round(x) == k for x in v)) for k in range(1, 11)}
        return out
    return {m: {c: figures(v) for c, v in sorted(crits.items())} for m, crits in sorted(by.items())}


class SimulateJob:
    """`eval simulate` in the job frame (onprem.job_frame): every situation once per counsellor model,
    with the same simulated patient."""
    command = "eval simulate"
    label = "simulate"

    def __init__(self, situations_path: Path, counsellors: tuple[str, ...], patient_model: str | None, turns: int,
                 seed: int, threads: int | None):
        self.path, self.counsellors, self.patient, self.seed, self.threads = (situations_path, counsellors,
                                                                               patient_model, seed, threads)
        self.gen, self.opts = Simulate(), Options(situations=situations_path, turns=turns)

    @property
    def fields(self) -> tuple[str, ...]:
        from onprem.generators.runner import new_tally

        return new_tally(self.gen).shown

    def plan(self, store):
        from onprem.job_frame import Plan

        situations, errors = read_situations(self.path)
        if not situations:
            return Plan(0, errors=errors, nothing=f"{self.path}: no usable situations", nothing_exit=EXIT_PARTIAL)
        return Plan(len(situations) * len(self.counsellors), data=situations, errors=errors, seed=self.seed,
                    prompts=self.gen.prompts(),
                    params={"situations": str(self.path), "turns": self.opts.turns, "counsellors": list(self.counsellors)})

    def open_models(self, plan) -> dict:
        from onprem.model.factory import open_models

        specs = {f"counsellor{i}": c for i, c in enumerate(self.counsellors)} | {"patient": self.patient}
        return open_models(specs, threads=self.threads)

    def run(self, store, plan, models, rec, bar):
        from onprem.dialogue.scan import load_analyzer
        from onprem.generators.runner import new_tally, run_cases
        from onprem.job_frame import Done

        analyze = load_analyzer(store)
        tally = new_tally(self.gen)
        n = len(self.counsellors)
        cases = self.gen.cases(plan.data, {f"counsellor{i}": models[f"counsellor{i}"].name for i in range(n)})
        run_cases(store, self.gen, cases, self.opts, models, seed=self.seed, run_id=rec.id, params=plan.params,
                  force=False, progress=bar, scan=analyze, tally=tally)
        return Done(f"{len(plan.data)} situations x {n} counsellor models: {tally.ended} ended, "
                    f"{tally.capped} at the turn cap, {tally.failed} failed; next: onprem judge empathy-relevance, "
                    f"then onprem eval summary {rec.id}", counts=tally.counts(), failed=bool(tally.failed),
                    stats=tally.as_dict())
