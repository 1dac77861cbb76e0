"""Dialogue release: choose the dialogues that may leave, scan them for identifiers, write them.

Released: dialogues that ended or reached the turn cap (not failed, not superseded). Every usable
turn passes the same redaction scan as pairs, stored as findings a person reviews (scan.py); a
dialogue with an unresolved finding is held back unless the caller explicitly includes flagged
data, and the policy is the pairs' one (reviewed-only, include-flagged). Unusable turns (empty, repeated) are recorded in the
store but never exported; neighbouring turns of one speaker are then joined.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, TextIO

from onprem.dialogue import store as dstore
from onprem.store import Store

# Findings that still block a release (as for pairs): only a person's "not PII" or an edit that took
# the text out of the turn clears one.
UNRESOLVED = ("pending", "confirmed", "added")


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


def select_dialogues(store: Store, include_flagged: bool, analyze: Callable[[str], list] | None = None,
                     reviewed_only: bool = False) -> DialogueSelection:
    """The pair release rule, for dialogues. Dialogues not scanned yet are scanned first and their
    findings stored (`analyze(text) -> [Span]`, Redactor.load().analyze when needed), then:
    a dialogue a person rejected stays; one a person approved goes unless a finding is unresolved
    (pending, confirmed or added); one nobody reviewed goes when it has no unresolved finding,
    unless `reviewed_only`. `include_flagged` releases those with unresolved findings (counted)."""
    from onprem.dialogue.scan import scan_pending

    scan_pending(store, analyze)
    unresolved = ",".join(f"'{d}'" for d in UNRESOLVED)
    sel = DialogueSelection(rows=[])
    for d in dstore.releasable_dialogues(store):
        open_flags = store.db.execute(
            f"select count(*) from pii_spans s join turns t on t.id = s.turn_id where s.dialogue_id = ? "
            f"and t.status = 'ok' and s.decision in ({unresolved})", [d["id"]]).fetchone()[0]
        review = d["review_status"]
        if review == "rejected":
            sel.held["rejected"] += 1
            continue
        if review != "approved" and reviewed_only:
            sel.held["unresolved identifier findings" if open_flags else "not reviewed"] += 1
            continue
        if open_flags and not include_flagged:
            sel.held["unresolved identifier findings"] += 1
            continue
        msgs = messages_of(dstore.dialogue_turns(store, d["id"]))
        if not msgs:
            sel.held["no usable turns"] += 1
            continue
        sel.flagged_included += bool(open_flags)
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
