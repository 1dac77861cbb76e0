"""`epitome`: (seeker post, response) rows with EPITOME labels for empathy-classifier training, and the
Synthetic Empathy paper's training-set schedules.

One row per exchange: the first help-seeker -> responder exchange of each releasable dialogue (every
adjacent exchange with --all-exchanges), with `seeker_post, response_post, er, ip, ex` and, per
dimension, where the label came from: `rater:NAME` (people's labels; with several raters the most
common level, ties to the lower level), else `judge:MODEL` (the epitome judge), else `target`
(the dialogue's target cell, only when the Reflexion evaluator confirmed the dialogue met it: a
"none" cell is 0 on all three, a weak or strong cell only labels its own dimension). A target nothing
confirmed (a miss, a standalone draft) is not a label: the row is held back and counted, or, with
--label-source target, written with the source `target:unconfirmed`. People's and the judge's labels
are of the first exchange; later exchanges carry the target cell only. A row with a dimension nobody
labelled is held back as "unlabelled".

Schedules (`--schedule`, `--out DIR`, seeded, balanced on the levels of `--dimension`):
- augment: the real set plus 0, step, 2*step, ... max synthetic rows (15 sets for 30..420), each step
  adding step/3 rows of every level; the synthetic rows of a set include those of the set before.
- substitute: for each fraction f, in every level L of the real set round(f * n_L) real rows are
  replaced by synthetic rows of level L, so each set keeps the real set's size per level.
A manifest (manifest.json) lists every file with its counts per level of all three dimensions and
its sha256. A synthetic pool too small for a step is one clear error, and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from onprem.errors import InputError, UserError
from onprem.fsutil import json_line, read_utf8, sha256_file
from onprem.release.writers import Writer

KEYS = ("er", "ip", "ex")
COLUMNS = ("seeker_post", "response_post", "er", "ip", "ex")


class Options(BaseModel):
    all_exchanges: bool = Field(False, description="epitome: every adjacent seeker -> responder exchange, not only the first.")
    schedule: Literal["augment", "substitute"] | None = Field(
        None, description="epitome: write the training-set schedule into --out DIR instead of one file.")
    real: Path | None = Field(None, description="epitome schedules: the labelled real set (JSONL or CSV with "
                                                 "seeker_post,response_post,er,ip,ex).")
    step: int = Field(30, ge=3, description="epitome augment: synthetic rows added per step (a multiple of 3).")
    max: int = Field(420, ge=0, description="epitome augment: synthetic rows in the last set.")
    fractions: str = Field("0.1,0.2,0.3,0.4,0.5", description="epitome substitute: shares of the real set to replace.")
    dimension: Literal["er", "ip", "ex"] = Field("er", description="epitome schedules: the dimension whose levels are "
                                                                   "balanced (one classifier per dimension).")
    schedule_seed: int = Field(42, description="epitome schedules: the seed of every draw.")
    label_source: Literal["confirmed", "target"] = Field(
        "confirmed", description="epitome: without a person's or the judge's label, use the target cell only when "
                                 "the evaluator confirmed it (confirmed), or any target cell, marked target:unconfirmed.")


def labelled_rows(store, selection, opts: Options) -> list[dict]:
    from onprem.store import dialogues as dstore
    from onprem.papers.empathy.accuracy import majority
    from onprem.papers.empathy.judge import exchanges, level as as_level
    from onprem.store.scores import PERSON, scores

    rated: dict[str, list] = {}
    for sc in scores(store, "epitome", target_kind="dialogue"):      # people's and judges', oldest first
        rated.setdefault(sc.item, []).append(sc)
    out = []
    for d in selection.rows:
        turns = dstore.dialogue_turns(store, d["id"])
        pairs = exchanges(turns)
        if not pairs:
            selection.held["no seeker -> responder exchange"] += 1
            continue
        item = f"dialogue:{d['id']}"
        people_scores: dict[str, dict[str, int]] = {}
        for sc in rated.get(item, []):
            if sc.rater.startswith(PERSON):
                people_scores.setdefault(sc.rater.removeprefix(PERSON), {})[sc.criterion] = sc.score
        people = [(name, *(v[k] for k in KEYS)) for name, v in sorted(people_scores.items()) if set(v) >= set(KEYS)]
        judged = [(sc.rater.removeprefix("judge:"), sc.criterion, sc.score) for sc in rated.get(item, [])
                  if not sc.rater.startswith(PERSON)]
        meta = json.loads(d["meta"]) if d.get("meta") else {}
        cell = meta.get("cell")
        # A target is a label only when the evaluator saw the dialogue meet it (see the module doc).
        confirmed = meta.get("met_target") is True
        target_source = "target" if confirmed else "target:unconfirmed" if opts.label_source == "target" else None
        for k, (post, response) in enumerate(pairs if opts.all_exchanges else pairs[:1]):
            row = {"seeker_post": post, "response_post": response}
            for i, key in enumerate(KEYS):
                level, source = None, None
                if k == 0 and people:
                    level = majority([p[1 + i] for p in people])
                    source = "rater:" + ",".join(p[0] for p in people)
                elif k == 0 and any(c == key for _, c, _ in judged):
                    model, _, score = [j for j in judged if j[1] == key][-1]
                    level, source = as_level(score), f"judge:{model}"
                elif cell and target_source:
                    dim, lvl = cell.split(":")
                    if lvl == "0" or dim.lower() == key:
                        level, source = int(lvl), target_source
                row[key], row[f"{key}_source"] = level, source
            if any(row[k2] is None for k2 in KEYS):
                unconfirmed = cell and not target_source
                selection.held["target not confirmed by the evaluator" if unconfirmed else "unlabelled"] += 1
                continue
            out.append({**row, "dialogue_id": d["id"], "exchange": k, "generator": d["generator"]})
    return out


def read_real(path: Path) -> list[dict]:
    """The labelled real set; a bad row is one error naming the file and line."""
    if not path.is_file():
        raise UserError(f"--real {path}: no such file; give JSONL or CSV with {','.join(COLUMNS)}")
    text = read_utf8(path)
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not set(COLUMNS) <= set(reader.fieldnames or []):
            raise InputError(f"{path}: the header must have {','.join(COLUMNS)}")
        raw = [(reader.line_num, r) for r in reader]
    else:
        raw = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    raw.append((n, json.loads(line)))
                except ValueError as e:
                    raise InputError(f"{path}: line {n}: not JSON ({e.msg})") from None
    rows = []
    for n, r in raw:
        try:
            row = {"seeker_post": str(r["seeker_post"]), "response_post": str(r["response_post"]),
                   **{k: int(r[k]) for k in KEYS}}
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{path}: line {n}: needs {','.join(COLUMNS)} with levels 0, 1 or 2") from None
        if any(row[k] not in (0, 1, 2) for k in KEYS):
            raise InputError(f"{path}: line {n}: levels are 0, 1 or 2")
        rows.append({**row, **{f"{k}_source": "real" for k in KEYS}})
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def by_level(rows: list[dict], dim: str, rng: random.Random) -> dict[int, list[dict]]:
    """Rows per level of `dim`, each list in a seeded random order (what the schedules draw from)."""
    out: dict[int, list[dict]] = {0: [], 1: [], 2: []}
    for r in rows:
        out[r[dim]].append(r)
    for level in out:
        rng.shuffle(out[level])
    return out


def augment_sets(real: list[dict], pool: list[dict], opts: Options) -> list[tuple[str, list[dict], dict]]:
    if opts.step % 3:
        raise UserError(f"--step {opts.step}: must be a multiple of 3 (each step adds the same number per level)")
    per = by_level(pool, opts.dimension, random.Random(opts.schedule_seed))
    need = opts.max // opts.step * opts.step // 3
    short = [f"level {lvl} has {len(xs)}" for lvl, xs in per.items() if len(xs) < need]
    if short:
        raise UserError(f"the synthetic pool is too small for --max {opts.max}: {opts.dimension} {'; '.join(short)} "
                        f"labelled synthetic rows, {need} needed per level; generate more or lower --max")
    sets = []
    for k, added in enumerate(range(0, opts.max + 1, opts.step)):
        synth = [r for lvl in (0, 1, 2) for r in per[lvl][:added // 3]]
        sets.append((f"augment_{k:02d}_plus{added:03d}.jsonl", real + synth, {"step": k, "synthetic": added}))
    return sets


def substitute_sets(real: list[dict], pool: list[dict], opts: Options) -> list[tuple[str, list[dict], dict]]:
    try:
        fractions = [float(f) for f in opts.fractions.split(",") if f.strip()]
    except ValueError:
        raise UserError(f"--fractions {opts.fractions!r}: write shares like 0.1,0.2,0.3") from None
    if not fractions or not all(0 < f <= 1 for f in fractions):
        raise UserError(f"--fractions {opts.fractions!r}: each share must be above 0 and at most 1")
    sets = []
    for f in fractions:
        rng = random.Random(f"{opts.schedule_seed}:{f}")
        real_by, pool_by = by_level(real, opts.dimension, rng), by_level(pool, opts.dimension, rng)
        rows, replaced = [], 0
        for lvl in (0, 1, 2):
            n = round(f * len(real_by[lvl]))
            if n > len(pool_by[lvl]):
                raise UserError(f"the synthetic pool is too small for --fractions {f}: {opts.dimension} level {lvl} "
                                f"has {len(pool_by[lvl])} labelled synthetic rows, {n} needed; generate more")
            rows += real_by[lvl][n:] + pool_by[lvl][:n]
            replaced += n
        sets.append((f"substitute_{int(round(f * 100)):03d}pct.jsonl", rows, {"fraction": f, "synthetic": replaced}))
    return sets


def render(rows: list[dict]) -> str:
    return "".join(json_line({k: r[k] for k in (*COLUMNS, "er_source", "ip_source", "ex_source")}) for r in rows)


class Epitome(Writer):
    name, unit, suffix, noun = "epitome", "dialogues", ".jsonl", "pairs"
    help = "EPITOME (seeker post, response) rows with er/ip/ex labels and their sources; schedules of training sets"
    Options = Options

    def rows(self, store, selection, opts):
        return labelled_rows(store, selection, opts)

    def write(self, rows, out) -> int:
        out.write(render(rows))
        return len(rows)

    def writes_set(self, opts) -> bool:
        return opts is not None and opts.schedule is not None

    def write_set(self, rows, out_dir: Path, opts) -> dict:
        from onprem.fsutil import write_private

        if opts.real is None:
            raise UserError("--schedule needs --real FILE, the labelled real set")
        real = read_real(opts.real)
        sets = augment_sets(real, rows, opts) if opts.schedule == "augment" else substitute_sets(real, rows, opts)
        files = []
        for name, set_rows, info in sets:       # all sets are built (and checked) before any is written
            text = render(set_rows)
            write_private(Path(out_dir) / name, lambda f, t=text: f.write(t))
            files.append({"file": name, **info, "n": len(set_rows), "real": len(set_rows) - info["synthetic"],
                          "levels": {k: {str(v): sum(r[k] == v for r in set_rows) for v in (0, 1, 2)} for k in KEYS},
                          "sha256": hashlib.sha256(text.encode()).hexdigest()})
        manifest = {"schedule": opts.schedule, "dimension": opts.dimension, "seed": opts.schedule_seed,
                    "real": {"path": str(opts.real), "n": len(real),
                             "sha256": sha256_file(opts.real)},
                    "synthetic_pool": len(rows), "files": files}
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        write_private(Path(out_dir) / "manifest.json", lambda f: f.write(text))
        manifest["sha256"] = hashlib.sha256(text.encode()).hexdigest()
        return manifest
