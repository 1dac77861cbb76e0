"""Judges: a rubric scored by a model on stored targets (dialogues, segments, pairs, responses).

A judge is one module registered through the `register_judges` hook. It names its rubric, its
target kind and its prompt; it lists the targets still to judge and builds the request for one.
The loop, the run record, progress and storage are the runner's (judges/runner.py), the command
line is built from the registry (`onprem judge NAME`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from onprem.judges.rubric import Rubric


class NoOptions(BaseModel):
    pass


@dataclass
class Target:
    kind: str            # dialogue | segment | pair | response
    id: int
    label: str           # for progress lines: "dialogue 3 (C001)"
    data: dict = field(default_factory=dict)


class Judge:
    name: str = ""
    help: str = ""
    rubric: Rubric
    target: str = "dialogue"
    prompt_name: str = ""            # template name in prompts/
    Options: type[BaseModel] = NoOptions
    temperature: float = 0.2
    n_ctx: int = 8192

    def targets(self, store, opts: Any, rubric: Rubric, force: bool, model: str) -> list[Target]:
        """What is still to judge under `rubric` by `model` (everything with `force`)."""
        raise NotImplementedError

    def prompt_for(self, store, target: Target, model, rubric: Rubric, max_tokens: int):
        """The PromptPair for one target, fitted to the model's context."""
        raise NotImplementedError


def applies_to(judge: Judge, generator: str) -> bool:
    """Whether `onprem judge NAME` scores dialogues of `generator` as it is installed: a judge bound to
    one generator (SQPsych's, the distress judge of PE phases) or reading one by default (the CBT
    techniques of hybrid sessions) applies to that one; a judge of any session to every generator
    whose dialogues are training data (not scenarios, not evaluation conversations)."""
    from onprem.generators import not_training_data

    fixed = getattr(judge, "generator", None)
    if fixed:
        return fixed == generator
    option = judge.Options.model_fields.get("generator")
    if option is not None and option.default:
        return option.default == generator
    return judge.target == "dialogue" and generator not in not_training_data()


def judges_for(generator: str) -> list[str]:
    """The registered judges that score a generator's dialogues (what a hint may suggest)."""
    from onprem import plugins

    return [name for name, r in plugins.judges().items() if applies_to(r.component, generator)]


def registered_rubrics() -> dict[str, tuple[Rubric, str]]:
    """rubric name -> (rubric, target kind) of every registered judge: what a person may rate on
    the form or import ratings under."""
    from onprem import plugins

    return {r.component.rubric.name: (r.component.rubric, r.component.target) for r in plugins.judges().values()}
