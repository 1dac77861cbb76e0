"""Benchmark: `onprem paraphrase` against a plain llama-cpp-python loop over the same prompts.

Runs the real pipeline (ingest, split, redact, model, rescan, store) on a few transcripts, then
sends exactly the prompts the pipeline built to llama-cpp-python's own create_completion with the
same JSON-schema grammar, sampling parameters, seeds and context size, and prints pages/min and
generated tokens/s for both, with their ratio. Figures, not a test.

    .venv/bin/python bench/paraphrase_speed.py [--files 3] [--corpus ../shared/corpora/annomi/transcripts]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "annomi" / "transcripts"))
    ap.add_argument("--files", type=int, default=3, help="how many transcripts (sorted by name)")
    ap.add_argument("--roles", default="client,therapist")
    args = ap.parse_args()

    from click.testing import CliRunner
    from llama_cpp import Llama, LlamaGrammar

    from onprem.cli import cli
    from onprem.model.registry import resolve
    from onprem.seeds import derive_seed
    from onprem.pipeline import paraphrase as pp

    files = sorted(Path(args.corpus).glob("*.txt"))[: args.files]
    if not files:
        sys.exit(f"no transcripts in {args.corpus}")
    tmp = Path(tempfile.mkdtemp(prefix="onprem-bench-"))
    db = tmp / "bench.db"

    # 1. The real command, end to end.
    t0 = time.perf_counter()
    r = CliRunner().invoke(cli, ["--db", str(db), "paraphrase", *map(str, files), "--roles", args.roles])
    onprem_wall = time.perf_counter() - t0
    if r.exit_code not in (0, 1):
        sys.exit(r.output)
    con = sqlite3.connect(db)
    run = con.execute("select params, stats, seed from runs order by id desc limit 1").fetchone()
    params, stats, seed = json.loads(run[0]), json.loads(run[1]), run[2]
    pages = con.execute("select redacted_text from pages order by source_id, seq").fetchall()

    # 2. The same prompts through llama-cpp-python's own completion API.
    entry = resolve(None)
    opts = pp.Options(roles=tuple(args.roles.split(",")), seed=seed)
    schema = pp.pair_schema(opts.min_words)
    llm = Llama(model_path=str(entry.file()), n_ctx=params["n_ctx"], n_threads=None, verbose=False)
    grammar = LlamaGrammar.from_json_schema(json.dumps(schema.model_json_schema()), verbose=False)
    plain_tokens, t0 = 0, time.perf_counter()
    for (text,) in pages:
        prompt = pp.render_prompt(text, opts).completion
        llm.reset()
        out = llm.create_completion(prompt, grammar=grammar, max_tokens=params["max_tokens"],
                                    temperature=params["temperature"], top_p=params["top_p"],
                                    top_k=params["top_k"], repeat_penalty=params["repeat_penalty"],
                                    seed=derive_seed(seed, text))
        plain_tokens += out["usage"]["completion_tokens"]
    plain_wall = time.perf_counter() - t0

    n = len(pages)
    rows = [
        ("onprem paraphrase (whole pipeline)", onprem_wall, stats["tokens"]),
        ("plain llama-cpp-python loop, same prompts", plain_wall, plain_tokens),
    ]
    print(f"{len(files)} transcripts, {n} pages, model {entry.name} ({entry.sha256[:12]}), n_ctx {params['n_ctx']}")
    print(f"{'':45} {'wall s':>8} {'pages/min':>10} {'gen tokens':>11} {'tokens/s':>9}")
    for label, wall, tokens in rows:
        print(f"{label:45} {wall:8.1f} {60 * n / wall:10.2f} {tokens:11d} {tokens / wall:9.1f}")
    print(f"ratio onprem/plain: pages/min x{plain_wall / onprem_wall:.2f}, "
          f"tokens/s x{(stats['tokens'] / onprem_wall) / (plain_tokens / plain_wall):.2f}")
    print(f"pipeline outcome: kept {stats['kept']}, filtered {stats['filtered']}, flagged {stats['flagged']}, "
          f"failed {stats['failed']}")


if __name__ == "__main__":
    main()
