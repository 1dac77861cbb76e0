"""Benchmark questions, the responses models give them (`eval respond`) and people's rankings of
those responses (MentalChat16K's evaluation; onprem.papers.mentalchat16k decides, this reads and
writes the eval_questions, eval_responses and rankings tables)."""

from __future__ import annotations

import json

from onprem.store import Store
from onprem.store.db import now


def question_by_key(store: Store, key: str) -> tuple[int, str] | None:
    """(id, question) of a stored question."""
    return store.db.execute("select id, question from eval_questions where key = ?", [key]).fetchone()


def add_question(store: Store, key: str, question: str, source: str) -> int:
    return store.db["eval_questions"].insert({"key": key, "question": question, "source": source,
                                              "created_at": now()}).last_pk


def add_response(store: Store, row: dict) -> None:
    with store.atomic() as db:
        db["eval_responses"].insert({**row, "created_at": now()})


def responses(store: Store, run_id: int | None = None) -> list[dict]:
    """Stored responses that can be judged (all runs, or one), in run, round and question order."""
    where, args = ("and r.run_id = ?", [run_id]) if run_id is not None else ("", [])
    return list(store.db.query(
        f"select r.id, r.run_id, r.round, r.model, r.response, q.key, q.question from eval_responses r "
        f"join eval_questions q on q.id = r.question_id where r.status = 'done' {where} "
        f"order by r.run_id, r.round, q.id", args))


def response_facts(store: Store, ids) -> dict[int, dict]:
    """response id -> {model, key (its question's), round}."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {r["id"]: r for r in store.db.query(
        f"select r.id, r.model, q.key, r.round from eval_responses r join eval_questions q on q.id = r.question_id "
        f"where r.id in ({','.join('?' * len(ids))})", ids)}


def questions_answered_by_two(store: Store) -> list[dict]:
    """(id, key, question) of questions with done responses from 2+ models, in id order."""
    return list(store.db.query(
        "select q.id, q.key, q.question from eval_questions q where (select count(distinct model) from eval_responses r "
        "where r.question_id = q.id and r.status = 'done') >= 2 order by q.id"))


def first_round_responses(store: Store, question_id: int) -> list[dict]:
    """(id, model, response): each model's done response of its lowest round, in model-name order."""
    return list(store.db.query(
        "select r.id, r.model, r.response from eval_responses r where r.question_id = ? and r.status = 'done' "
        "and r.round = (select min(round) from eval_responses x where x.question_id = r.question_id "
        "and x.model = r.model and x.status = 'done') group by r.model order by r.model", [question_id]))


def ranking(store: Store, question_id: int, rater: str) -> tuple | None:
    """(id, shown, ranks) of a rater's ranking of a question, the last two as stored (JSON)."""
    return store.db.execute("select id, shown, ranks from rankings where question_id = ? and rater = ?",
                            [question_id, rater]).fetchone()


def ranking_by_id(store: Store, ranking_id: int) -> tuple | None:
    """(shown, ranks) as stored (JSON)."""
    return store.db.execute("select shown, ranks from rankings where id = ?", [ranking_id]).fetchone()


def add_ranking(store: Store, question_id: int, rater: str, shown: list[int]) -> int:
    stamp = now()
    with store.atomic() as db:
        return db["rankings"].insert({"question_id": question_id, "rater": rater, "shown": json.dumps(shown),
                                      "ranks": None, "created_at": stamp, "updated_at": stamp}).last_pk


def set_ranks(store: Store, ranking_id: int, ranks: dict[str, int]) -> None:
    """Inside the caller's transaction (it audits the decision)."""
    store.db["rankings"].update(ranking_id, {"ranks": json.dumps(ranks), "updated_at": now()})


def rankings_done(store: Store) -> list[tuple[str, str, dict]]:
    """(question key, rater, {response id: rank}) of every finished ranking, by question and rater."""
    return [(k, r, json.loads(ranks)) for k, r, ranks in store.db.execute(
        "select q.key, k.rater, k.ranks from rankings k join eval_questions q on q.id = k.question_id "
        "where k.ranks is not null order by q.id, k.rater")]


def ranks_by_response(store: Store) -> dict[int, list[int]]:
    """response id -> the ranks people gave it."""
    out: dict[int, list[int]] = {}
    for (r,) in store.db.execute("select ranks from rankings where ranks is not null"):
        for rid, rank in json.loads(r).items():
            out.setdefault(int(rid), []).append(rank)
    return out


def ranked_count(store: Store, rater: str, question_ids: list[int]) -> int:
    if not question_ids:
        return 0
    return store.db.execute(f"select count(*) from rankings where rater = ? and ranks is not null and question_id in "
                            f"({','.join('?' * len(question_ids))})", [rater, *question_ids]).fetchone()[0]
