"""Benchmark: which local model is a usable quality judge, on real sessions experts rated.

AnnoMI (../shared/corpora/annomi, read in place) labels each of its 133 motivational-interviewing
demonstrations high or low quality (110 high, 23 low). Low-quality sessions are shorter (median 589
against 958 words), so a judge could look good by rewarding length: every low session is paired
with the unused high session nearest to it in length (seeded ties), and the length itself is
reported as a baseline "judge". The sessions are imported with `onprem import-dialogues`, judged
with `onprem judge quality --model M` for each model, and checked with `onprem eval
judge-validity --json` (binary labels: ROC AUC with a bootstrap 95 % interval, unparsed share).
Nothing is tuned here: the rubric and prompt are the shipped ones.

    .venv/bin/python bench/judge_validity.py [--models smollm2-135m,gemma3-270m,qwen2.5-coder-1.5b] [--db FILE]
        [--max-words N]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "annomi"
ONPREM = str(ROOT / ".venv" / "bin" / "onprem")


def matched_sessions(seed: int, max_words: int | None = None) -> dict[str, int]:
    """transcript file -> label (1 high, 0 low): every low session and its length-matched high one
    (with max_words, only the pairs where both are that short: a CPU judges a long session slowly)."""
    quality, words = {}, defaultdict(int)
    with open(CORPUS / "AnnoMI-simple.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            quality[row["transcript_id"]] = row["mi_quality"]
            words[row["transcript_id"]] += len(row["utterance_text"].split())
    rng = random.Random(seed)
    highs = [t for t in quality if quality[t] == "high"]
    rng.shuffle(highs)
    chosen = {}
    for low in sorted((t for t in quality if quality[t] == "low"), key=int):
        best = min(highs, key=lambda h: abs(words[h] - words[low]))
        highs.remove(best)
        if max_words is None or max(words[low], words[best]) <= max_words:
            chosen[f"annomi_{int(low):03d}.txt"], chosen[f"annomi_{int(best):03d}.txt"] = 0, 1
    return chosen


def onprem(db: Path, *args: str) -> str:
    res = subprocess.run([ONPREM, "--db", str(db), *args], capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"onprem {' '.join(args)} failed ({res.returncode}): {res.stderr.strip()[-400:]}")
    return res.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default="smollm2-135m,gemma3-270m,qwen2.5-coder-1.5b")
    ap.add_argument("--db", help="reuse this database (judgments already made are kept)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", default="2")
    ap.add_argument("--max-words", type=int, help="only matched pairs where both sessions have at most this many words")
    args = ap.parse_args()

    sessions = matched_sessions(args.seed, args.max_words)
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="onprem-jv-")) / "jv.db"
    if not db.exists():
        onprem(db, "import-dialogues", *[str(CORPUS / "transcripts" / name) for name in sessions])
    import sqlite3      # the dialogue ids, from the titles the import gave them (the file names)

    ids = dict(sqlite3.connect(db).execute("select c.title, d.id from dialogues d join cases c on c.id = d.case_id "
                                           "where d.generator = 'real'").fetchall())
    labels = db.with_suffix(".labels.csv")
    labels.write_text("item,label\n" + "".join(f"dialogue:{ids[name]},{label}\n" for name, label in sessions.items()))
    words = {name: len(re.findall(r"\S+", (CORPUS / "transcripts" / name).read_text())) for name in sessions}
    from onprem.evals.validity import auc, interval
    import numpy as np

    y = np.array(list(sessions.values()))
    w = np.array([words[n] for n in sessions], dtype=float)
    rows = [("length (words), a baseline", "-", len(y), round(auc(y, w), 3), interval(auc, y, w, args.seed), "-", "-")]
    print(f"{len(sessions)} sessions ({int(y.sum())} high, {len(y) - int(y.sum())} low), database {db}", flush=True)
    for model in args.models.split(","):
        t0 = time.perf_counter()
        onprem(db, "judge", "quality", "--model", model, "--threads", args.threads, "--progress", "plain")
        seconds = time.perf_counter() - t0
        result = json.loads(onprem(db, "eval", "judge-validity", "--labels", str(labels), "--judge-model", model,
                                   "--rubric", "quality", "--json"))
        for criterion, r in result.items():
            means = r.get("mean_score", {})
            rows.append((model, criterion, r["n"], r["auc"], r["ci95"], r["unparsed"],
                         f"{means.get('1', '-')} / {means.get('0', '-')}"))
        print(f"{model}: {json.dumps(result)} ({seconds:.0f} s)", flush=True)
    print("\n| judge | criterion | n | AUC (high vs low) | 95 % CI | unparsed | mean score high / low |")
    print("|---|---|---:|---:|---|---:|---|")
    for model, criterion, n, a, ci, unparsed, means in rows:
        ci_text = "-" if ci is None else f"[{ci[0]:.2f}, {ci[1]:.2f}]"
        print(f"| {model} | {criterion} | {n} | {'-' if a is None else f'{a:.3f}'} | {ci_text} | {unparsed} | {means} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
