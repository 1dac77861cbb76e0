"""Benchmark: `onprem paraphrase` beside the plain pipeline a user would write instead (issue 29).

The peer, as a competent user would write it from the libraries' own documentation: Presidio's
default analyzer (AnalyzerEngine with its predefined recognizers, on the same spaCy model) finds
identifiers in each page, each is replaced by `<ENTITY_TYPE>` (what presidio-anonymizer's default
operator does), and llama-cpp-python's `create_chat_completion` turns the page into a pair, one page
at a time, with the same JSON schema, prompt, model, sampling and seeds as onprem.

Both get the same pages: AnnoMI transcripts with identifiers planted by bench/planted_speech.py's
held-out generator F (`heldout-f`; read in place, planted in memory, written to a temporary folder),
split by onprem, whose pages the peer then takes. One run prints, for each pipeline:

* pages/min over the whole run (model load and redaction included);
* planted identifiers on the page the model was sent (what redaction let through);
* planted identifiers in the outputs, and in what would be released: the peer has no check, so
  every output; onprem holds back pairs flagged for an identifier until a person decides, so its
  kept pairs.

    .venv/bin/python bench/peer_pipeline.py [--transcripts 6] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from planted_speech import ANNOMI, fixed_hash_seed, make_set  # noqa: E402
from throughput import ONPREM, ROOT  # noqa: E402

sys.path.insert(0, str(ROOT))


def planted_folder(n: int, work: Path) -> tuple[Path, dict[str, list[str]]]:
    """n AnnoMI transcripts with planted identifiers, as files; and each file's planted values."""
    docs = make_set("heldout-f", sorted(ANNOMI.glob("*.txt"))[:n], per_doc=6)
    folder = work / "planted"
    folder.mkdir()
    truth = {}
    for d in docs:
        (folder / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
        truth[f"{d['id']}.txt"] = sorted({d["text"][s["start"]:s["end"]] for s in d["spans"]})
    return folder, truth


def norm(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def present(values: list[str], text: str) -> list[str]:
    """The planted values that appear in `text`, compared word by word, case and punctuation aside."""
    hay = f" {norm(text)} "
    return [v for v in values if norm(v) and f" {norm(v)} " in hay]


def run_onprem(folder: Path, work: Path, threads: int) -> tuple[float, Path]:
    db = work / "onprem.db"
    t0 = time.perf_counter()
    r = subprocess.run([*ONPREM, "--db", str(db), "paraphrase", str(folder), "--parallel", "auto", "--threads",
                        str(threads), "--progress", "plain"], capture_output=True, text=True, cwd=ROOT)
    if r.returncode not in (0, 1):
        raise SystemExit(f"onprem paraphrase exited {r.returncode}: {r.stderr[-600:]}")
    return time.perf_counter() - t0, db


def presidio_default():
    import logging

    # Presidio's e-mail recognizer asks tldextract for the public suffix list online; offline it logs
    # two tracebacks and falls back to its snapshot. The tracebacks say nothing here.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from redaction.engine import DEFAULT_MODEL

    nlp = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": "en", "model_name": DEFAULT_MODEL}]}).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def anonymize(text: str, results) -> str:
    """presidio-anonymizer's default: each entity becomes <ENTITY_TYPE>; of overlapping results the
    higher score wins (then the longer)."""
    chosen = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start))):
        if all(r.end <= c.start or r.start >= c.end for c in chosen):
            chosen.append(r)
    for r in sorted(chosen, key=lambda r: -r.start):
        text = text[:r.start] + f"<{r.entity_type}>" + text[r.end:]
    return text


def run_peer(pages: list[tuple[str, str]], seed: int, params: dict, threads: int) -> tuple[float, list[tuple[str, str]]]:
    """(wall seconds, [(page sent, output)]) for the plain pipeline over the same pages."""
    from llama_cpp import Llama

    from onprem.model.registry import resolve
    from onprem.pipeline import paraphrase as pp
    from onprem.seeds import derive_seed

    t0 = time.perf_counter()
    analyzer = presidio_default()
    llm = Llama(model_path=str(resolve(None).file()), n_ctx=params["n_ctx"], n_threads=threads, verbose=False)
    opts = pp.Options(roles=tuple(params["roles"]), seed=seed)
    schema = pp.QAPair.model_json_schema()
    out = []
    for _name, text in pages:
        sent = anonymize(text, analyzer.analyze(text, language="en"))
        reply = llm.create_chat_completion(pp.render_prompt(sent, opts).chat(), max_tokens=params["max_tokens"],
                                           temperature=params["temperature"], seed=derive_seed(seed, sent),
                                           response_format={"type": "json_object", "schema": schema})
        out.append((sent, reply["choices"][0]["message"]["content"] or ""))
    return time.perf_counter() - t0, out


def main() -> None:
    fixed_hash_seed()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--transcripts", type=int, default=6, help="AnnoMI transcripts, identifiers planted (generator F)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="llama.cpp threads, the same for both")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="onprem-peer-"))
    folder, truth = planted_folder(a.transcripts, work)
    print(f"{a.transcripts} AnnoMI transcripts, identifiers planted by generator F; {a.threads} threads; "
          f"load average {os.getloadavg()[0]:.1f}; work in {work}")

    onprem_wall, db = run_onprem(folder, work, a.threads)
    con = sqlite3.connect(db)
    run = con.execute("select params, seed from runs order by id desc limit 1").fetchone()
    params, seed = json.loads(run[0]), run[1]
    rows = con.execute("select s.name, p.text, p.redacted_text, q.question, q.answer, q.status from pages p "
                       "join sources s on s.id = p.source_id left join qa_pairs q on q.page_id = p.id "
                       "and q.status != 'superseded' order by p.source_id, p.seq").fetchall()
    pages = [(name, text) for name, text, *_ in rows]
    peer_wall, peer_out = run_peer(pages, seed, params, a.threads)

    def count(texts_by_page) -> int:
        return sum(len(present(truth[name], text)) for (name, _), text in zip(pages, texts_by_page))

    on_page = sum(len(present(truth[name], text)) for name, text in pages)
    onprem = {"sent": count(r[2] for r in rows), "out": count(f"{r[3] or ''}\n{r[4] or ''}" for r in rows),
              "released": count(f"{r[3]}\n{r[4]}" if r[5] == "kept" else "" for r in rows)}
    peer = {"sent": count(s for s, _ in peer_out), "out": count(o for _, o in peer_out)}
    peer["released"] = peer["out"]
    n = len(pages)
    print(f"\n{n} pages; {on_page} planted identifiers on them (counted once per page they appear on)")
    print(f"  {'':44} {'wall s':>7} {'pages/min':>10} {'ids sent to model':>18} {'ids in outputs':>15} {'ids released':>13}")
    for label, wall, c in (("onprem paraphrase --parallel auto", onprem_wall, onprem),
                           ("plain: Presidio default + create_chat_completion", peer_wall, peer)):
        print(f"  {label:44} {wall:>7.1f} {60 * n / wall:>10.2f} {c['sent']:>18} {c['out']:>15} {c['released']:>13}")
    print(f"  pages/min onprem / plain: {peer_wall / onprem_wall:.2f}x; kept pairs: "
          f"{sum(r[5] == 'kept' for r in rows)} of {n}")


if __name__ == "__main__":
    main()
