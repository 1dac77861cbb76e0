"""The Thousand Voices of Trauma profile sampler: client, therapist and session context.

Every field's distribution is data (data/pe.json, each with where it comes from: the paper or a
project choice). All draws go through one `random.Random(seed)`, in a fixed order, so the same seed
and N give byte-identical profiles. A profile that breaks a validation rule (data too) is drawn again.
Two presets: `paper` (the weights the paper states) and `reported` (the gender shares of its 500
released profiles, which the stated weights cannot have produced).
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "pe.json"
PRESETS = ("paper", "reported")


@lru_cache(maxsize=1)
def spec() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _age(rng: random.Random, groups: list[list[int]]) -> tuple[int, int]:
    g = rng.randrange(len(groups))
    lo, hi = groups[g]
    return g, rng.randint(lo, hi)


def problems(p: dict) -> list[str]:
    """What breaks the validation rules (empty: valid)."""
    rules, c, t = spec()["rules"], p["client"], p["therapist"]
    out = []
    for value, age in rules["min_age_for"].items():
        if value in (c["occupation"], c["relationship"], c["living"]) and c["age"] < age:
            out.append(f"{value} needs age >= {age} (age {c['age']})")
    for value, age in rules["max_age_for"].items():
        if value in (c["occupation"], c["relationship"], c["living"]) and c["age"] > age:
            out.append(f"{value} needs age <= {age} (age {c['age']})")
    b = spec()["client"]["behaviours"]
    if not b["min"] <= len(c["behaviours"]) <= b["max"] or len(set(c["behaviours"])) != len(c["behaviours"]):
        out.append(f"behaviours must be {b['min']}-{b['max']} different ones")
    lo, hi = spec()["therapist"]["age_groups"]["groups"][0][0], spec()["therapist"]["age_groups"]["groups"][-1][1]
    if not lo <= t["age"] <= hi:
        out.append(f"therapist age must be {lo}-{hi}")
    return out


def draw(rng: random.Random, preset: str = "paper") -> dict:
    s = spec()
    gender = s["presets"][preset]["gender"]
    while True:
        cl = s["client"]
        g, age = _age(rng, cl["age_groups"]["groups"])
        k = rng.randint(cl["behaviours"]["min"], cl["behaviours"]["max"])
        client = {"age": age, "gender": _pick(rng, gender), "ethnicity": _pick(rng, cl["ethnicity"]["weights"]),
                  "condition": _pick(rng, cl["condition"]["weights"]),
                  "behaviours": rng.sample(cl["behaviours"]["values"], k),
                  "relationship": _pick(rng, cl["relationship"]["by_age_group"][g]),
                  "occupation": _pick(rng, cl["occupation"]["by_age_group"][g]),
                  "living": _pick(rng, cl["living"]["by_age_group"][g])}
        _, t_age = _age(rng, s["therapist"]["age_groups"]["groups"])
        therapist = {"age": t_age, "gender": _pick(rng, gender)}
        context = {"trauma_type": rng.choice(s["context"]["trauma_type"]["values"]),
                   "session_topic": rng.choice(s["context"]["session_topic"]["values"])}
        p = {"client": client, "therapist": therapist, "context": context}
        if not problems(p):
            return p


def sample(n: int, seed: int, preset: str = "paper") -> list[dict]:
    rng = random.Random(seed)
    return [{"profile_id": f"pe-{seed}-{i + 1:05d}", "preset": preset, **draw(rng, preset)} for i in range(n)]


def identifying_fields(row: dict) -> list[str]:
    """Fields of a profile whose text the redaction engine finds identifying (identifiers and
    uncertain findings; for the id, identifiers only: "pe-42-00007" is a code). Profile text reaches
    prompts and the `pe` export, so a site-written file is checked before any of it is used."""
    from redaction import identifier_types

    known = _vocabulary()
    fields = [("profile_id", row.get("profile_id"))]
    for part in ("client", "therapist", "context"):
        for key, value in (row.get(part) or {}).items() if isinstance(row.get(part), dict) else []:
            for v in (value if isinstance(value, list) else [value]):
                fields.append((f"{part}.{key}", v))
    return sorted({name for name, v in fields
                   if isinstance(v, str) and v.strip() and v not in known
                   and identifier_types(v, uncertain=name != "profile_id")})


def _vocabulary() -> set[str]:
    """Every category the profile spec itself lists ("South East Asian", "Retired"): ours, so never
    an identifier; only text outside it is scanned."""
    words: set[str] = set()

    def walk(x) -> None:
        if isinstance(x, str):
            words.add(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                words.add(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk({k: v for k, v in spec().items() if k in ("client", "therapist", "context")})
    return words


def read_file(path: Path) -> tuple[list[dict], list[str]]:
    """Profiles from a JSONL file (as `--out` writes them), validated row by row: (valid, errors)."""
    from onprem.fsutil import iter_jsonl, read_utf8

    good, errors = [], []
    for line, row in iter_jsonl(read_utf8(path)):
        if isinstance(row, str):
            errors.append(f"{path}: line {line}: {row}")
            continue
        try:
            why = problems(row) if {"client", "therapist", "context"} <= set(row) else ["needs client, therapist and context"]
        except (KeyError, TypeError) as e:
            why = [f"missing field {e}"]
        if row.get("profile_id") and not isinstance(row["profile_id"], str):
            why = [*why, "profile_id must be a non-empty string"]
        named = identifying_fields(row)
        why = [*why, *(f"{f} looks like it holds an identifier (value not shown); profiles carry categories, "
                       f"never a person's name, place, date or number" for f in named)]
        if why or not row.get("profile_id"):
            shown = "profile_id not shown" if "profile_id" in named else row.get("profile_id", "no profile_id")
            errors.append(f"{path}: line {line} ({shown}): "
                          f"{'; '.join(why or ['needs a profile_id'])}; skipped")
        else:
            good.append(row)
    return good, errors
