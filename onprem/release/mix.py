"""The real + synthetic mix (Hybrid training data, §3.6): from what the release gate lets out, exactly
round(total x real_ratio) real items and the rest synthetic, drawn with one seed, optionally
stratified by topic (each side's draw split over its topics in proportion, largest remainders
first), written in a seeded shuffled order, with a manifest beside the file.

Real: dialogues imported as real sessions (`import-dialogues`), or pairs from paraphrased or imported
transcripts. Synthetic: dialogues or pairs of a generator (all, or those named in `synthetic_from`).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from onprem.errors import UserError
from onprem.vocab import REAL_GENERATOR
from onprem.settings import DEFAULT_SEED



@dataclass(frozen=True)
class Mix:
    total: int
    real_ratio: float = 0.6
    seed: int = DEFAULT_SEED
    stratify: str | None = None              # "topic"
    synthetic_from: tuple[str, ...] = ()     # generator names; empty: every generator

    def counts(self) -> tuple[int, int]:
        n_real = round(self.total * self.real_ratio)
        return n_real, self.total - n_real


def side_of(row: dict, unit: str) -> str | None:
    """real, synthetic, or None (a synthetic item of a generator not asked for)."""
    if unit == "dialogues":
        gen = row.get("generator")
        return "real" if gen == REAL_GENERATOR else "synthetic"
    return "synthetic" if row.get("source_kind") == "synthetic" else "real"


def _generator(row: dict, unit: str) -> str | None:
    return row.get("generator") if unit == "dialogues" else row.get("pair_generator")


def _draw(rows: list[dict], n: int, rng: random.Random, stratify: str | None) -> list[dict]:
    if not stratify:
        return rng.sample(rows, n)
    strata: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        strata[r.get(stratify) or "-"].append(r)
    keys = sorted(strata)
    quotas = {k: n * len(strata[k]) / len(rows) for k in keys}
    take = {k: int(q) for k, q in quotas.items()}
    for k in sorted(keys, key=lambda k: (-(quotas[k] - take[k]), k))[: n - sum(take.values())]:
        take[k] += 1
    return [r for k in keys for r in rng.sample(strata[k], take[k])]


def draw(rows: list[dict], unit: str, mix: Mix) -> tuple[list[dict], dict]:
    """The mixed rows (each with "side") in a seeded order, and the manifest's counts."""
    sides: dict[str, list[dict]] = {"real": [], "synthetic": []}
    for r in rows:
        side = side_of(r, unit)
        if side == "synthetic" and mix.synthetic_from and _generator(r, unit) not in mix.synthetic_from:
            continue
        sides[side].append({**r, "side": side})
    n_real, n_syn = mix.counts()
    short = [f"{side}: {len(sides[side])} releasable, {n} needed" for side, n in (("real", n_real), ("synthetic", n_syn))
             if len(sides[side]) < n]
    if short:
        raise UserError(f"not enough items for --total {mix.total} --real-ratio {mix.real_ratio:g}: {'; '.join(short)}; "
                        f"nothing written")
    if mix.stratify:
        # Stratifying on a field no item has would draw as if unstratified while saying otherwise.
        bare = [f"none of the {len(sides[side])} {side} {unit} has a {mix.stratify}" for side, n in
                (("real", n_real), ("synthetic", n_syn)) if n and not any(r.get(mix.stratify) for r in sides[side])]
        if bare:
            raise UserError(f"--stratify {mix.stratify}: {'; '.join(bare)} (real sessions and most generators' "
                            f"dialogues carry no {mix.stratify}); drop --stratify, or mix pairs that have one; "
                            f"nothing written")
    rng = random.Random(mix.seed)
    picked = _draw(sides["real"], n_real, rng, mix.stratify) + _draw(sides["synthetic"], n_syn, rng, mix.stratify)
    rng.shuffle(picked)
    return picked, {"total": len(picked), "real": n_real, "synthetic": n_syn,
                    "real_ratio": round(n_real / len(picked), 6) if picked else None,
                    "available": {k: len(v) for k, v in sides.items()}}
