"""The resumable loop every dialogue generator shares: case segment -> produce -> stored dialogue.

Segments already done are skipped (unless forced); each segment is seeded from the run seed and the
case key, so a resumed or re-ordered run draws exactly what an uninterrupted one would; each
dialogue is stored whole, with its identifier findings when a scanner is given.
"""

from __future__ import annotations

from typing import Callable

from onprem.store import dialogues as dstore
from onprem.store import generated_pairs as pstore
from onprem.dialogue.roleplay import DialogueResult
from onprem.generators import Case, Generator, PairGenerator, is_chained
from onprem.generators.pairs import PairsResult
from onprem.seeds import derive_seed
from onprem.store import Store
from onprem.tally import Tally


SHOWN = ("ended", "capped", "failed", "skipped", "turns", "findings")
PAIR_SHOWN = ("kept", "filtered", "flagged", "failed", "skipped", "findings")


def new_tally(gen: Generator | None = None) -> Tally:
    if isinstance(gen, PairGenerator):
        return Tally("segments", "skipped", "pairs", "kept", "filtered", "flagged", "failed", "findings",
                     shown=PAIR_SHOWN)
    return Tally("dialogues", "skipped", "ended", "capped", "failed", "turns", "bad_turns", "findings", shown=SHOWN)


def add_result(tally: Tally, r: DialogueResult, findings: int | None) -> None:
    tally.add("dialogues", r.status, tokens=r.tokens, seconds=r.seconds, turns=len(r.turns),
              bad_turns=sum(t.status != "ok" for t in r.turns), findings=findings or 0)


def add_pairs(tally: Tally, r: PairsResult, statuses: list[str], findings: int) -> None:
    tally.add("segments", *statuses, tokens=r.tokens, seconds=r.seconds, pairs=len(statuses), findings=findings)


def summary_line(gen: Generator, tally: Tally, cases: int, rejected: int) -> str:
    """The closing line of `generate NAME` (and the Jobs screen)."""
    head = f"{cases} {gen.case_noun} ({rejected} rows rejected), {tally.skipped} already done; "
    if isinstance(gen, PairGenerator):
        return (head + f"{tally.pairs} pairs: {tally.kept} kept, {tally.filtered} filtered, {tally.flagged} flagged "
                f"(identifier findings to review), {tally.failed} failed; {tally.tokens_per_second:.1f} tokens/s")
    return (head + f"{tally.ended} ended, {tally.capped} reached the turn cap, {tally.failed} failed; "
            f"{tally.turns} turns, {tally.findings} identifier findings to review, "
            f"{tally.per_minute('turns'):.1f} turns/min, {tally.tokens_per_second:.1f} tokens/s")


def segment_seed(seed: int, case: Case, segment: int) -> int:
    """Segment 0 keeps the plain case seed (single-segment generators); others add the segment."""
    return derive_seed(seed, case.key) if segment == 0 else derive_seed(seed, case.key, segment)


def item_line(case: Case, segment: int, result: DialogueResult | PairsResult | None, found: int | None) -> str:
    name = case.title + (f" segment {segment}" if len(case.segments) > 1 else "")
    if result is None:
        return f"{name}: already done"
    if isinstance(result, PairsResult):
        from collections import Counter

        by = Counter(p.status for p in result.pairs)
        return f"{name}: {len(result.pairs)} pairs (" + ", ".join(f"{n} {k}" for k, n in sorted(by.items())) + ")" \
            + (f"; {found} findings" if found else "")
    good = result.good_turns()
    return (f"{name}: {result.status}, {len(good)} turns"
            + (f" ({len(result.turns) - len(good)} unusable)" if len(good) != len(result.turns) else "")
            + (f"; {result.reason}" if result.status == "failed" else "")
            + (f"; {found} findings" if found is not None else ""))


def run_cases(store: Store, gen: Generator, cases: list[Case], opts, models: dict, *, seed: int, run_id: int,
              params: dict, force: bool, progress, scan: Callable[[str], list] | None = None,
              tally: Tally | None = None) -> Tally:
    """Case segments are produced side by side (as many as the models decode together, see
    onprem.model.rounds: the dialogues' turns meet in one batch) and stored in case order."""
    from onprem.model.rounds import in_rounds, tasks_for

    tally = tally if tally is not None else new_tally(gen)
    prompts = gen.prompts()
    makes_pairs = isinstance(gen, PairGenerator)
    source_id = pstore.synthetic_source(store, gen.name) if makes_pairs else None
    done = pstore.has_pairs if makes_pairs else dstore.has_dialogue
    work = [(c, s) for c in cases for s in c.segments]
    progress.start(len(work))
    case_ids: dict[str, int] = {}
    todo = []
    for case, segment in work:
        if case.key not in case_ids:
            case_ids[case.key] = dstore.ensure_case(store, gen.name, case.key, profile_id=case.profile_id,
                                                    title=case.title, facts=case.facts)
        if not force and done(store, case_ids[case.key], segment):
            tally.add("skipped")
            progress.item(item_line(case, segment, None, None), status="skipped", counts=tally.counts(),
                          rate=f"{tally.tokens_per_second:.0f} tok/s")
            continue
        todo.append((case, segment))

    def produce(item, ms):
        case, segment = item
        return gen.produce(case, segment, ms, opts, segment_seed(seed, case, segment))

    # A chained generator sees each segment's predecessor as stored (this run's or an earlier run's),
    # so its segments go in order: all cases' first segments side by side, then the next, and so on.
    waves = [todo]
    if is_chained(gen, opts):
        waves = [[(c, s) for c, s in todo if s == seg] for seg in sorted({s for _, s in todo})]
    for wave in waves:
        for case, segment in wave:
            if is_chained(gen, opts):
                case.earlier = {s: dstore.segment_turns(store, case_ids[case.key], s)
                                for s in case.segments if s < segment}
        for (case, segment), result in in_rounds(wave, produce, models, tasks_for(*models.values())):
            if makes_pairs:
                found = pstore.save_pairs(store, source_id=source_id, case_id=case_ids[case.key], segment=segment,
                                          run_id=run_id, result=result, scan=scan)
                add_pairs(tally, result, pstore.statuses(store, case_ids[case.key], segment), found)
                progress.item(item_line(case, segment, result, found), status=result.status, counts=tally.counts(),
                              rate=f"{tally.tokens_per_second:.0f} tok/s")
                continue
            s = segment_seed(seed, case, segment)
            found = dstore.save_dialogue(store, case_id=case_ids[case.key], segment=segment,
                                         profile_id=case.profile_id, generator=gen.name, run_id=run_id,
                                         result=result, models=models, prompts=prompts, params=params, seed=s,
                                         scan=scan, attempts=result.attempts, meta=result.meta or None)
            add_result(tally, result, found)
            progress.item(item_line(case, segment, result, found), status=result.status, counts=tally.counts(),
                          rate=f"{tally.tokens_per_second:.0f} tok/s")
    return tally
