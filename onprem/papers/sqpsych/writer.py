"""`sqpsychconv`: the public SQPsychConv layout, the dialogue as one text of "Speaker: words" lines."""

from __future__ import annotations

from onprem.fsutil import json_line
from onprem.release.writers import Writer


class SQPsychConv(Writer):
    name, unit, suffix = "sqpsychconv", "dialogues", ".jsonl"
    help = "dialogues in the SQPsychConv layout"

    def write(self, rows, out) -> int:
        n = 0
        for r in rows:
            text = "\n".join(f"{m['role'].capitalize()}: {m['content']}" for m in r["messages"])
            out.write(json_line({"file_id": f"{r['generator']}_{r['id']:06d}", "condition": r["condition"],
                                 "client_model": r["client_model"], "therapist_model": r["therapist_model"],
                                 "dialogue": text}))
            n += 1
        return n
