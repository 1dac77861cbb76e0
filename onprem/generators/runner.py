"""The resumable loop every dialogue generator shares: case segment -> produce -> stored dialogue.

Segments already done are skipped (unless forced); each segment is seeded from the run seed and the
case key, so a resumed or re-ordered run draws exactly what an uninterrupted one would; each
dialogue is stored whole, with its identifier findings when a scanner is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from onprem.dialogue import store as dstore
from onprem.dialogue.roleplay import DialogueResult
from onprem.generators import Case, Generator
from onprem.seeds import derive_seed
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

    def counts(self) -> dict:
        return {k: getattr(self, k) for k in ("ended", "capped", "failed", "skipped", "turns", "findings")}

    def as_dict(self) -> dict:
        return {**self.__dict__, "seconds": round(self.seconds, 1),
                "tokens_per_second": round(self.tokens_per_second, 1),
                "turns_per_minute": round(self.turns_per_minute, 1)}


def segment_seed(seed: int, case: Case, segment: int) -> int:
    """Segment 0 keeps the plain case seed (single-segment generators); others add the segment."""
    return derive_seed(seed, case.key) if segment == 0 else derive_seed(seed, case.key, segment)


def item_line(case: Case, segment: int, result: DialogueResult | None, found: int | None) -> str:
    name = case.title + (f" segment {segment}" if len(case.segments) > 1 else "")
    if result is None:
        return f"{name}: already done"
    good = result.good_turns()
    return (f"{name}: {result.status}, {len(good)} turns"
            + (f" ({len(result.turns) - len(good)} unusable)" if len(good) != len(result.turns) else "")
            + (f"; {result.reason}" if result.status == "failed" else "")
            + (f"; {found} findings" if found is not None else ""))


def run_cases(store: Store, gen: Generator, cases: list[Case], opts, models: dict, *, seed: int, run_id: int,
              params: dict, force: bool, progress, scan: Callable[[str], list] | None = None) -> Tally:
    tally = Tally()
    prompts = gen.prompts()
    work = [(c, s) for c in cases for s in c.segments]
    progress.start(len(work))
    case_ids: dict[str, int] = {}
    for case, segment in work:
        if case.key not in case_ids:
            case_ids[case.key] = dstore.ensure_case(store, gen.name, case.key, profile_id=case.profile_id,
                                                    title=case.title, facts=case.facts)
        case_id = case_ids[case.key]
        if not force and dstore.has_dialogue(store, case_id, segment):
            tally.skipped += 1
            progress.item(item_line(case, segment, None, None), status="skipped", counts=tally.counts(),
                          rate=f"{tally.tokens_per_second:.0f} tok/s")
            continue
        s = segment_seed(seed, case, segment)
        result = gen.produce(case, segment, models, opts, s)
        found = dstore.save_dialogue(store, case_id=case_id, segment=segment, profile_id=case.profile_id,
                                     generator=gen.name, run_id=run_id, result=result, models=models,
                                     prompts=prompts, params=params, seed=s, scan=scan,
                                     attempts=result.attempts)
        tally.add(result)
        tally.findings += found or 0
        progress.item(item_line(case, segment, result, found), status=result.status, counts=tally.counts(),
                      rate=f"{tally.tokens_per_second:.0f} tok/s")
    return tally
