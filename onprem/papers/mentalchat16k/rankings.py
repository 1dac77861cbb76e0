"""People rank the responses of up to 7 models to one benchmark question (MentalChat16K's human
evaluation: 1 best .. 7 worst, 50 questions sampled with a fixed seed). Each rater sees the
responses in a shuffled order that is stored; each ranking is one audited decision.

Which response of a model stands for it: the first round's (the lowest round stored). The ranks are
the labels `onprem eval agreement rankings` reads (item = question and model), and
`human_vs_judge` correlates `8 - mean human rank` (higher is better, the sign the paper's positive
correlations imply) with a judge's metric score, per (question, model), with scipy's Pearson.
"""

from __future__ import annotations

import json
import random

from onprem.errors import UserError
from onprem.store import Store
from onprem.store.db import now

SAMPLE = 50
SAMPLE_SEED = 42
MAX_MODELS = 7


def sampled_questions(store: Store, n: int = SAMPLE, seed: int = SAMPLE_SEED) -> list[dict]:
    """n questions that have responses from 2+ models, drawn with a fixed seed (all when fewer)."""
    rows = list(store.db.query(
        "select q.id, q.key, q.question from eval_questions q where (select count(distinct model) from eval_responses r "
        "where r.question_id = q.id and r.status = 'done') >= 2 order by q.id"))
    if len(rows) <= n:
        return rows
    return sorted(random.Random(seed).sample(rows, n), key=lambda r: r["id"])


def candidates(store: Store, question_id: int) -> list[dict]:
    """One response per model (its first round), at most MAX_MODELS models, in model-name order."""
    rows = list(store.db.query(
        "select r.id, r.model, r.response from eval_responses r where r.question_id = ? and r.status = 'done' "
        "and r.round = (select min(round) from eval_responses x where x.question_id = r.question_id "
        "and x.model = r.model and x.status = 'done') group by r.model order by r.model", [question_id]))
    return rows[:MAX_MODELS]


def open_ranking(store: Store, question_id: int, rater: str) -> dict:
    """The rater's ranking of this question: created with a shuffled order on first sight (seeded by
    question and rater, so it is the same on every machine), else as stored."""
    row = store.db.execute("select id, shown, ranks from rankings where question_id = ? and rater = ?",
                           [question_id, rater]).fetchone()
    if row is None:
        ids = [r["id"] for r in candidates(store, question_id)]
        random.Random(f"{question_id}:{rater}").shuffle(ids)
        stamp = now()
        with store.atomic() as db:
            rid = db["rankings"].insert({"question_id": question_id, "rater": rater, "shown": json.dumps(ids),
                                         "ranks": None, "created_at": stamp, "updated_at": stamp}).last_pk
        row = (rid, json.dumps(ids), None)
    texts = {r["id"]: r for r in candidates(store, question_id)}
    shown = json.loads(row[1])
    return {"id": row[0], "shown": [texts[i] for i in shown if i in texts],
            "ranks": {int(k): v for k, v in json.loads(row[2]).items()} if row[2] else None}


def save_ranks(store: Store, ranking_id: int, ranks: dict[int, int], actor: str) -> None:
    """ranks: response id -> 1..k, a full ranking (each rank once); audited, with what it replaced."""
    row = store.db.execute("select shown, ranks from rankings where id = ?", [ranking_id]).fetchone()
    if row is None:
        raise UserError(f"ranking {ranking_id} does not exist")
    shown = json.loads(row[0])
    if sorted(ranks) != sorted(shown) or sorted(ranks.values()) != list(range(1, len(shown) + 1)):
        raise UserError(f"give every one of the {len(shown)} responses a different rank from 1 to {len(shown)}")
    after = {str(k): v for k, v in sorted(ranks.items())}
    with store.atomic():
        store.db["rankings"].update(ranking_id, {"ranks": json.dumps(after), "updated_at": now()})
        store.audit(actor, "ranking.save", "rankings", ranking_id, before={"ranks": json.loads(row[1]) if row[1] else None},
                    after={"ranks": after})


def labels(store: Store) -> dict[str, dict[str, str]]:
    """item (question key and model) -> rater -> rank, for `eval agreement`."""
    out: dict[str, dict[str, str]] = {}
    for qkey, rater, ranks in store.db.execute(
            "select q.key, k.rater, k.ranks from rankings k join eval_questions q on q.id = k.question_id "
            "where k.ranks is not null order by q.id, k.rater"):
        models = dict(store.db.execute(
            f"select id, model from eval_responses where id in ({','.join('?' * len(json.loads(ranks)))})",
            [int(i) for i in json.loads(ranks)]).fetchall())
        for rid, rank in json.loads(ranks).items():
            out.setdefault(f"{qkey}|{models[int(rid)]}", {})[rater] = str(rank)
    return out


def human_vs_judge(store: Store, judge_model: str | None = None) -> dict:
    """Pearson r per metric between `8 - mean human rank` and the judge's score, per ranked
    (question, model); scipy's pearsonr. None where a side is constant or n < 3."""
    import numpy as np
    from scipy import stats

    from onprem.papers.mentalchat16k.judge import METRICS

    ranks: dict[int, list[int]] = {}
    for (r,) in store.db.execute("select ranks from rankings where ranks is not null"):
        for rid, rank in json.loads(r).items():
            ranks.setdefault(int(rid), []).append(rank)
    where, args = ("and j.model = ?", [judge_model]) if judge_model else ("", [])
    out = {}
    for key, _ in METRICS:
        pairs = []
        for rid, score in store.db.execute(
                f"select j.target_id, s.score from judgments j join judgment_scores s on s.judgment_id = j.id "
                f"where j.target_kind = 'response' and j.status = 'done' and j.rater like 'judge:%' and s.criterion = ? {where}", [key, *args]):
            if rid in ranks:
                pairs.append((8 - float(np.mean(ranks[rid])), float(score)))
        a = np.array(pairs, dtype=float).reshape(-1, 2)
        ok = len(a) >= 3 and np.ptp(a[:, 0]) > 0 and np.ptp(a[:, 1]) > 0
        out[key] = {"n": len(a), "r": float(stats.pearsonr(a[:, 0], a[:, 1]).statistic) if ok else None}
    return out


def judge_models(store: Store) -> list[str]:
    """The models that scored stored responses under mentalchat7."""
    return [m for (m,) in store.db.execute("select distinct model from judgments where target_kind = 'response' "
                                           "and rubric = 'mentalchat7' and status = 'done' and rater like 'judge:%' "
                                           "order by model")]


def model_table(store: Store) -> dict:
    """MentalChat16K's Table 3 layout: per responding model, the people's mean rank of its ranked
    responses (1 best .. 7) beside each judge's mean score over the 7 metrics of the same responses."""
    import numpy as np

    from onprem.papers.mentalchat16k.judge import METRICS

    ranks: dict[int, list[int]] = {}
    for (r,) in store.db.execute("select ranks from rankings where ranks is not null"):
        for rid, rank in json.loads(r).items():
            ranks.setdefault(int(rid), []).append(rank)
    if not ranks:
        return {}
    marks = ",".join("?" * len(ranks))
    model_of = dict(store.db.execute(f"select id, model from eval_responses where id in ({marks})", list(ranks)).fetchall())
    keys = [k for k, _ in METRICS]
    scores: dict[tuple[str, int], list[float]] = {}
    for judge, rid, score in store.db.execute(
            f"select j.model, j.target_id, s.score from judgments j join judgment_scores s on s.judgment_id = j.id "
            f"where j.target_kind = 'response' and j.rubric = 'mentalchat7' and j.status = 'done' "
            f"and j.rater like 'judge:%' and s.criterion in ({','.join('?' * len(keys))}) and j.target_id in ({marks})",
            [*keys, *ranks]):
        scores.setdefault((judge, rid), []).append(float(score))
    out: dict = {}
    for model in sorted(set(model_of.values())):
        rids = [rid for rid, m in model_of.items() if m == model]
        row = {"responses": len(rids), "mean_rank": float(np.mean([x for rid in rids for x in ranks[rid]])), "judges": {}}
        for judge in judge_models(store):
            got = [np.mean(scores[(judge, rid)]) for rid in rids if (judge, rid) in scores]
            row["judges"][judge] = {"n": len(got), "mean_score": float(np.mean(got)) if got else None}
        out[model] = row
    return out


def ranked_count(store: Store, rater: str, question_ids: list[int]) -> int:
    if not question_ids:
        return 0
    return store.db.execute(f"select count(*) from rankings where rater = ? and ranks is not null and question_id in "
                            f"({','.join('?' * len(question_ids))})", [rater, *question_ids]).fetchone()[0]


def agreement_labels(store: Store) -> dict:
    """`onprem eval agreement rankings`: each response's rank as its label, per rater."""
    from onprem.errors import UserError

    found = labels(store)
    if not found:
        raise UserError("no rankings stored yet: rank responses in onprem tui (Evaluations, k)")
    return found
