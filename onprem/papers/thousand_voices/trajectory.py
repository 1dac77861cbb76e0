"""The emotional-trajectory benchmark of Thousand Voices of Trauma: how well a model's distress
ratings (1 calm .. 10 extreme distress, one per phase, six phases per profile) follow a baseline's.

Per profile present in both with all six phases: Pearson r (scipy), DTW distance and RMSE.
Aggregates: mean and sample SD (ddof=1) of each, N, and the profiles whose Pearson is undefined
(a constant sequence). The paper does not say how it treats them; both readings are reported: the
printed Pearson and S_abs leave them out, `pearson_undefined_as_zero` and `s_abs_undefined_as_zero`
count them as r = 0 (leaving them out flatters a judge that rates flat). S_abs, the paper's composite,
is computed from the three means with its own normalisation: Pearson clipped to [0, 1], RMSE / 9,
DTW / 5.0.

DTW, as the spec recommends: Euclidean, the square root of the minimal summed squared difference
over warping paths with steps (1,0), (0,1), (1,1) and no window; `cost="abs"` sums absolute
differences instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PHASES = 6
RMSE_BOUND = 9.0        # |1 - 10|: the largest RMSE possible on the 1-10 scale
DTW_BOUND = 5.0         # the paper's pragmatic bound (above its largest observed mean)


def dtw(a, b, cost: str = "euclidean") -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    local = (a[:, None] - b[None, :]) ** 2 if cost == "euclidean" else np.abs(a[:, None] - b[None, :])
    n, m = local.shape
    acc = np.full((n + 1, m + 1), np.inf)
    acc[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            acc[i, j] = local[i - 1, j - 1] + min(acc[i - 1, j], acc[i, j - 1], acc[i - 1, j - 1])
    return float(math.sqrt(acc[n, m]) if cost == "euclidean" else acc[n, m])


def rmse(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.sqrt(np.mean((a - b) ** 2)))


def pearson(a, b) -> float | None:
    """scipy's Pearson r, or None when either sequence is constant (undefined)."""
    from scipy import stats

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    return float(stats.pearsonr(a, b).statistic)


def s_abs(pearson_mean: float, dtw_mean: float, rmse_mean: float) -> float:
    p = min(max(pearson_mean, 0.0), 1.0)
    r = 1 - min(max(rmse_mean / RMSE_BOUND, 0.0), 1.0)
    d = 1 - min(max(dtw_mean / DTW_BOUND, 0.0), 1.0)
    return (p + r + d) / 3


@dataclass
class Summary:
    n: int
    n_pearson_undefined: int
    pearson: tuple[float | None, float | None]
    dtw: tuple[float | None, float | None]
    rmse: tuple[float | None, float | None]
    s_abs: float | None
    left_out: int                    # profiles in either input without all six phases in both
    pearson_zero: tuple[float | None, float | None] = (None, None)   # undefined r counted as 0
    s_abs_zero: float | None = None

    def as_json(self) -> dict:
        def ms(x):
            return {"mean": x[0], "sd": x[1]}
        return {"n": self.n, "n_pearson_undefined": self.n_pearson_undefined, "pearson": ms(self.pearson),
                "dtw": ms(self.dtw), "rmse": ms(self.rmse), "s_abs": self.s_abs,
                "pearson_undefined_as_zero": ms(self.pearson_zero), "s_abs_undefined_as_zero": self.s_abs_zero,
                "s_abs_uses": "pearson with constant sequences left out"}


def _mean_sd(xs: list[float]) -> tuple[float | None, float | None]:
    if not xs:
        return None, None
    arr = np.asarray(xs, dtype=float)
    return float(arr.mean()), (float(arr.std(ddof=1)) if len(arr) > 1 else None)


def compare(scores: dict[str, dict[int, float]], baseline: dict[str, dict[int, float]],
            cost: str = "euclidean") -> Summary:
    """`scores` and `baseline`: profile -> {phase 1..6: score}."""
    complete = lambda d: {p for p, s in d.items() if set(s) >= set(range(1, PHASES + 1))}  # noqa: E731
    both = sorted(complete(scores) & complete(baseline))
    ps, ds, rs, undefined = [], [], [], 0
    for pid in both:
        m = [scores[pid][k] for k in range(1, PHASES + 1)]
        b = [baseline[pid][k] for k in range(1, PHASES + 1)]
        r = pearson(m, b)
        if r is None:
            undefined += 1
        else:
            ps.append(r)
        ds.append(dtw(m, b, cost))
        rs.append(rmse(m, b))
    p, d, r = _mean_sd(ps), _mean_sd(ds), _mean_sd(rs)
    pz = _mean_sd(ps + [0.0] * undefined)
    total = len(set(scores) | set(baseline))
    composite = s_abs(p[0], d[0], r[0]) if None not in (p[0], d[0], r[0]) else None
    composite_zero = s_abs(pz[0], d[0], r[0]) if None not in (pz[0], d[0], r[0]) else None
    return Summary(len(both), undefined, p, d, r, composite, total - len(both), pz, composite_zero)


def read_csv(text: str, where: str) -> dict[str, dict[int, float]]:
    """`profile_id,phase,score` rows (phase 1-6, score 1-10); a bad row is one error naming its line."""
    from onprem.errors import InputError
    from onprem.fsutil import csv_reader, numbered

    reader = csv_reader(text)
    if [h.strip() for h in (reader.fieldnames or [])][:3] != ["profile_id", "phase", "score"]:
        raise InputError(f"{where}: the header must be profile_id,phase,score")
    out: dict[str, dict[int, float]] = {}
    for line, row in numbered(reader, where):
        try:
            phase, score = int(row["phase"]), float(row["score"])
        except (TypeError, ValueError):
            raise InputError(f"{where}: line {line}: phase and score must be numbers") from None
        if not 1 <= phase <= PHASES or not 1 <= score <= 10:
            raise InputError(f"{where}: line {line}: phase must be 1-6 and score 1-10 (got {phase}, {score})")
        out.setdefault(row["profile_id"].strip(), {})[phase] = score
    return out


def read_run(store, run_id: int) -> dict[str, dict[int, float]]:
    """A stored judge run's segment scores: profile (the case key) -> {phase (the segment): score},
    the one criterion of a one-criterion rubric (the distress judge's)."""
    from onprem.store import dialogues as dstore
    from onprem.store.scores import scores

    got = scores(store, None, target_kind="segment", run=run_id)
    facts = dstore.dialogue_facts(store, [int(sc.item.split(":")[1]) for sc in got])
    out: dict[str, dict[int, float]] = {}
    for sc in got:
        f = facts[int(sc.item.split(":")[1])]
        out.setdefault(f["case"], {})[int(f["segment"])] = float(sc.score)
    return out


def score_runs(store) -> list[dict]:
    """Judge runs that stored segment scores (what `run:ID` can name): id, command, judge model,
    profiles scored and when, newest first."""
    from onprem.store.scores import runs_scoring

    return runs_scoring(store, "segment")


def table_row(label: str, s: Summary) -> str:
    def f(x, fmt=".2f"):
        return "-" if x is None else format(x, fmt)
    return (f"| {label} | {s.n} | {f(s.pearson[0])} ± {f(s.pearson[1])} | {f(s.dtw[0])} ± {f(s.dtw[1])} | "
            f"{f(s.rmse[0])} ± {f(s.rmse[1])} | {f(s.s_abs)} |")



def ratios(model: Summary, reference: Summary) -> dict:
    """The paper's ratios to a reference run C (§5.5): R_Corr = M_Pearson / C_Pearson, R_DTW =
    C_DTW / M_DTW, R_RMSE = C_RMSE / M_RMSE, each against the same baseline. C must be a separate
    run (e.g. the baseline scorer sampled again): against the baseline itself C's DTW and RMSE are 0
    and every ratio degenerates, which is why the paper's Table 1 has none. None where undefined."""
    def div(a, b):
        return None if a is None or b in (None, 0) else a / b
    return {"r_corr": div(model.pearson[0], reference.pearson[0]), "r_dtw": div(reference.dtw[0], model.dtw[0]),
            "r_rmse": div(reference.rmse[0], model.rmse[0])}


def per_phase(scores: dict[str, dict[int, float]]) -> dict[int, dict]:
    """Distress per phase as a distribution, as the paper shows it per stage: n, mean, SD, the five
    quartile points and the count of each rating 1-10."""
    out = {}
    for k in range(1, PHASES + 1):
        xs = np.array([s[k] for s in scores.values() if k in s], dtype=float)
        if not len(xs):
            continue
        q = np.percentile(xs, [0, 25, 50, 75, 100])
        out[k] = {"n": len(xs), "mean": float(xs.mean()), "sd": float(xs.std(ddof=1)) if len(xs) > 1 else None,
                  "quartiles": [float(v) for v in q],
                  "counts": {str(v): int((np.rint(xs) == v).sum()) for v in range(1, 11)}}
    return out


def by_group(scores: dict[str, dict[int, float]], baseline: dict[str, dict[int, float]], groups: dict[str, str],
             cost: str = "euclidean") -> dict[str, Summary]:
    """The benchmark within each group of profiles (a client's gender, age group or ethnicity: the
    demographic breakdown the paper names as future work). Profiles without a group are left out."""
    out = {}
    for g in sorted(set(groups.values())):
        members = {p for p, v in groups.items() if v == g}
        out[g] = compare({p: s for p, s in scores.items() if p in members},
                         {p: s for p, s in baseline.items() if p in members}, cost)
    return out
