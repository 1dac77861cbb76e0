"""The resumable loop every dialogue generator shares: profile -> role-play -> stored dialogue.

A generator supplies `make_agents(profile)`; this module skips profiles already done (unless
forced), seeds each dialogue from the run seed and the record, and stores each dialogue whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from onprem.dialogue import store as dstore
from onprem.dialogue.profiles import Profile
from onprem.dialogue.roleplay import Agent, DialogueResult, Limits, roleplay
from onprem.model.runtime import derive_seed
from onprem.store import Store


@dataclass
class Tally:
    dialogues: int = 0
    skipped: int = 0
    ended: int = 0
    capped: int = 0
    failed: int = 0
    turns: int = 0
    bad_turns: int = 0
    tokens: int = 0
    seconds: float = 0.0
    findings: int = 0           # identifier findings stored with the dialogues (when scanned)

    def add(self, r: DialogueResult) -> None:
        self.dialogues += 1
        setattr(self, r.status, getattr(self, r.status) + 1)
        self.turns += len(r.turns)
        self.bad_turns += sum(t.status != "ok" for t in r.turns)
        self.tokens += r.tokens
        self.seconds += r.seconds

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    @property
    def turns_per_minute(self) -> float:
        return 60 * self.turns / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**self.__dict__, "seconds": round(self.seconds, 1),
                "tokens_per_second": round(self.tokens_per_second, 1),
                "turns_per_minute": round(self.turns_per_minute, 1)}


def run_dialogues(store: Store, generator: str, items: list[tuple[int, Profile]], *,
                  make_agents: Callable[[Profile], tuple[Agent, Agent]], limits: Limits, seed: int,
                  run_id: int, models: dict, prompts: list, params: dict, force: bool,
                  on_done: Callable[[Profile, DialogueResult | None, Tally, int | None], None] | None = None,
                  scan: Callable[[str], list] | None = None) -> Tally:
    """`items` are (profile id, profile). Each finished dialogue is committed before the next starts;
    with `scan` (the redaction analyzer) its identifier findings are committed with it.
    `on_done(profile, result or None when skipped, tally, findings stored or None when not scanned)`."""
    tally = Tally()
    for profile_id, profile in items:
        if not force and dstore.has_dialogue(store, profile_id, generator):
            tally.skipped += 1
            if on_done:
                on_done(profile, None, tally, None)
            continue
        s = derive_seed(seed, profile.record_sha256)
        result = roleplay(make_agents(profile), limits, s)
        found = dstore.save_dialogue(store, profile_id=profile_id, generator=generator, run_id=run_id,
                                     result=result, models=models, prompts=prompts, params=params, seed=s, scan=scan)
        tally.add(result)
        tally.findings += found or 0
        if on_done:
            on_done(profile, result, tally, found)
    return tally
