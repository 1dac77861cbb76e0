"""EPITOME empathy (Sharma et al. 2020), as the Synthetic Empathy paper uses it: a responder's reply to a
help-seeker rated on Emotional Reactions, Interpretations and Explorations, each 0 (none), 1 (weak)
or 2 (strong). Two judges live here, over one data file (generators/data/epitome.json):

- `onprem judge epitome`: labels the first seeker post and response of any dialogue (or, with
  --pairs, any pair's question and answer) on all three dimensions, with a reason each.
- `evaluate_target`: the Reflexion evaluator of `generate empathy`: does a dialogue meet its target
  cell (dimension and level)? Schema-constrained {meets_target, observed_level, reason}.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

import prompts
from onprem.store import dialogues as dstore
from onprem.judges import Judge, Target
from onprem.judges.rubric import REASON_WORDS, WORD, Criterion, Rubric, Scale
from onprem.model.base import PromptPair, Request, Sampling
from onprem.model.structured import structured

DATA = Path(__file__).resolve().parent / "data" / "epitome.json"
DIMENSIONS = ("ER", "IP", "EX")


@lru_cache(maxsize=1)
def epitome() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _anchors(d: str) -> tuple[str, ...]:
    """The paper's level texts for a dimension, none to strong: the guideline a labeller reads."""
    data = epitome()
    return (data["none_prompt"], data["prompts"][f"{d}:1"], data["prompts"][f"{d}:2"])


RUBRIC = Rubric("epitome", tuple(Criterion(epitome()["dimensions"][d]["key"], "empathy",
                                           f"{epitome()['dimensions'][d]['name']}: {epitome()['dimensions'][d]['means']}",
                                           _anchors(d))
                                 for d in DIMENSIONS),
                scale=Scale(0, 2, "level", ("none", "weak", "strong")), version="1")


def exchanges(turns: list[dict]) -> list[tuple[str, str]]:
    """Every adjacent help-seeker -> responder exchange, in order (neighbouring turns of one speaker
    joined first, as the exports join them)."""
    from onprem.release import messages_of

    msgs = messages_of(turns)
    return [(a["content"], b["content"]) for a, b in zip(msgs, msgs[1:])
            if a["role"] == "client" and b["role"] == "therapist"]


def level(score) -> int:
    """An EPITOME level as stored by anyone (a person's 2, a judge's 2.0) as the integer 0, 1 or 2:
    levels are compared and exported as integers, never as "2.0" beside "2"."""
    value = float(score)
    if not value.is_integer() or int(value) not in (0, 1, 2):
        raise ValueError(f"not an EPITOME level: {score!r} (0, 1 or 2)")
    return int(value)


def first_exchange(turns: list[dict]) -> tuple[str, str] | None:
    """The first seeker post and the response after it, or None when the dialogue has none."""
    found = exchanges(turns)
    return found[0] if found else None


class Options(BaseModel):
    pairs: bool = Field(False, description="Label pairs (question as the seeker post, answer as the response) "
                                           "instead of dialogues.")


class EpitomeJudge(Judge):
    name = "epitome"
    help = "EPITOME empathy labels (ER, IP, EX: 0 none, 1 weak, 2 strong) of a seeker post and its response."
    rubric = RUBRIC
    target = "dialogue"
    prompt_name = "epitome_judge"
    Options = Options
    temperature = 0.0

    def targets(self, store, opts: Options, rubric, force, model) -> list[Target]:
        kind = "pair" if opts.pairs else "dialogue"
        done = set() if force else dstore.judged(store, rubric.name, kind, model)
        out = []
        if opts.pairs:
            from onprem.store.items import pair_texts

            for r in pair_texts(store, ("kept", "approved", "flagged")):
                if r["id"] not in done:
                    out.append(Target("pair", r["id"], f"pair {r['id']}", {"post": r["question"], "response": r["answer"]}))
            return out
        for d in dstore.releasable_dialogues(store):
            ex = first_exchange(dstore.dialogue_turns(store, d["id"]))
            if ex and d["id"] not in done:
                out.append(Target("dialogue", d["id"], f"dialogue {d['id']} ({d['generator']})",
                                  {"post": ex[0], "response": ex[1]}))
        return out

    def prompt_for(self, store, target, model, rubric, max_tokens) -> PromptPair:
        template = prompts.load(self.prompt_name)
        dims = [epitome()["dimensions"][d] for d in DIMENSIONS]
        return PromptPair.of(template, post=target.data["post"], response=target.data["response"], dimensions=dims)


class Verdict(BaseModel):
    meets_target: bool
    observed_level: Literal[0, 1, 2]
    reason: str = Field(min_length=1, pattern=f"^{WORD}( {WORD}){{0,{REASON_WORDS - 1}}}$")


def evaluator_prompt(cell: str, dialogue: str) -> PromptPair:
    dim, level = cell.split(":")
    d, data = epitome()["dimensions"][dim], epitome()
    template = prompts.load("empathy_evaluator")
    return PromptPair.of(template, dimension=d["name"], means=d["means"], level=level,
                         level_name=data["levels"][level], check=data["checks"][cell], dialogue=dialogue)


def evaluate_target(model, cell: str, dialogue: str, seed: int, retries: int = 2):
    """The Reflexion evaluator's verdict on one draft (a Structured of Verdict)."""
    req = Request(evaluator_prompt(cell, dialogue), Verdict, Sampling(temperature=0.0, max_tokens=96), seed)
    return structured(model, req, retries)
