"""Benchmark: `onprem import` of a generated 100,000-row MentalChat16K-style JSONL. Prints rows/s.

    .venv/bin/python bench/import_speed.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("I have been feeling low and tired since my father moved into hospice care and I do not know "
         "how to talk to my sister about what comes next it helps to name the feeling and take one "
         "small step each day with support from people you trust").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    from click.testing import CliRunner

    from onprem.cli import cli

    rng = random.Random(1)
    tmp = Path(tempfile.mkdtemp(prefix="onprem-import-"))
    src = tmp / "pairs.jsonl"
    with open(src, "w") as f:
        for _ in range(args.rows):
            f.write(json.dumps({"instruction": "Be supportive.", "input": sentence(rng, rng.randint(20, 120)),
                                "output": sentence(rng, rng.randint(40, 300))}) + "\n")
    t0 = time.perf_counter()
    r = CliRunner().invoke(cli, ["--db", str(tmp / "i.db"), "import", str(src)])
    wall = time.perf_counter() - t0
    print(r.output.strip())
    print(f"{args.rows} rows ({src.stat().st_size / 1e6:.0f} MB JSONL) imported in {wall:.1f} s: "
          f"{args.rows / wall:,.0f} rows/s")


if __name__ == "__main__":
    main()
