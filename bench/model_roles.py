"""Benchmark: which bundled model should serve which role by default, measured on the same seeds.

For each bundled model (gemma3-270m, base; smollm2-135m, instruct):
  dialogue roles  `onprem generate sqpsych` on the example clients, both roles on that model:
                  the share of unusable turns (empty, repeated, copied, invalid) and dialogue outcomes;
  judges          `onprem judge sqpsych` on the same dialogues (made once by the first model):
                  the share of judgments whose output never parsed into the rubric.
The paraphrase role is measured by bench/paraphrase_quality.py (kept rate, copy rate, grounding).
Figures, not a test.

    .venv/bin/python bench/model_roles.py [--clients 3] [--max-turns 8] [--seed 42]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("gemma3-270m", "smollm2-135m")


def onprem(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), *args], capture_output=True, text=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=3)
    ap.add_argument("--max-turns", type=int, default=8)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onprem-roles-"))
    rows = (ROOT / "examples" / "profiles" / "clients.csv").read_text().splitlines()
    records = tmp / "clients.csv"
    records.write_text("\n".join(rows[: args.clients + 1]) + "\n")
    out = {}
    for name in MODELS:
        db = tmp / f"{name}.db"
        t0 = time.perf_counter()
        r = onprem(db, "generate", "sqpsych", "--profiles", str(records), "--model", name,
                   "--max-turns", str(args.max_turns), "--seed", str(args.seed), "--progress", "plain")
        con = sqlite3.connect(db)
        turns = con.execute("select count(*), sum(status != 'ok') from turns").fetchone()
        statuses = dict(con.execute("select status, count(*) from dialogues group by status").fetchall())
        out[name] = {"dialogues": statuses, "turns": turns[0], "bad_turn_rate": round((turns[1] or 0) / max(1, turns[0]), 3),
                     "generate_s": round(time.perf_counter() - t0, 1), "exit": r.returncode}
    # Judges, on the first model's dialogues (the same targets for both).
    judged_db = tmp / f"{MODELS[0]}.db"
    for name in MODELS:
        db = tmp / f"judge-{name}.db"
        db.write_bytes(judged_db.read_bytes())
        t0 = time.perf_counter()
        r = onprem(db, "judge", "sqpsych", "--model", name, "--seed", str(args.seed), "--progress", "plain")
        con = sqlite3.connect(db)
        j = dict(con.execute("select status, count(*) from judgments group by status").fetchall())
        n = sum(j.values())
        out[name].update({"judgments": j, "judge_parse_failure_rate": round(j.get("failed", 0) / max(1, n), 3),
                          "judge_s": round(time.perf_counter() - t0, 1)})
        print(name, json.dumps(out[name]), flush=True)
    print("\n| model | unusable turns (both roles) | dialogues | judge parse failures |")
    print("|---|---:|---|---:|")
    for name, o in out.items():
        print(f"| {name} | {o['bad_turn_rate']:.2f} of {o['turns']} | {o['dialogues']} | "
              f"{o['judge_parse_failure_rate']:.2f} of {sum(o['judgments'].values())} |")


if __name__ == "__main__":
    main()
