"""Benchmark: batched decoding and prefix reuse, as ratios from one run on this machine.

1. `onprem paraphrase` on AnnoMI pages with --parallel 1 and --parallel N, each on a corpus and on
   one twice its size that starts with the same transcripts: steady-state pages/min is the pages
   the larger run adds over the time it adds (start-up and the tail of the last long outputs
   cancel out); whole-run pages/min from the first progress event to the last page (model loading
   and ingest excluded); generated tok/s; tok/s of the decoder's generation-only steps with every
   lane generating (recorded in the run), which is what compares with (2);
2. raw llama.cpp decode through the low-level API (greedy, numpy argmax), 1 sequence and N
   sequences in one llama_batch, laid out as onprem lays out its KV cache, with prompts of 16
   tokens and of the mean paraphrase prompt: the ceiling onprem's decoder is compared with;
3. `onprem generate sqpsych --max-turns 30`: turns/min at --parallel 1, N, and, with --baseline
   REV, of the code at REV (before batching and prefix reuse), run from a git worktree;
4. with --memory: peak RSS of `onprem paraphrase` on 10 and 100 pages (short outputs: the point
   is what grows with the corpus).

    ONPREM_THREADS=2 .venv/bin/python bench/throughput.py [--pages 48] [--parallel 16] [--widths 1,8,16]
        [--baseline aae3a91]

--pages 48 gives the --parallel 16 runs enough pages (66 and 139) to keep 16 lanes busy. --widths
takes `auto` (the default --parallel): the lanes it chose are printed beside it (small/large run).
For a small job (issue 29: 4 transcripts), `--transcripts 4 --widths 1,auto --skip raw,sqpsych`
and read the whole-run ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "annomi" / "transcripts"
ONPREM = [sys.executable, "-m", "onprem"]


def raw_decode(widths: list[int], context: int, steps: int = 96) -> dict[int, float]:
    """Tokens/s of a bare llama.cpp loop: N sequences, one llama_batch per step, argmax sampling,
    each sequence's prompt `context` tokens long, the context laid out as onprem lays it out (one KV
    stream per sequence on consecutive ids, flash attention)."""
    import llama_cpp
    import numpy as np
    from llama_cpp import _internals as internals

    from onprem import config
    from onprem.model.registry import quiet_native_logs, resolve

    entry = resolve(None, "paraphrase")
    text = "\n".join(f.read_text() for f in sorted(CORPUS.glob("*.txt"))[:3])
    out = {}
    for n in widths:
        mp = llama_cpp.llama_model_default_params()
        mp.n_gpu_layers = 0
        cp = llama_cpp.llama_context_default_params()
        cp.n_seq_max, cp.kv_unified, cp.swa_full = n, False, True
        cp.n_ctx = (context + steps + 64) * n
        cp.n_batch = cp.n_ubatch = 512 + n
        cp.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
        cp.n_threads = cp.n_threads_batch = config.threads()
        with quiet_native_logs():
            model = internals.LlamaModel(path_model=str(entry.file()), params=mp, verbose=False)
            ctx = internals.LlamaContext(model=model, params=cp, verbose=False)
        vocab = model.n_vocab()
        batch = llama_cpp.llama_batch_init(512 + n, 0, 1)
        prompt = model.tokenize(text.encode(), True, False)[:context]

        def put(tokens_by_seq: list[tuple[int, list[int], int]]):
            batch.n_tokens = 0
            for seq, toks, pos0 in tokens_by_seq:
                for k, t in enumerate(toks):
                    j = batch.n_tokens
                    batch.token[j], batch.pos[j], batch.n_seq_id[j] = t, pos0 + k, 1
                    batch.seq_id[j][0], batch.logits[j] = seq, k == len(toks) - 1
                    batch.n_tokens += 1
            assert llama_cpp.llama_decode(ctx.ctx, batch) == 0

        def argmax(i: int) -> int:
            return int(np.argmax(np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx.ctx, i), shape=(vocab,))))

        last = []
        for s in range(n):
            for c in range(0, len(prompt), 512):
                put([(s, prompt[c:c + 512], c)])
            last.append(argmax(-1))
        t0 = time.perf_counter()
        for step in range(steps):
            put([(s, [last[s]], len(prompt) + step) for s in range(n)])
            last = [argmax(s) for s in range(n)]
        out[n] = n * steps / (time.perf_counter() - t0)
        llama_cpp.llama_batch_free(batch)
        ctx.close()
        model.close()
    return out


def corpus_dir(pages_wanted: int, work: Path, files: int | None = None) -> Path:
    """A folder of links to the first AnnoMI transcripts (read in place, never copied): `files` of
    them, else enough for `pages_wanted` pages at the default page size (about 2 per transcript;
    the run reports the real count)."""
    files = files or max(1, (pages_wanted + 1) // 2 + 1)
    folder = work / f"annomi-{files}"
    folder.mkdir(exist_ok=True)
    for f in sorted(CORPUS.glob("*.txt"))[:files]:
        link = folder / f.name
        if not link.exists():
            link.symlink_to(f)
    return folder


def timed_events(cmd: list[str], env: dict | None = None) -> tuple[list[tuple[float, dict]], float, int]:
    """Run a command with --progress jsonl: (time-stamped events, wall seconds, peak RSS KB of children)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=env.get("CWD", ROOT) if env else ROOT,
                            env={**os.environ, **(env or {})})
    events = []
    for line in proc.stdout:
        if line.startswith("{"):
            events.append((time.perf_counter(), json.loads(line)))
    err = proc.stderr.read()
    proc.wait()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err[-800:]}")
    return events, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def span(events) -> tuple[float, int]:
    """Seconds from the start event to the last item, and the number of items."""
    start = next(t for t, e in events if e.get("kind") == "start")
    items = [t for t, e in events if e.get("kind") == "item" and e.get("status") != "skipped"]
    return (items[-1] - start if items else 0.0), len(items)


def run_stats(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        return json.loads(con.execute("select stats from runs order by id desc limit 1").fetchone()[0] or "{}")
    finally:
        con.close()


def paraphrase(folder: Path, parallel: int | str, work: Path, extra: list[str] = ()) -> dict:
    db = work / f"para-{folder.name}-{parallel}-{time.monotonic_ns()}.db"
    events, wall, _ = timed_events([*ONPREM, "--db", str(db), "paraphrase", str(folder), "--parallel", str(parallel),
                                    "--progress", "jsonl", *extra])
    seconds, n = span(events)
    stats = run_stats(db)
    dec = stats.get("decoding", {}).get("paraphrase", {})
    lanes = run_lanes(db) if parallel == "auto" else parallel      # what auto chose
    steps, step_s = dec.get("generation_by_width", {}).get(str(lanes), [0, 0.0])
    return {"pages": n, "seconds": seconds, "pages_per_min": 60 * n / seconds, "tokens": stats.get("tokens", 0),
            "tok_s": stats.get("tokens", 0) / seconds,
            "gen_step_tok_s": dec.get("generation_step_tokens", 0) / max(1e-9, dec.get("generation_step_seconds", 0)),
            "full_width_tok_s": lanes * steps / step_s if steps else 0.0,
            "full_width_share": lanes * steps / max(1, dec.get("generation_step_tokens", 0)), "lanes": lanes,
            "reused": dec.get("prompt_tokens_reused", 0), "decoded": dec.get("prompt_tokens_decoded", 0),
            "mean_prompt": (dec.get("prompt_tokens_reused", 0) + dec.get("prompt_tokens_decoded", 0))
            / max(1, dec.get("requests", 1)),
            "kept": stats.get("kept"), "wall": wall}


def run_lanes(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        models = json.loads(con.execute("select models from runs order by id desc limit 1").fetchone()[0])
    finally:
        con.close()
    return int(next(iter(models.values())).get("parallel", 1))


def steady_rate(small: dict, large: dict) -> float:
    """Steady-state pages/min: the pages the larger corpus adds over the time it adds. Both runs
    start on the same transcripts (the same lanes filling) and end with a tail of the last long
    outputs decoding alone; the difference is the rate once every lane is busy."""
    return 60 * (large["pages"] - small["pages"]) / max(1e-9, large["seconds"] - small["seconds"])


def sqpsych(parallel: int | str | None, work: Path, clients: int, baseline: Path | None = None) -> dict:
    records = work / "clients.csv"
    if not records.exists():
        lines = (ROOT / "examples" / "profiles" / "clients.csv").read_text().splitlines()
        records.write_text("\n".join(lines[: clients + 1]) + "\n")
    db = work / f"sq-{parallel}-{time.monotonic_ns()}.db"
    cmd = [*ONPREM, "--db", str(db), "generate", "sqpsych", "--profiles", str(records), "--max-turns", "30",
           "--progress", "jsonl"]
    env = None
    if baseline is not None:
        env = {"PYTHONPATH": str(baseline), "ONPREM_MODELS_DIR": str(ROOT / "models"), "CWD": str(baseline)}
    else:
        cmd += ["--parallel", str(parallel)]
    events, wall, _ = timed_events(cmd, env)
    seconds, n = span(events)
    stats = run_stats(db)
    return {"dialogues": n, "turns": stats.get("turns", 0), "seconds": seconds,
            "turns_per_min": 60 * stats.get("turns", 0) / seconds, "wall": wall}


def stub_missing_plugins(tree: Path) -> None:
    """The installed package's entry points name today's plugin modules; an older tree lacks some
    of them: give those an empty module (no hooks), so the old code loads its own plugins only."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="onprem"):
        path = tree / Path(*ep.value.split("."))
        if not path.with_suffix(".py").exists() and not path.is_dir():
            path.with_suffix(".py").write_text('"""Not in this revision (bench stub)."""\n')


def peak_rss(folder: Path, work: Path) -> int:
    db = work / f"mem-{folder.name}.db"
    cmd = [sys.executable, "-c",
           "import resource, runpy, sys; sys.argv = ['onprem'] + sys.argv[1:]\n"
           "try:\n    runpy.run_module('onprem', run_name='__main__')\n"
           "except SystemExit: pass\n"
           "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
           "--db", str(db), "paraphrase", str(folder), "--max-tokens", "64", "--retries", "0", "--progress", "plain"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout
    return int(out.rsplit("RSS", 1)[1].split()[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=48,
                    help="AnnoMI pages of the smaller paraphrase run (at least); the larger has twice as many")
    ap.add_argument("--transcripts", type=int, help="the smaller run's AnnoMI transcripts, instead of --pages "
                    "(issue 29's small job: 4); the larger run takes twice as many")
    ap.add_argument("--context", type=int, default=1100, help="raw decode prompt length when no --parallel 1 run")
    ap.add_argument("--parallel", type=int, default=16, help="the width raw decode is compared at")
    ap.add_argument("--widths", default="1,8,16,auto", help="--parallel values for the paraphrase sweep (1 first)")
    ap.add_argument("--clients", type=int, default=4, help="sqpsych dialogues (run with --parallel equal to it)")
    ap.add_argument("--baseline", help="a git revision to time sqpsych against (e.g. the commit before batching)")
    ap.add_argument("--skip", default="", help="comma-separated sections to skip: raw,paraphrase,sqpsych")
    ap.add_argument("--memory", action="store_true", help="also peak RSS on 10 and 100 pages")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    work = Path(tempfile.mkdtemp(prefix="onprem-throughput-"))
    print(f"threads {os.environ.get('ONPREM_THREADS', os.cpu_count())}, parallel {a.parallel}, work in {work}")

    res, raw = {}, {}
    if "paraphrase" not in skip:
        small = corpus_dir(a.pages, work, a.transcripts)
        large = corpus_dir(2 * a.pages, work, 2 * a.transcripts if a.transcripts else None)
        widths = [w if w == "auto" else int(w) for w in a.widths.split(",")]
        for w in widths:
            res[w] = {"small": paraphrase(small, w, work), "large": paraphrase(large, w, work)}
            res[w]["steady"] = steady_rate(res[w]["small"], res[w]["large"])
        r0 = res[widths[0]]
        print(f"\n## onprem paraphrase, AnnoMI: {r0['small']['pages']} pages, then {r0['large']['pages']} pages")
        print(f"  {'parallel':>8} {'steady pages/min':>17} {'whole-run pages/min':>20} {'gen tok/s':>10} "
              f"{'full-width gen-step tok/s':>26} {'of gen tokens':>14} {'prompt reused':>14} {'kept':>5}")
        for w, r in res.items():
            big = r["large"]
            share = big["reused"] / max(1, big["reused"] + big["decoded"])
            w = f"auto={r['small']['lanes']}/{big['lanes']}" if w == "auto" else w
            print(f"  {w:>8} {r['steady']:>17.2f} {big['pages_per_min']:>20.2f} {big['tok_s']:>10.1f} "
                  f"{big['full_width_tok_s']:>26.1f} {big['full_width_share']:>14.0%} {share:>13.0%} {big['kept']:>5}")
        for w in (w for w in widths if w != 1 and 1 in res):
            p, one = res[w], res[1]
            print(f"  steady pages/min --parallel {w} / --parallel 1: {p['steady'] / one['steady']:.2f}x "
                  f"(whole run of {p['large']['pages']} pages, start and tail included: "
                  f"{p['large']['pages_per_min'] / one['large']['pages_per_min']:.2f}x; whole run of "
                  f"{p['small']['pages']} pages: {p['small']['pages_per_min'] / one['small']['pages_per_min']:.2f}x)")

    if "raw" not in skip:
        context = round(res[1]["large"]["mean_prompt"]) if 1 in res else a.context
        compared = sorted({1, a.parallel, *(w for w in res if w != "auto")})
        raw = {"short": raw_decode(compared, 16), "page": raw_decode(compared, context)}
        print(f"\n## raw llama.cpp decode (low-level API, greedy), prompts of 16 tokens and of {context} "
              f"(the mean paraphrase prompt)")
        for n in compared:
            print(f"  {n:>2} sequence(s) per llama_batch: {raw['short'][n]:6.1f} tok/s / {raw['page'][n]:6.1f} tok/s"
                  + (f"   ratio {n}/1: {raw['short'][n] / raw['short'][1]:.2f}x / {raw['page'][n] / raw['page'][1]:.2f}x"
                     if n != 1 else ""))
        for n in (n for n in compared if n != 1 and n in res):
            mine = res[n]["large"]["full_width_tok_s"]
            print(f"  onprem's generation steps at full width ({n}) / raw decode at {n}: "
                  f"{mine / raw['page'][n]:.0%} (same prompt length), "
                  f"{mine / raw['short'][n]:.0%} (16-token prompts)")

    if "sqpsych" not in skip:
        rows = {}
        if a.baseline:
            tree = work / "baseline"
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), a.baseline], cwd=ROOT, check=True,
                           capture_output=True)
            stub_missing_plugins(tree)
            try:
                rows[f"{a.baseline} (before)"] = sqpsych(None, work, a.clients, baseline=tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        rows["--parallel 1"] = sqpsych(1, work, a.clients)
        rows[f"--parallel {a.clients}"] = sqpsych(a.clients, work, a.clients)
        rows["--parallel auto"] = sqpsych("auto", work, a.clients)
        print(f"\n## onprem generate sqpsych --max-turns 30, {a.clients} clients")
        for name, r in rows.items():
            print(f"  {name:<22} {r['turns']:>4} turns in {r['seconds']:6.1f} s: {r['turns_per_min']:6.1f} turns/min")
        first = next(iter(rows.values()))
        for name, r in list(rows.items())[1:]:
            print(f"  ratio {name} / {next(iter(rows))}: {r['turns_per_min'] / first['turns_per_min']:.2f}x")

    if a.memory:
        small, large = corpus_dir(10, work), corpus_dir(100, work)
        r10, r100 = peak_rss(small, work), peak_rss(large, work)
        print("\n## peak RSS of onprem paraphrase (--max-tokens 64)")
        print(f"  ~10 pages: {r10 / 1024:.0f} MB   ~100 pages: {r100 / 1024:.0f} MB   ratio {r100 / r10:.2f}")


if __name__ == "__main__":
    main()
