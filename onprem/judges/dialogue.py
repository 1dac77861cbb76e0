"""What every judge of whole dialogues shares: the transcript text, shortened from the middle when
the dialogue does not fit the judge model's context (the opening and the close matter most)."""

from __future__ import annotations

import prompts
from onprem.store import dialogues as dstore
from onprem.judges import Judge, Target
from onprem.model.base import PromptPair


def transcript(turns: list[dict]) -> str:
    """"Therapist: ..." lines from [{"speaker" or "role", "content"}]."""
    return "\n".join(f"{(t.get('speaker') or t.get('role')).capitalize()}: {t['content']}" for t in turns)


def render_fitting(model, prompt, turns: list[dict], max_tokens: int, **variables) -> PromptPair:
    """The prompt in both forms, with turns from the middle left out (and the gap marked) until the
    form the model is sent fits its context."""
    budget = model.n_ctx - max_tokens - 16
    head, tail = len(turns), 0
    while True:
        shown = turns[:head] + ([{"speaker": "note", "content": f"[{len(turns) - head - tail} turns left out]"}]
                                if head + tail < len(turns) else []) + (turns[len(turns) - tail:] if tail else [])
        text = transcript(shown)
        pair = PromptPair.of(prompt, dialogue=text, **variables)
        if model.measure(pair) <= budget or head <= 2:
            return pair
        # Keep the first third and the last third, shrinking both.
        keep = max(2, (head + tail) * 2 // 3)
        head, tail = (keep + 1) // 2, keep // 2


class DialogueJudge(Judge):
    """A judge of whole stored dialogues (or PE phase segments): its targets are the releasable
    dialogues of `generator` (or the `--generator` option) not yet judged under the rubric by this
    model, less those of `skip(opts)`; its prompt is the transcript, shortened to fit."""

    generator: str | None = None

    def skip(self, opts) -> set[str]:
        return set()

    def label(self, row: dict) -> str:
        return f"dialogue {row['id']} ({row['generator']})"

    def variables(self, target: Target) -> dict:
        """What the prompt needs besides the transcript and the rubric."""
        return {}

    def targets(self, store, opts, rubric, force, model) -> list[Target]:
        done = set() if force else dstore.judged(store, rubric.name, self.target, model)
        skip = self.skip(opts)
        return [Target(self.target, r["id"], self.label(r), r)
                for r in dstore.releasable_dialogues(store, getattr(opts, "generator", None) or self.generator)
                if r["id"] not in done and r["generator"] not in skip]

    def prompt_for(self, store, target, model, rubric, max_tokens) -> PromptPair:
        return render_fitting(model, prompts.load(self.prompt_name), dstore.dialogue_turns(store, target.id),
                              max_tokens, rubric=rubric, **self.variables(target))
