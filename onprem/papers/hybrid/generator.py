"""Hybrid training data, step 3: a CBT counselling session per scenario, role-played through the shared
loop (dialogue/roleplay.py) by a patient agent grounded in the scenario and a counsellor agent on an
App.-C-like prompt (goals, method, a technique list and the Socratic question bank, all data in
generators/data/cbt.json). Few-shot: one project-written session sits in the counsellor's completion
prompt (a shared prefix the batch decoder reuses). The patient opens; a goodbye counts only once the
session has reached its close (the last quarter of --max-turns), where the counsellor summarises and
plans."""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

import prompts
from onprem.dialogue.roleplay import Agent, Limits, TurnContext, roleplay
from onprem.generators import Case, DialogueGenerator, Prepared
from onprem.papers.hybrid.scenarios import cbt
from onprem.model.base import Sampling

NAME = "hybrid"


class Options(BaseModel):
    scenarios: str = Field("all", pattern="^all$", description="all: every stored scenario (onprem generate scenarios).")
    max_turns: int = Field(20, ge=4, le=200, description="Turn cap per session.")
    max_words: int = Field(60, ge=5, le=300, description="Word limit per utterance.")
    retries: int = Field(2, ge=0, le=10, description="Extra draws for an empty, repeated or invalid turn.")
    temperature: float = 0.7

    def limits(self) -> Limits:
        return Limits(max_turns=self.max_turns, min_turns=min(8, self.max_turns), max_words=self.max_words,
                      retries=self.retries)


def closing(ctx: TurnContext) -> bool:
    return ctx.index >= math.floor(ctx.limits.max_turns * 0.75)


def scenario_text(s: dict) -> str:
    return f"{s['summary']} {s['narrative']}"


class Hybrid(DialogueGenerator):
    name = NAME
    help = "CBT counselling sessions role-played from stored scenarios, few-shot (Hybrid training data)."
    roles = ("counsellor", "patient")
    Options = Options
    case_noun = "scenarios"

    def prompts(self) -> list:
        return [prompts.load("hybrid_counsellor"), prompts.load("hybrid_patient")]

    def params(self, opts: Options) -> dict:
        return {"generator": NAME, **opts.model_dump(), **opts.limits().params()}

    def prepare(self, opts: Options, seed: int) -> Prepared:
        return Prepared([], empty="no scenarios stored: run onprem generate scenarios first")

    def from_store(self, store, prepared: Prepared, opts: Options) -> Prepared:
        import json

        from onprem.store.items import scenarios

        rows = scenarios(store)
        prepared.cases = [Case(key=key, title=key, facts={"scenario_dialogue": did, **json.loads(meta)},
                               data={**json.loads(meta), "narrative": narrative}) for did, key, meta, narrative in rows]
        prepared.stats = {"scenarios": len(rows)}
        return prepared

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int):
        data = cbt()
        sampling = Sampling(temperature=opts.temperature, max_tokens=opts.limits().max_tokens())
        s = case.data
        distortions = ", ".join(data["distortions"])

        def counsellor_vars(ctx: TurnContext) -> dict:
            return {"distortions": distortions, "techniques": ", ".join(data["techniques"]),
                    "questions": " ".join(data["question_bank"]), "example": data["example_session"],
                    "closing": closing(ctx)}

        def patient_vars(ctx: TurnContext) -> dict:
            return {"scenario": scenario_text(s), "closing": closing(ctx)}
        patient = Agent("client", models["patient"], prompts.load("hybrid_patient"), sampling, patient_vars, closing)
        counsellor = Agent("therapist", models["counsellor"], prompts.load("hybrid_counsellor"), sampling,
                           counsellor_vars, closing)
        result = roleplay((patient, counsellor), opts.limits(), seed)
        result.meta = {"scenario": case.key, "distortions": s.get("distortions", []), "summary": s.get("summary")}
        return result
