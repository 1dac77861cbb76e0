"""What the optional local-model pass (`redact --model`, `paraphrase --pii-model`) adds, and what it costs.

Not a test: prints figures. Plants identifiers in the first N AnnoMI transcripts with one of the
generators of `bench/planted_speech.py` (default: heldout-f, never tuned on), redacts them, and asks
each model for a second look at the redacted text. It prints recall (redacted or queued, as in
planted_speech) without and with each model, how many of the model's answers pointed at nothing
planted (extra review work), and seconds per transcript.

    .venv/bin/python bench/pii_model_pass.py --models smollm2-135m,/path/to/qwen2.5-coder-1.5b.gguf [--files 10] [--set heldout-f]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from planted_speech import ANNOMI, caught, make_set  # noqa: E402


def covered(text: str, spans) -> bytearray:
    out = bytearray(len(text))
    for s in spans:
        out[s.start:s.end] = b"\x01" * (s.end - s.start)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", required=True, help="comma-separated model names or GGUF paths")
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--set", default="heldout-f")
    ap.add_argument("--threads", type=int)
    args = ap.parse_args(argv)
    from onprem import pii_model
    from onprem.model.factory import open_model
    from redaction import PlaceholderMap, Redactor

    docs = make_set(args.set, sorted(ANNOMI.glob("*.txt"))[: args.files], 6)
    redactor = Redactor.load()
    base = []
    for d in docs:
        red = redactor.redact(d["text"], PlaceholderMap())
        base.append((red, red.spans + red.uncertain))
    n = sum(len(d["spans"]) for d in docs)
    ok = sum(caught(d["text"], t, covered(d["text"], spans)) for d, (_, spans) in zip(docs, base) for t in d["spans"])
    print(f"{args.set}, first {len(docs)} transcripts, {n} planted identifiers")
    print(f"  recognizers + uncertain queue: {ok}/{n} = {ok / n:.3f}")
    for name in args.models.split(","):
        model = open_model(name, role="pii", threads=args.threads)
        t = time.perf_counter()
        found = extra = wrong = 0
        for d, (red, spans) in zip(docs, base):
            more = pii_model.second_look(model, d["text"], red.text, spans)
            cov = covered(d["text"], spans + more)
            found += sum(caught(d["text"], tr, cov) for tr in d["spans"])
            planted = covered(d["text"], [type("S", (), {"start": tr["start"], "end": tr["end"]}) for tr in d["spans"]])
            extra += len(more)
            wrong += sum(not any(planted[s.start:s.end]) for s in more)
        secs = (time.perf_counter() - t) / len(docs)
        print(f"  + {model.name}: {found}/{n} = {found / n:.3f}; {extra} answers queued, {wrong} of them on nothing "
              f"planted; {secs:.0f} s per transcript")
        model.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
