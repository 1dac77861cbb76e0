"""The distress judge of the emotional-trajectory benchmark: one phase segment's client distress,
1 (calm) to 10 (extreme distress), with a short reason; one call per segment."""

from __future__ import annotations

import prompts
from onprem.dialogue import store as dstore
from onprem.judges import Judge, Target
from onprem.judges.dialogue import render_fitting
from onprem.judges.rubric import Criterion, Rubric, Scale
from onprem.plugins import hookimpl

RUBRIC = Rubric("distress", (Criterion("distress", "client", "the client's emotional distress in the excerpt"),),
                scale=Scale(1, 10, "points"), version="1")


class DistressJudge(Judge):
    name = "distress"
    help = "Client distress per phase segment, 1 (calm) to 10 (extreme), for the trajectory benchmark."
    rubric = RUBRIC
    target = "segment"
    prompt_name = "distress_judge"

    def targets(self, store, opts, rubric, force, model) -> list[Target]:
        done = set() if force else dstore.judged(store, rubric.name, "segment", model)
        return [Target("segment", r["id"], f"{r['client_id']} phase {r['segment']}", r)
                for r in dstore.releasable_dialogues(store, "pe") if r["id"] not in done]

    def prompt_for(self, store, target, model, rubric, max_tokens):
        return render_fitting(model, prompts.load(self.prompt_name), dstore.dialogue_turns(store, target.id), max_tokens)


@hookimpl
def register_judges(register):
    register(DistressJudge())
