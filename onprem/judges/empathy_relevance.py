"""Empathy and relevance of the counsellor in a simulated conversation, 1-10 each (Hybrid training data,
§4.2: the paper's "comprehensive scoring prompt" is not given; this one is the project's)."""

from __future__ import annotations

import prompts
from onprem.dialogue import store as dstore
from onprem.judges import Judge, Target
from onprem.judges.dialogue import render_fitting
from onprem.judges.rubric import Criterion, Rubric, Scale
from onprem.plugins import hookimpl

RUBRIC = Rubric("empathy-relevance", (
    Criterion("empathy", "counsellor", "the counsellor understands and responds to the person's feelings with warmth"),
    Criterion("relevance", "counsellor", "the counsellor's replies address what the person actually said and needs"),
), scale=Scale(1, 10, "points"), version="1")


class EmpathyRelevance(Judge):
    name = "empathy-relevance"
    help = "Empathy and relevance (1-10) of the counsellor in each simulated conversation (onprem eval simulate)."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "empathy_relevance_judge"

    def targets(self, store, opts, rubric, force, model) -> list[Target]:
        done = set() if force else dstore.judged(store, rubric.name, "dialogue", model)
        return [Target("dialogue", r["id"], f"dialogue {r['id']} ({r['case_key']})", r)
                for r in dstore.releasable_dialogues(store, "simulate") if r["id"] not in done]

    def prompt_for(self, store, target, model, rubric, max_tokens):
        return render_fitting(model, prompts.load(self.prompt_name), dstore.dialogue_turns(store, target.id),
                              max_tokens, rubric=rubric)


@hookimpl
def register_judges(register):
    register(EmpathyRelevance())
