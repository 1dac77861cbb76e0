"""Benchmark: how long a person waits for `onprem` to start (issue 29, item 3).

In one run, interleaved, median of --runs each:
  python -c pass               the interpreter alone (the floor)
  import onprem.cli            the CLI's own module
  onprem --help                the console script, black-box (process start to exit)
  onprem tui, first screen     black-box in tmux on a 100,000-pair database: from starting the
                               process to the Overview's figures painted in the pane
Targets: --help <= 0.3 s on an idle machine and <= 6x `python -c pass`; the TUI's first screen
<= 0.5 s. On a shared machine absolute times move 2-7x: read the ratios.

The database is filled through onprem's own importer without the identifier scan (the rows are
fictional words; scanning 100,000 of them takes hours and is not what is measured here).

    .venv/bin/python bench/startup.py [--runs 7] [--pairs 100000] [--db FILE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
ONPREM = str(ROOT / ".venv" / "bin" / "onprem")


def build(db: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from tui_scale import make_jsonl

    from onprem.pipeline.importer import import_pairs
    from onprem.store import open_store

    jsonl = db.parent / "generated.jsonl"
    make_jsonl(jsonl, n)
    store = open_store(db)
    import_pairs(store, jsonl, 40, scan=lambda text: [])
    store.close()


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t


def tui_first_screen(db: Path, marker: str = "pairs kept") -> float:
    """Process start to the first screen with `marker` painted, read from a tmux pane every 10 ms."""
    session = f"onprem-startup-{time.monotonic_ns()}"
    t = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    f"{ONPREM} --db {db} tui"], check=True)
    try:
        while time.perf_counter() - t < 60:
            pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
            if marker in pane:            # the Overview's counts, read from the 100,000 rows
                return time.perf_counter() - t
            time.sleep(0.01)
        raise SystemExit(f"the TUI showed no {marker!r} within 60 s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--db", help="a database to reuse (made with --pairs rows if it does not exist)")
    ap.add_argument("--no-tui", action="store_true")
    args = ap.parse_args()

    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="onprem-startup-")) / "s.db"
    if not db.exists() and not args.no_tui:
        t = time.perf_counter()
        build(db, args.pairs)
        print(f"database: {args.pairs} pairs in {time.perf_counter() - t:.0f} s ({db})", flush=True)
    figures: dict[str, list[float]] = {"python -c pass": [], "import onprem.cli": [], "onprem --help": []}
    if not args.no_tui and shutil.which("tmux"):
        figures["onprem tui, first screen"] = []
    for _ in range(args.runs):
        figures["python -c pass"].append(timed([PY, "-c", "pass"]))
        figures["import onprem.cli"].append(timed([PY, "-c", "import onprem.cli"]))
        figures["onprem --help"].append(timed([ONPREM, "--help"]))
        if "onprem tui, first screen" in figures:
            figures["onprem tui, first screen"].append(tui_first_screen(db))
    floor = statistics.median(figures["python -c pass"])
    print("\n| what | median (s) | min (s) | x python -c pass |")
    print("|---|---:|---:|---:|")
    for what, xs in figures.items():
        print(f"| {what} | {statistics.median(xs):.3f} | {min(xs):.3f} | {statistics.median(xs) / floor:.1f} |")
    with open("/proc/loadavg") as f:
        print(f"\nload average at the end: {f.read().split()[0]} ({len(xs)} runs each, interleaved)")


if __name__ == "__main__":
    main()
