"""Reading and writing profiles, dialogues, turns and judgments (tables from migration m-dialogues).

Every write that belongs together is one transaction: a crash loses at most the dialogue or the
judgment in flight, never leaves half of one.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

from onprem.dialogue.judge import JudgeOutcome, Rubric
from onprem.dialogue.profiles import Profile
from onprem.dialogue.roleplay import DialogueResult
from onprem.store import Store
from onprem.store.db import now

RELEASABLE = ("ended", "capped")   # dialogue statuses that may be judged and exported


def save_questionnaires(store: Store, entries: Iterable) -> None:
    """Keep the exact instrument definitions scores were computed with."""
    with store.atomic() as db:
        db["questionnaires"].upsert_all([
            {"name": e.questionnaire.name, "version": e.questionnaire.version, "title": e.questionnaire.title,
             "sha256": e.sha256, "path": str(e.path), "builtin": int(e.builtin),
             "definition": e.questionnaire.model_dump_json(), "updated_at": now()}
            for e in entries], pk="name")


def save_profile(store: Store, p: Profile, source_file: str | None, instruments: dict[str, str]) -> int:
    """Insert a profile, or return the id of the identical record stored before (resume)."""
    row = store.db.execute("select id from profiles where record_sha256 = ?", [p.record_sha256]).fetchone()
    if row:
        return row[0]
    with store.atomic() as db:
        return db["profiles"].insert({
            "client_id": p.client_id, "record_sha256": p.record_sha256, "age": p.age, "gender": p.gender,
            "condition": p.condition, "responses": json.dumps(p.responses, sort_keys=True),
            "scores": json.dumps(p.scores, sort_keys=True), "instruments": json.dumps(instruments, sort_keys=True),
            "alerts": json.dumps(p.alerts), "persona": p.persona, "extra": json.dumps(p.extra, sort_keys=True),
            "source_file": source_file, "created_at": now(),
        }).last_pk


def has_dialogue(store: Store, profile_id: int, generator: str) -> bool:
    """Done means a dialogue that is not superseded; failed ones are retried on a re-run."""
    return bool(store.db.execute(
        "select 1 from dialogues where profile_id = ? and generator = ? and status in ('ended', 'capped')",
        [profile_id, generator]).fetchone())


def save_dialogue(store: Store, *, profile_id: int, generator: str, run_id: int, result: DialogueResult,
                  models: dict[str, object], prompts: list, params: dict, seed: int,
                  scan: Callable[[str], list] | None = None) -> int | None:
    """The dialogue and all its turns at once; earlier dialogues of the profile become superseded.
    With `scan` (the redaction analyzer) the usable turns' identifier findings are stored with it.
    Returns how many findings were stored, or None when the dialogue was not scanned."""
    stamp = now()
    found = None
    with store.atomic() as db:
        db.execute("update dialogues set status = 'superseded', reason = ? where profile_id = ? "
                   "and generator = ? and status != 'superseded'", [f"redone by run {run_id}", profile_id, generator])
        did = db["dialogues"].insert({
            "profile_id": profile_id, "generator": generator, "run_id": run_id,
            "therapist_model": models["therapist"].name, "therapist_model_sha256": models["therapist"].sha256,
            "client_model": models["client"].name, "client_model_sha256": models["client"].sha256,
            "prompts": json.dumps([{"name": p.name, "version": p.version, "sha256": p.sha256} for p in prompts]),
            "params": json.dumps(params, sort_keys=True), "seed": seed,
            "status": result.status, "reason": result.reason, "n_turns": len(result.good_turns()),
            "tokens": result.tokens, "seconds": round(result.seconds, 3), "created_at": stamp,
        }).last_pk
        db["turns"].insert_all([
            {"dialogue_id": did, "seq": t.seq, "speaker": t.speaker, "content": t.content, "status": t.status,
             "reason": t.reason, "end_signal": int(t.end), "attempts": t.attempts, "tokens": t.tokens,
             "seconds": round(t.seconds, 3)} for t in result.turns])
        if scan is not None and result.status in RELEASABLE:
            from onprem.dialogue.scan import findings_rows

            turns = list(db.query("select id, content from turns where dialogue_id = ? and status = 'ok' "
                                  "order by seq", [did]))
            rows = findings_rows(did, turns, scan)
            if rows:
                db["pii_spans"].insert_all(rows)
            db.execute("update dialogues set scanned_at = ? where id = ?", [stamp, did])
            found = len(rows)
    return found


def dialogue_turns(store: Store, dialogue_id: int, ok_only: bool = True) -> list[dict]:
    where = "and status = 'ok'" if ok_only else ""
    return list(store.db.query(f"select seq, speaker, content, status, reason from turns "
                               f"where dialogue_id = ? {where} order by seq", [dialogue_id]))


def releasable_dialogues(store: Store, generator: str | None = None) -> list[dict]:
    where = "and d.generator = ?" if generator else ""
    return list(store.db.query(f"""
        select d.id, d.generator, d.status, d.therapist_model, d.client_model, d.seed, d.review_status,
               p.client_id, p.condition, p.scores, p.persona, p.age, p.gender, p.alerts
        from dialogues d join profiles p on p.id = d.profile_id
        where d.status in ('ended', 'capped') {where}
        order by d.id""", [generator] if generator else []))


def dialogues_to_judge(store: Store, rubric: str, generator: str, force: bool) -> list[dict]:
    rows = releasable_dialogues(store, generator)
    if force:
        return rows
    done = {r[0] for r in store.db.execute(
        "select dialogue_id from judgments where rubric = ? and status = 'done'", [rubric]).fetchall()}
    return [r for r in rows if r["id"] not in done]


def save_judgment(store: Store, *, dialogue_id: int, run_id: int, rubric: Rubric, model,
                  outcome: JudgeOutcome) -> int:
    stamp = now()
    by_key = {c.key: c for c in rubric.criteria}
    with store.atomic() as db:
        db.execute("update judgments set status = 'superseded' where dialogue_id = ? and rubric = ? "
                   "and status != 'superseded'", [dialogue_id, rubric.name])
        jid = db["judgments"].insert({
            "dialogue_id": dialogue_id, "run_id": run_id, "rubric": rubric.name, "model": model.name,
            "model_sha256": model.sha256, "status": "done" if outcome.ok else "failed", "error": outcome.error,
            "totals": json.dumps(outcome.totals(rubric), sort_keys=True), "tokens": outcome.tokens,
            "seconds": round(outcome.seconds, 3), "created_at": stamp,
        }).last_pk
        db["judgment_scores"].insert_all([
            {"judgment_id": jid, "criterion": k, "grp": by_key[k].group, "score": m.score, "reason": m.reason}
            for k, m in outcome.marks.items()])
    return jid
