"""Session quality for selection (Hybrid training data, §3.5): coherence, realism and therapeutic
value, each 1-10 with a reason, for any releasable dialogue (hybrid, SQPsych, PE, imported real, ...);
the session score is their mean (`session_scores`), which `onprem select` keeps or filters on."""

from __future__ import annotations

from pydantic import BaseModel, Field

from onprem.judges.dialogue import DialogueJudge
from onprem.judges.rubric import Criterion, Rubric, Scale

RUBRIC = Rubric("quality", (
    Criterion("coherence", "session", "the session holds together: turns follow from each other, no contradictions"),
    Criterion("realism", "session", "it reads like a real session between real people"),
    Criterion("therapeutic_value", "session", "the counsellor's work is sound and would help this client"),
), scale=Scale(1, 10, "points"), version="1", group_score="mean")


class Options(BaseModel):
    generator: str | None = Field(None, description="Only dialogues of this generator (e.g. hybrid).")


class QualityJudge(DialogueJudge):
    name = "quality"
    help = "Coherence, realism and therapeutic value (1-10 each) of any dialogue; the session score is their mean."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "quality_judge"
    Options = Options

    def skip(self, opts: Options) -> set[str]:
        from onprem.generators import not_training_data

        return set() if opts.generator else not_training_data()   # sessions, not scenarios or evaluations


def session_scores(store, generator: str | None = None) -> dict[int, float]:
    """dialogue id -> the mean of its latest quality criteria (over every judge model that scored it)."""
    from onprem.store.scores import mean_scores

    return mean_scores(store, "quality", generator)
