"""Redaction speed (words/s of `Redactor.analyze`) on clean AnnoMI transcripts, this tree against
another checkout of onprem, in one run so machine load hits both alike.

Not a test: prints figures and the ratio. Each side runs in its own process, alternating
(A B A B ...), and the best round of each is compared (the least disturbed by other work).

    .venv/bin/python bench/redaction_speed.py --against /path/to/old/checkout [--files 40] [--rounds 3]

Make the old checkout with `git worktree add /tmp/base <rev>`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANNOMI = ROOT.parent / "shared" / "corpora" / "annomi" / "transcripts"
ONE_ROUND = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from redaction import Redactor
r = Redactor.load(); r.analyze("Client: warm-up.")
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt"))[: int(sys.argv[3])]]
t = time.perf_counter()
for x in texts:
    r.analyze(x)
print(sum(len(x.split()) for x in texts) / (time.perf_counter() - t))
"""


def rate(tree: Path, files: int) -> float:
    out = subprocess.run([sys.executable, "-c", ONE_ROUND, str(tree), str(ANNOMI), str(files)],
                         capture_output=True, text=True, check=True, cwd=tree)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", required=True, help="another onprem checkout (the baseline)")
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    base, here = [], []
    for k in range(args.rounds):
        base.append(rate(Path(args.against).resolve(), args.files))
        here.append(rate(ROOT, args.files))
        print(f"round {k + 1}: baseline {base[-1]:,.0f} words/s, this tree {here[-1]:,.0f} words/s", flush=True)
    print(f"best of {args.rounds}: baseline {max(base):,.0f}, this tree {max(here):,.0f} words/s, "
          f"ratio {max(here) / max(base):.2f} (target >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
