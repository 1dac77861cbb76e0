"""End to end on the real default GGUF through llama-cpp-python, real Presidio and real SQLite.

The model, seed and input are pinned and decoding is deterministic, so these are regression tests:
they pin exactly what the default model writes for the example (a change in a prompt, the sampler,
the redaction or the model shows up here). When such a change is intended, update the pins below
from a run of `onprem paraphrase examples/transcripts/grief_support_notes.md` and say why in the commit.
"""

import hashlib
import json
import sqlite3

import pytest

from onprem.pipeline.text import count_words

pytestmark = pytest.mark.model

NOTES = "examples/transcripts/grief_support_notes.md"  # two marked pages, planted identifiers

# (page, status, question words, answer words, sha256 of question + "\n" + answer, first 16 hex digits)
# Page 0 has little to say: the model writes 37 + 19 words and the 40-word filter drops it (until the
# 40-word rule became a filter, the grammar padded it to 42 + 42, issue 26 item 3); page 1 is unchanged.
PINNED = [(0, "filtered", 37, 19, "87bfa70047f20686"), (1, "kept", 59, 66, "631975d8af98d56d")]


@pytest.fixture(scope="module")
def paraphrased(tmp_path_factory):
    from click.testing import CliRunner

    from onprem.cli import cli

    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "paraphrase", NOTES], catch_exceptions=False)
    return db, result


def test_paraphrase_output_is_pinned_on_the_default_model(paraphrased):
    db, result = paraphrased
    assert result.exit_code == 0, result.output
    assert "2 pages: 1 kept, 1 filtered, 0 flagged, 0 failed" in result.output
    con = sqlite3.connect(db)
    assert con.execute("select seq, status from pages order by seq").fetchall() == [(0, "done"), (1, "done")]
    pairs = con.execute("select seq, status, q_words, a_words, question, answer from qa_pairs order by seq").fetchall()
    got = [(seq, status, qw, aw, hashlib.sha256(f"{q}\n{a}".encode()).hexdigest()[:16])
           for seq, status, qw, aw, q, a in pairs]
    assert got == PINNED, [p[4][:200] for p in pairs]
    for _seq, _status, qw, aw, q, a in pairs:
        assert count_words(q) == qw and count_words(a) == aw
    run = con.execute("select model_name, model_sha256, prompt_hash, status, stats from runs").fetchone()
    assert run[0] == "gemma3-270m" and len(run[1]) == 64 and len(run[2]) == 64 and run[3] == "done"
    assert json.loads(run[4])["pages"] == 2


def test_the_model_never_sees_planted_identifiers(paraphrased):
    db, _ = paraphrased
    con = sqlite3.connect(db)
    redacted = " ".join(r[0] for r in con.execute("select redacted_text from pages"))
    for planted in ("Abernathy", "42 Willow Lane", "Portland"):
        assert planted not in redacted


def test_export_releases_only_pairs_meeting_the_40_word_rule(paraphrased, tmp_path):
    from click.testing import CliRunner

    from onprem.cli import cli

    db, _ = paraphrased
    out = tmp_path / "mc16k.jsonl"
    r = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "mentalchat16k", "--out", str(out)])
    assert r.exit_code == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 1                                   # the kept pinned pair; the filtered one stays back
    for line in lines:
        obj = json.loads(line)
        assert set(obj) == {"instruction", "input", "output"}
        assert count_words(obj["input"]) >= 40 and count_words(obj["output"]) >= 40


def test_same_seed_same_model_same_input_same_output(real_model, redactor):
    from onprem.pipeline import paraphrase as pp

    page = "Client: I have not been sleeping since the move.\nTherapist: What keeps you awake at night?"
    opts = pp.Options(roles=("client", "therapist"))
    first = pp.paraphrase_page(real_model, redactor, page, [], opts)
    second = pp.paraphrase_page(real_model, redactor, page, [], opts)
    # Pinned: a two-line page has little to say; the 270M model writes a short pair and the 40-word
    # filter drops it (before the rule became a filter, the grammar padded it to 40 words of
    # invention, which the grounding gate then flagged).
    assert (first.status, first.grounding) == ("filtered", 0.152), first.reason
    assert first.reason == "question has 29 words (minimum 40 each)"
    assert (first.question, first.answer) == (second.question, second.answer)
    other = pp.paraphrase_page(real_model, redactor, page, [], pp.Options(roles=opts.roles, seed=7))
    assert (other.question, other.answer) != (first.question, first.answer)
