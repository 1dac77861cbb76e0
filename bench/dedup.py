"""Benchmark: `onprem dedup`'s embedding rate, search time and decision quality.

1. Speed: texts/s of llama.cpp embeddings on the bundled model (AnnoMI client utterances), and the
   exact brute-force search (onprem.dedup.decide) over 10,000 and 100,000 random unit vectors of the
   model's width: what a corpus of that size costs once its embeddings are stored.
2. Quality: near-duplicates made from AnnoMI client utterances (read in place, never copied) by
   small edits (reordered clauses, contractions, a dropped filler, changed punctuation), against a
   different utterance on the same AnnoMI topic. Precision and recall of "duplicate" at the
   threshold, and the best threshold of a sweep for this embedder.

    ONPREM_THREADS=2 .venv/bin/python bench/dedup.py [--pairs 60] [--sizes 10000,100000] [--model NAME]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ANNOMI = ROOT.parent / "shared" / "corpora" / "annomi" / "AnnoMI-simple.csv"

SWAPS = [("I am", "I'm"), ("do not", "don't"), ("cannot", "can't"), ("I have", "I've"), ("it is", "it's"),
         ("I'm", "I am"), ("don't", "do not"), ("can't", "cannot"), ("I've", "I have"), ("it's", "it is")]
FILLERS = re.compile(r"\b(?:um|uh|like|you know|kind of|sort of|I mean|yeah|so)\b,?\s*", re.I)


def client_utterances(min_words: int = 30) -> dict[str, list[str]]:
    """AnnoMI client utterances of min_words+ words, by topic."""
    out: dict[str, list[str]] = defaultdict(list)
    with ANNOMI.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = row["utterance_text"].strip()
            if row["interlocutor"] == "client" and len(text.split()) >= min_words:
                out[row["topic"]].append(text)
    return out


def near_copy(text: str, rng: random.Random) -> str:
    """The same message lightly edited, as a paraphrasing model or a resubmission would."""
    out = FILLERS.sub("", text)
    for a, b in rng.sample(SWAPS, 4):
        out = out.replace(a, b)
    sentences = re.split(r"(?<=[.!?])\s+", out)
    if len(sentences) > 2:                      # swap two neighbouring sentences
        k = rng.randrange(len(sentences) - 1)
        sentences[k], sentences[k + 1] = sentences[k + 1], sentences[k]
    out = " ".join(sentences).replace(",", "")
    return out[0].upper() + out[1:] if out else out


def quality(model, n_pairs: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    by_topic = {t: xs for t, xs in client_utterances().items() if len(xs) >= 2}
    cases = []
    for _ in range(n_pairs):
        topic = rng.choice(sorted(by_topic))
        a, b = rng.sample(by_topic[topic], 2)
        cases.append((a, near_copy(a, rng), b))
    texts = [t for c in cases for t in c]
    v = model.embed(texts).reshape(len(cases), 3, -1)
    near = np.einsum("ij,ij->i", v[:, 0], v[:, 1])
    other = np.einsum("ij,ij->i", v[:, 0], v[:, 2])
    sims = np.concatenate([near, other])
    truth = np.concatenate([np.ones(len(near), bool), np.zeros(len(other), bool)])

    def pr(th):
        pred = sims >= th
        tp = int((pred & truth).sum())
        return (tp / pred.sum() if pred.sum() else 1.0), tp / truth.sum()
    sweep = {th: pr(th) for th in np.round(np.arange(0.90, 0.996, 0.005), 3)}
    best = max(sweep, key=lambda th: 2 * sweep[th][0] * sweep[th][1] / max(sweep[th][0] + sweep[th][1], 1e-9))
    return {"pairs": n_pairs, "near_min": float(near.min()), "near_mean": float(near.mean()),
            "other_max": float(other.max()), "other_mean": float(other.mean()),
            "at_0.965": pr(0.965), "best": (float(best), *sweep[best])}


def search_times(dim: int, sizes: list[int]) -> dict[int, float]:
    from onprem.dedup import decide

    out = {}
    rng = np.random.default_rng(0)
    for n in sizes:
        v = rng.standard_normal((n, dim)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        t = time.perf_counter()
        decide(v, 0.965)
        out[n] = time.perf_counter() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    from onprem.model.factory import open_model

    model = open_model(args.model, n_ctx=2048)
    texts = [t for xs in client_utterances().values() for t in xs][:64]
    model.embed(texts[:2])                     # load the embedding context first
    t = time.perf_counter()
    dim = model.embed(texts).shape[1]
    rate = len(texts) / (time.perf_counter() - t)
    words = sum(len(x.split()) for x in texts) / len(texts)
    print(f"embedder {model.name}: {rate:.1f} texts/s ({len(texts)} AnnoMI client utterances, {words:.0f} words each), "
          f"width {dim}")
    q = quality(model, args.pairs)
    print(f"quality on {q['pairs']} near-copies and {q['pairs']} same-topic different utterances:")
    print(f"  cosine near-copy min {q['near_min']:.4f} mean {q['near_mean']:.4f}; "
          f"different max {q['other_max']:.4f} mean {q['other_mean']:.4f}")
    p, r = q["at_0.965"]
    print(f"  at 0.965: precision {p:.3f}, recall {r:.3f}")
    th, p, r = q["best"]
    print(f"  best threshold of the sweep 0.900-0.995: {th:.3f} (precision {p:.3f}, recall {r:.3f})")
    model.close()
    for n, s in search_times(dim, [int(x) for x in args.sizes.split(",")]).items():
        print(f"search {n:>7,} items x {dim}: {s:.1f} s")


if __name__ == "__main__":
    main()
