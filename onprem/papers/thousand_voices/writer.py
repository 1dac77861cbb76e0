"""`pe`: one JSON line per profile: the profile and its phase transcripts; phases that failed or
were held back are named, not silently missing."""

from __future__ import annotations

import json

from onprem.fsutil import json_line
from onprem.release.writers import Writer


class PEWriter(Writer):
    name, unit, suffix, noun = "pe", "dialogues", ".jsonl", "profiles"
    help = "Thousand Voices: a profile and its six phase transcripts per line"

    def write(self, rows, out) -> int:
        by_case: dict[str, dict] = {}
        for r in rows:
            if r["generator"] != "pe":
                continue
            case = by_case.setdefault(r["case_key"], {"profile_id": r["case_key"], "profile": json.loads(r["case_facts"]),
                                                      "phases": {}})
            case["phases"][str(r["segment"])] = r["messages"]
        for case in by_case.values():
            case["missing_phases"] = [p for p in range(1, 7) if str(p) not in case["phases"]]
            out.write(json_line(case))
        return len(by_case)
