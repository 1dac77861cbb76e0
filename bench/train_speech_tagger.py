"""Train the speech tagger: a small spaCy NER that has learnt where a name, a street corner, a
unit number or a town stands in spoken English, lower case included.

Not run by the tests or the installer: the trained pipeline is committed under
redaction/models/speech_tagger/ and this script is how it was made. Reads the AnnoMI transcripts
in place (never copied) and trains only on the **even-numbered** ones, with identifiers planted by
the development generators A-G (bench/planted_generators.py, planted_generator_g.py), several
draws each. Held-out set H (bench/planted_generator_h.py) plants into the odd-numbered transcripts
with its own templates and names, so it tests the tagger on speech, phrasings and names it never
read.

Words the rule-based redactor already finds in the clean transcripts (real names and places in
AnnoMI) are marked as unknown rather than as "not an entity", so the tagger is not taught that a
name is no name.

    .venv/bin/python bench/train_speech_tagger.py [--rounds 3] [--epochs 12] [--out redaction/models/speech_tagger]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from planted_speech import ANNOMI, GENERATORS, fixed_hash_seed, make_set  # noqa: E402

TRAIN_SETS = ["dev", "dev-b", "dev-c", "heldout", "heldout-e", "heldout-f", "heldout-g"]   # generators A-G
# Planted types the tagger learns. Ages, phone numbers and e-mail addresses are left to the rules,
# which catch them wherever they stand.
LABELS = {"PERSON": "PERSON", "STREET_ADDRESS": "ADDRESS", "LOCATION": "LOCATION", "ACCOUNT_NUMBER": "ACCOUNT",
          "DATE_TIME": "DATE"}
NEGATIVE_SHARE = 0.35  # of the clean lines of each draw, kept as examples with no entity
# A share of the names planted are swapped for an ordinary word of the transcripts ("me and
# window went"), so the tagger learns where a name stands rather than which words are names.
PERSON_SLOTS = ("n", "N", "nick", "voc", "P", "odd")
ORDINARY_SHARE = 0.35
# Small enough to cost little beside spaCy's own pipeline (redaction speed, docs/redaction.md).
ARCHITECTURE = {"components.tok2vec.model.encode.width": 64, "components.tok2vec.model.encode.depth": 3}


def ordinary_words(files: list[Path]) -> list[str]:
    """The nouns of the transcripts (a word spaCy tags as a noun more often than not), as people
    are called by nouns ("rain", "clay") rather than by verbs."""
    from collections import Counter

    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    from redaction.engine import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL, disable=["parser", "ner", "lemmatizer"])
    pos: dict[str, Counter] = {}
    for doc in nlp.pipe(p.read_text(encoding="utf-8") for p in files):
        for t in doc:
            if t.is_alpha and 3 <= len(t) <= 10:
                pos.setdefault(t.lower_, Counter())[t.pos_] += 1
    nouns = {w for w, c in pos.items() if c.most_common(1)[0][0] == "NOUN" and w not in STOP_WORDS}
    return sorted(w for w in nouns if not (w.endswith("s") and w[:-1] in nouns))   # no plurals


def with_ordinary_names(make, rng: random.Random, words: list[str]):
    def values(*args):
        vals = make(*args)
        for slot in PERSON_SLOTS:
            if slot in vals and rng.random() < ORDINARY_SHARE:
                word = rng.choice(words)
                vals[slot] = word.capitalize() if vals[slot][:1].isupper() else word
        return vals
    return values


def planted_lines(name: str, files: list[Path], draw: int, per_doc: int, words: list[str]) -> list[tuple[str, list, bool]]:
    """(line, [(start, end, label)], planted?) for every line of the even transcripts with this
    generator's identifiers planted (draw 0 is the set's own seed)."""
    seed = GENERATORS[name][0]
    out = []
    for doc in make_set(name, files, per_doc, draw, wrap=lambda make: with_ordinary_names(make, random.Random(seed - draw), words)):
        text, start = doc["text"], 0
        for line in text.split("\n")[:-1]:
            end = start + len(line)
            spans = [(t["start"] - start, t["end"] - start, LABELS[t["entity_type"]])
                     for t in doc["spans"] if start <= t["start"] < end and t["entity_type"] in LABELS]
            planted = any(start <= t["start"] < end for t in doc["spans"])
            out.append((line, spans, planted))
            start = end + 1
    return out


def examples(rounds: int, per_doc: int, seed: int):
    files = sorted(ANNOMI.glob("*.txt"))[0::2]
    words = ordinary_words(files)
    rng = random.Random(seed)
    rows = []
    for name in TRAIN_SETS:
        for draw in range(rounds):
            for line, spans, planted in planted_lines(name, files, draw, per_doc, words):
                if planted or rng.random() < NEGATIVE_SHARE:
                    rows.append((line, spans, planted))
    rng.shuffle(rows)
    return rows


def to_docs(rows, nlp, redactor):
    """spaCy Docs with the planted entities. Outside them, the tokens the rules find (a real name
    in AnnoMI, a date in a template) are missing annotation ("-"); every other token is "O"."""
    from spacy.training import Example, offsets_to_biluo_tags

    docs, skipped, found_in = [], 0, {}
    for line, spans, _ in rows:
        doc = nlp.make_doc(line)
        tags = offsets_to_biluo_tags(doc, spans)
        if "-" in tags:   # a planted value that does not fall on token boundaries
            skipped += 1
            continue
        if line not in found_in:
            found_in[line] = [(s.start, s.end) for s in redactor.analyze(line)]
        for s, e in found_in[line]:
            for tok in doc:
                if tok.idx < e and tok.idx + len(tok) > s and tags[tok.i] == "O":
                    tags[tok.i] = "-"
        docs.append(Example.from_dict(doc, {"entities": tags}).reference)
    return docs, skipped


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        fixed_hash_seed()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="draws of each generator")
    ap.add_argument("--per-doc", type=int, default=12)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "redaction" / "models" / "speech_tagger"))
    args = ap.parse_args(argv)
    if not ANNOMI.is_dir():
        print(f"{ANNOMI}: not found (the AnnoMI corpus is read in place)", file=sys.stderr)
        return 2
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train
    from spacy.tokens import DocBin

    from redaction import Redactor

    nlp = spacy.blank("en")
    redactor = Redactor.load()
    redactor.analyzer.registry.remove_recognizer("SpeechTaggerRecognizer")   # the rules alone
    rows = examples(args.rounds, args.per_doc, args.seed)
    docs, skipped = to_docs(rows, nlp, redactor)
    n_dev = len(docs) // 20
    print(f"{len(docs)} examples ({sum(bool(d.ents) for d in docs)} with an entity; {skipped} skipped), "
          f"{sum(len(d) for d in docs):,} tokens; {n_dev} kept aside to choose the best epoch")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        DocBin(docs=docs[n_dev:]).to_disk(tmp / "train.spacy")
        DocBin(docs=docs[:n_dev]).to_disk(tmp / "dev.spacy")
        config = init_config(lang="en", pipeline=["ner"], optimize="efficiency")
        config.to_disk(tmp / "config.cfg")
        train(tmp / "config.cfg", tmp / "out", overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
            "system.seed": args.seed, "training.max_epochs": args.epochs, "training.max_steps": 0,
            "training.patience": 4000, "training.eval_frequency": 500,
            "components.tok2vec.model.embed.include_static_vectors": False, **ARCHITECTURE,
        })
        best = spacy.load(tmp / "out" / "model-best")
        best.meta.update({"name": "speech_tagger", "version": "0.1.0", "description": (
            "Where a name, street corner, unit number, town, account tail or date stands in spoken English; trained by "
            "bench/train_speech_tagger.py on even-numbered AnnoMI transcripts with planted identifiers")})
        # Without its vocabulary: the strings of the training text (transcript words, planted
        # names) are not needed to tag, which works from hashes.
        best.to_disk(args.out, exclude=["vocab"])
    print(f"saved to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
