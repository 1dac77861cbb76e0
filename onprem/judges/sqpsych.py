"""The SQPsych rubric judge: therapist, client and overall criteria, each 0-2 with a short reason,
on every releasable SQPsych dialogue."""

from __future__ import annotations

import json

import prompts
from onprem.dialogue import store as dstore
from onprem.generators.sqpsych import NAME, RUBRIC
from onprem.judges import Judge, Target
from onprem.judges.dialogue import render_fitting
from onprem.plugins import hookimpl


def profile_text(row: dict) -> str:
    scores = "; ".join(f"{k.upper()} {v['total']} ({v['severity']})" for k, v in sorted(json.loads(row["scores"]).items()))
    return f"{row['age']}-year-old {row['gender']}, condition: {row['condition']}; {scores}.\n{row['persona']}"


class SQPsychJudge(Judge):
    name = NAME
    help = "Therapist, client and overall criteria of the SQPsych evaluation, each 0-2 with a short reason."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "dialogue_judge"

    def targets(self, store, opts, rubric, force, model) -> list[Target]:
        done = set() if force else dstore.judged(store, rubric.name, "dialogue", model)
        return [Target("dialogue", r["id"], f"dialogue {r['id']} ({r['client_id']})", r)
                for r in dstore.releasable_dialogues(store, NAME) if r["id"] not in done]

    def prompt_for(self, store, target, model, rubric, max_tokens):
        return render_fitting(model, prompts.load(self.prompt_name), dstore.dialogue_turns(store, target.id),
                              max_tokens, rubric=rubric, profile=profile_text(target.data))


@hookimpl
def register_judges(register):
    register(SQPsychJudge())
