"""What every judge of whole dialogues shares: the transcript text, shortened from the middle when
the dialogue does not fit the judge model's context (the opening and the close matter most)."""

from __future__ import annotations

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
        pair = PromptPair(completion=prompt.render(dialogue=text, completion=True, **variables),
                          messages=({"role": "user", "content": prompt.render(dialogue=text, completion=False,
                                                                               **variables)},))
        if model.measure(pair) <= budget or head <= 2:
            return pair
        # Keep the first third and the last third, shrinking both.
        keep = max(2, (head + tail) * 2 // 3)
        head, tail = (keep + 1) // 2, keep // 2
