"""`messages`: one dialogue per line as chat messages, with its case and the models per role. A
Hybrid session also carries its App. B header under "metadata": the scenario's summary, the
cognitive distortions it holds and the counsellor's model."""

from __future__ import annotations

import json

from onprem.fsutil import json_line
from onprem.release.writers import Writer


class Messages(Writer):
    name, unit, suffix = "messages", "dialogues", ".jsonl"
    help = "dialogues as chat-message JSON lines"

    def write(self, rows, out) -> int:
        n = 0
        for r in rows:
            models = json.loads(r.get("models") or "{}")
            # Hybrid's roles are counsellor and patient: the same two seats under other names.
            therapist = r["therapist_model"] or (models.get("counsellor") or {}).get("name")
            client = r["client_model"] or (models.get("patient") or {}).get("name")
            line = {"client_id": r["client_id"], "condition": r["condition"], "scores": r["scores"],
                    "therapist_model": therapist, "client_model": client, "messages": r["messages"]}
            header = session_header(r)
            if header:
                line["metadata"] = header
            out.write(json_line(line))
            n += 1
        return n


def session_header(row: dict) -> dict | None:
    """The session header Hybrid's App. B prints above a session (None for other dialogues)."""
    meta = json.loads(row.get("meta") or "{}")
    if "distortions" not in meta and "summary" not in meta:
        return None
    models = json.loads(row.get("models") or "{}")
    return {"summary": meta.get("summary"), "distortions": meta.get("distortions", []),
            "counsellor_model": (models.get("counsellor") or {}).get("name"), "scenario": meta.get("scenario")}
