"""`onprem eval judge-validity`: a judge's scores against people's labels of the same items.

Binary labels (0/1): ROC AUC, from scipy's Mann-Whitney U (AUC = U / (n1 n0), ties counting half),
0.5 is chance. Ordinal labels (integers, e.g. 1-3 or 1-10): Spearman's rho (scipy) and the
quadratic-weighted kappa (numpy; scipy has none). Each with a percentile bootstrap 95 % interval
over items (seeded; resamples where the statistic is undefined, one class or no spread, are
skipped), and the share of the judge's judgments that failed to parse."""

from __future__ import annotations

import numpy as np
from scipy import stats

from onprem.errors import InputError

BOOTSTRAP = 2000


def read_labels(text: str, where: str) -> dict[str, int]:
    """item -> label from CSV `item,label`; a bad row is one error naming its line."""
    from onprem.fsutil import csv_reader, numbered

    reader = csv_reader(text)
    if [h.strip() for h in (reader.fieldnames or [])][:2] != ["item", "label"]:
        raise InputError(f"{where}: the header must be item,label (item as `eval agreement` names it, e.g. dialogue:12)")
    out: dict[str, int] = {}
    for line, row in numbered(reader, where):
        item, label = (row.get("item") or "").strip(), (row.get("label") or "").strip()
        kind, _, tid = item.partition(":")
        if not kind or not tid.isdigit():
            raise InputError(f"{where}: line {line}: item {item!r} is not KIND:ID (e.g. dialogue:12)")
        try:
            value = int(label)
        except ValueError:
            raise InputError(f"{where}: line {line}: label {label!r} is not an integer (0/1, or an ordinal level)") from None
        if item in out:
            raise InputError(f"{where}: line {line}: item {item} is labelled twice")
        out[item] = value
    if not out:
        raise InputError(f"{where}: no labels")
    return out


def auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return None
    return float(stats.mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg)))


def spearman(labels: np.ndarray, scores: np.ndarray) -> float | None:
    if len(set(labels.tolist())) < 2 or len(set(scores.tolist())) < 2:
        return None
    return float(stats.spearmanr(labels, scores).statistic)


def qwk(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """Quadratic-weighted kappa over the integer levels from the lowest to the highest either uses."""
    lo, hi = int(min(labels.min(), scores.min())), int(max(labels.max(), scores.max()))
    k = hi - lo + 1
    if k < 2:
        return None
    observed = np.zeros((k, k))
    np.add.at(observed, (labels.astype(int) - lo, scores.astype(int) - lo), 1)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    i, j = np.indices((k, k))
    weights = (i - j) ** 2 / (k - 1) ** 2
    denominator = (weights * expected).sum()
    return None if denominator == 0 else float(1 - (weights * observed).sum() / denominator)


def interval(statistic, labels: np.ndarray, scores: np.ndarray, seed: int) -> list[float] | None:
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, len(labels), len(labels))
        v = statistic(labels[idx], scores[idx])
        if v is not None and not np.isnan(v):
            values.append(v)
    if len(values) < BOOTSTRAP // 2:
        return None
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def validity(labels: dict[str, dict[str, int]], judged: dict[str, dict], seed: int, binary: bool | None = None) -> dict:
    """{criterion: {"n", "auc" | "spearman" + "qwk", "ci95", "unparsed", ...}} over the items both
    labelled and judged. `labels` is criterion -> item -> label (a file's one label per item serves
    every criterion; a person's ratings give one per criterion); `judged` is judgments_by_item's:
    item -> {"status", "scores"}. `binary`: the labels' kind, when known (a rubric's yes/no scale);
    else labels that are all 0 or 1 are binary."""
    from onprem.seeds import derive_seed

    out = {}
    for criterion, by_item in labels.items():
        is_binary = binary if binary is not None else set(by_item.values()) <= {0, 1}
        seen = [i for i in by_item if i in judged]
        failed = sum(judged[i]["status"] == "failed" for i in seen)
        items = [i for i in seen if judged[i]["status"] == "done" and criterion in judged[i]["scores"]]
        y = np.array([by_item[i] for i in items], dtype=float)
        s = np.array([judged[i]["scores"][criterion] for i in items], dtype=float)
        row: dict = {"n": len(items), "labels": "binary" if is_binary else "ordinal",
                     "unparsed": round(failed / len(seen), 4) if seen else None,
                     "not_judged": len(by_item) - len(seen)}
        cseed = derive_seed(seed, "judge-validity", criterion)
        if is_binary:
            row["auc"] = None if not items else _round(auc(y, s))
            row["ci95"] = interval(auc, y, s, cseed) if items else None
        else:
            row["spearman"] = None if not items else _round(spearman(y, s))
            row["qwk"] = None if not items else _round(qwk(y, s))
            row["ci95"] = interval(spearman, y, s, cseed) if items else None
            row["qwk_ci95"] = interval(qwk, y, s, cseed) if items else None
        if items:
            row["mean_score"] = {str(int(v)): round(float(s[y == v].mean()), 3) for v in sorted(set(y.tolist()))}
        out[criterion] = row
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
