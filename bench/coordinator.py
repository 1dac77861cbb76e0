"""Benchmark: the coordinator's own work, with the model taken out of the way (issue 29, item 2).

`onprem paraphrase` on all 133 AnnoMI transcripts with a stand-in for an infinitely fast model: the
scripted backend with no delay, answering every page with one valid pair of 41 and 47 words, so
each output goes through the whole rescan, leak check, word filter and grounding. What is left is
what a coordinator does for a pool of GPU servers: read and split the files, redact every page
(spaCy + Presidio), check every output, write the store. Runs with `--workers 1` (this process) and
`--workers N`, in one run, and prints pages/s, the ratio, the share of wall time spent outside the
model, and the CPU the run used (cores busy).

    .venv/bin/python bench/coordinator.py [--workers 1,2] [--transcripts 133] [--repeat 1]

From the figures, docs/scale-out.md works out how many GPU servers one coordinator feeds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import ONPREM, ROOT, corpus_dir, run_stats  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")

QUESTION = ("Ever since the night shifts started at the warehouse I lie awake until dawn, then drag myself through "
            "the afternoon, and my partner says I have become distant and short with the children; is this "
            "something that passes on its own?")
ANSWER = ("Broken sleep wears down mood and closeness, so what your partner notices makes sense. Keeping the same "
          "wind-down routine before every sleep, blocking daylight, and telling your partner which hours are "
          "protected often helps; if it lasts beyond a month, a doctor can look at shift-work sleep disorder.")


def stand_in(work: Path) -> str:
    script = work / "instant.json"
    script.write_text(json.dumps({"replies": [], "then": "default", "kind": "instruct", "name": "instant",
                                  "default": json.dumps({"question": QUESTION, "answer": ANSWER})}))
    return f"scripted:{script}"


def cpu_seconds(pid: int, seen: dict[int, float]) -> None:
    """The CPU seconds of `pid` and every process under it (the fork server's workers too, which
    getrusage of children never counts), the latest reading per process kept in `seen`."""
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            seen[p] = (int(fields[11]) + int(fields[12])) / TICKS
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(k) for k in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue


def run(folder: Path, workers: int, model: str, work: Path) -> dict:
    db = work / f"coord-{workers}-{time.monotonic_ns()}.db"
    t0 = time.perf_counter()
    proc = subprocess.Popen([*ONPREM, "--db", str(db), "paraphrase", str(folder), "--model", model,
                             "--workers", str(workers), "--progress", "jsonl"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    seen: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            cpu_seconds(proc.pid, seen)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    events = [(time.perf_counter(), json.loads(line)) for line in proc.stdout if line.startswith("{")]
    proc.wait()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    cpu = sum(seen.values())
    if proc.returncode not in (0, 1):
        raise SystemExit(f"paraphrase --workers {workers} exited {proc.returncode}")
    start = next(t for t, e in events if e.get("kind") == "start")
    items = [t for t, e in events if e.get("kind") == "item"]
    stats = run_stats(db)
    model_seconds = stats.get("seconds", 0.0)
    return {"pages": len(items), "wall": wall, "pages_per_s": len(items) / wall, "ingest": start - t0,
            "checks": items[-1] - start if items else 0.0, "outside_model": 1 - model_seconds / wall,
            # a lower bound: the last 0.2 s of each process is not sampled
            "cores_busy": cpu / wall, "kept": stats.get("kept"), "flagged": stats.get("flagged")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", default="1,2", help="--workers values to compare (1 first)")
    ap.add_argument("--transcripts", type=int, default=133, help="AnnoMI transcripts (all 133 by default)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, interleaved; the median is reported")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="onprem-coordinator-"))
    folder, model = corpus_dir(0, work, a.transcripts), stand_in(work)
    widths = [int(w) for w in a.workers.split(",")]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {a.transcripts} AnnoMI transcripts; "
          f"the model: the scripted backend, no delay; work in {work}")
    results: dict[int, list[dict]] = {w: [] for w in widths}
    for _ in range(a.repeat):
        for w in widths:
            results[w].append(run(folder, w, model, work))
    median = {w: sorted(rs, key=lambda r: r["pages_per_s"])[len(rs) // 2] for w, rs in results.items()}
    print(f"\n  {'workers':>7} {'pages':>6} {'wall s':>7} {'pages/s':>8} {'ingest s':>9} {'checks s':>9} "
          f"{'outside model':>14} {'cores busy':>11} {'kept/flagged':>13}")
    for w, r in median.items():
        print(f"  {w:>7} {r['pages']:>6} {r['wall']:>7.1f} {r['pages_per_s']:>8.2f} {r['ingest']:>9.1f} "
              f"{r['checks']:>9.1f} {r['outside_model']:>14.1%} {r['cores_busy']:>11.2f} "
              f"{r['kept']:>6}/{r['flagged']}")
    base = median[widths[0]]
    for w in widths[1:]:
        r = median[w]
        print(f"  pages/s --workers {w} / --workers {widths[0]}: {r['pages_per_s'] / base['pages_per_s']:.2f}x "
              f"(ingest {base['ingest'] / max(1e-9, r['ingest']):.2f}x, checks {base['checks'] / max(1e-9, r['checks']):.2f}x)")
    best = max(median.values(), key=lambda r: r["pages_per_s"])
    print(f"  one coordinator: {best['pages_per_s']:.2f} pages/s = {1000 / best['pages_per_s']:.0f} ms of its own "
          f"work per page (docs/scale-out.md turns this into GPU servers fed)")


if __name__ == "__main__":
    main()
