"""Zero planted identifiers in an exported dataset made from transcripts that contain them.

The end-to-end test runs `onprem paraphrase` on example transcripts with the real default GGUF,
then `onprem export` with the default policy and with --include-flagged, and compares every
exported field with the planted identifiers through redaction.leak_check (case-, format- and
digit-insensitive, Unicode-folded). A second, fast test proves the gate itself: a model that
echoes identifiers gets its pairs flagged, and the default export holds them back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onprem.store.pages import pages_to_do

from redaction import leak_check

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "transcripts"
# Two marked pages with a planted name, street address and town: few pages, so the real model
# (seconds per page on an idle machine) keeps this test short.
FILES = [EXAMPLES / "grief_support_notes.md"]

# Everything planted in that file, as written there; leak_check folds case, accents, Unicode
# look-alikes and punctuation, so "PORTLAND" or "42 willow-lane" count too.
PLANTED = ["Portland", "Abernathy", "Mr. Abernathy", "42 Willow Lane", "Willow Lane"]


def exported_texts(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        out += [obj["instruction"], obj["input"], obj["output"]]
    return out


def assert_no_planted(texts: list[str]) -> None:
    for text in texts:
        leaks = leak_check(text, PLANTED)
        assert leaks == [], [(l.original, l.text) for l in leaks]


@pytest.mark.model
def test_export_from_the_real_model_holds_no_planted_identifier(tmp_path):
    from click.testing import CliRunner

    from onprem.cli import cli

    db = tmp_path / "release.db"
    run = CliRunner().invoke(cli, ["--db", str(db), "paraphrase", *map(str, FILES)], catch_exceptions=False)
    assert run.exit_code == 0, run.output       # pinned: page 1 kept, page 0 filtered (test_e2e_real_model)

    import sqlite3

    con = sqlite3.connect(db)
    # the model saw only redacted pages
    for (page,) in con.execute("select redacted_text from pages"):
        assert_no_planted([page])
    n_pairs = con.execute("select count(*) from qa_pairs").fetchone()[0]
    assert n_pairs == con.execute("select count(*) from pages").fetchone()[0] == 2
    # what the model wrote, released or not
    for q, a in con.execute("select question, answer from qa_pairs"):
        assert_no_planted([q, a])

    for flags in ([], ["--include-flagged"]):
        out = tmp_path / f"release{'-flagged' if flags else ''}.jsonl"
        r = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "mentalchat16k", "--out", str(out), *flags],
                               catch_exceptions=False)
        assert r.exit_code == 0, r.output
        texts = exported_texts(out)
        assert len(texts) == 1 * 3                # the kept pair released: the check ran on real output
        assert_no_planted(texts)
        csv_out = out.with_suffix(".csv")
        r = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "csv", "--out", str(csv_out), *flags],
                               catch_exceptions=False)
        assert r.exit_code == 0, r.output
        assert_no_planted([csv_out.read_text(encoding="utf-8")])


def test_the_gate_holds_back_pairs_that_echo_identifiers(store, redactor, scripted, tmp_path):
    """A model that repeats what the page said (here scripted to) cannot get it released by default."""
    from onprem.pipeline import paraphrase as pp
    from onprem.release import Policy, release
    from onprem.pipeline.ingest import ingest, read_document
    from tests.conftest import long_text

    doc = read_document(EXAMPLES / "grief_support_notes.md")
    sid, _ = ingest(store, doc, redactor=redactor, budget=700, count_tokens=scripted.count_tokens)
    filler = long_text(45, "w")
    scripted.replies = [
        json.dumps({"question": f"{filler} my neighbour Mr Abernathy", "answer": long_text(50, "a")}),
        json.dumps({"question": long_text(45, "q"), "answer": f"{filler} she lives at 42 willow lane, portland"}),
    ]
    from onprem.runs import start_run

    opts = pp.Options()
    run_id = start_run(store, "paraphrase", models={"paraphrase": scripted}, params=opts.params(), seed=opts.seed)
    pages = pages_to_do(store, [sid], force=False)
    tally = pp.run_pages(store, scripted, redactor, pages, opts, run_id)
    assert tally.flagged == 2

    out = tmp_path / "default.jsonl"
    done = release(store, "mentalchat16k", out, Policy(), actor="steward")
    assert done.written == 0 and done.selection.held["flagged"] == 2
    assert_no_planted(exported_texts(out))
    # releasing flagged pairs takes an explicit flag, and they are counted
    done = release(store, "mentalchat16k", tmp_path / "flagged.jsonl", Policy(include_flagged=True), actor="steward")
    assert done.written == 2 and done.selection.flagged_included == 2
