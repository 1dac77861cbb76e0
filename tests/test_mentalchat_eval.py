"""MentalChat16K's evaluation and dedup: statistics against scipy and hand computations, the CLI's JSON
shapes, dedup on constructed vectors and on the real bundled model's embeddings, and eval respond ->
judge mentalchat7 -> eval compare end to end on the bundled models."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

from onprem import dedup
from onprem.cli import cli
from onprem.evals import agreement as ag
from onprem.papers.mentalchat16k import compare as cmp

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["active_listening", "empathy_validation", "safety_trustworthiness", "open_mindedness_non_judgment",
        "clarity_encouragement", "boundaries_ethical", "holistic_approach"]


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def scores_csv(path, values):
    path.write_text("item_id,round,metric,score\n" + "".join(
        f"q{i % 3},{1 + i // 3},{m},{v}\n" for m in KEYS for i, v in enumerate(values[m])))
    return path


def test_compare_equals_scipy_and_prints_the_json_shape(tmp_path):
    rng = np.random.default_rng(0)
    a = {m: rng.integers(1, 11, 6).tolist() for m in KEYS}
    b = {m: rng.integers(1, 11, 6).tolist() for m in KEYS}
    fa, fb = scores_csv(tmp_path / "a.csv", a), scores_csv(tmp_path / "b.csv", b)
    for test in ("welch", "student"):
        out = json.loads(invoke(tmp_path / "t.db", "eval", "compare", fa, fb, "--json", "--test", test).output)
        assert list(out["metrics"]) == KEYS
        for m in KEYS:
            r = out["metrics"][m]
            want = stats.ttest_ind(a[m], b[m], equal_var=test == "student")
            assert set(r) == {"n_a", "n_b", "mean_a", "mean_b", "sd_a", "sd_b", "t", "p", "significant"}
            assert r["t"] == pytest.approx(want.statistic) and r["p"] == pytest.approx(want.pvalue)
            assert r["mean_a"] == pytest.approx(np.mean(a[m])) and r["sd_b"] == pytest.approx(np.std(b[m], ddof=1))
            assert r["significant"] == (want.pvalue < 0.05) and r["n_a"] == 6
    # per round: the mean of each round's scores (rounds 1 and 2 of three items each)
    out = json.loads(invoke(tmp_path / "t.db", "eval", "compare", fa, fb, "--json", "--unit", "round").output)
    m = KEYS[0]
    assert out["metrics"][m]["n_a"] == 2
    assert out["metrics"][m]["mean_a"] == pytest.approx(np.mean([np.mean(a[m][:3]), np.mean(a[m][3:])]))
    bad = tmp_path / "bad.csv"
    bad.write_text("item_id,round,metric,score\nq1,1,warmth,5\n")
    r = invoke(tmp_path / "t.db", "eval", "compare", bad, fb)
    assert r.exit_code == 1 and "bad.csv: line 2: unknown metric 'warmth'" in r.output


def test_compare_hand_computation():
    """Welch by hand: a = 1,2,3 and b = 4,6,8: t = (2 - 6) / sqrt(1/3 + 4/3) = -3.098."""
    a = [("i", 1, "active_listening", x) for x in (1.0, 2.0, 3.0)]
    b = [("i", 1, "active_listening", x) for x in (4.0, 6.0, 8.0)]
    r = cmp.compare({"j": a}, {"j": b})["metrics"]["active_listening"]
    assert r["t"] == pytest.approx(-4 / np.sqrt(1 / 3 + 4 / 3)) and r["mean_b"] == 6.0 and r["sd_b"] == 2.0


def test_cohen_and_fleiss_kappa_by_hand(tmp_path):
    # Cohen: 10 items, raters agree on 7; A says yes 5 times, B 6 times: po 0.7, pe 0.5*0.6 + 0.5*0.4 = 0.5,
    # kappa (0.7 - 0.5) / 0.5 = 0.4.
    x = list("YYYYYNNNNN")
    y = list("YYYYNYYNNN")
    assert ag.cohen_kappa(x, y) == pytest.approx(0.4)
    # Fleiss: the textbook example of 10 items, 14 raters, 5 categories (kappa 0.210).
    counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    rows = [[str(c) for c, n in enumerate(row) for _ in range(n)] for row in counts]
    assert ag.fleiss_kappa(rows) == pytest.approx(0.2099, abs=1e-4)
    # CLI: three raters, C skipped item 3 (left out of C's pairs and of Fleiss)
    f = tmp_path / "labels.csv"
    data = {"A": "1 2 3 1 2", "B": "1 2 3 2 2", "C": "1 3 - 1 2"}
    f.write_text("item_id,rater,label\n" + "".join(
        f"i{k},{r},{v}\n" for r, vals in data.items() for k, v in enumerate(vals.split()) if v != "-"))
    out = json.loads(invoke(tmp_path / "t.db", "eval", "agreement", f, "--json").output)
    assert set(out) == {"pairwise", "mean_pairwise_kappa", "fleiss_kappa", "n_items", "raters"}
    assert out["raters"] == ["A", "B", "C"] and out["n_items"] == 5
    assert out["pairwise"]["A|B"] == pytest.approx(ag.cohen_kappa(list("12312"), list("12322")))
    assert out["pairwise"]["A|C"] == pytest.approx(ag.cohen_kappa(list("1212"), list("1312")))
    assert out["mean_pairwise_kappa"] == pytest.approx(np.mean(list(out["pairwise"].values())))
    assert out["fleiss_kappa"] == pytest.approx(ag.fleiss_kappa([list("111"), list("223"), list("121"), list("222")]))


def test_dedup_decisions_on_constructed_vectors():
    """Row 1 is within the threshold of row 0; row 2 is near row 1 only (a duplicate, so not a
    neighbour); row 3 is approved and stays."""
    def unit(deg):
        return [np.cos(np.radians(deg)), np.sin(np.radians(deg))]
    v = np.array([unit(0), unit(10), unit(20), unit(5)], dtype=np.float32)
    d = dedup.decide(v, threshold=np.cos(np.radians(12)), always=np.array([False, False, False, True]))
    assert d.duplicate.tolist() == [False, True, False, False]
    assert d.nearest.tolist() == [-1, 0, 0, 0] and d.similarity[2] == pytest.approx(np.cos(np.radians(20)), abs=1e-6)


NEAR = ("I have been feeling anxious every morning before work for about six months. My heart races, I cannot eat "
        "breakfast, and on bad days I call in sick. I want to learn how to calm down. What would counselling involve?")
COPY = ("For about six months I have been feeling anxious every morning before work. My heart races, I can't eat "
        "breakfast, and on bad days I call in sick. I want to learn to calm down. What would counselling involve?")
OTHER = ("Since my promotion I lie awake worrying about making mistakes in meetings. I check my emails again and again "
         "at night and snap at my partner when she asks me to stop. How can I stop worrying so much?")


@pytest.mark.model
def test_dedup_marks_a_near_copy_and_keeps_another_query_on_the_same_topic(tmp_path):
    db = tmp_path / "d.db"
    f = tmp_path / "pairs.jsonl"
    # (import scans every pair: spaCy reads "Answer Answer ..." as a company, which would hold it back)
    answer = "It may help to talk this through with someone you trust and to keep a steady routine. " * 3
    f.write_text("".join(json.dumps({"instruction": "", "input": q, "output": answer}) + "\n"
                         for q in (NEAR, COPY, OTHER)))
    assert invoke(db, "import", f, "--format", "mentalchat16k").exit_code == 0
    r = invoke(db, "dedup", "--threads", "1")
    assert "3 embedded" in r.output and "1 duplicates at cosine >= 0.965" in r.output, r.output
    rows = sqlite3.connect(db).execute("select id, status, nearest_id, similarity, reason from qa_pairs order by id").fetchall()
    assert [x[1] for x in rows] == ["kept", "duplicate", "kept"]
    assert rows[1][2] == rows[0][0] and rows[1][3] > 0.965 > rows[2][3]
    # re-tuned without embedding again: a low threshold marks the other query too, then is undone
    r = invoke(db, "dedup", "--threshold", "0.5", "--threads", "1")
    assert "0 embedded" in r.output and "2 duplicates" in r.output
    invoke(db, "dedup", "--threads", "1")
    assert [x[0] for x in sqlite3.connect(db).execute("select status from qa_pairs order by id")] == \
        ["kept", "duplicate", "kept"]


# Scores of the bundled models: Gemma and SmolLM2 answer 2 questions once (48 tokens), the registry's
# judge scores both; the metric means of the comparison (pinned; re-pinned when the instruction took
# every element of MentalChat16K's §3.2 inference instruction, issue 26).
PINNED = [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0), (4.0, 4.0), (5.0, 6.0), (6.0, 6.0), (7.0, 3.0)]


@pytest.mark.model
def test_respond_judge_compare_end_to_end_on_the_bundled_models(tmp_path):
    db = tmp_path / "e.db"
    q = tmp_path / "q.jsonl"
    q.write_text("".join(line + "\n" for line in (ROOT / "examples" / "questions.jsonl").read_text().splitlines()[:2]))

    def onprem(*args):
        return subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), *map(str, args)],
                              capture_output=True, text=True)
    for model in ("gemma3-270m", "smollm2-135m"):
        r = onprem("eval", "respond", "--questions", q, "--model", model, "--rounds", "1", "--max-tokens", "48",
                   "--threads", "1", "--progress", "plain")
        assert r.returncode == 0, r.stderr
    r = onprem("judge", "mentalchat7", "--responses", "run:1", "--threads", "1", "--progress", "plain")
    assert r.returncode == 0 and "judged 2 responses" in r.stdout, r.stdout + r.stderr
    r = onprem("judge", "mentalchat7", "--responses", "run:2", "--threads", "1", "--progress", "plain")
    assert r.returncode == 0, r.stderr
    out = json.loads(onprem("eval", "compare", "run:1", "run:2", "--json").stdout)
    assert list(out["metrics"]) == KEYS and out["metrics"][KEYS[0]]["n_a"] == 2
    got = [(out["metrics"][m]["mean_a"], out["metrics"][m]["mean_b"]) for m in KEYS]
    assert got == PINNED, repr(got)
    r = onprem("judge", "mentalchat7", "--responses", "run:9")
    assert r.returncode == 2 and "--responses run:9: that run stored no responses" in r.stderr


def test_respond_names_bad_rows_and_answers_the_rest(tmp_path, script_file):
    db = tmp_path / "r.db"
    q = tmp_path / "q.csv"
    q.write_text("id,question\nq1,How do I sleep better?\nq2,\nq1,Again the same id?\nq3,What helps with worry?\n")
    r = invoke(db, "eval", "respond", "--questions", q, "--model", script_file(["Keep a regular bedtime."], then="repeat"),
               "--rounds", "2", "--progress", "plain")
    assert r.exit_code == 1
    assert f"{q}: line 3: needs an id and a question; fix or remove the row" in r.output
    assert f"{q}: line 4: repeats id q1" in r.output and "4 responses, 0 failed" in r.output
    rows = sqlite3.connect(db).execute("select q.key, r.round, r.seed, r.response from eval_responses r "
                                       "join eval_questions q on q.id = r.question_id order by r.id").fetchall()
    assert [(k, rnd) for k, rnd, _, _ in rows] == [("q1", 1), ("q3", 1), ("q1", 2), ("q3", 2)]
    assert len({s for _, _, s, _ in rows}) == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("question,id\nx,y\n")
    r = invoke(db, "eval", "respond", "--questions", bad, "--model", script_file(["x"]))
    assert r.exit_code == 1 and "bad.csv: the header must be id,question" in r.output
