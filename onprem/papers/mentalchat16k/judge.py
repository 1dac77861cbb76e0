"""MentalChat16K's seven metrics: an impartial judge rates one response to a benchmark question on
each metric, 1-10 with a few words of reason, plus an overall score whose reason is the short
explanation. Schema-constrained; an invalid output is retried, then stored as failed. Two judge
models may score the same responses (each keeps its own judgment)."""

from __future__ import annotations

from pydantic import BaseModel, Field

import prompts
from onprem.store import dialogues as dstore
from onprem.errors import UserError
from onprem.store import benchmark
from onprem.judges import Judge, Target
from onprem.judges.rubric import Criterion, Rubric, Scale
from onprem.model.base import PromptPair

# Table 2 of the paper, in snake_case (the keys of `onprem eval compare --json`).
METRICS = (
    ("active_listening", "Active Listening"),
    ("empathy_validation", "Empathy & Validation"),
    ("safety_trustworthiness", "Safety & Trustworthiness"),
    ("open_mindedness_non_judgment", "Open-mindedness & Non-judgment"),
    ("clarity_encouragement", "Clarity & Encouragement"),
    ("boundaries_ethical", "Boundaries & Ethical"),
    ("holistic_approach", "Holistic Approach"),
)
RUBRIC = Rubric("mentalchat7", tuple(Criterion(k, "metric", name) for k, name in METRICS)
                + (Criterion("overall", "overall", "overall quality, with a short explanation"),),
                scale=Scale(1, 10, "points"), version="1")


class Options(BaseModel):
    responses: str | None = Field(None, description="Judge only the responses of one `eval respond` run: run:ID.")

    def run_id(self) -> int | None:
        if self.responses is None:
            return None
        if not self.responses.startswith("run:") or not self.responses[4:].isdigit():
            raise UserError(f"--responses {self.responses!r}: write run:ID with the number of an `eval respond` run")
        return int(self.responses[4:])


class MentalChat7(Judge):
    name = "mentalchat7"
    help = "MentalChat16K's 7 metrics (1-10) and an overall score per stored response of `onprem eval respond`."
    rubric = RUBRIC
    target = "response"
    prompt_name = "mentalchat7_judge"
    Options = Options
    temperature = 0.0

    def targets(self, store, opts: Options, rubric, force, model) -> list[Target]:
        run_id = opts.run_id()
        rows = benchmark.responses(store, run_id)
        if run_id is not None and not rows:
            raise UserError(f"--responses run:{run_id}: that run stored no responses; see onprem stats for runs")
        done = set() if force else dstore.judged(store, rubric.name, "response", model)
        return [Target("response", r["id"], f"{r['model']} round {r['round']} question {r['key']}", r)
                for r in rows if r["id"] not in done]

    def prompt_for(self, store, target, model, rubric, max_tokens) -> PromptPair:
        template = prompts.load(self.prompt_name)
        answer = target.data["response"]
        budget = model.n_ctx - max_tokens - 16
        while True:   # a long answer is cut from its end until the prompt fits (marked)
            pair = PromptPair.of(template, question=target.data["question"], answer=answer)
            if model.measure(pair) <= budget or len(answer) < 200:
                return pair
            answer = answer[: int(len(answer) * 0.8)] + " [...]"
