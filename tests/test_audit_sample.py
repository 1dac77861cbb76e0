"""`onprem audit sample|report` (issue 26, MentalChat16K's random audit): a seeded draw of kept
synthetic pairs into the review queue, never imported (real) ones; the report's share and its exact
95 % interval from scipy."""

from __future__ import annotations

import json
import random

from click.testing import CliRunner
from scipy import stats

from onprem.cli import cli
from onprem.review import approve_pair, reject_pair
from onprem.store import open_store


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_a_seeded_sample_goes_to_the_review_queue_and_is_reported(tmp_path, scripted_cli):
    db = tmp_path / "a.db"
    assert invoke(db, "paraphrase", "examples/transcripts", "--model", scripted_cli, "--min-grounding", "0").exit_code == 0
    real = tmp_path / "real.jsonl"
    real.write_text(json.dumps({"input": "I cannot sleep at all lately", "output": "That sounds exhausting"}) + "\n")
    assert invoke(db, "import", real).exit_code == 0
    store = open_store(db)
    pool = [r[0] for r in store.db.execute("select id from qa_pairs where status = 'kept' and run_id is not null order by id")]
    imported = store.db.execute("select id from qa_pairs where run_id is null").fetchone()[0]
    assert len(pool) >= 4
    from onprem.store.review_queue import queue_counts

    before = queue_counts(store)["pending"]          # pairs whose pages hold findings a person decides
    r = invoke(db, "audit", "sample", "--n", "3", "--seed", "5")
    assert r.exit_code == 0 and f"3 of {len(pool)} kept synthetic pairs (seed 5)" in r.output
    drawn = sorted(random.Random(5).sample(pool, 3))
    flagged = [r[0] for r in store.db.execute("select id from qa_pairs where status = 'flagged' order by id")]
    assert flagged == drawn and imported not in flagged
    in_queue_already = len(set(drawn) & {r[0] for r in store.db.execute(
        "select q.id from qa_pairs q join pii_spans s on s.page_id = q.page_id and s.field = 'page' "
        "and s.decision = 'pending'")})
    assert queue_counts(store)["pending"] == before + 3 - in_queue_already
    approve_pair(store, drawn[0], "ana")
    approve_pair(store, drawn[1], "ana")
    out = json.loads(invoke(db, "audit", "report", "--json").output)
    assert (out["approved"], out["rejected"], out["undecided"]) == (2, 0, 1)
    reject_pair(store, drawn[2], "ana")
    out = json.loads(invoke(db, "audit", "report", "--json").output)
    ci = stats.binomtest(2, 3).proportion_ci(confidence_level=0.95, method="exact")
    assert out["acceptable_share"] == round(2 / 3, 4) and out["ci95"] == [round(ci.low, 4), round(ci.high, 4)]
    assert invoke(db, "audit", "sample", "--n", "999").exit_code == 2
