"""The SQPsych rubric judge: therapist, client and overall criteria, each 0-2 with a short reason,
on every releasable SQPsych dialogue."""

from __future__ import annotations

import json

from onprem.papers.sqpsych.generator import NAME, RUBRIC
from onprem.judges.dialogue import DialogueJudge


def profile_text(row: dict) -> str:
    scores = "; ".join(f"{k.upper()} {v['total']} ({v['severity']})" for k, v in sorted(json.loads(row["scores"]).items()))
    return f"{row['age']}-year-old {row['gender']}, condition: {row['condition']}; {scores}.\n{row['persona']}"


class SQPsychJudge(DialogueJudge):
    name = NAME
    help = "Therapist, client and overall criteria of the SQPsych evaluation, each 0-2 with a short reason."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "dialogue_judge"
    generator = NAME

    def label(self, row: dict) -> str:
        return f"dialogue {row['id']} ({row['client_id']})"

    def variables(self, target) -> dict:
        return {"profile": profile_text(target.data)}
