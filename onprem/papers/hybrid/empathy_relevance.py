"""Empathy and relevance of the counsellor in a simulated conversation, 1-10 each (Hybrid training data,
§4.2: the paper's "comprehensive scoring prompt" is not given; this one is the project's)."""

from __future__ import annotations

from onprem.judges.dialogue import DialogueJudge
from onprem.judges.rubric import Criterion, Rubric, Scale

RUBRIC = Rubric("empathy-relevance", (
    Criterion("empathy", "counsellor", "the counsellor understands and responds to the person's feelings with warmth"),
    Criterion("relevance", "counsellor", "the counsellor's replies address what the person actually said and needs"),
), scale=Scale(1, 10, "points"), version="1")


class EmpathyRelevance(DialogueJudge):
    name = "empathy-relevance"
    help = "Empathy and relevance (1-10) of the counsellor in each simulated conversation (onprem eval simulate)."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "empathy_relevance_judge"
    generator = "simulate"

    def label(self, row: dict) -> str:
        return f"dialogue {row['id']} ({row['case_key']})"
