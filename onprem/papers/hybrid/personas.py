"""Hybrid training-data personas: age, gender, occupation, cultural background, presenting challenge
and a personality note, each drawn from a value list kept as data (data/personas.json), through one
seeded RNG in a fixed order: the same seed and N give byte-identical personas."""

from __future__ import annotations

import json
import random
from collections import Counter
from functools import lru_cache
from pathlib import Path

from onprem.fsutil import iter_jsonl

DATA = Path(__file__).parent / "data" / "personas.json"
FIELDS = ("age", "gender", "occupation", "cultural_background", "presenting_challenge", "personality")


@lru_cache(maxsize=1)
def spec() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def sample(n: int, seed: int) -> list[dict]:
    s, rng = spec(), random.Random(seed)
    out = []
    for i in range(1, n + 1):
        lo, hi = rng.choice(s["age_groups"])
        p = {"persona_id": f"persona-{seed}-{i:05d}", "age": rng.randint(lo, hi)}
        for field in FIELDS[1:]:
            p[field] = rng.choice(s[field])
        out.append(p)
    return out


def problems(p: dict) -> list[str]:
    s, out = spec(), []
    if not str(p.get("persona_id") or "").strip():
        out.append("needs a persona_id")
    lo, hi = s["age_groups"][0][0], s["age_groups"][-1][1]
    if not isinstance(p.get("age"), int) or not lo <= p["age"] <= hi:
        out.append(f"age must be a whole number {lo}-{hi}")
    for field in FIELDS[1:]:
        if not isinstance(p.get(field), str) or not p[field].strip():
            out.append(f"{field} must be a non-empty text")
    return out


def read_file(path: Path) -> tuple[list[dict], list[str]]:
    """Valid personas and one error line per bad row (naming the file and line). A persona written
    by a person goes into prompts: text outside the spec's own lists that looks identifying rejects
    the row (onprem.free_text)."""
    from onprem import free_text
    from onprem.fsutil import read_utf8

    known = frozenset(str(v).lower() for f in FIELDS[1:] for v in spec()[f])
    good, errors = [], []
    for line, row in iter_jsonl(read_utf8(path)):
        if isinstance(row, str):
            errors.append(f"{path}: line {line}: {row}")
            continue
        why = problems(row)
        if not why:
            texts = {f: row.get(f) for f in ("persona_id", *FIELDS[1:])}
            why = [free_text.problem(f) for f in free_text.identifying(texts, codes=("persona_id",), known=known)]
        if why:
            errors.append(f"{path}: line {line}: {'; '.join(why)}")
        else:
            good.append(row)
    return good, errors


def diversity(personas: list[dict]) -> dict:
    """Per field: distinct values, the share of the most common one, and the normalised entropy of the
    spread (1: every value equally often), computed with scipy."""
    import math

    from scipy.stats import entropy

    out = {}
    for field in FIELDS:
        values = [p[field] if field != "age" else f"{(p['age'] // 10) * 10}s" for p in personas]
        counts = Counter(values)
        k = len(counts)
        out[field] = {"distinct": k, "top_share": round(max(counts.values()) / len(values), 3) if values else None,
                      "evenness": round(float(entropy(list(counts.values())) / math.log(k)), 3) if k > 1 else None}
    return out


def stats_section(store):
    """`onprem stats`: how diverse the stored personas are (None when there are none)."""
    from onprem.evals.sections import StatsSection
    from onprem.store.dialogue_queries import case_facts

    personas = case_facts(store, "scenarios")
    if not personas:
        return None
    return StatsSection({"n": len(personas), "fields": diversity(personas)}, _tables)


def _tables(data: dict) -> list:
    from rich.table import Table

    div = Table("field", "distinct values", "most common share", "evenness (1 = even)",
                title=f"{data['n']} personas: diversity")
    for field, d in data["fields"].items():
        div.add_row(field, str(d["distinct"]), str(d["top_share"]), "-" if d["evenness"] is None else str(d["evenness"]))
    return [div]
