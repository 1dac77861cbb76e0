"""The one store of scores, people's and models' alike. A judgment is one rater's scores of one
target under one rubric: the rater is `judge:MODEL` (a judge run) or `person:NAME` (a label, a
rating made in the TUI or imported from a file). A rater's new judgment of a target supersedes
their earlier one; nothing is deleted. Items are named "KIND:ID" ("dialogue:12", "pair:3"), as
`eval agreement` and `eval judge-validity` name them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from onprem.store import Store
from onprem.store.db import now

PERSON, JUDGE = "person:", "judge:"


@dataclass(frozen=True)
class Score:
    item: str           # "dialogue:12"
    rater: str          # "judge:MODEL" | "person:NAME"
    criterion: str
    score: int | float      # integral scores (every rubric's scale) come back as int
    judgment_id: int


def person(name: str) -> str:
    return name if name.startswith(PERSON) else PERSON + name


# The table an item kind lives in (what a run made, what a rating may name).
ITEM_TABLES = {"dialogue": "dialogues", "segment": "dialogues", "pair": "qa_pairs", "response": "eval_responses"}


def scores(store: Store, rubric: str | None, *, target_kind: str | None = None, rater: str | None = None,
           people: bool | None = None, run: int | None = None, made_by_run: int | None = None,
           target_ids: Iterable[int] | None = None) -> list[Score]:
    """The live scores (each rater's latest judgment of each target, parsed ones only) under `rubric`
    (None: any), narrowed to one target kind, one rater, only people's (people=True) or only judges'
    (people=False), one judge run's judgments (`run`), the judgments of the items a run made
    (`made_by_run`, with `target_kind`), or some targets."""
    sql = ("select j.target_kind, j.target_id, j.rater, s.criterion, s.score, j.id from judgments j "
           "join judgment_scores s on s.judgment_id = j.id where j.status = 'done'")
    args: list = []
    if rubric is not None:
        sql += " and j.rubric = ?"
        args.append(rubric)
    if target_kind:
        sql += " and j.target_kind = ?"
        args.append(target_kind)
    if rater:
        sql += " and j.rater = ?"
        args.append(rater)
    if people is not None:
        sql += f" and j.rater {'' if people else 'not '}like 'person:%'"
    if run is not None:
        sql += " and j.run_id = ?"
        args.append(run)
    if made_by_run is not None:
        sql += f" and j.target_id in (select id from {ITEM_TABLES[target_kind]} where run_id = ?)"
        args.append(made_by_run)
    if target_ids is not None:
        ids = sorted(set(target_ids))
        sql += f" and j.target_id in ({','.join('?' * len(ids))})"
        args += ids
    return [Score(f"{k}:{t}", r, c, number(s), j) for k, t, r, c, s, j in store.db.execute(sql + " order by j.id", args)]


def number(x):
    """The score column is REAL (a mean can be fractional): 2.0 is read back as 2, the level it is
    (a level is an integer everywhere)."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def rating_of(store: Store, rubric: str, target_kind: str, target_id: int, rater: str) -> dict[str, int] | None:
    """A person's live scores of one target, or None."""
    row = store.db.execute("select id from judgments where rubric = ? and target_kind = ? and target_id = ? "
                           "and rater = ? and status = 'done'", [rubric, target_kind, target_id, person(rater)]).fetchone()
    if row is None:
        return None
    return {c: number(v) for c, v in store.db.execute(
        "select criterion, score from judgment_scores where judgment_id = ? order by rowid", [row[0]]).fetchall()}


def _put_rating(db, rubric, target_kind: str, target_id: int, who: str, values: dict, reasons: dict | None,
                stamp: str) -> tuple[int, int | None]:
    """One person's judgment of one target (their earlier one superseded), inside a transaction:
    (the new judgment's id, the id of the one it replaced or None)."""
    by_key = {c.key: c for c in rubric.criteria}
    prev = db.execute("select id from judgments where rubric = ? and target_kind = ? and target_id = ? and rater = ? "
                      "and status = 'done' order by id desc limit 1", [rubric.name, target_kind, target_id, who]).fetchone()
    db.execute("update judgments set status = 'superseded' where rubric = ? and target_kind = ? and target_id = ? "
               "and rater = ? and status != 'superseded'", [rubric.name, target_kind, target_id, who])
    jid = db["judgments"].insert({
        "target_kind": target_kind, "target_id": target_id,
        "dialogue_id": target_id if target_kind == "dialogue" else None, "run_id": None,
        "rubric": rubric.name, "rubric_version": rubric.version, "rater": who, "status": "done",
        "totals": "{}", "tokens": 0, "seconds": 0.0, "created_at": stamp}).last_pk
    db["judgment_scores"].insert_all([
        {"judgment_id": jid, "criterion": k, "grp": by_key[k].group, "score": int(v),
         "reason": (reasons or {}).get(k)} for k, v in values.items()])
    return jid, prev[0] if prev else None


def take_back_ratings(store: Store, judgments) -> None:
    """Undo of saved ratings: each (new judgment id, the one it replaced) pair goes back, the new
    one superseded and the replaced one live again (inside the caller's transaction)."""
    for jid, replaced in judgments:
        store.db["judgments"].update(jid, {"status": "superseded"})
        if replaced is not None:
            store.db["judgments"].update(replaced, {"status": "done"})


def save_rating(store: Store, *, rubric, target_kind: str, target_id: int, rater: str, values: dict[str, int],
                reasons: dict[str, str] | None = None, source: str = "tui") -> int:
    """A person's scores of one target under `rubric` (replacing theirs: the old judgment is superseded),
    with an audit row of before and after naming the rater and where the rating came from."""
    who = person(rater)
    before = rating_of(store, rubric.name, target_kind, target_id, who)
    with store.atomic() as db:
        jid, replaced = _put_rating(db, rubric, target_kind, target_id, who, values, reasons, now())
        store.audit(who.removeprefix(PERSON), "rating.save", "judgments", jid, before=before,
                    after={"rubric": rubric.name, "item": f"{target_kind}:{target_id}", "scores": dict(values),
                           "source": source, "replaced": replaced})
    return jid


def save_ratings(store: Store, *, rubric, target_kind: str, values: dict[int, dict[str, int]], rater: str,
                 action: str, table: str, row_id: int) -> None:
    """One decision that rates several targets at once (a ranking of a question's responses): every
    judgment in one transaction with one audit row, `action` on `table` row `row_id`, holding what
    each target's scores were before and are after."""
    who = person(rater)
    before = {str(t): rating_of(store, rubric.name, target_kind, t, who) for t in values}
    stamp = now()
    with store.atomic() as db:
        made = {str(t): _put_rating(db, rubric, target_kind, t, who, v, None, stamp) for t, v in values.items()}
        store.audit(who.removeprefix(PERSON), action, table, row_id, before=before,
                    after={str(t): dict(v) for t, v in values.items()} | {"rubric": rubric.name, "judgments": made})


def rated_count(store: Store, rubric: str, rater: str) -> int:
    return store.db.execute("select count(*) from judgments where rubric = ? and rater = ? and status = 'done'",
                            [rubric, person(rater)]).fetchone()[0]


def target_exists(store: Store, target_kind: str, target_id: int) -> bool:
    """Whether an item a rating names is in the database (dialogues, pairs, eval responses)."""
    table = ITEM_TABLES.get(target_kind)
    if table is None or not store.db[table].exists():
        return False
    return store.db.execute(f"select 1 from {table} where id = ?", [target_id]).fetchone() is not None


def judgments_by_item(store: Store, rubric: str, model: str) -> dict[str, dict]:
    """item -> {"status": done|failed, "scores": {criterion: score}} for the judgments `model` made
    under `rubric` that nothing superseded."""
    out: dict[str, dict] = {}
    for kind, tid, jid, status in store.db.execute(
            "select target_kind, target_id, id, status from judgments where rubric = ? and rater = ? "
            "and status != 'superseded' order by id", [rubric, JUDGE + model]):
        out[f"{kind}:{tid}"] = {"id": jid, "status": status, "scores": {}}
    by_id = {v["id"]: v for v in out.values()}
    if by_id:
        marks = ",".join("?" * len(by_id))
        for jid, criterion, score in store.db.execute(
                f"select judgment_id, criterion, score from judgment_scores where judgment_id in ({marks})", list(by_id)):
            by_id[jid]["scores"][criterion] = number(score)
    return out


def judge_rubrics(store: Store, model: str) -> dict[str, int]:
    """rubric -> judgments `model` has made (live ones), to name what there is to check."""
    return dict(store.db.execute("select rubric, count(*) from judgments where rater = ? and status != 'superseded' "
                                 "group by rubric order by rubric", [JUDGE + model]).fetchall())


def judge_models(store: Store) -> list[str]:
    return [r.removeprefix(JUDGE) for (r,) in store.db.execute(
        "select distinct rater from judgments where status != 'superseded' and rater like 'judge:%' order by rater")]


def runs_scoring(store: Store, target_kind: str) -> list[dict]:
    """Runs that stored live judgments of dialogues or their segments (`target_kind`): id, command,
    model_name, started_at and the cases scored (as `profiles`), newest first."""
    return list(store.db.query(
        "select r.id, r.command, r.model_name, r.started_at, count(distinct d.case_id) as profiles "
        "from runs r join judgments j on j.run_id = r.id and j.target_kind = ? and j.status = 'done' "
        "join dialogues d on d.id = j.target_id group by r.id order by r.id desc", [target_kind]))


def rubric_criteria(store: Store, rubric: str) -> list[str]:
    """The criteria keys of the rubric's latest stored version, in the rubric's order."""
    row = store.db.execute("select criteria from rubrics where name = ? order by rowid desc limit 1", [rubric]).fetchone()
    return [c["key"] for c in json.loads(row[0])] if row else []


def rubric_scale(store: Store, rubric: str) -> dict | None:
    """The scale of the rubric's latest stored version ({"kind", "lo", "hi", "labels"})."""
    row = store.db.execute("select scale from rubrics where name = ? order by rowid desc limit 1", [rubric]).fetchone()
    return json.loads(row[0]) if row else None


def rater_counts(store: Store) -> list[dict]:
    """{rubric, rater, items} for every rater's live judgments (people's and judges'), by rubric."""
    return list(store.db.query(
        "select rubric, rater, count(distinct target_kind || ':' || target_id) as items from judgments "
        "where status = 'done' and rater is not null group by rubric, rater order by rubric, rater like 'judge:%', rater"))


def labels_by_criterion(store: Store, rubric: str) -> dict[str, dict[str, dict[str, str]]]:
    """criterion -> item -> rater -> score (as text) of every rater under a rubric, people by name and
    judges as judge:MODEL: what `eval agreement RUBRIC` and the Evaluations screen compare."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for sc in scores(store, rubric):
        out.setdefault(sc.criterion, {}).setdefault(sc.item, {})[sc.rater.removeprefix(PERSON)] = str(sc.score)
    return out


def mean_scores(store: Store, rubric: str, generator: str | None = None) -> dict[int, float]:
    """dialogue id -> the mean of its live judge scores under `rubric` (over every judge model that
    scored it; people's ratings are not a judge's), optionally of one generator's dialogues."""
    where, args = ("and d.generator = ?", [generator]) if generator else ("", [])
    rows = store.db.execute(
        f"select j.target_id, avg(s.score) from judgments j join judgment_scores s on s.judgment_id = j.id "
        f"join dialogues d on d.id = j.target_id where j.rubric = ? and j.status = 'done' and j.rater like 'judge:%' "
        f"and j.target_kind = 'dialogue' {where} group by j.target_id", [rubric, *args]).fetchall()
    return {r[0]: float(r[1]) for r in rows}
