"""Benchmark questions and the responses models give them (`eval respond`), MentalChat16K's
evaluation: onprem.papers.mentalchat16k decides, this reads and writes eval_questions and
eval_responses. People's ranks of the responses are scores (onprem.store.scores, rubric `rank`)."""

from __future__ import annotations

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
    """response id -> {model, key and question_id (its question's), round}."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {r["id"]: r for r in store.db.query(
        f"select r.id, r.model, q.key, r.question_id, r.round from eval_responses r join eval_questions q on q.id = r.question_id "
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
