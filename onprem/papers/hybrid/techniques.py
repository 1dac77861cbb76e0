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
    row = store.db.execute("select id from judgments where rubric = 'cbt-techniques' and status = 'done' and "
                           "target_kind = 'dialogue' and target_id = ? order by id desc limit 1", [dialogue_id]).fetchone()
    if row is None:
        return []
    yes = {r[0] for r in store.db.execute("select criterion from judgment_scores where judgment_id = ? and score = 1",
                                          [row[0]])}
    return [t for t in cbt()["techniques"] if key_of(t) in yes]
