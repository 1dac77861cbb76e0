"""Synthetic Empathy: help-seeker / responder dialogues held to one EPITOME cell (a dimension and a level),
refined with Reflexion (Shinn et al. 2023), as the paper does.

Per item: the actor writes a dialogue from the cell's prompt (data: generators/data/epitome.json;
the three "none" cells share one prompt, as in the paper); the evaluator (judges/epitome.py) says
whether Person 2 meets the target, the level it observes and why (it counts as met only when both
agree: "meets" and the observed level is the target); if not, and trials remain, the
reflector turns the verdict into at most three sentences of advice, and the actor writes again from
the original task plus every reflection so far. It stops at the first success or at --max-trials.
Every trial is stored (draft, verdict, reflection); the final dialogue records its trial count and
whether it met its target; one that never did is kept and marked, not dropped. --no-reflexion makes
one draft per item (the paper's standalone condition; no evaluator call).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

import prompts
from onprem.dialogue.roleplay import DialogueResult, Turn
from onprem.errors import UserError
from onprem.generators import Case, DialogueGenerator, Prepared
from onprem.fsutil import sha256_file
from onprem.papers.empathy.judge import DATA, DIMENSIONS, epitome, evaluate_target
from onprem.model.base import PromptPair, Request, Sampling
from onprem.seeds import derive_seed

NAME = "empathy"
CELLS = tuple(f"{d}:{lvl}" for d in DIMENSIONS for lvl in (0, 1, 2))
_LINE = re.compile(r"^\s*(?:[-*•]\s*)*\**\s*person\s*([12])\s*\**\s*:\s*(.*)$", re.I)
SPEAKER = {"1": "client", "2": "therapist"}        # Person 1 seeks help, Person 2 responds
REFLECTION_SENTENCES = 3


class Options(BaseModel):
    cell: list[str] = Field(default_factory=list, description="A target cell DIM:LEVEL (ER, IP or EX; 0 none, "
                                                              "1 weak, 2 strong); repeatable, e.g. --cell ER:2 --cell IP:0.")
    grid: bool = Field(False, description="All nine cells (also what runs when no --cell is given).")
    per_cell: int = Field(1, ge=1, description="Dialogues per cell.")
    max_trials: int = Field(3, ge=1, le=10, description="Reflexion: drafts at most, stopping at the first that meets its target.")
    no_reflexion: bool = Field(False, description="One draft per item, no evaluator or reflector (the standalone condition).")
    max_tokens: int = Field(320, ge=32, description="Token limit of a draft.")
    temperature: float = 0.9

    def cells(self) -> list[str]:
        chosen = list(CELLS) if self.grid else []
        for c in self.cell:
            c = c.strip().upper()
            if c not in CELLS:
                raise UserError(f"--cell {c!r}: write DIM:LEVEL with DIM one of ER, IP, EX and LEVEL 0, 1 or 2 (e.g. ER:2)")
            if c not in chosen:
                chosen.append(c)
        return chosen or list(CELLS)      # no cell named: the whole grid (what the Jobs screen starts)


def behaviour(cell: str) -> str:
    data = epitome()
    return data["none_prompt"] if cell.endswith(":0") else data["prompts"][cell]


def parse(text: str) -> tuple[list[Turn], str | None]:
    """Turns from "Person 1:"/"Person 2:" lines (other lines continue the turn before); the reason a
    draft is unusable, or None."""
    turns: list[Turn] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            turns.append(Turn(len(turns), SPEAKER[m.group(1)], m.group(2).strip()))
        elif turns and line.strip():
            turns[-1].content = f"{turns[-1].content} {line.strip()}".strip()
    turns = [t for t in turns if t.content]
    for i, t in enumerate(turns):
        t.seq = i
    if not any(t.speaker == "client" for t in turns) or not any(t.speaker == "therapist" for t in turns):
        return turns, "no line from Person 1 or from Person 2"
    return turns, None


def as_text(turns: list[Turn]) -> str:
    return "\n".join(f"Person {1 if t.speaker == 'client' else 2}: {t.content}" for t in turns)


def first_sentences(text: str, n: int = REFLECTION_SENTENCES) -> str:
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return " ".join(parts[:n]).strip()


class Empathy(DialogueGenerator):
    name = NAME
    help = "EPITOME-conditioned help-seeker/responder dialogues refined with Reflexion (Synthetic Empathy)."
    roles = ("actor", "evaluator", "reflector")
    Options = Options
    case_noun = "items"
    n_ctx = 2048

    def prompts(self) -> list:
        return [prompts.load(n) for n in ("empathy_actor", "empathy_evaluator", "empathy_reflector")]

    def validate(self, opts: Options) -> None:
        opts.cells()

    def params(self, opts: Options) -> dict:
        return {"generator": NAME, **opts.model_dump(), "cells": opts.cells(), "epitome_sha256": sha256_file(DATA)}

    def prepare(self, opts: Options, seed: int) -> Prepared:
        cases = [Case(key=f"{cell}#{i}", title=f"{cell} #{i}", facts={"cell": cell}, data=cell)
                 for cell in opts.cells() for i in range(1, opts.per_cell + 1)]
        return Prepared(cases, stats={"cells": len(opts.cells()), "items": len(cases)})

    def _draft(self, actor, cell: str, reflections: list[str], opts: Options, seed: int):
        template = prompts.load("empathy_actor")
        gen = actor.complete(Request(PromptPair.of(template, behaviour=behaviour(cell), reflections=reflections), None,
                                     Sampling(temperature=opts.temperature, max_tokens=opts.max_tokens,
                                              repeat_penalty=1.1), seed))
        out = gen.text if _LINE.match(gen.text.split("\n", 1)[0]) else "Person 1: " + gen.text.lstrip()
        if gen.finish_reason == "length" and "\n" in out.strip():     # the last line was cut off
            out = out.rstrip().rsplit("\n", 1)[0]
        return gen, *parse(out)

    def _reflect(self, reflector, cell: str, draft: str, verdict: dict, seed: int) -> tuple[str, object]:
        dim, level = cell.split(":")
        d, data = epitome()["dimensions"][dim], epitome()
        template = prompts.load("empathy_reflector")
        observed = verdict.get("observed_level")
        prompt = PromptPair.of(
            template, dimension=d["name"], means=d["means"], level_name=data["levels"][level], dialogue=draft,
            observed="-" if observed is None else observed,
            observed_name=data["levels"].get(str(observed), "not observed"), reason=verdict["reason"])
        gen = reflector.complete(Request(prompt, None,
                                         Sampling(temperature=0.3, max_tokens=96), seed))
        return first_sentences(gen.text) or "Make Person 2's replies match the target more clearly.", gen

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int) -> DialogueResult:
        cell = case.data
        trials = 1 if opts.no_reflexion else opts.max_trials
        reflections: list[str] = []
        attempts: list[dict] = []
        turns, why, met, observed = [], None, None, None
        for trial in range(trials):
            gen, turns, why = self._draft(models["actor"], cell, reflections, opts, derive_seed(seed, "actor", trial))
            tokens, seconds = gen.completion_tokens, gen.seconds
            verdict = None
            if why:
                verdict = {"meets_target": False, "observed_level": None, "reason": f"unusable draft: {why}"}
            elif not opts.no_reflexion:
                res = evaluate_target(models["evaluator"], cell, as_text(turns), derive_seed(seed, "evaluator", trial))
                tokens, seconds = tokens + res.completion_tokens, seconds + res.seconds
                verdict = res.value.model_dump() if res.value is not None else {
                    "meets_target": False, "observed_level": None, "reason": f"evaluator failed: {res.error}"}
            attempt = {"draft": [{"speaker": t.speaker, "content": t.content} for t in turns], "evaluation": verdict,
                       "feedback": None, "tokens": tokens, "seconds": round(seconds, 3)}
            attempts.append(attempt)
            # A verdict counts as met only when it is consistent: "meets" and the level it observes is the target.
            met = None if verdict is None else bool(verdict["meets_target"]) and verdict["observed_level"] == int(cell[-1])
            observed = None if verdict is None else verdict["observed_level"]
            if met or trial + 1 == trials:
                break
            advice, rgen = self._reflect(models["reflector"], cell, as_text(turns), verdict,
                                         derive_seed(seed, "reflector", trial))
            attempt["feedback"] = advice
            attempt["tokens"] += rgen.completion_tokens
            attempt["seconds"] = round(attempt["seconds"] + rgen.seconds, 3)
            reflections.append(advice)
        if turns:
            turns[-1].tokens = sum(a["tokens"] for a in attempts)
            turns[-1].seconds = sum(a["seconds"] for a in attempts)
        dim, level = cell.split(":")
        meta = {"cell": cell, "dimension": dim, "level": int(level), "trials": len(attempts), "met_target": met,
                "observed_level": observed, "reflexion": not opts.no_reflexion}
        if why:
            return DialogueResult(turns=turns, status="failed", reason=f"{why} (trial {len(attempts)})",
                                  attempts=attempts, meta=meta)
        note = ("standalone draft" if met is None else
                f"met its target at trial {len(attempts)}" if met else f"did not meet its target in {len(attempts)} trials")
        return DialogueResult(turns=turns, status="ended", reason=f"{cell}: {note}", attempts=attempts, meta=meta)
