"""What redaction costs inside `onprem paraphrase`, on the default model.

Not a test: prints figures. Runs the paraphrase pipeline's own functions page by page and times
the two redaction steps apart from the model:

* before the model: `Redactor.redact` on every page (as `ingest` does),
* after the model: `scan_output` (rescan of question and answer + leak check), timed by wrapping
  the pipeline's function, so the model time is the page time minus the scan,

and reports the redaction share of wall time (target: at most 10%) and words per second. The
one-time load of the spaCy/Presidio engine is reported on its own line (it is paid once per
command, like loading the GGUF).

    python bench/redaction_overhead.py [PATH...] [--annomi N] [--max-pages N]

PATH defaults to examples/transcripts. --annomi N adds the first N AnnoMI transcripts, read in
place from ../shared/corpora/annomi/transcripts (never copied).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANNOMI = ROOT.parent / "shared" / "corpora" / "annomi" / "transcripts"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "examples" / "transcripts")])
    ap.add_argument("--annomi", type=int, default=0, help="also the first N AnnoMI transcripts")
    ap.add_argument("--max-pages", type=int, default=0, help="stop after this many pages (0: all)")
    ap.add_argument("--pii-style", choices=["placeholder", "surrogate"], default="placeholder")
    args = ap.parse_args(argv)

    from onprem.offline import install_guard

    install_guard()
    from onprem.model.factory import open_model
    from onprem.pipeline import paraphrase as pp
    from onprem.pipeline.ingest import find_transcripts, read_document
    from onprem.pipeline.split import split_pages
    from onprem.pipeline.text import count_words
    from redaction import PlaceholderMap, Redactor

    files = find_transcripts(args.paths)
    if args.annomi:
        if not ANNOMI.is_dir():
            print(f"{ANNOMI}: not found; run without --annomi", file=sys.stderr)
            return 2
        files += sorted(ANNOMI.glob("*.txt"))[: args.annomi]

    t0 = time.perf_counter()
    model = open_model(None, n_ctx=4096)
    t_model_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    redactor = Redactor.load()
    redactor.analyze("Client: warm-up so spaCy's first call is not counted as page work.")
    t_redactor_load = time.perf_counter() - t0

    scan_time = 0.0
    real_scan = pp.scan_output

    def timed_scan(*a, **k):
        nonlocal scan_time
        t = time.perf_counter()
        try:
            return real_scan(*a, **k)
        finally:
            scan_time += time.perf_counter() - t

    pp.scan_output = timed_scan  # paraphrase_page looks it up at call time

    opts = pp.Options()
    budget = pp.page_budget(model, opts)
    t_redact = t_scan = t_model = 0.0
    words = pages = tokens = 0
    statuses: dict[str, int] = {}
    for f in files:
        doc = read_document(f)
        mapping = PlaceholderMap(seed=doc.sha256[:16])
        for page in split_pages(doc.text, budget, model.count_tokens):
            if args.max_pages and pages >= args.max_pages:
                break
            t = time.perf_counter()
            red = redactor.redact(page, mapping, style=args.pii_style)
            t_redact += time.perf_counter() - t
            originals = [{"text": s.text, "entity_type": s.entity_type} for s in red.spans]
            before = scan_time
            t = time.perf_counter()
            outcome = pp.paraphrase_page(model, redactor, red.text, originals, opts)
            elapsed = time.perf_counter() - t
            scanned = scan_time - before
            t_scan += scanned
            t_model += elapsed - scanned
            words += count_words(page)
            pages += 1
            tokens += outcome.completion_tokens
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            print(f"{f.name} page {pages}: {count_words(page)} words, redact {len(red.spans)} spans "
                  f"in {t_redact:.2f}s total, model {elapsed - scanned:.1f}s, rescan {scanned * 1000:.0f} ms, {outcome.status}",
                  flush=True)
        if args.max_pages and pages >= args.max_pages:
            break

    wall = t_redact + t_scan + t_model
    red_total = t_redact + t_scan
    print()
    print(f"files {len(files)}, pages {pages}, transcript words {words}, completion tokens {tokens}, outcomes {statuses}")
    print(f"one-time loads: model {t_model_load:.1f}s, redaction engine {t_redactor_load:.1f}s")
    print(f"redaction before the model : {t_redact:8.2f}s  ({words / t_redact if t_redact else 0:,.0f} words/s)")
    print(f"rescan + leak check after  : {t_scan:8.2f}s")
    print(f"model (generation + checks): {t_model:8.2f}s  ({tokens / t_model if t_model else 0:.1f} tokens/s)")
    print(f"redaction share of page wall time: {100 * red_total / wall:.1f}%  (target <= 10%)")
    print(f"with the engine load counted once: {100 * (red_total + t_redactor_load) / (wall + t_redactor_load + t_model_load):.1f}%")
    print(f"paraphrase throughput: {words / wall:.1f} transcript words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
