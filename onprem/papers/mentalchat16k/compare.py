"""`onprem eval compare A B`: MentalChat16K's significance test of two models' judge scores, per metric.

A and B are stored judgments (`run:ID` of an `eval respond` run: every mentalchat7 judgment of its
responses, by judge; or of a `judge mentalchat7` run: that judge's) or CSV files with the header
`item_id,round,metric,score`. Per metric: n, mean, SD (ddof=1), t and two-sided p from scipy's
`ttest_ind` (Welch by default, `--test student` for equal variances), on every response's score
(`--unit response`) or on the per-round means (`--unit round`). With two judges, a response's score
is the mean of the judges' scores, each judge is also tested on its own, and the paper's Average
Score (the mean of the 7 x judges metric means) is printed.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from onprem.errors import InputError, UserError
from onprem.papers.mentalchat16k.judge import METRICS

KEYS = [k for k, _ in METRICS]
ALPHA = 0.05

# judge -> [(item_id, round, metric, score)]
Scores = dict[str, list[tuple[str, int, str, float]]]


def read_csv(text: str, where: str) -> Scores:
    from onprem.fsutil import csv_reader, numbered

    reader = csv_reader(text)
    if [h.strip() for h in (reader.fieldnames or [])][:4] != ["item_id", "round", "metric", "score"]:
        raise InputError(f"{where}: the header must be item_id,round,metric,score")
    rows = []
    for line, row in numbered(reader, where):
        metric = (row["metric"] or "").strip()
        try:
            rnd, score = int(row["round"]), float(row["score"])
        except (TypeError, ValueError):
            raise InputError(f"{where}: line {line}: round and score must be numbers") from None
        if metric not in KEYS:
            raise InputError(f"{where}: line {line}: unknown metric {metric!r} (one of {', '.join(KEYS)})")
        rows.append((row["item_id"].strip(), rnd, metric, score))
    return {"file": rows}


def read_run(store, run_id: int) -> Scores:
    from onprem.runs import scores_of_run
    from onprem.store import benchmark
    from onprem.store.scores import JUDGE

    got = [sc for sc in scores_of_run(store, run_id, "mentalchat7", "response",
                                      {"eval respond": "items", "judge mentalchat7": "judgments"}, f"run:{run_id}")
           if sc.rater.startswith(JUDGE) and sc.criterion != "overall"]
    facts = benchmark.response_facts(store, [int(sc.item.split(":")[1]) for sc in got])
    out: Scores = defaultdict(list)
    for sc in got:
        r = facts[int(sc.item.split(":")[1])]
        out[sc.rater.removeprefix(JUDGE)].append((r["key"], r["round"], sc.criterion, float(sc.score)))
    if not out:
        raise UserError(f"run:{run_id}: no mentalchat7 judgments of its responses yet; run onprem judge mentalchat7")
    return dict(out)


def _values(rows: list[tuple[str, int, str, float]], metric: str, unit: str) -> np.ndarray:
    picked = [(item, rnd, s) for item, rnd, m, s in rows if m == metric]
    if unit == "round":
        by_round: dict[int, list[float]] = defaultdict(list)
        for _, rnd, s in picked:
            by_round[rnd].append(s)
        return np.array([np.mean(v) for _, v in sorted(by_round.items())], dtype=float)
    return np.array([s for _, _, s in picked], dtype=float)


def _across_judges(scores: Scores) -> list[tuple[str, int, str, float]]:
    """One score per (item, round, metric): the mean over the judges that all scored it."""
    if len(scores) == 1:
        return next(iter(scores.values()))
    cells: dict[tuple, list[float]] = defaultdict(list)
    for rows in scores.values():
        for item, rnd, m, s in rows:
            cells[item, rnd, m].append(s)
    return [(*k, float(np.mean(v))) for k, v in sorted(cells.items()) if len(v) == len(scores)]


def test_metric(a: np.ndarray, b: np.ndarray, test: str) -> dict:
    from scipy import stats

    def sd(x):
        return float(np.std(x, ddof=1)) if len(x) > 1 else None
    out = {"n_a": int(len(a)), "n_b": int(len(b)), "mean_a": float(a.mean()) if len(a) else None,
           "mean_b": float(b.mean()) if len(b) else None, "sd_a": sd(a), "sd_b": sd(b), "t": None, "p": None,
           "significant": False}
    if len(a) > 1 and len(b) > 1:
        import warnings

        with warnings.catch_warnings():     # identical scores: scipy warns, then returns nan (reported as "-")
            warnings.simplefilter("ignore", RuntimeWarning)
            r = stats.ttest_ind(a, b, equal_var=(test == "student"))
        if np.isfinite(r.statistic):
            out.update(t=float(r.statistic), p=float(r.pvalue), significant=bool(r.pvalue < ALPHA))
    return out


def compare(a: Scores, b: Scores, test: str = "welch", unit: str = "response") -> dict:
    """{"metrics": {metric: {...}}}; when two or more judges scored both sides, also "judges",
    "by_judge" (each judge's own tests) and "average_14" (the paper's Average Score per side)."""
    result = {"metrics": {m: test_metric(_values(_across_judges(a), m, unit), _values(_across_judges(b), m, unit), test)
                          for m in KEYS}}
    common = sorted(set(a) & set(b))
    if len(a) == len(b) == 1:
        common = []
    if len(common) > 1:
        result["judges"] = common
        result["by_judge"] = {j: {m: test_metric(_values(a[j], m, unit), _values(b[j], m, unit), test) for m in KEYS}
                              for j in common}
        # The paper's Average Score: the mean of the 7 x judges per-metric means of each side.
        result["average_14"] = {
            side: float(np.mean([_values(s[j], m, "response").mean() for j in common for m in KEYS]))
            for side, s in (("a", a), ("b", b))}
    return result
