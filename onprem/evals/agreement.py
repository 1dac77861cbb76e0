"""`onprem eval agreement`: how far raters agree when each gives every item a label (a rank counts as a
label, as MentalChat16K treats its 1-7 rankings). Cohen's kappa for every pair of raters over the
items both labelled, their mean (the paper's "Cohen's kappa among all"), and Fleiss' kappa over the
items every rater labelled. scipy has neither statistic; both are the textbook formulas on numpy
counts, checked against hand computations in the tests."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from onprem.errors import InputError

# item -> rater -> label
Labels = dict[str, dict[str, str]]


def read_csv(text: str, where: str) -> Labels:
    from onprem.fsutil import csv_reader, numbered

    reader = csv_reader(text)
    if [h.strip() for h in (reader.fieldnames or [])][:3] != ["item_id", "rater", "label"]:
        raise InputError(f"{where}: the header must be item_id,rater,label")
    out: Labels = {}
    for line, row in numbered(reader, where):
        item, rater, label = ((row.get(k) or "").strip() for k in ("item_id", "rater", "label"))
        if not item or not rater or not label:
            raise InputError(f"{where}: line {line}: item_id, rater and label are all needed")
        if rater in out.get(item, {}):
            raise InputError(f"{where}: line {line}: rater {rater} labels item {item} twice")
        out.setdefault(item, {})[rater] = label
    return out


def cohen_kappa(x: list[str], y: list[str]) -> float | None:
    """Unweighted Cohen's kappa of two label lists over the same items; None when chance agreement
    is 1 (both raters used one and the same label throughout)."""
    cats = sorted(set(x) | set(y))
    idx = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for a, b in zip(x, y):
        table[idx[a], idx[b]] += 1
    n = table.sum()
    po = np.trace(table) / n
    pe = float((table.sum(axis=1) / n) @ (table.sum(axis=0) / n))
    return None if pe == 1 else float((po - pe) / (1 - pe))


def fleiss_kappa(rows: list[list[str]]) -> float | None:
    """Fleiss' kappa: each row is one item's labels, one per rater (the same number on every row)."""
    cats = sorted({c for r in rows for c in r})
    counts = np.array([[r.count(c) for c in cats] for r in rows], dtype=float)
    n = counts.sum(axis=1)[0]
    if n < 2 or not len(rows):
        return None
    p_j = counts.sum(axis=0) / counts.sum()
    p_i = (np.square(counts).sum(axis=1) - n) / (n * (n - 1))
    pe = float(np.square(p_j).sum())
    return None if pe == 1 else float((p_i.mean() - pe) / (1 - pe))


def agreement(labels: Labels) -> dict:
    raters = sorted({r for by in labels.values() for r in by})
    pairwise = {}
    for a, b in combinations(raters, 2):
        both = [i for i, by in labels.items() if a in by and b in by]
        pairwise[f"{a}|{b}"] = cohen_kappa([labels[i][a] for i in both], [labels[i][b] for i in both]) if both else None
    defined = [k for k in pairwise.values() if k is not None]
    full = [[by[r] for r in raters] for by in labels.values() if all(r in by for r in raters)]
    return {"pairwise": pairwise, "mean_pairwise_kappa": float(np.mean(defined)) if defined else None,
            "fleiss_kappa": fleiss_kappa(full) if full else None, "n_items": len(labels), "raters": raters}


def raters_summary(store) -> list[dict]:
    """Per rubric: each rater (people and judges) with the items they rated, and the mean pairwise
    Cohen's kappa over the rubric's criteria where two raters scored the same items (the Evaluations
    screen's "Raters" panel: progress and agreement in the TUI, not only in the CLI)."""
    from onprem.store.scores import labels_by_criterion, rater_counts

    by_rubric: dict[str, list[dict]] = {}
    for row in rater_counts(store):
        by_rubric.setdefault(row["rubric"], []).append(row)
    out = []
    for rubric, rows in by_rubric.items():
        kappas = [agreement(labels)["mean_pairwise_kappa"] for labels in labels_by_criterion(store, rubric).values()]
        defined = [k for k in kappas if k is not None]
        out.append({"rubric": rubric, "raters": [(r["rater"], r["items"]) for r in rows],
                    "mean_kappa": float(np.mean(defined)) if defined else None})
    return out
