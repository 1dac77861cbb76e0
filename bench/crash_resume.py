"""Crash safety of `onprem paraphrase`: SIGKILL at random moments, resume, compare.

    .venv/bin/python bench/crash_resume.py [--kills 20] [--pages 5] [--seed 7] [--rng 1] [--keep DIR]

1. A reference database: one uninterrupted run over a small multi-page transcript (real default
   model, tiny pages) with a fixed seed.
2. Rounds on fresh databases: start `onprem paraphrase` with the same seed, SIGKILL it at a random
   moment (anywhere from start-up and ingest to the middle of a page), start it again (the resume),
   kill again ... until a run finishes; then the next round, until at least --kills real kills
   (the process was still running when killed) have been made.
3. After every round: the pairs equal the reference page by page (question, answer, status,
   reason), every page has exactly one pair (none lost, none duplicated), no orphan rows
   (qa_pairs/pii_spans/pages pointing at missing rows), `PRAGMA integrity_check` is ok and
   `PRAGMA foreign_key_check` is empty.

Prints the figures and exits 1 on any difference. tests/airgap/test_crash_resume.py runs a short
version of the same functions.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ONPREM = [sys.executable, "-m", "onprem"]

PAGES = [
    "Caregiver: Since my father's stroke I manage his pills, his meals and his moods, and I have stopped "
    "seeing my friends. Coach: What do you miss most about the time before?",
    "Caregiver: I miss walking by the river in the evening. Now I sit by his bed and feel guilty when I "
    "want to leave the room. Coach: Guilt often comes with caring for someone we love.",
    "Caregiver: My brother says I should hire help, but that feels like giving up on him. "
    "Coach: Accepting help can be a way of staying strong for him, not a way of leaving.",
    "Caregiver: Last week I cried in the car before going inside. I did not want him to see me like "
    "that. Coach: It makes sense that you needed a moment; you are carrying a great deal.",
    "Caregiver: Some nights I sleep three hours. I forget appointments and snap at the nurse. "
    "Coach: Tiredness like that affects everyone; let us look at where you could rest.",
    "Caregiver: Maybe a neighbour could sit with him on Sundays so I can swim again. "
    "Coach: That sounds like a good first step; what would you say to her?",
    "Caregiver: I would tell her what he likes to eat and which songs calm him down. "
    "Coach: You know him so well; sharing that is a gift to both of them.",
    "Caregiver: I think I can ask her tomorrow. Coach: Let us talk next week about how it went.",
]

# Small generations keep a round short; the pipeline is the same as with the defaults.
RUN_ARGS = ["--min-words", "5", "--max-tokens", "96", "--retries", "0"]


def write_input(folder: Path, pages: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "caregiver_crash.txt"
    path.write_text("\f".join(PAGES[:pages]) + "\n", encoding="utf-8")   # form feed: one page each
    return path


def command(db: Path, transcript: Path, seed: int) -> list[str]:
    return [*ONPREM, "--db", str(db), "paraphrase", str(transcript), "--seed", str(seed), *RUN_ARGS]


def run_to_end(db: Path, transcript: Path, seed: int) -> float:
    t = time.monotonic()
    proc = subprocess.run(command(db, transcript, seed), cwd=REPO, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"paraphrase exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    return time.monotonic() - t


def pairs(db: Path) -> dict[tuple[str, int], list[tuple]]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "select s.name, p.seq, q.question, q.answer, q.status, q.reason from qa_pairs q "
            "join pages p on p.id = q.page_id join sources s on s.id = p.source_id "
            "where q.status != 'superseded' order by s.name, p.seq, q.id").fetchall()
    finally:
        con.close()
    out: dict[tuple[str, int], list[tuple]] = {}
    for name, seq, *rest in rows:
        out.setdefault((name, seq), []).append(tuple(rest))
    return out


ORPHANS = {
    "qa_pairs without their page": "select count(*) from qa_pairs q where q.page_id is not null "
                                   "and not exists (select 1 from pages p where p.id = q.page_id)",
    "qa_pairs without their run": "select count(*) from qa_pairs q where q.run_id is not null "
                                  "and not exists (select 1 from runs r where r.id = q.run_id)",
    "pii_spans without their pair": "select count(*) from pii_spans s where s.pair_id is not null "
                                    "and not exists (select 1 from qa_pairs q where q.id = s.pair_id)",
    "pii_spans without their page": "select count(*) from pii_spans s where s.page_id is not null "
                                    "and not exists (select 1 from pages p where p.id = s.page_id)",
    "pages without their source": "select count(*) from pages p "
                                  "where not exists (select 1 from sources s where s.id = p.source_id)",
    "done pages without a pair": "select count(*) from pages p where p.status = 'done' "
                                 "and not exists (select 1 from qa_pairs q where q.page_id = p.id)",
    "pairs on pages not marked done": "select count(*) from qa_pairs q join pages p on p.id = q.page_id "
                                      "where p.status not in ('done', 'failed')",
}


def check(db: Path, reference: dict, pages: int) -> list[str]:
    """Everything that is wrong with a finished database, compared with the reference."""
    problems = []
    con = sqlite3.connect(db)
    try:
        integrity = con.execute("pragma integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        fk = con.execute("pragma foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        for what, sql in ORPHANS.items():
            n = con.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {what}")
        n_sources = con.execute("select count(*) from sources").fetchone()[0]
        n_pages = con.execute("select count(*) from pages").fetchone()[0]
        n_pairs = con.execute("select count(*) from qa_pairs where status != 'superseded'").fetchone()[0]
        # A re-run retries failed pages by design (their earlier row is superseded); a superseded
        # row on any other page means the page was done twice.
        redone = con.execute("select s.name, p.seq from qa_pairs q join pages p on p.id = q.page_id "
                             "join sources s on s.id = p.source_id where q.status = 'superseded'").fetchall()
        running = con.execute("select count(*) from runs where status = 'running'").fetchone()[0]
    finally:
        con.close()
    if n_sources != 1:
        problems.append(f"{n_sources} sources, expected 1 (the same file ingested twice?)")
    if n_pages != pages:
        problems.append(f"{n_pages} pages, expected {pages}")
    if n_pairs != pages:
        problems.append(f"{n_pairs} current pair rows, expected {pages} (lost or duplicated)")
    for name, seq in redone:
        if not any(row[2] == "failed" for row in reference.get((name, seq), [])):
            problems.append(f"page {(name, seq)}: done twice (it had not failed)")
    if running:
        problems.append(f"{running} runs still marked running after a finished run")
    got = pairs(db)
    for key in sorted(set(reference) | set(got)):
        want, have = reference.get(key), got.get(key)
        if have is None:
            problems.append(f"page {key}: lost")
        elif len(have) > 1:
            problems.append(f"page {key}: {len(have)} pairs (duplicated)")
        elif want is None:
            problems.append(f"page {key}: not in the reference")
        elif have != want:
            problems.append(f"page {key}: differs from the uninterrupted run: {have[0][:2]} != {want[0][:2]}")
    return problems


def pages_done(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute("select count(*) from pages where status in ('done', 'failed')").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0     # killed before the tables existed


@dataclass
class Round:
    kills: int = 0
    kills_in_pages: int = 0          # the kill came after at least one page of this attempt was saved
    attempts: int = 0
    delays: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def crash_round(db: Path, transcript: Path, seed: int, reference: dict, pages: int, window: float,
                rng: random.Random, max_kills: int) -> Round:
    """Kill-and-resume until a run finishes (at most max_kills kills), then check the database."""
    r = Round()
    t0 = time.monotonic()
    while True:
        r.attempts += 1
        before = pages_done(db)
        proc = subprocess.Popen(command(db, transcript, seed), cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.kills < max_kills:
            delay = rng.uniform(0.2, window)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                r.kills += 1
                r.delays.append(round(delay, 2))
                r.kills_in_pages += pages_done(db) > before
                continue
        _, err = proc.communicate()
        if proc.returncode not in (0, 1):
            r.problems.append(f"resumed run exited {proc.returncode}: {err.strip()[-500:]}")
        break
    r.seconds = time.monotonic() - t0
    r.problems += check(db, reference, pages)
    return r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=20, help="at least this many real SIGKILLs in total")
    ap.add_argument("--pages", type=int, default=5, choices=range(2, len(PAGES) + 1))
    ap.add_argument("--seed", type=int, default=7, help="the paraphrase seed (same for every run)")
    ap.add_argument("--rng", type=int, default=1, help="seed of the kill moments")
    ap.add_argument("--per-round", type=int, default=5, help="most kills in one round")
    ap.add_argument("--keep", type=Path, help="keep the databases in this folder")
    a = ap.parse_args(argv)

    work = a.keep or Path(tempfile.mkdtemp(prefix="crash_resume."))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(a.rng)
    try:
        transcript = write_input(work / "in", a.pages)
        ref_db = work / "reference.db"
        ref_db.unlink(missing_ok=True)
        ref_seconds = run_to_end(ref_db, transcript, a.seed)
        reference = pairs(ref_db)
        ref_problems = check(ref_db, reference, a.pages)
        print(f"reference: {a.pages} pages, {sum(len(v) for v in reference.values())} pairs, "
              f"{ref_seconds:.1f} s uninterrupted" + (f"; PROBLEMS {ref_problems}" if ref_problems else ""))
        total, in_pages, rounds, failures = 0, 0, 0, list(ref_problems)
        t0 = time.monotonic()
        while total < a.kills:
            rounds += 1
            db = work / f"round{rounds}.db"
            for side in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                side.unlink(missing_ok=True)
            r = crash_round(db, transcript, a.seed, reference, a.pages, ref_seconds * 1.1, rng,
                            min(a.per_round, a.kills - total))
            total += r.kills
            in_pages += r.kills_in_pages
            failures += [f"round {rounds}: {p}" for p in r.problems]
            print(f"round {rounds}: {r.kills} kills at {r.delays} s ({r.kills_in_pages} after a page was saved), "
                  f"{r.attempts} starts, {r.seconds:.0f} s: {'ok' if not r.problems else '; '.join(r.problems)}")
        print(f"crash_resume: {total} SIGKILLs in {rounds} rounds ({in_pages} with pages already saved by the "
              f"killed run), {time.monotonic() - t0:.0f} s; "
              + ("all rounds equal the uninterrupted run, no orphans, integrity ok" if not failures
                 else f"{len(failures)} PROBLEMS"))
        for f in failures:
            print(f"  {f}")
        return 1 if failures else 0
    finally:
        if a.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)    # rounds show as they finish
    os.chdir(REPO)
    sys.exit(main())
