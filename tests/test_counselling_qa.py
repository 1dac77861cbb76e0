"""MentalChat16K's synthetic half: the topic sampler (chi-square against the weights), the batch
parser and filters, the two-stage generator on a scripted model (control flow) and on the real
bundled model (end to end, pinned), stored as pairs with provenance, exported with the topic, and
the realised topic distribution in `onprem stats`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from click.testing import CliRunner
from scipy import stats

from onprem.cli import cli
from onprem.papers.mentalchat16k import generator as cq


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_topic_file_is_the_33_counselchat_topics():
    names, weights = cq.topics()
    assert len(names) == 33 and names[:5] == ["Relationships", "Anxiety", "Depression", "Intimacy", "Family Conflict"]
    assert sum(weights) == pytest.approx(1.0, abs=2e-4) and weights[-1] == 0.0008


def test_100000_draws_match_the_weights_chi_square():
    names, weights = cq.topics()
    n = 100_000
    seen = Counter(cq.draw_topics(n, seed=7))
    total = sum(weights)
    expected = [n * w / total for w in weights]
    result = stats.chisquare([seen[t] for t in names], expected)
    assert result.pvalue > 0.001, result
    # the draw is one seeded sequence: the same seed repeats it, and a longer draw extends it
    assert cq.draw_topics(10, 3) == cq.draw_topics(10, 3) == cq.draw_topics(25, 3)[:10]


def test_batch_parsing_and_filters_as_data():
    text = "Message 1: I feel alone.\n\nMessage 2: As an AI I cannot.\n**Message 3.** Work stress every day.\n"
    assert cq.split_messages(text) == {1: "I feel alone.", 2: "As an AI I cannot.", 3: "Work stress every day."}
    assert cq.filter_reason("As an AI, I cannot help") == r"refusal phrase /\bas an ai\b/"
    assert cq.filter_reason("It sounds like a hard week.").startswith("stock opener")
    assert cq.filter_reason("Start by writing down when the worry comes.") is None


QUERY = "I keep worrying about my job and I cannot sleep at night because of it. " * 3   # 45 words


def test_two_stages_statuses_reasons_and_provenance(tmp_path, script_file):
    """Stage 1 writes three queries (one too short, one cut off at the token limit is the last);
    stage 2 answers the accepted one, after a stock opener is drawn again."""
    db = tmp_path / "q.db"
    batch = f"{QUERY}\nMessage 2: Too short.\nMessage 3: {QUERY}"
    writer = script_file([batch, "I hear you, that is hard.", "Write down what you worry about, then plan one small step.",
                          "Try a short walk after dinner, then write the worry down."], then="default", default="x")
    r = invoke(db, "generate", "counselling-qa", "--count", "3", "--batch", "3", "--query-words", "40", "--seed", "5",
               "--model", writer, "--progress", "plain")
    assert r.exit_code == 0, r.output
    rows = sqlite3.connect(db).execute("select status, reason, meta, answer from qa_pairs order by seq").fetchall()
    metas = [json.loads(m) for _, _, m, _ in rows]
    assert [m["topic"] for m in metas] == cq.draw_topics(3, 5)
    assert [(s, why) for s, why, _, _ in rows] == [
        ("kept", None), ("filtered", "query has 2 words (minimum 40 each)"), ("kept", None)]
    assert metas[0]["stage"] == "response" and metas[0]["attempts"] == 2 and metas[1]["stage"] == "query"
    # both accepted queries are answered in one batch; the first answer opened with a stock phrase and was drawn again
    assert rows[0][3] == "Try a short walk after dinner, then write the worry down."
    assert rows[2][3] == "Write down what you worry about, then plan one small step."
    out = tmp_path / "e.jsonl"
    assert invoke(db, "export", "--format", "mentalchat16k", "--out", out).exit_code == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["topic"] for x in lines] == [metas[0]["topic"], metas[2]["topic"]]
    assert set(lines[0]) == {"instruction", "input", "output", "topic"}
    topics = json.loads(invoke(db, "stats", "--json").output)["topics"]["counselling-qa"]
    assert topics["n"] == 3 and sum(t["n"] for t in topics["topics"].values()) == 3
    # resumed: the batch is done
    again = invoke(db, "generate", "counselling-qa", "--count", "3", "--batch", "3", "--query-words", "40",
                   "--seed", "5", "--model", writer, "--progress", "plain")
    assert "1 already done" in again.output


# What the bundled SmolLM2-135M-Instruct writes for --count 2 --batch 2 --query-words 40 --seed 1
# --answer-tokens 96 on 1 thread: both stages run (the first query is answered; its answer reaches the
# token limit and is filtered; the batch holds no second message). Statuses and a hash (pinned).
PINNED = (['filtered', 'failed'], '5e932fd5a9b7eed4')


@pytest.mark.model
def test_end_to_end_on_the_bundled_model(tmp_path):
    db = tmp_path / "real.db"
    run = subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), "generate", "counselling-qa", "--count", "2",
                          "--model", "smollm2-135m", "--batch", "2", "--query-words", "40", "--answer-tokens", "96", "--seed", "1",
                          "--threads", "1", "--progress", "plain"], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    rows = sqlite3.connect(db).execute("select status, reason, question, answer, meta from qa_pairs order by seq").fetchall()
    assert len(rows) == 2 and all(json.loads(m)["topic"] in cq.topics()[0] for *_, m in rows)
    assert json.loads(rows[0][4])["stage"] == "response" and rows[0][3]
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]
    got = ([r[0] for r in rows], digest)
    assert got == PINNED, got
