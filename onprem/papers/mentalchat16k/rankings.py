"""People rank the responses of up to 7 models to one benchmark question (MentalChat16K's human
evaluation: 1 best .. 7 worst, 50 questions sampled with a fixed seed). Each rater sees the
responses in an order shuffled by the question and the rater (the same on every machine, so it
needs no storing); each ranking is one audited decision. A rank is a score like any other rating:
one judgment per response by `person:NAME` under the rubric `rank` (onprem.store.scores).

Which response of a model stands for it: the first round's (the lowest round stored). The ranks are
the labels `onprem eval agreement rankings` reads (item = question and model), and
`human_vs_judge` correlates `8 - mean human rank` (higher is better, the sign the paper's positive
correlations imply) with a judge's metric score, per (question, model), with scipy's Pearson.
"""

from __future__ import annotations

import random

from onprem.errors import UserError
from onprem.judges.rubric import Criterion, Rubric, Scale
from onprem.store import Store, benchmark
from onprem.store.scores import JUDGE, PERSON, person, save_ratings, scores
from onprem.settings import DEFAULT_SEED

RUBRIC = "mentalchat7"

SAMPLE = 50
MAX_MODELS = 7
# People's ranks: a rubric of one criterion that only people score.
RANK = Rubric("rank", (Criterion("rank", "overall", "Its place among the question's responses (1 is the best)"),),
              Scale(1, MAX_MODELS))
SAMPLE_SEED = DEFAULT_SEED       # the draw of the questions people rank: fixed, not a site setting


def sampled_questions(store: Store, n: int = SAMPLE, seed: int = SAMPLE_SEED) -> list[dict]:
    """n questions that have responses from 2+ models, drawn with a fixed seed (all when fewer)."""
    rows = benchmark.questions_answered_by_two(store)
    if len(rows) <= n:
        return rows
    return sorted(random.Random(seed).sample(rows, n), key=lambda r: r["id"])


def candidates(store: Store, question_id: int) -> list[dict]:
    """One response per model (its first round), at most MAX_MODELS models, in model-name order."""
    return benchmark.first_round_responses(store, question_id)[:MAX_MODELS]


def _shown(question_id: int, rater: str, ids: list[int]) -> list[int]:
    """The responses in this rater's order for this question: a shuffle seeded by both."""
    ids = list(ids)
    random.Random(f"{question_id}:{rater}").shuffle(ids)
    return ids


def _ranks(store: Store, rater: str, ids) -> dict[int, int]:
    """response id -> the rater's live rank of it."""
    return {int(sc.item.split(":")[1]): int(sc.score)
            for sc in scores(store, RANK.name, target_kind="response", rater=person(rater), target_ids=ids)}


def open_ranking(store: Store, question_id: int, rater: str) -> dict:
    """The rater's ranking of this question: its responses in the rater's shuffled order, and their
    ranks when the rater ranked every one of them (else None). `id` is the question's."""
    texts = {r["id"]: r for r in candidates(store, question_id)}
    shown = _shown(question_id, rater, list(texts))
    ranks = _ranks(store, rater, shown)
    return {"id": question_id, "shown": [texts[i] for i in shown],
            "ranks": ranks if shown and set(ranks) == set(shown) else None}


def save_ranks(store: Store, question_id: int, ranks: dict[int, int], actor: str) -> None:
    """ranks: response id -> 1..k, a full ranking of the question's responses (each rank once); one
    audited decision, with what it replaced."""
    shown = [r["id"] for r in candidates(store, question_id)]
    if not shown:
        raise UserError(f"question {question_id} has no responses to rank")
    if sorted(ranks) != sorted(shown) or sorted(ranks.values()) != list(range(1, len(shown) + 1)):
        raise UserError(f"give every one of the {len(shown)} responses a different rank from 1 to {len(shown)}")
    save_ratings(store, rubric=RANK, target_kind="response", values={r: {"rank": k} for r, k in sorted(ranks.items())},
                 rater=actor, action="ranking.save", table="eval_questions", row_id=question_id)


def ranks_by_response(store: Store) -> dict[int, list[int]]:
    """response id -> the ranks people gave it."""
    out: dict[int, list[int]] = {}
    for sc in scores(store, RANK.name, target_kind="response", people=True):
        out.setdefault(int(sc.item.split(":")[1]), []).append(int(sc.score))
    return out


def ranked_count(store: Store, rater: str, question_ids: list[int]) -> int:
    """How many of these questions the rater has ranked."""
    ranked = {int(sc.item.split(":")[1]) for sc in scores(store, RANK.name, target_kind="response", rater=person(rater))}
    return len({f["question_id"] for f in benchmark.response_facts(store, ranked).values()} & set(question_ids))


def labels(store: Store) -> dict[str, dict[str, str]]:
    """item (question key and model) -> rater -> rank, for `eval agreement`."""
    got = scores(store, RANK.name, target_kind="response", people=True)
    facts = benchmark.response_facts(store, [int(sc.item.split(":")[1]) for sc in got])
    out: dict[str, dict[str, str]] = {}
    for sc in got:
        f = facts[int(sc.item.split(":")[1])]
        out.setdefault(f"{f['key']}|{f['model']}", {})[sc.rater.removeprefix(PERSON)] = str(sc.score)
    return out


def _judge_scores(store: Store, target_ids=None) -> list:
    """The judges' live mentalchat7 scores of responses (people's ratings are not a judge's)."""
    return scores(store, RUBRIC, target_kind="response", people=False, target_ids=target_ids)


def human_vs_judge(store: Store, judge_model: str | None = None) -> dict:
    """Pearson r per metric between `8 - mean human rank` and the judge's score, per ranked
    (question, model); scipy's pearsonr. None where a side is constant or n < 3."""
    import numpy as np
    from scipy import stats

    from onprem.papers.mentalchat16k.judge import METRICS

    ranks = ranks_by_response(store)
    judged = [sc for sc in _judge_scores(store) if judge_model is None or sc.rater == JUDGE + judge_model]
    out = {}
    for key, _ in METRICS:
        pairs = []
        for sc in judged:
            rid = int(sc.item.split(":")[1])
            if sc.criterion == key and rid in ranks:
                pairs.append((8 - float(np.mean(ranks[rid])), float(sc.score)))
        a = np.array(pairs, dtype=float).reshape(-1, 2)
        ok = len(a) >= 3 and np.ptp(a[:, 0]) > 0 and np.ptp(a[:, 1]) > 0
        out[key] = {"n": len(a), "r": float(stats.pearsonr(a[:, 0], a[:, 1]).statistic) if ok else None}
    return out


def judge_models(store: Store) -> list[str]:
    """The models that scored stored responses under mentalchat7."""
    return sorted({sc.rater.removeprefix(JUDGE) for sc in _judge_scores(store)})


def model_table(store: Store) -> dict:
    """MentalChat16K's Table 3 layout: per responding model, the people's mean rank of its ranked
    responses (1 best .. 7) beside each judge's mean score over the 7 metrics of the same responses."""
    import numpy as np

    from onprem.papers.mentalchat16k.judge import METRICS

    ranks = ranks_by_response(store)
    if not ranks:
        return {}
    model_of = {i: r["model"] for i, r in benchmark.response_facts(store, ranks).items()}
    keys = {k for k, _ in METRICS}
    by: dict[tuple[str, int], list[float]] = {}
    for sc in _judge_scores(store, target_ids=ranks):
        if sc.criterion in keys:
            by.setdefault((sc.rater.removeprefix(JUDGE), int(sc.item.split(":")[1])), []).append(float(sc.score))
    out: dict = {}
    for model in sorted(set(model_of.values())):
        rids = [rid for rid, m in model_of.items() if m == model]
        row = {"responses": len(rids), "mean_rank": float(np.mean([x for rid in rids for x in ranks[rid]])), "judges": {}}
        for judge in judge_models(store):
            got = [np.mean(by[(judge, rid)]) for rid in rids if (judge, rid) in by]
            row["judges"][judge] = {"n": len(got), "mean_score": float(np.mean(got)) if got else None}
        out[model] = row
    return out


def agreement_labels(store: Store) -> dict:
    """`onprem eval agreement rankings`: each response's rank as its label, per rater."""
    found = labels(store)
    if not found:
        raise UserError("no rankings stored yet: rank responses in onprem tui (Evaluations, k)")
    return found
