"""End to end on the real default GGUF through llama-cpp-python, real Presidio and real SQLite."""

import json
import sqlite3

import pytest

from onprem.pipeline.text import count_words

pytestmark = pytest.mark.model

NOTES = "examples/transcripts/grief_support_notes.md"  # two marked pages, planted identifiers


@pytest.fixture(scope="module")
def paraphrased(tmp_path_factory):
    from click.testing import CliRunner

    from onprem.cli import cli

    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "paraphrase", NOTES], catch_exceptions=False)
    return db, result


def test_paraphrase_runs_every_page_on_the_default_model(paraphrased):
    db, result = paraphrased
    assert result.exit_code in (0, 1), result.output
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from pages").fetchone()[0] == 2
    assert con.execute("select count(*) from pages where status = 'pending'").fetchone()[0] == 0
    pairs = con.execute("select status, question, answer, q_words, a_words from qa_pairs order by seq").fetchall()
    assert len(pairs) == 2
    for status, q, a, qw, aw in pairs:
        assert status in ("kept", "filtered", "flagged", "failed")
        if status in ("kept", "flagged"):
            assert qw >= 40 and aw >= 40 and count_words(q) == qw
    run = con.execute("select model_name, model_sha256, prompt_hash, status, stats from runs").fetchone()
    assert run[0] == "gemma3-270m" and len(run[1]) == 64 and len(run[2]) == 64
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
    kept = sqlite3.connect(db).execute("select count(*) from qa_pairs where status = 'kept'").fetchone()[0]
    lines = out.read_text().splitlines()
    assert len(lines) == kept
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
    assert first.status != "failed", first.reason
    assert (first.question, first.answer) == (second.question, second.answer)
    other = pp.paraphrase_page(real_model, redactor, page, [], pp.Options(roles=opts.roles, seed=7))
    assert (other.question, other.answer) != (first.question, first.answer)
