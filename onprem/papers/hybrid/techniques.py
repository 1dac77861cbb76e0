"""Which CBT techniques the counsellor used in a session (Hybrid training data §3.4: sessions "must use
CBT techniques"): one yes/no criterion per technique of the list in generators/data/cbt.json, with a
reason, for the sessions of a generator (hybrid by default). `used(store, dialogue_id)` reads back
what a session used, as the TUI and stats show it."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from onprem.papers.hybrid.scenarios import cbt
from onprem.judges.dialogue import DialogueJudge
from onprem.judges.rubric import Criterion, Rubric, Scale
from onprem.store.scores import scores


def key_of(technique: str) -> str:
    return re.sub(r"[^a-z]+", "_", technique.lower()).strip("_")


RUBRIC = Rubric("cbt-techniques", tuple(Criterion(key_of(t), "technique", t) for t in cbt()["techniques"]),
                scale=Scale(0, 1, "yesno", ("no", "yes")), version="1")


class Options(BaseModel):
    generator: str = Field("hybrid", description="Whose sessions to read.")


class TechniquesJudge(DialogueJudge):
    name = "cbt-techniques"
    help = "Which of the CBT techniques (data) the counsellor used in each session, yes/no with a reason."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "techniques_judge"
    Options = Options


def used(store, dialogue_id: int) -> list[str]:
    """The techniques the newest done judgment says the session used, in list order."""
    got = scores(store, "cbt-techniques", target_kind="dialogue", target_ids=[dialogue_id])
    if not got:
        return []
    newest = max(sc.judgment_id for sc in got)
    yes = {sc.criterion for sc in got if sc.judgment_id == newest and sc.score == 1}
    return [t for t in cbt()["techniques"] if key_of(t) in yes]
