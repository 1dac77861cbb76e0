"""Hybrid training data, step 2: one counselling scenario per persona (`onprem personas sample`), as the
paper's App. A records: a one- or two-sentence summary, the cognitive distortions it carries (zero or
more from the list in generators/data/cbt.json, or n/a), and a third-person narrative in which each
distortion is tagged in parentheses where it shows.

The tags are checked: a listed distortion that is not on the list, a listed one missing from the
narrative's tags, or a tag in the narrative that was not listed is a reason to draw again, then to
store the scenario as failed with that reason. A scenario is stored as a one-turn document (speaker
`narrator`) with its summary and distortions in meta; `generate hybrid` reads it, and the dialogue
exports leave it out (it is an input, not training data).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

import prompts
from onprem.dialogue.roleplay import DialogueResult, Turn
from onprem.errors import UserError
from onprem.generators import Case, DialogueGenerator, Prepared
from onprem.model.base import PromptPair, Request, Sampling
from onprem.seeds import retry_seed

NAME = "scenarios"
CBT = Path(__file__).resolve().parent / "data" / "cbt.json"
_FIELD = re.compile(r"^\s*\**\s*(summary|cognitive distortions|scenario)\s*\**\s*:\s*", re.I | re.M)
_TAG = re.compile(r"\(([A-Z][A-Za-z -]+?)\)")


@lru_cache(maxsize=1)
def cbt() -> dict:
    return json.loads(CBT.read_text(encoding="utf-8"))


def persona_text(p: dict) -> str:
    return (f"a {p['age']}-year-old {p['gender']}, {p['occupation']}, {p['cultural_background']} background; "
            f"comes with {p['presenting_challenge']}; {p['personality']}.")


def parse(text: str) -> tuple[dict, str | None]:
    """{summary, distortions, narrative} and the reason it is unusable, or None."""
    parts: dict[str, str] = {}
    marks = list(_FIELD.finditer(text))
    for m, nxt in zip(marks, [*marks[1:], None]):
        key = m.group(1).lower()
        if key not in parts:
            parts[key] = " ".join(text[m.end(): nxt.start() if nxt else len(text)].split())
    missing = [k for k in ("summary", "cognitive distortions", "scenario") if not parts.get(k)]
    if missing:
        return {}, f"missing {', '.join(missing)}"
    known = {d.lower(): d for d in cbt()["distortions"]}
    listed_raw = [] if parts["cognitive distortions"].strip(" .").lower() in ("n/a", "na", "none") else \
        [x.strip(" .") for x in parts["cognitive distortions"].split(",") if x.strip(" .")]
    unknown = [x for x in listed_raw if x.lower() not in known]
    if unknown:
        name = unknown[0] if len(unknown[0]) <= 40 else unknown[0][:40] + "..."
        return {}, f"unknown distortion {name!r} (not on the list)"
    listed = [known[x.lower()] for x in listed_raw]
    tags = {t.strip().lower() for t in _TAG.findall(parts["scenario"])}
    tagged = {known[t] for t in tags if t in known}
    untagged = [d for d in listed if d not in tagged]
    if untagged:
        return {}, f"{untagged[0]} is listed but not tagged in the scenario"
    extra = sorted(d for d in tagged if d not in listed)
    if extra:
        return {}, f"{extra[0]} is tagged in the scenario but not listed"
    return {"summary": parts["summary"], "distortions": listed, "narrative": parts["scenario"]}, None


class Options(BaseModel):
    personas: str = Field("all", description="all: every persona stored by onprem personas sample; or a JSONL file of personas.")
    retries: int = Field(4, ge=0, le=10, description="Extra draws for a scenario that fails the checks.")
    temperature: float = 0.8
    max_tokens: int = Field(700, ge=64)


class Scenarios(DialogueGenerator):
    name = NAME
    help = "One CBT scenario per persona, cognitive distortions tagged where they show (Hybrid training data)."
    roles = ("writer",)
    Options = Options
    released = False
    case_noun = "personas"

    def prompts(self) -> list:
        return [prompts.load("scenario")]

    def prepare(self, opts: Options, seed: int) -> Prepared:
        from onprem.papers.hybrid import personas as ps

        if opts.personas == "all":
            return Prepared([], empty="no personas stored: run onprem personas sample --n N first")
        path = Path(opts.personas)
        if not path.is_file():
            raise UserError(f"--personas {opts.personas}: give all or a JSONL file of personas")
        rows, errors = ps.read_file(path)
        return Prepared([self._case(p) for p in rows], errors=errors, stats={"personas": len(rows)},
                        empty=f"--personas {opts.personas}: no valid personas")

    def from_store(self, store, prepared: Prepared, opts: Options) -> Prepared:
        if opts.personas != "all":
            return prepared
        from onprem.store.dialogue_queries import case_facts

        rows = case_facts(store, "scenarios")
        prepared.cases = [self._case(p) for p in rows]
        prepared.stats = {"personas": len(rows)}
        return prepared

    @staticmethod
    def _case(p: dict) -> Case:
        return Case(key=p["persona_id"], title=p["persona_id"], facts=p, data=p)

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int) -> DialogueResult:
        from onprem.model.structured import structured

        template = prompts.load("scenario")
        req = Request(PromptPair.of(template, persona=persona_text(case.data), distortions=cbt()["distortions"]),
                      scenario_schema(),
                      Sampling(temperature=opts.temperature, max_tokens=opts.max_tokens, repeat_penalty=1.1), seed)
        why, tokens, seconds = None, 0, 0.0
        for attempt in range(opts.retries + 1):
            res = structured(models["writer"], req.with_seed(retry_seed(seed, attempt)), retries=0)
            tokens, seconds = tokens + res.completion_tokens, seconds + res.seconds
            if res.value is None:
                why = res.error
                continue
            record, why = parse(record_text(res.value))
            if why is None:
                turn = Turn(0, "narrator", record["narrative"], tokens=tokens, seconds=seconds)
                return DialogueResult([turn], "ended", f"{len(record['distortions'])} distortions",
                                      meta={"summary": record["summary"], "distortions": record["distortions"],
                                            "persona": case.data})
        return DialogueResult([Turn(0, "narrator", "", status="failed", reason=why, tokens=tokens, seconds=seconds)],
                              "failed", f"{why} after {opts.retries + 1} tries")


def record_text(value) -> str:
    """The App. A record from the model's structured answer: the narrative is its sentences, each
    followed by its distortion tag in parentheses where it has one."""
    narrative = " ".join(s.text + (f" ({s.distortion})" if s.distortion else "") for s in value.sentences)
    listed = ", ".join(value.distortions) or "n/a"
    return f"Summary: {value.summary}\nCognitive Distortions: {listed}\nScenario: {narrative}"


@lru_cache(maxsize=1)
def scenario_schema():
    """The scenario as JSON the grammar holds a model to: a summary, the distortions it lists (names
    from the list only), and the narrative's sentences, each with the distortion it shows or null.
    Whether the listed and the tagged distortions agree is checked afterwards (parse)."""
    from typing import Literal, Optional

    from pydantic import create_model

    from onprem.judges.rubric import WORD

    names = Literal[tuple(cbt()["distortions"])]  # type: ignore[misc]
    words = lambda lo, hi: Field(pattern=f"^{WORD}( {WORD}){{{lo},{hi}}}$")  # noqa: E731
    sentence = create_model("ScenarioSentence", text=(str, words(3, 35)), distortion=(Optional[names], ...))
    # The sentences come before the list: a model lists what it has just tagged more reliably.
    return create_model("Scenario", summary=(str, words(5, 45)),
                        sentences=(list[sentence], Field(min_length=4, max_length=10)),
                        distortions=(list[names], Field(max_length=3)))
