"""SQL of `eval quality`: what one run wrote (its dialogues with their turns and case, or its
pairs with the page they came from), read back whole so the measures can be computed in Python."""

from __future__ import annotations

import json

from onprem.store import Store


def run_dialogues(store: Store, run_id: int) -> list[dict]:
    """{id, status, reason, facts (the case's, and a profile's persona), turns: [{speaker, content,
    status, reason}]} of every dialogue
    the run stored, in id order (superseded ones included: a re-run within the run is still output)."""
    if not store.db["dialogues"].exists():
        return []
    rows = store.db.execute("select d.id, d.status, d.reason, c.facts, p.persona from dialogues d "
                            "left join cases c on c.id = d.case_id left join profiles p on p.id = d.profile_id "
                            "where d.run_id = ? order by d.id", [run_id]).fetchall()
    out = []
    for did, status, reason, facts, persona in rows:
        facts = json.loads(facts) if facts else {}
        if persona:                      # a questionnaire client's persona is what the dialogue rests on
            facts["persona"] = persona
        turns = store.db.execute("select speaker, content, status, reason from turns where dialogue_id = ? order by seq",
                                 [did]).fetchall()
        out.append({"id": did, "status": status, "reason": reason, "facts": facts,
                    "turns": [dict(zip(("speaker", "content", "status", "reason"), t)) for t in turns]})
    return out


def run_pairs(store: Store, run_id: int) -> list[dict]:
    """{id, status, reason, question, answer, page} of every pair the run stored, in order; `page`
    is the redacted page the model saw (None for pairs made without a page)."""
    rows = store.db.execute("select q.id, q.status, q.reason, q.question, q.answer, p.redacted_text from qa_pairs q "
                            "left join pages p on p.id = q.page_id where q.run_id = ? order by q.source_id, q.seq, q.id",
                            [run_id]).fetchall()
    return [dict(zip(("id", "status", "reason", "question", "answer", "page"), r)) for r in rows]


def run_stats(store: Store, run_id: int) -> dict:
    row = store.db.execute("select stats from runs where id = ?", [run_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def quality_runs(store: Store, ids: list[int] | None = None, generator: str | None = None) -> list[dict]:
    """Stored `eval quality` reports: {id, command, started_at, status, params, report}, oldest first."""
    sql = "select id, command, started_at, status, params, stats from runs where command like 'eval quality %'"
    args: list = []
    if ids:
        sql += f" and id in ({','.join('?' * len(ids))})"
        args += ids
    if generator:
        sql += " and command = ?"
        args.append(f"eval quality {generator}")
    out = []
    for rid, command, started, status, params, stats in store.db.execute(sql + " order by id", args).fetchall():
        out.append({"id": rid, "command": command, "started_at": started, "status": status,
                    "params": json.loads(params) if params else {},
                    "report": (json.loads(stats) if stats else {}).get("quality", {})})
    return out
