"""Two agents taking turns (therapist <-> client, or any two roles), on the same or different models.

Generic on purpose: it knows turns, limits and retries, not CBT. A generator supplies each agent's
prompt template and per-turn variables (persona, session stage, ...). Each utterance is a small
schema-constrained object, {"utterance": ..., "end": ...}, asked for through `structured()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from pydantic import BaseModel, Field, create_model

from onprem.model.base import Model, PromptPair, Request, Sampling
from onprem.model.structured import structured
from onprem.seeds import derive_seed
from onprem.textcheck import ngrams, words

# A grammar "word": letters with inner apostrophes or hyphens, then optional punctuation. No digits
# or symbols: a small model otherwise fills turns with ids and code-like junk ("t.3029:b1"). Spaces
# are literal (GBNF has no \s); words are joined by one space.
_WORD = r"[A-Za-z]+(['-][A-Za-z]+)*[,.!?;:]*"
_COPY_WORDS = 8  # this many words in a row taken from an earlier turn is a copy
_PROMPT_COPY_WORDS = 5  # from the instructions: the same rule as for pairs (onprem.textcheck)
_LABEL = re.compile(r"^\s*(therapist|client|counsell?or|patient|[A-Z][a-z]+)\s*:\s*", re.I)
_TOKENS_PER_WORD = 2.0  # generous: tokens the model may spend per allowed word, plus JSON overhead


class Utterance(BaseModel):
    utterance: str = Field(min_length=1)
    end: bool = False


@lru_cache(maxsize=None)
def utterance_schema(min_words: int, max_words: int) -> type[Utterance]:
    """The word limits live in the grammar (a bounded repetition, not maxLength, which llama.cpp
    would expand into a huge grammar), so the string always closes before max_tokens."""
    lo, hi = max(0, min_words - 1), max(0, max_words - 1)
    pattern = f"^{_WORD}( {_WORD}){{{lo},{hi}}}$"
    return create_model(f"Utterance{min_words}to{max_words}", __base__=Utterance,
                        utterance=(str, Field(min_length=1, pattern=pattern)))


@dataclass(frozen=True)
class Limits:
    max_turns: int = 30
    min_turns: int = 8            # an end signal counts only from this many turns on
    min_words: int = 2            # per utterance
    max_words: int = 60           # per utterance
    retries: int = 2              # extra draws for an empty or repeated turn
    schema_retries: int = 1       # extra draws inside structured() for invalid output
    max_bad_in_a_row: int = 3     # a dialogue that keeps failing stops as failed

    def max_tokens(self) -> int:
        return int(self.max_words * _TOKENS_PER_WORD) + 24

    def params(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Turn:
    seq: int
    speaker: str
    content: str
    status: str = "ok"            # ok | empty | repeat | failed
    reason: str | None = None
    end: bool = False             # the speaker asked to end here
    attempts: int = 1
    tokens: int = 0
    seconds: float = 0.0


@dataclass
class TurnContext:
    """What an agent sees when it is its turn: the good turns so far and where the session is."""

    speaker: str
    index: int                    # 0-based turn number in the dialogue
    history: list[Turn]           # ok turns only, oldest first
    limits: Limits


@dataclass
class Agent:
    speaker: str                  # the role label used in transcripts and exports
    model: Model
    prompt: object                # prompts.Prompt: rendered with history, speaker, completion + variables
    sampling: Sampling
    variables: Callable[[TurnContext], dict] = lambda ctx: {}
    # Whether an end signal from this agent counts at this point (e.g. only once the session closes).
    can_end: Callable[[TurnContext], bool] = lambda ctx: True


@dataclass
class DialogueResult:
    turns: list[Turn] = field(default_factory=list)
    status: str = "capped"        # ended | capped | failed
    reason: str | None = None
    attempts: list[dict] = field(default_factory=list)   # earlier drafts kept (Reflexion trials), if any
    meta: dict = field(default_factory=dict)             # what a generator measured (stored with the dialogue)

    @property
    def tokens(self) -> int:
        return sum(t.tokens for t in self.turns)

    @property
    def seconds(self) -> float:
        return sum(t.seconds for t in self.turns)

    def good_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.status == "ok"]


def turn_seed(seed: int, index: int, attempt: int = 0) -> int:
    return derive_seed(seed, index, attempt)


def clean(text: str, max_words: int) -> str:
    """Strip a leading speaker label ("Client: ...") and extra spaces; cut to the word limit."""
    text = " ".join(text.split())
    for _ in range(2):
        text = _LABEL.sub("", text, count=1)
    words = text.split()
    return " ".join(words[:max_words])


def repeats(text: str, speaker: str, history: list[Turn], threshold: float = 0.85) -> str | None:
    """Why `text` counts as a repetition of an earlier turn, or None."""
    mine = words(text)
    for t in reversed(history):
        other = words(t.content)
        if mine == other:
            return f"same as turn {t.seq + 1}"
        if t.speaker == speaker and len(mine) >= 4 and len(other) >= 4:
            a, b = set(mine), set(other)
            if len(a & b) / len(a | b) >= threshold:
                return f"nearly the same as turn {t.seq + 1}"
    return None


def copies(text: str, sources: dict[str, str], n: int = _COPY_WORDS, prompt_n: int = _PROMPT_COPY_WORDS) -> str | None:
    """Which source `text` lifts words in a row from, or None: `prompt_n` words from "the prompt"
    (its instructions, persona, worked example), `n` from any other source (the other speaker's
    turns); a small model parrots both."""
    ws = words(text)
    for name, source in sources.items():
        k = prompt_n if name == "the prompt" else n
        if ngrams(ws, k) & ngrams(words(source), k):
            return f"copies {k} words from {name}"
    return None


def chat_messages(instructions: str, history: list[Turn], me: str) -> list[dict]:
    """History as chat turns from `me`'s side: my turns are "assistant", the other's "user".
    Instructions ride in the first user message (some chat templates reject a system role or
    demand user/assistant alternation); same-role neighbours are merged for the same reason."""
    msgs: list[dict] = [{"role": "user", "content": instructions}]
    only_instructions = True
    for t in history:
        role = "assistant" if t.speaker == me else "user"
        if msgs[-1]["role"] == role:
            msgs[-1]["content"] += ("\n\n" if only_instructions else " ") + t.content
        else:
            msgs.append({"role": role, "content": t.content})
        only_instructions = False
    if msgs[-1]["role"] == "assistant":
        msgs.append({"role": "user", "content": "(Please go on.)"})
    return msgs


def build_prompt(agent: Agent, ctx: TurnContext, variables: dict) -> PromptPair:
    """This turn's prompt in both forms: the completion text with the history inside it (base
    models), and the instructions plus the history as chat turns (instruct models). The oldest turns
    are dropped until the form the model is sent fits its context with room for the answer."""
    budget = agent.model.n_ctx - agent.sampling.max_tokens - 32
    history = list(ctx.history)
    instructions = agent.prompt.render(history=[], speaker=agent.speaker, completion=False, **variables)
    while True:
        pair = PromptPair(
            completion=agent.prompt.render(history=history, speaker=agent.speaker, completion=True, **variables),
            messages=tuple(chat_messages(instructions, history, agent.speaker)))
        if agent.model.measure(pair) <= budget or not history:
            return pair
        history = history[2:] if len(history) > 2 else history[1:]


def take_turn(agent: Agent, ctx: TurnContext, seed: int) -> Turn:
    """One utterance: schema-constrained, cleaned, checked for empty or repeated text, and re-drawn
    a bounded number of times. The last attempt is recorded whatever it is."""
    limits = ctx.limits
    schema = utterance_schema(limits.min_words, limits.max_words)
    variables = agent.variables(ctx)
    prompt = build_prompt(agent, ctx, variables)
    # What the model was told, without the dialogue itself, in the form it is sent: a turn may not copy it.
    told = agent.prompt.render(history=[], speaker=agent.speaker, completion=not agent.model.uses_chat(), **variables)
    sources = {"the prompt": told, **{f"turn {t.seq + 1}": t.content for t in ctx.history}}
    turn = Turn(seq=ctx.index, speaker=agent.speaker, content="", attempts=0)
    for attempt in range(limits.retries + 1):
        res = structured(agent.model, Request(prompt, schema, agent.sampling, turn_seed(seed, ctx.index, attempt)),
                         retries=limits.schema_retries)
        turn.attempts += res.attempts
        turn.tokens += res.completion_tokens
        turn.seconds += res.seconds
        if res.value is None:
            turn.content, turn.status, turn.reason, turn.end = "", "failed", res.error, False
            continue
        turn.content = clean(res.value.utterance, limits.max_words)
        turn.end = bool(res.value.end)
        if not turn.content:
            turn.status, turn.reason = "empty", "empty utterance"
            continue
        why = repeats(turn.content, agent.speaker, ctx.history) or copies(turn.content, sources)
        if why:
            turn.status, turn.reason = "repeat", why
            continue
        turn.status, turn.reason = "ok", None
        break
    if turn.status != "ok":
        turn.reason = f"{turn.reason} after {limits.retries + 1} tries"
    return turn


def roleplay(agents: tuple[Agent, Agent], limits: Limits, seed: int,
             on_turn: Callable[[Turn], None] | None = None) -> DialogueResult:
    """Alternate the two agents (the first speaks first) until an accepted end signal, the turn
    cap, or too many bad turns in a row."""
    result = DialogueResult()
    bad_run = 0
    for index in range(limits.max_turns):
        agent = agents[index % 2]
        ctx = TurnContext(speaker=agent.speaker, index=index, history=result.good_turns(), limits=limits)
        turn = take_turn(agent, ctx, seed)
        result.turns.append(turn)
        if on_turn:
            on_turn(turn)
        if turn.status != "ok":
            bad_run += 1
            if bad_run >= limits.max_bad_in_a_row:
                result.status = "failed"
                result.reason = f"{bad_run} unusable turns in a row (last: {turn.reason})"
                return result
            continue
        bad_run = 0
        if turn.end and index + 1 >= limits.min_turns and agent.can_end(ctx):
            result.status, result.reason = "ended", f"{turn.speaker} ended the session"
            return result
    result.status, result.reason = "capped", f"reached --max-turns {limits.max_turns}"
    return result
