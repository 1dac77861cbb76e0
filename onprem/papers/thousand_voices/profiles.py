"""The Thousand Voices of Trauma profile sampler: client, therapist and session context.

Every field's distribution is data (data/pe.json, each with where it comes from: the paper or a
project choice). All draws go through one `random.Random(seed)`, in a fixed order, so the same seed
and N give byte-identical profiles. The validation rules (data too: ages some values need, values
that exclude others) are applied as each field is drawn, among the values the fields before allow, so
no draw is thrown away and a table's weights are the shares sampled; a profile read from a file is
checked against the same rules.
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


def broken_rules(client: dict, field: str, value: str) -> list[str]:
    """The rules `value` for `field` breaks, given the client's fields drawn so far."""
    rules, age, out = spec()["rules"], client.get("age"), []
    if age is not None and value in rules["min_age_for"] and age < rules["min_age_for"][value]:
        out.append(f"{value} needs age >= {rules['min_age_for'][value]} (age {age})")
    if age is not None and value in rules["max_age_for"] and age > rules["max_age_for"][value]:
        out.append(f"{value} needs age <= {rules['max_age_for'][value]} (age {age})")
    for rule in rules["excludes"]:
        for if_field, if_values in rule["if"].items():
            if client.get(if_field) in if_values and value in rule["then_not"].get(field, []):
                out.append(f"{field} {value!r} with {if_field} {client[if_field]!r}: {rule['why']}")
    return out


def _pick_allowed(rng: random.Random, weights: dict[str, float], client: dict, field: str) -> str | None:
    """A value of `field` drawn among those the rules allow with the fields drawn so far (None: none is)."""
    allowed = {v: w for v, w in weights.items() if w > 0 and not broken_rules(client, field, v)}
    return _pick(rng, allowed) if allowed else None


def problems(p: dict) -> list[str]:
    """What breaks the validation rules (empty: valid)."""
    c, t = p["client"], p["therapist"]
    out = []
    for field in ("relationship", "occupation", "living"):
        out += broken_rules(c, field, c[field])
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
                  "behaviours": rng.sample(cl["behaviours"]["values"], k)}
        for field in ("relationship", "occupation", "living"):
            client[field] = _pick_allowed(rng, cl[field]["by_age_group"][g], client, field)
        _, t_age = _age(rng, s["therapist"]["age_groups"]["groups"])
        therapist = {"age": t_age, "gender": _pick(rng, gender)}
        context = {"trauma_type": rng.choice(s["context"]["trauma_type"]["values"]),
                   "session_topic": rng.choice(s["context"]["session_topic"]["values"])}
        p = {"client": client, "therapist": therapist, "context": context}
        if None not in client.values() and not problems(p):
            return p


def sample(n: int, seed: int, preset: str = "paper") -> list[dict]:
    rng = random.Random(seed)
    return [{"profile_id": f"pe-{seed}-{i + 1:05d}", "preset": preset, **draw(rng, preset)} for i in range(n)]


def identifying_fields(row: dict) -> list[str]:
    """Fields of a profile whose text the redaction engine finds identifying (identifiers and
    uncertain findings; for the id, identifiers only: "pe-42-00007" is a code). Profile text reaches
    prompts and the `pe` export, so a site-written file is checked before any of it is used."""
    from onprem import free_text

    known = frozenset(w.lower() for w in _vocabulary())
    fields = [("profile_id", row.get("profile_id"))]
    for part in ("client", "therapist", "context"):
        for key, value in (row.get(part) or {}).items() if isinstance(row.get(part), dict) else []:
            for v in (value if isinstance(value, list) else [value]):
                fields.append((f"{part}.{key}", v if isinstance(v, str) else None))
    return sorted(free_text.identifying(fields, codes=("profile_id",), known=known))


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


def cohort(profiles: list[dict]) -> dict:
    """The make-up of a sampled cohort beside the paper's 500 released profiles (§3.6, data), per
    attribute: counts and shares of both, and scipy's chi-squared test that both come from one
    distribution (2 x k contingency; for behaviours, which are multi-label, over mentions)."""
    from scipy import stats

    reported = spec()["reported_cohort"]
    ages = [p["client"]["age"] for p in profiles]
    out: dict = {"n": len(profiles), "reported_n": reported["n"],
                 "age_mean": round(sum(ages) / len(ages), 2) if ages else None, "reported_age_mean": reported["age_mean"]}
    for key, paper in reported.items():
        if not isinstance(paper, dict):
            continue
        part, field = key.split(".")
        counts: dict[str, int] = dict.fromkeys(paper, 0)
        for p in profiles:
            values = p[part][field]
            for v in values if isinstance(values, list) else [values]:
                counts[v] = counts.get(v, 0) + 1
        keys = [k for k in counts if counts[k] or paper.get(k)]
        table = [[counts[k] for k in keys], [paper.get(k, 0) for k in keys]]
        test = stats.chi2_contingency(table) if profiles and len(keys) > 1 else None
        out[key] = {"values": {k: {"n": counts[k], "share": round(counts[k] / max(1, len(profiles)), 3),
                                   "reported": paper.get(k, 0), "reported_share": round(paper.get(k, 0) / reported["n"], 3)}
                               for k in keys},
                    "chi2": None if test is None else round(float(test.statistic), 3),
                    "p": None if test is None else float(test.pvalue)}
    return out


def stats_section(store):
    """`onprem stats`: the stored PE profiles against the paper's reported cohort (None without any)."""
    from onprem.evals.sections import StatsSection
    from onprem.store.dialogue_queries import case_facts

    profiles = [f for f in case_facts(store, "pe") if "client" in f]
    return StatsSection(cohort(profiles), _cohort_tables) if profiles else None


def _cohort_tables(data: dict) -> list:
    from rich.table import Table

    age = Table("profiles", "mean age", "paper: profiles", "paper: mean age", title="pe profiles against the paper's cohort")
    age.add_row(str(data["n"]), str(data["age_mean"]), str(data["reported_n"]), str(data["reported_age_mean"]))
    out = [age]
    for key, d in data.items():
        if not isinstance(d, dict):
            continue
        t = Table("value", "sampled", "share", "paper (500)", "paper share",
                  title=f"pe profiles: {key} of {data['n']} sampled against the paper's released cohort "
                        f"(chi-squared {d['chi2']}, p = {d['p']:.3g})" if d["p"] is not None else key)
        for v, x in d["values"].items():
            t.add_row(v, str(x["n"]), f"{x['share']:.3f}", str(x["reported"]), f"{x['reported_share']:.3f}")
        out.append(t)
    return out
