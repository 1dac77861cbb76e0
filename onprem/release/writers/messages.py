"""`messages`: one dialogue per line as chat messages, with its case and the models per role."""

from __future__ import annotations

from onprem.fsutil import json_line
from onprem.release.writers import Writer


class Messages(Writer):
    name, unit, suffix = "messages", "dialogues", ".jsonl"
    help = "dialogues as chat-message JSON lines"

    def write(self, rows, out) -> int:
        n = 0
        for r in rows:
            out.write(json_line({"client_id": r["client_id"], "condition": r["condition"], "scores": r["scores"],
                                 "therapist_model": r["therapist_model"], "client_model": r["client_model"],
                                 "messages": r["messages"]}))
            n += 1
        return n
