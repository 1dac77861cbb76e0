"""The distress judge of the emotional-trajectory benchmark: one phase segment's client distress,
1 (calm) to 10 (extreme distress), with a short reason; one call per segment."""

from __future__ import annotations

from onprem.judges.dialogue import DialogueJudge
from onprem.judges.rubric import Criterion, Rubric, Scale

RUBRIC = Rubric("distress", (Criterion("distress", "client", "the client's emotional distress in the excerpt"),),
                scale=Scale(1, 10, "points"), version="1")


class DistressJudge(DialogueJudge):
    name = "distress"
    help = "Client distress per phase segment, 1 (calm) to 10 (extreme), for the trajectory benchmark."
    rubric = RUBRIC
    target = "segment"
    prompt_name = "distress_judge"
    generator = "pe"

    def label(self, row: dict) -> str:
        return f"{row['client_id']} phase {row['segment']}"
