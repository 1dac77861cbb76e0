"""Benchmark: what the paraphrase prompt and its checks do to the pairs, before and after.

On the same AnnoMI pages, same seeds and model:
  before  the v1 prompt (instructions only, from git history) and no copy check or grounding gate;
  padded  today's pipeline, but with the grammar of 98fb8b0 and earlier, which demanded --min-words
          words per field, so a page with little to say was padded instead of filtered;
  after   today's pipeline: the v2 prompt (a worked example ahead of the page), a schema that fixes
          the shape only, the word filter after, the instruction-copy retry and the grounding gate.
For each: kept rate, filtered (too short / copying) (passed every check), instruction-copy rate (pairs repeating 5+ words of their own
prompt's instructions or example that are not on the page), mean grounding of the valid pairs, and the
grounding distribution (to choose --min-grounding). Figures, not a test.

    .venv/bin/python bench/paraphrase_quality.py [--pages 24] [--models gemma3-270m,smollm2-135m] [--before-ref 49865fb]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pages_from(corpus: Path, n: int, roles: tuple[str, str], model) -> list[str]:
    """The first `n` redacted pages of AnnoMI, split and redacted exactly as `onprem paraphrase` does."""
    from onprem.pipeline import paraphrase as pp
    from onprem.pipeline.ingest import ingest, read_document
    from onprem.store import open_store
    from redaction import Redactor

    store = open_store(Path(tempfile.mkdtemp(prefix="onprem-quality-")) / "q.db")
    redactor = Redactor.load()
    budget = pp.page_budget(model, pp.Options(roles=roles))
    out: list[str] = []
    for f in sorted(corpus.glob("*.txt")):
        sid, _ = ingest(store, read_document(f), redactor=redactor, budget=budget, count_tokens=model.count_tokens)
        out += [r[0] for r in store.db.execute("select redacted_text from pages where source_id = ? order by seq", [sid])]
        if len(out) >= n:
            return out[:n]
    return out


def before(model, page: str, opts, template) -> tuple[str | None, str | None, str]:
    """The v1 pipeline: one structured call on the v1 prompt, the word filter, nothing else."""
    from onprem.model.base import PromptPair, Request
    from onprem.model.structured import structured
    from onprem.pipeline import wordfilter
    from onprem.seeds import derive_seed

    seeker, helper = opts.roles
    text = lambda c: template.render(seeker=seeker, helper=helper, page=page, min_words=opts.min_words, completion=c)  # noqa: E731
    req = Request(PromptPair(text(True), ({"role": "user", "content": text(False)},)), padded_schema(opts.min_words),
                  opts.sampling, derive_seed(opts.seed, page))
    res = structured(model, req, retries=opts.retries)
    if res.value is None:
        return None, None, "failed"
    q, a = res.value.question.strip(), res.value.answer.strip()
    return q, a, "filtered" if wordfilter.check(q, a, opts.min_words, opts.min_words_mode) else "kept"


def padded_schema(min_words: int):
    """The schema paraphrase used until the 40-word rule became a filter: a grammar demanding
    min_words grammar-words per field."""
    from pydantic import Field, create_model
    from onprem.pipeline import paraphrase as pp

    word = r'[^" \\\n]+'
    field = (str, Field(min_length=1, pattern=f"^({word} ){{{min_words - 1},}}{word}$"))
    return create_model(f"QAPairMin{min_words}", __base__=pp.QAPair, question=field, answer=field)


def summary(rows: list[dict]) -> dict:
    valid = [r for r in rows if r["status"] != "failed"]
    g = [r["grounding"] for r in valid]
    return {"pages": len(rows), "kept": sum(r["status"] == "kept" for r in rows),
            "kept_rate": round(sum(r["status"] == "kept" for r in rows) / len(rows), 3),
            "copy_rate": round(sum(r["copied"] is not None for r in valid) / max(1, len(valid)), 3),
            "mean_grounding": round(statistics.mean(g), 3) if g else None,
            "grounding_quartiles": [round(x, 2) for x in statistics.quantiles(g, n=4)] if len(g) > 1 else g,
            "failed": sum(r["status"] == "failed" for r in rows),
            "filtered_short": sum(r["status"] == "filtered" and "minimum" in (r["reason"] or "") for r in rows),
            "filtered_copy": sum(r["status"] == "filtered" and "copies" in (r["reason"] or "") for r in rows),
            "flagged": sum(r["status"] == "flagged" for r in rows),
            "kept_mean_grounding": round(statistics.mean(kg), 3) if (kg := [r["grounding"] for r in rows if r["status"] == "kept"]) else None,
            "example_leak_rate": round(sum(r.get("example_leak", False) for r in valid) / max(1, len(valid)), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "annomi" / "transcripts"))
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--models", default="gemma3-270m")
    ap.add_argument("--before-ref", default="49865fb", help="the commit whose prompts/paraphrase.j2 is v1")
    ap.add_argument("--json", help="also write the rows here")
    ap.add_argument("--modes", default="padded,after", help="which of before,padded,after to run")
    args = ap.parse_args()

    import prompts
    from onprem.model.factory import open_model
    from onprem.pipeline import paraphrase as pp
    from onprem.textcheck import copied_run, grounding
    example_words = {"mum", "shopping", "tablets", "carers", "beers", "four"}   # the worked examples' own topics
    from redaction import Redactor

    v1_source = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.before_ref}:prompts/paraphrase.j2"],
                               capture_output=True, text=True, check=True).stdout
    v1 = prompts.Prompt("paraphrase", "1", v1_source, "")
    roles = ("client", "therapist")
    opts = pp.Options(roles=roles)
    redactor = Redactor.load()
    results: dict[str, dict] = {}
    all_rows = []
    for name in args.models.split(","):
        model = open_model(name)
        pages = pages_from(Path(args.corpus), args.pages, roles, model)
        for mode in args.modes.split(","):
            rows = []
            t0 = time.perf_counter()
            for page in pages:
                reason = None
                if mode == "before":
                    q, a, status = before(model, page, opts, v1)
                    seeker, helper = roles
                    told = "\n".join(v1.render(seeker=seeker, helper=helper, page="", min_words=opts.min_words,
                                               completion=c) for c in (True, False))
                else:
                    free = pp.QAPair
                    pp.QAPair = padded_schema(opts.min_words) if mode == "padded" else free
                    try:
                        o = pp.paraphrase_page(model, redactor, page, [], opts)
                    finally:
                        pp.QAPair = free
                    q, a, status, reason = o.question, o.answer, o.status, o.reason
                    told = pp.instructions_of(opts)
                text = f"{q}\n{a}" if q else ""
                rows.append({"model": name, "mode": mode, "status": status, "reason": reason,
                             "example_leak": bool(q) and bool(example_words & set(text.lower().split())),
                             "copied": copied_run(text, told, page) if q else None,
                             "grounding": grounding(text, page) if q else None,
                             "question": q, "answer": a})
            results[f"{name} {mode}"] = {**summary(rows), "seconds": round(time.perf_counter() - t0, 1)}
            all_rows += rows
            print(f"{name} {mode}: {json.dumps(results[f'{name} {mode}'])}", flush=True)
        model.close()
    labels = {"before": "v1, no checks", "padded": "v2, grammar demands 40 words/field",
              "after": "v2, 40-word filter after"}
    print("\n| model | pipeline | pages | kept | filtered: short | filtered: copying | flagged | failed "
          "| instruction-copy rate | mean grounding (all / kept) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for key, r in results.items():
        name, mode = key.split(" ")
        print(f"| {name} | {labels[mode]} | {r['pages']} | {r['kept']} | {r['filtered_short']} | {r['filtered_copy']} "
              f"| {r['flagged']} | {r['failed']} | {r['copy_rate']:.2f} | {r['mean_grounding']} / {r['kept_mean_grounding']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(all_rows, indent=1))


if __name__ == "__main__":
    main()
