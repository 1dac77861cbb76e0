"""Dialogue release: choose the dialogues that may leave, scan them for identifiers, write them.

Released: dialogues that ended or reached the turn cap (not failed, not superseded). Every usable
turn passes the same redaction scan as pairs; a dialogue with findings is held back unless the
caller explicitly includes flagged data. Unusable turns (empty, repeated) are recorded in the
store but never exported; neighbouring turns of one speaker are then joined.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, TextIO

from onprem.dialogue import store as dstore
from onprem.store import Store


@dataclass
class DialogueSelection:
    rows: list[dict]
    held: Counter = field(default_factory=Counter)
    flagged_included: int = 0


def messages_of(turns: list[dict]) -> list[dict]:
    out: list[dict] = []
    for t in turns:
        if out and out[-1]["role"] == t["speaker"]:
            out[-1]["content"] += " " + t["content"]
        else:
            out.append({"role": t["speaker"], "content": t["content"]})
    return out


def select_dialogues(store: Store, include_flagged: bool, analyze: Callable[[str], list] | None = None) -> DialogueSelection:
    """`analyze(text) -> findings` is the redaction scan (Redactor.load().analyze by default)."""
    if analyze is None:
        from redaction import Redactor

        analyze = Redactor.load().analyze
    sel = DialogueSelection(rows=[])
    for d in dstore.releasable_dialogues(store):
        msgs = messages_of(dstore.dialogue_turns(store, d["id"]))
        if not msgs:
            sel.held["no usable turns"] += 1
            continue
        findings = sum(len(analyze(m["content"])) for m in msgs)
        if findings and not include_flagged:
            sel.held["identifier findings"] += 1
            continue
        sel.flagged_included += bool(findings)
        sel.rows.append({**d, "scores": json.loads(d["scores"]), "messages": msgs})
    held = store.db.execute("select status, count(*) from dialogues where status not in ('ended', 'capped') "
                            "group by status").fetchall()
    for status, n in held:
        sel.held[status] += n
    return sel


def write_messages(rows: Iterable[dict], out: TextIO) -> int:
    n = 0
    for r in rows:
        out.write(json.dumps({"client_id": r["client_id"], "condition": r["condition"], "scores": r["scores"],
                              "therapist_model": r["therapist_model"], "client_model": r["client_model"],
                              "messages": r["messages"]}, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_sqpsychconv(rows: Iterable[dict], out: TextIO) -> int:
    """The public SQPsychConv layout: the dialogue as one text, one "Speaker: words" line per turn."""
    n = 0
    for r in rows:
        text = "\n".join(f"{m['role'].capitalize()}: {m['content']}" for m in r["messages"])
        out.write(json.dumps({"file_id": f"{r['generator']}_{r['id']:06d}", "condition": r["condition"],
                              "client_model": r["client_model"], "therapist_model": r["therapist_model"],
                              "dialogue": text}, ensure_ascii=False) + "\n")
        n += 1
    return n


WRITERS: dict[str, Callable[[Iterable[dict], TextIO], int]] = {
    "messages": write_messages,
    "sqpsychconv": write_sqpsychconv,
}
