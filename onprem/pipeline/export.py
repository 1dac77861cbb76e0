"""The one export path: choose what may be released, then write it in a fine-tuning format.

Release policy: a pair is released when it passed the word filter (kept) or a person approved
it, and none of its identifier findings is unresolved. Everything held back is counted by reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO

from onprem.dialogue.export import WRITERS as DIALOGUE_WRITERS
from onprem.dialogue.export import select_dialogues
from onprem.store import Store

# The fixed instruction that goes with every exported pair (the project's own wording).
INSTRUCTION = (
    "You are a supportive counselling assistant. Read what the person shares, reflect their "
    "feelings back with empathy, and offer practical, safe and respectful guidance. Encourage "
    "professional help when a situation calls for it."
)

# Findings that still block a release: only a person's "not PII" (rejected) clears one.
UNRESOLVED = ("pending", "confirmed", "added")


@dataclass(frozen=True)
class Policy:
    reviewed_only: bool = False      # only pairs a person approved
    include_flagged: bool = False    # explicit: also release flagged pairs (counted and reported)


@dataclass
class Selection:
    rows: list[dict]
    held: Counter
    flagged_included: int = 0


def select_pairs(store: Store, policy: Policy) -> Selection:
    unresolved = ",".join(f"'{d}'" for d in UNRESOLVED)
    rows = store.db.query(f"""
        select q.id, q.source_id, q.seq, q.instruction, q.question, q.answer, q.status,
               s.name as source,
               (select count(*) from pii_spans p where p.pair_id = q.id and p.decision in ({unresolved})) as open_flags
        from qa_pairs q join sources s on s.id = q.source_id
        order by q.source_id, q.seq, q.id""")
    chosen, held, flagged_in = [], Counter(), 0
    for r in rows:
        status = r["status"]
        if status == "approved":
            ok = r["open_flags"] == 0 or policy.include_flagged
        elif status == "kept":
            ok = not policy.reviewed_only and (r["open_flags"] == 0 or policy.include_flagged)
        elif status == "flagged":
            ok = policy.include_flagged and not policy.reviewed_only
        else:
            ok = False
        if ok:
            flagged_in += status == "flagged" or r["open_flags"] > 0
            chosen.append(r)
        else:
            reason = status if status not in ("kept", "approved") else (
                "unresolved identifier findings" if r["open_flags"] else "not reviewed")
            held[reason] += 1
    return Selection(rows=chosen, held=held, flagged_included=flagged_in)


def _instruction(row: dict) -> str:
    return row.get("instruction") or INSTRUCTION


def write_mentalchat16k(rows: Iterable[dict], out: TextIO) -> int:
    n = 0
    for r in rows:
        out.write(json.dumps({"instruction": _instruction(r), "input": r["question"], "output": r["answer"]},
                             ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    w = csv.writer(out)
    w.writerow(["instruction", "input", "output", "source", "seq"])
    n = 0
    for r in rows:
        w.writerow([_instruction(r), r["question"], r["answer"], r["source"], r["seq"]])
        n += 1
    return n


WRITERS: dict[str, Callable[[Iterable[dict], TextIO], int]] = {
    "mentalchat16k": write_mentalchat16k,
    "csv": write_csv,
}


def write_private(path: Path, render: Callable[[TextIO], int]) -> int:
    """Write owner-only (0600) and atomically: a crash never leaves half an export."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = render(f)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        return n
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# Every format the one `export` command knows: pair formats and dialogue formats.
FORMATS: list[str] = sorted({*WRITERS, *DIALOGUE_WRITERS})


def unit(fmt: str) -> str:
    """What a format releases, for messages: pairs or dialogues."""
    return "dialogues" if fmt in DIALOGUE_WRITERS else "pairs"


def export(store: Store, fmt: str, out: Path | None, policy: Policy, stdout: TextIO | None = None) -> tuple[int, Selection]:
    if fmt in DIALOGUE_WRITERS:
        writer = DIALOGUE_WRITERS[fmt]
        sel = select_dialogues(store, policy.include_flagged, reviewed_only=policy.reviewed_only)
    else:
        writer, sel = WRITERS[fmt], select_pairs(store, policy)
    if out is None:
        buf = stdout or io.StringIO()
        return writer(sel.rows, buf), sel
    return write_private(out, lambda f: writer(sel.rows, f)), sel
