"""SIGKILL `onprem paraphrase` at random moments and resume: the short version of
bench/crash_resume.py (which makes 20+ kills), on the real default model and a 2-page input."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
T = "2026-01-01T00:00:00+00:00"


def bench():
    spec = importlib.util.spec_from_file_location("crash_resume", ROOT / "bench" / "crash_resume.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_resume"] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.model
def test_killed_and_resumed_runs_equal_an_uninterrupted_one(tmp_path):
    cr = bench()
    transcript = cr.write_input(tmp_path / "in", 2)
    ref_db = tmp_path / "reference.db"
    seconds = cr.run_to_end(ref_db, transcript, seed=11)
    reference = cr.pairs(ref_db)
    assert len(reference) == 2 and cr.check(ref_db, reference, 2) == []
    rng = random.Random(5)
    kills, rounds = 0, 0
    # Until the process was really killed at least twice: a kill lands only when its random moment
    # comes before the (resumed, shorter) run ends, so on a busy machine it can take a few rounds.
    while kills < 2 and rounds < 10:
        r = cr.crash_round(tmp_path / f"round{rounds}.db", transcript, 11, reference, 2, seconds * 0.9, rng,
                           max_kills=2 - kills)
        assert r.problems == [], (r.delays, r.problems)
        kills += r.kills
        rounds += 1
    assert kills >= 2, f"only {kills} kills landed before the runs finished"


def test_the_checks_catch_a_lost_and_a_duplicated_pair(tmp_path):
    """The comparison itself, on databases made without a model."""
    import sqlite3

    cr = bench()
    from onprem.store import open_store

    db = tmp_path / "x.db"
    s = open_store(db)
    with s.atomic() as d:
        sid = d["sources"].insert({"name": "a.txt", "sha256": "1" * 64, "kind": "transcript", "has_speakers": 1,
                                   "n_words": 2, "created_at": T}).last_pk
        for seq in range(2):
            pid = d["pages"].insert({"source_id": sid, "seq": seq, "text": "t", "redacted_text": "t",
                                     "n_tokens": 1, "status": "done"}).last_pk
            d["qa_pairs"].insert({"source_id": sid, "page_id": pid, "seq": seq, "question": "q", "answer": "a",
                                  "q_words": 1, "a_words": 1, "status": "kept", "created_at": T, "updated_at": T})
    s.close()
    reference = cr.pairs(db)
    assert cr.check(db, reference, 2) == []
    con = sqlite3.connect(db)
    con.execute("insert into qa_pairs (source_id, page_id, seq, question, answer, q_words, a_words, status, "
                "created_at, updated_at) select source_id, page_id, seq, question, answer, q_words, a_words, "
                "status, created_at, updated_at from qa_pairs where seq = 0")
    con.execute("delete from pii_spans")
    con.execute("delete from qa_pairs where seq = 1")
    con.commit()
    con.close()
    problems = cr.check(db, reference, 2)
    assert "page ('a.txt', 0): 2 pairs (duplicated)" in problems
    assert "page ('a.txt', 1): lost" in problems
    # A superseded row is a page done twice, unless the page had failed (a re-run retries those).
    con = sqlite3.connect(db)
    con.execute("update qa_pairs set status = 'superseded' where id = (select max(id) from qa_pairs where seq = 0)")
    con.commit()
    con.close()
    assert "page ('a.txt', 0): done twice (it had not failed)" in cr.check(db, reference, 2)
    failed = {key: [(q, a, "failed", r) for q, a, _, r in rows] for key, rows in reference.items()}
    assert not any("done twice" in p for p in cr.check(db, failed, 2))
