"""Synthetic Empathy's label readouts: how far people agree on EPITOME levels, and how well a judge's
levels match theirs, per dataset (real and synthetic items apart, as the paper reports its κ per
dataset) and per dimension: Cohen's κ among the people and between the judge and the people's
majority (the most common level, ties to the lower), and the judge's accuracy and macro-F1 against
that majority (F1 per level present, then their plain mean; numpy, checked by hand in the tests)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from onprem.evals.agreement import agreement, cohen_kappa


def majority(levels: list):
    """The most common level, ties to the lower (levels as numbers or as their text)."""
    counts = Counter(levels)
    top = max(counts.values())
    return min((v for v, n in counts.items() if n == top), key=int)


def macro_f1(truth: list[str], guess: list[str]) -> float | None:
    classes = sorted(set(truth) | set(guess), key=int)
    if not truth:
        return None
    t, g = np.array(truth), np.array(guess)
    f1 = []
    for c in classes:
        tp = int(((t == c) & (g == c)).sum())
        fp, fn = int(((t != c) & (g == c)).sum()), int(((t == c) & (g != c)).sum())
        f1.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1))


def readout(by_dimension: dict[str, dict[str, dict[str, str]]], origin: dict[str, str], judge: str | None) -> dict:
    """{dimension: {dataset: {"n_items", "people_kappa", "judge": {...}}}}: `by_dimension` is
    labelling.by_dimension's (item -> rater -> level, the judge as "judge:MODEL"); `judge` names
    the judge rater to score (None: the first judge found)."""
    out: dict = {}
    for dim, items in by_dimension.items():
        out[dim] = {}
        for dataset in ("real", "synthetic"):
            mine = {i: by for i, by in items.items() if origin.get(i) == dataset}
            people = {i: {r: v for r, v in by.items() if not r.startswith("judge:")} for i, by in mine.items()}
            people = {i: by for i, by in people.items() if by}
            judges = sorted({r for by in mine.values() for r in by if r.startswith("judge:")})
            who = judge if judge is not None else (judges[0] if judges else None)
            row: dict = {"n_items": len(people), "people_kappa": None, "judge": None}
            if sum(len(by) > 1 for by in people.values()):
                row["people_kappa"] = agreement(people)["mean_pairwise_kappa"]
            scored = [i for i in people if who and who in mine[i]]
            if who and scored:
                truth = [majority(list(people[i].values())) for i in scored]
                guess = [mine[i][who] for i in scored]
                row["judge"] = {"rater": who, "n": len(scored), "kappa": cohen_kappa(truth, guess),
                                "accuracy": float(np.mean([a == b for a, b in zip(truth, guess)])),
                                "macro_f1": macro_f1(truth, guess)}
            out[dim][dataset] = row
    return out
