"""Reading and writing cases, profiles, dialogues, turns, attempts and judgments (the generic
dialogue tables of migration m008_generic_dialogues).

A dialogue belongs to a generator's case and a segment of it; a case may be a stored profile.
Every write that belongs together is one transaction: a crash loses at most the dialogue or the
judgment in flight, never leaves half of one.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Callable, Iterable

from onprem.store import Store
from onprem.store.db import now
from onprem.store.dialogue_queries import DIALOGUE_COLUMNS, DIALOGUE_FROM
from onprem.vocab import RELEASABLE, RELEASABLE_SQL

if TYPE_CHECKING:
    from onprem.dialogue.roleplay import DialogueResult


def save_questionnaires(store: Store, entries: Iterable) -> None:
    """Keep the exact instrument definitions scores were computed with."""
    with store.atomic() as db:
        db["questionnaires"].upsert_all([
            {"name": e.questionnaire.name, "version": e.questionnaire.version, "title": e.questionnaire.title,
             "sha256": e.sha256, "path": str(e.path), "builtin": int(e.builtin),
             "definition": e.questionnaire.model_dump_json(), "updated_at": now()}
            for e in entries], pk="name")


def save_profile(store: Store, p, source_file: str | None, instruments: dict[str, str]) -> int:
    """Insert a questionnaire profile, or return the id of the identical record stored before (resume)."""
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


def ensure_case(store: Store, generator: str, key: str, *, profile_id: int | None = None,
                title: str | None = None, facts: dict | None = None) -> int:
    """The case's id: found by (generator, key), else inserted."""
    row = store.db.execute("select id from cases where generator = ? and key = ?", [generator, key]).fetchone()
    if row:
        return row[0]
    with store.atomic() as db:
        return db["cases"].insert({"generator": generator, "key": key, "profile_id": profile_id, "title": title,
                                   "facts": json.dumps(facts or {}, sort_keys=True), "created_at": now()}).last_pk


def has_dialogue(store: Store, case_id: int, segment: int = 0) -> bool:
    """Done means a releasable dialogue for the case segment; failed ones are retried on a re-run."""
    return bool(store.db.execute(
        f"select 1 from dialogues where case_id = ? and segment = ? and status in {RELEASABLE_SQL}",
        [case_id, segment]).fetchone())


def segment_turns(store: Store, case_id: int, segment: int) -> list[dict]:
    """The usable turns of a case segment's newest releasable dialogue ([] when there is none)."""
    row = store.db.execute(f"select id from dialogues where case_id = ? and segment = ? and status in {RELEASABLE_SQL} "
                           f"order by id desc limit 1", [case_id, segment]).fetchone()
    return dialogue_turns(store, row[0]) if row else []


def models_json(models: dict[str, object]) -> str:
    return json.dumps({role: {"name": m.name, "sha256": m.sha256, "backend": m.backend}
                       for role, m in models.items()}, sort_keys=True)


def save_dialogue(store: Store, *, case_id: int, generator: str, run_id: int, result: DialogueResult,
                  models: dict[str, object], prompts: list, params: dict, seed: int, segment: int = 0,
                  profile_id: int | None = None, attempts: list[dict] | None = None, meta: dict | None = None,
                  scan: Callable[[str], list] | None = None) -> int | None:
    """The dialogue, all its turns and attempts at once; the case segment's earlier dialogue becomes
    superseded. `attempts` are [{draft: [turns], evaluation, feedback, tokens, seconds}] in order.
    With `scan` (the redaction analyzer) the usable turns' identifier findings are stored with it.
    Returns how many findings were stored, or None when the dialogue was not scanned."""
    stamp = now()
    found = None
    with store.atomic() as db:
        db.execute("update dialogues set status = 'superseded', reason = ? where case_id = ? and segment = ? "
                   "and status != 'superseded'", [f"redone by run {run_id}", case_id, segment])
        did = db["dialogues"].insert({
            "case_id": case_id, "segment": segment, "profile_id": profile_id, "generator": generator,
            "run_id": run_id, "models": models_json(models),
            "prompts": json.dumps([{"name": p.name, "version": p.version, "sha256": p.sha256} for p in prompts]),
            "params": json.dumps(params, sort_keys=True), "seed": seed,
            "status": result.status, "reason": result.reason, "n_turns": len(result.good_turns()),
            "tokens": result.tokens, "seconds": round(result.seconds, 3), "created_at": stamp,
            "meta": json.dumps(meta, sort_keys=True) if meta else None,
        }).last_pk
        db["turns"].insert_all([
            {"dialogue_id": did, "seq": t.seq, "speaker": t.speaker, "content": t.content, "status": t.status,
             "reason": t.reason, "end_signal": int(t.end), "attempts": t.attempts, "tokens": t.tokens,
             "seconds": round(t.seconds, 3)} for t in result.turns])
        db["dialogue_attempts"].insert_all([
            {"dialogue_id": did, "attempt": n, "draft": json.dumps(a["draft"], ensure_ascii=False),
             "evaluation": json.dumps(a["evaluation"], ensure_ascii=False) if a.get("evaluation") is not None else None,
             "feedback": a.get("feedback"), "tokens": a.get("tokens"), "seconds": a.get("seconds"),
             "created_at": stamp} for n, a in enumerate(attempts or [], start=1)])
        if scan is not None and result.status in RELEASABLE:
            rows = findings_rows(did, usable_turns(store, did), scan)
            if rows:
                db["pii_spans"].insert_all(rows)
            db.execute("update dialogues set scanned_at = ? where id = ?", [stamp, did])
            found = len(rows)
    return found


def dialogue_turns(store: Store, dialogue_id: int, ok_only: bool = True) -> list[dict]:
    where = "and status = 'ok'" if ok_only else ""
    return list(store.db.query(f"select seq, speaker, content, status, reason from turns "
                               f"where dialogue_id = ? {where} order by seq", [dialogue_id]))


def dialogue_attempts(store: Store, dialogue_id: int) -> list[dict]:
    rows = list(store.db.query("select attempt, draft, evaluation, feedback, tokens, seconds from dialogue_attempts "
                               "where dialogue_id = ? order by attempt", [dialogue_id]))
    for r in rows:
        r["draft"] = json.loads(r["draft"])
        r["evaluation"] = json.loads(r["evaluation"]) if r["evaluation"] else None
    return rows


def releasable_dialogues(store: Store, generator: str | None = None) -> list[dict]:
    where = "and d.generator = ?" if generator else ""
    return list(store.db.query(f"""
        select d.id, d.generator, d.status, d.seed, d.review_status, d.models, d.meta, c.facts as case_facts, {DIALOGUE_COLUMNS},
               p.condition, p.scores, p.persona, p.age, p.gender, p.alerts
        {DIALOGUE_FROM}
        where d.status in {RELEASABLE_SQL} {where}
        order by d.id""", [generator] if generator else []))


# --- Judgments -------------------------------------------------------------------------------

def save_rubric(store: Store, rubric) -> None:
    """The rubric's definition, once per version (what a judgment's scores mean)."""
    scale = json.dumps(rubric.scale.as_dict(), sort_keys=True)
    criteria = json.dumps([c.__dict__ for c in rubric.criteria], sort_keys=True)
    sha = hashlib.sha256((scale + criteria).encode()).hexdigest()
    with store.atomic() as db:
        db["rubrics"].upsert({"name": rubric.name, "version": rubric.version, "scale": scale, "criteria": criteria,
                              "sha256": sha}, pk=("name", "version"))


def judged(store: Store, rubric: str, target_kind: str, model: str | None = None) -> set[int]:
    """Targets with a done judgment under the rubric (by `model`, when given: two judge models may
    score the same targets)."""
    sql = "select target_id from judgments where rubric = ? and target_kind = ? and status = 'done'"
    args = [rubric, target_kind]
    if model is not None:
        sql += " and rater = ?"
        args.append(f"judge:{model}")
    else:
        sql += " and rater like 'judge:%'"      # people's ratings are not a judge's work done
    return {r[0] for r in store.db.execute(sql, args).fetchall()}


def save_judgment(store: Store, *, target_kind: str, target_id: int, run_id: int | None, rubric, model,
                  outcome) -> int:
    """One judgment and its scores; the target's earlier judgment under the rubric by the same model
    becomes superseded (another model's judgment of it stays: two judges may score the same target)."""
    stamp = now()
    by_key = {c.key: c for c in rubric.criteria}
    with store.atomic() as db:
        db.execute("update judgments set status = 'superseded' where target_kind = ? and target_id = ? "
                   "and rubric = ? and model = ? and status != 'superseded'",
                   [target_kind, target_id, rubric.name, model.name])
        jid = db["judgments"].insert({
            "target_kind": target_kind, "target_id": target_id,
            "dialogue_id": target_id if target_kind == "dialogue" else None,
            "run_id": run_id, "rubric": rubric.name, "rubric_version": rubric.version, "model": model.name,
            "rater": f"judge:{model.name}",
            "model_sha256": model.sha256, "status": "done" if outcome.ok else "failed", "error": outcome.error,
            "raw": None if outcome.ok else outcome.raw,
            "totals": json.dumps(outcome.totals(rubric), sort_keys=True), "tokens": outcome.tokens,
            "seconds": round(outcome.seconds, 3), "created_at": stamp,
        }).last_pk
        db["judgment_scores"].insert_all([
            {"judgment_id": jid, "criterion": k, "grp": by_key[k].group, "score": m.score, "reason": m.reason}
            for k, m in outcome.marks.items()])
    return jid


def usable_turns(store: Store, dialogue_id: int) -> list[dict]:
    """(id, seq, content) of a dialogue's usable turns, in order."""
    return list(store.db.query("select id, seq, content from turns where dialogue_id = ? and status = 'ok' "
                               "order by seq", [dialogue_id]))


def standing_turn_spans(store: Store, turn_id: int, removed: str) -> list[tuple]:
    """(id, text, start, end, decision) of a turn's findings still standing."""
    return store.db.execute('select id, text, start, "end", decision from pii_spans where turn_id = ? '
                            "and decision not in ('rejected', ?)", [turn_id, removed]).fetchall()


def unscanned(store: Store) -> list[int]:
    """Releasable dialogues the identifier scan has still to read (dialogue_queries counts them)."""
    return [r[0] for r in store.db.execute(f"select id from dialogues where status in {RELEASABLE_SQL} "
                                           "and scanned_at is null order by id")]


def save_scan(store: Store, dialogue_id: int, rows: list[dict]) -> None:
    """A dialogue's findings and its scanned mark, in one transaction."""
    with store.atomic() as db:
        if rows:
            db["pii_spans"].insert_all(rows)
        db.execute("update dialogues set scanned_at = ? where id = ?", [now(), dialogue_id])


def findings_rows(dialogue_id: int, turns: list[dict], analyze: Callable[[str], list]) -> list[dict]:
    """pii_spans rows for what `analyze(text) -> [Span]` finds in each turn (`id`, `content`)."""
    rows = []
    for t in turns:
        for s in analyze(t["content"]):
            rows.append({"dialogue_id": dialogue_id, "turn_id": t["id"], "field": "turn", "start": s.start,
                         "end": s.end, "entity_type": s.entity_type, "score": s.score, "recognizer": s.recognizer,
                         "text": t["content"][s.start:s.end], "finding": "detected", "decision": "pending"})
    return rows


def latest_dialogue(store: Store, case_id: int) -> int | None:
    """The id of a case's newest dialogue."""
    return store.db.execute("select max(id) from dialogues where case_id = ?", [case_id]).fetchone()[0]


def selectable_sessions(store: Store, generator: str) -> list[dict]:
    """(id, status, reason, meta) of a generator's sessions a quality selection decides: finished
    ones, and those an earlier selection filtered (their status before is in meta)."""
    return list(store.db.query(
        "select id, status, reason, meta from dialogues where generator = ? and (status in ('ended', 'capped') "
        "or (status = 'filtered' and json_extract(meta, '$.before_select') is not null)) order by id", [generator]))


def set_statuses(store: Store, rows: list[dict]) -> None:
    """Each dialogue's status, reason and meta (a dict), in one transaction."""
    with store.atomic() as db:
        for r in rows:
            db["dialogues"].update(r["id"], {"status": r["status"], "reason": r["reason"],
                                             "meta": json.dumps(r["meta"], sort_keys=True)})


def dialogue_facts(store: Store, ids) -> dict[int, dict]:
    """dialogue id -> {generator, segment, case (its key), meta (a dict)}."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {r["id"]: {**r, "meta": json.loads(r["meta"]) if r["meta"] else {}} for r in store.db.query(
        f"select d.id, d.generator, d.segment, c.key as \"case\", d.meta from dialogues d join cases c on c.id = d.case_id "
        f"where d.id in ({','.join('?' * len(ids))})", ids)}
