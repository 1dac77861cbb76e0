"""Identifiers planted the way people say them, in real counselling transcripts.

Not a test: prints figures. Reads the 133 AnnoMI transcripts in place (never copied) and plants
identifiers in new client and therapist turns: names that are also words (often in lower case),
nicknames, vocatives, possessives, names with diacritics, hyphens and particles, ages over 89 said
in words, unit numbers, partial account and card numbers, street corners, and the ordinary
phone / e-mail / town / date mix. Half the transcripts are lower-cased the way speech recognition
writes them.

Three sets, made by three generators that share no template and no hand-picked name:

* dev      -- even-numbered transcripts, generator A. Recognizers were tuned on its misses.
* dev-b    -- odd-numbered transcripts, generator B (other templates, names from other Faker
              locales). Meant as the held-out set, but its misses were read while tuning, so it
              is reported as a second development set.
* dev-c    -- all 133 transcripts, generator C, written as a held-out set after a first round of
              tuning. It scored 0.73 on first reading (see docs/redaction.md); the recognizers were
              then generalised (the parse's bare-name arguments, holidays), so it is development
              data now too.
* heldout  -- all 133 transcripts, generator D, written before the second round's figures were
              read: other templates, word-names, nicknames and Faker locales again. Read once; the
              uncertain queue was designed after reading its misses, so for the queue it is seen.
* heldout-e -- all 133 transcripts, generator E, written after the uncertain queue was built and
              before any figure on it was read (0.706 / 0.707 on first reading); the queue was
              then widened to unknown words in argument slots, so it is seen now.
* heldout-f -- all 133 transcripts, generator F, written after that and read once. Its misses were
              read in session 14 to build the parse-based person classifier, so it is seen now.
* heldout-g -- all 133 transcripts, generator G (bench/planted_generator_g.py), written in session
              14 before that change and before any figure on it was read.
* heldout-h -- the 66 odd-numbered transcripts, generator H (bench/planted_generator_h.py), written
              in session 15 before the speech tagger was trained (on even-numbered transcripts
              only) and before any figure on it was read. Its figures (not its misses) were read
              for the first tagger, so it is seen for the second.
* heldout-i -- the odd-numbered transcripts again, generator I (bench/planted_generator_i.py):
              transcribed speech with fillers and restarts, written before the second tagger
              (smaller, trained with name slots filled by ordinary words) and before any figure
              on it was read.

An identifier counts as caught only when every letter and digit of it (joining words such as
"and" aside) lies inside a redacted span of any type: a half-redacted "ninety-[AGE]" is a miss.
A second column counts it as "caught or queued" when redacted and uncertain spans together cover
it: what a person deciding the uncertain queue (or `--strict`) would remove.
Also printed: over-redaction on the 133 clean transcripts (words inside a redacted span per
1,000 words, speaker labels not counted) and analysis speed in words/s.

    .venv/bin/python bench/planted_speech.py [--set dev|dev-b|dev-c|heldout|heldout-e|heldout-f|heldout-g|heldout-h|heldout-i|all] [--misses N] [--truth-out DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
ANNOMI = ROOT.parent / "shared" / "corpora" / "annomi" / "transcripts"

from planted_generators import (  # noqa: E402
    A_TEMPLATES, B_TEMPLATES, C_TEMPLATES, D_TEMPLATES, E_TEMPLATES, values_a, values_b, values_c, values_d,
    values_e, F_TEMPLATES, values_f,
)
from planted_generator_g import G_TEMPLATES, values_g  # noqa: E402
from planted_generator_h import H_TEMPLATES, values_h  # noqa: E402
from planted_generator_i import I_TEMPLATES, values_i  # noqa: E402
JOINING = {"and", "of", "meets", "the", "corner", "at"}

# ---- planting ------------------------------------------------------------------------------
SLOT_TYPE = {"n": "PERSON", "n2": "PERSON", "N": "PERSON", "nick": "PERSON", "voc": "PERSON", "P": "PERSON", "odd": "PERSON",
             "age": "AGE_OVER_89", "unit": "STREET_ADDRESS", "acct": "ACCOUNT_NUMBER", "corner": "STREET_ADDRESS",
             "phone": "PHONE_NUMBER", "email": "EMAIL_ADDRESS", "city": "LOCATION", "date": "DATE_TIME"}
_SLOT = re.compile(r"\{(\w+)\}")


def plant(lines: list[str], templates, values, rng: random.Random, k: int, lower: bool) -> dict:
    """Insert k planted turns into a transcript; returns {"text", "spans"} with exact offsets."""
    turns = []
    for _ in range(k):
        category, speaker, tpl = rng.choice(templates)
        vals = values()
        turns.append((category, speaker, tpl, vals))
    positions = sorted(rng.randrange(len(lines) + 1) for _ in turns)
    out_lines: list[tuple[str, list]] = [(ln, []) for ln in lines]
    for pos, (category, speaker, tpl, vals) in sorted(zip(positions, turns), key=lambda x: -x[0]):
        text, spans, last = f"{speaker}: ", [], 0
        for m in _SLOT.finditer(tpl):
            text += tpl[last:m.start()]
            slot = m.group(1)
            value = vals[slot]
            if slot in SLOT_TYPE:
                spans.append((len(text), len(text) + len(value), SLOT_TYPE[slot], category))
            text += value
            last = m.end()
        text += tpl[last:]
        out_lines.insert(pos, (text, spans))
    doc, truth = "", []
    for ln, spans in out_lines:
        if lower:
            head, sep, body = ln.partition(": ")
            ln = head + sep + body.lower() if sep else ln.lower()
        for s, e, etype, category in spans:
            truth.append({"start": len(doc) + s, "end": len(doc) + e, "entity_type": etype, "category": category})
        doc += ln + "\n"
    return {"text": doc, "spans": truth}


# set -> (seed of its draws and of its Faker, Faker locales or None, templates, value maker)
GENERATORS = {
    "dev": (11, None, A_TEMPLATES, lambda rng, faker: values_a(rng)),
    "dev-b": (29, ["en_GB", "en_IE", "es_MX", "fr_FR", "pt_BR", "en_IN"], B_TEMPLATES, values_b),
    "dev-c": (53, ["en_AU", "en_NZ", "de_DE", "it_IT", "nl_NL", "pl_PL", "tr_TR"], C_TEMPLATES, values_c),
    "heldout": (71, ["en_CA", "sv_SE", "da_DK", "cs_CZ", "ro_RO", "hu_HU", "fi_FI"], D_TEMPLATES, values_d),
    "heldout-e": (97, ["es_ES", "fr_CA", "de_AT", "no_NO", "hr_HR", "sk_SK", "lt_LT"], E_TEMPLATES, values_e),
    "heldout-f": (113, ["en_GB", "pt_PT", "ga_IE", "sl_SI", "lv_LV", "et_EE", "it_IT"], F_TEMPLATES, values_f),
    "heldout-g": (131, ["en_US", "nl_BE", "el_GR", "bg_BG", "uk_UA", "es_CO", "fr_CH"], G_TEMPLATES, values_g),
    "heldout-h": (149, ["fil_PH", "id_ID", "vi_VN", "yo_NG", "zu_ZA", "es_AR", "en_KE"], H_TEMPLATES, values_h),
    "heldout-i": (173, ["en_NG", "es_CL", "en_PK", "az_AZ", "tw_GH", "en_BD", "es_VE"], I_TEMPLATES, values_i),
}


# Sets planted into one half of the transcripts (0: even-numbered, 1: odd-numbered), at the full
# --per-doc; the others take all 133 transcripts at half of it.
HALVES = {"dev": 0, "dev-b": 1, "heldout-h": 1, "heldout-i": 1}


def make_set(name: str, transcripts: list[Path], per_doc: int, draw: int = 0, wrap=None) -> list[dict]:
    """The set's documents. `draw` > 0 gives another draw of the same generator (the speech
    tagger's training data); `wrap(make)` may change the values it makes."""
    from faker import Faker

    seed, locales, templates, make = GENERATORS[name]
    if wrap is not None:
        make = wrap(make)
    rng = random.Random(seed + 7919 * draw)
    faker = None
    if locales:
        faker = Faker(locales)
        faker.seed_instance(seed + 7919 * draw)

    def values():
        return make(rng, faker)

    docs = []
    for i, path in enumerate(transcripts):
        lines = path.read_text(encoding="utf-8").splitlines()
        doc = plant(lines, templates, values, rng, per_doc, lower=((i + draw) % 2 == 1))
        docs.append({"id": path.stem, **doc})
    return docs


def caught(text: str, truth: dict, covered: bytearray) -> bool:
    for m in re.finditer(r"[^\W_]+", text[truth["start"]:truth["end"]]):
        if m.group().lower() in JOINING:
            continue
        a = truth["start"] + m.start()
        if not all(covered[a:a + len(m.group())]):
            return False
    return True


def score(docs: list[dict], analyze) -> tuple[dict, list, float, int]:
    """``analyze(text) -> (sure, uncertain)``. by[key] = [caught, caught or queued, n]."""
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses, words, t = [], 0, time.perf_counter()
    spans_per_doc = [analyze(d["text"]) for d in docs]
    elapsed = time.perf_counter() - t
    for d, (sure, unsure) in zip(docs, spans_per_doc):
        words += len(d["text"].split())
        covered = bytearray(len(d["text"]))
        for s in sure:
            covered[s.start:s.end] = b"\x01" * (s.end - s.start)
        queued = bytearray(covered)
        for s in unsure:
            queued[s.start:s.end] = b"\x01" * (s.end - s.start)
        for tr in d["spans"]:
            ok = caught(d["text"], tr, covered)
            for key in (tr["category"], "type:" + tr["entity_type"], "ALL"):
                by[key][0] += ok
                by[key][1] += caught(d["text"], tr, queued)
                by[key][2] += 1
            if not ok:
                line_start = d["text"].rfind("\n", 0, tr["start"]) + 1
                line_end = d["text"].find("\n", tr["end"])
                misses.append((tr["category"], d["id"], d["text"][line_start:line_end]))
    return by, misses, elapsed, words


def over_redaction(transcripts: list[Path], analyze) -> tuple[int, int, dict]:
    words = inside = 0
    kinds: dict[str, int] = defaultdict(int)
    for path in transcripts:
        text = path.read_text(encoding="utf-8")
        words += sum(len(ln.partition(": ")[2].split()) for ln in text.splitlines())
        for s in analyze(text):
            inside += len(s.text.split())
            kinds[f"{s.entity_type} {s.text!r}"] += 1
    return words, inside, kinds


def fixed_hash_seed() -> None:
    """Run again under PYTHONHASHSEED=0: Faker's choice among some locales' cities follows string
    hash order, so without it a set changed by a value or two from run to run (recall moved by 1)."""
    import os

    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        fixed_hash_seed()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=[*GENERATORS, "all"], default="all")
    ap.add_argument("--per-doc", type=int, default=12, help="planted turns per transcript")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed lines per set")
    ap.add_argument("--false-positives", type=int, default=0, help="print this many clean-transcript findings")
    ap.add_argument("--truth-out", help="write <set>.json truth files here (for onprem eval redaction)")
    args = ap.parse_args(argv)
    if not ANNOMI.is_dir():
        print(f"{ANNOMI}: not found (the AnnoMI corpus is read in place)", file=sys.stderr)
        return 2
    from redaction import Redactor

    files = sorted(ANNOMI.glob("*.txt"))
    redactor = Redactor.load()
    redactor.analyze("Client: warm-up so spaCy's first call is not timed.")
    sets = list(GENERATORS) if args.set == "all" else [args.set]
    for name in sets:
        if name in HALVES:
            docs = make_set(name, files[HALVES[name]::2], args.per_doc)
        else:
            docs = make_set(name, files, max(1, args.per_doc // 2))
        if args.truth_out:
            Path(args.truth_out).mkdir(parents=True, exist_ok=True)
            (Path(args.truth_out) / f"{name}.json").write_text(json.dumps({"documents": docs}, indent=1))
        by, misses, elapsed, words = score(docs, redactor.analyze_with_uncertain)
        print(f"\n== {name}: {len(docs)} transcripts, {by['ALL'][2]} planted identifiers, {words:,} words ==")
        print(f"  {'':28s} {'redacted':>18s}   {'redacted or queued':>18s}")
        for key in sorted(by, key=lambda k: (k == "ALL", k.startswith("type:"), k)):
            ok, queued, n = by[key]
            print(f"  {key:28s} {ok:4d}/{n:<4d} {ok / n:.3f}     {queued:4d}/{n:<4d} {queued / n:.3f}")
        print(f"  speed: {words / elapsed:,.0f} words/s")
        for category, doc_id, line in misses[: args.misses]:
            print(f"  MISS {category:13s} {doc_id}: {line[:110]}")
    words, inside, kinds = over_redaction(files, redactor.analyze)
    _, queued, _ = over_redaction(files, lambda t: redactor.analyze_with_uncertain(t)[1])
    print(f"\n== over-redaction on {len(files)} clean AnnoMI transcripts ==")
    print(f"  {inside} words inside redacted spans of {words:,} spoken words = {1000 * inside / words:.2f} per 1,000 (target <= 5)")
    print(f"  review burden: {queued} words in uncertain findings = {1000 * queued / words:.2f} per 1,000")
    for k, n in sorted(kinds.items(), key=lambda x: -x[1])[: args.false_positives]:
        print(f"  {n:3d} {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
