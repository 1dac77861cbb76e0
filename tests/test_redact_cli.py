"""`onprem redact PATH... --out DIR`: redacted copies of the example transcripts, without the model."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from redaction import leak_check

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "transcripts"

# Every identifier planted in examples/transcripts, in the form it is written there.
PLANTED = [
    "Margaret Ellison", "St. Anne's Hospice", "Dayton", "(555) 201-3344", "Linda Park", "Linda", "March 14th",
    "Harbor Logistics", "Derek Olsen", "Derek", "dana.reyes@example.org",
    "Portland", "Abernathy", "42 Willow Lane",
]


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture(scope="module")
def redacted(tmp_path_factory):
    from click.testing import CliRunner

    from onprem.cli import cli

    base = tmp_path_factory.mktemp("redact")
    out, report = base / "out", base / "report.json"
    result = CliRunner().invoke(cli, ["redact", str(EXAMPLES), "--out", str(out), "--report", str(report)],
                                catch_exceptions=False)
    return out, report, result


def test_every_example_is_written_owner_only_under_its_own_name(redacted):
    out, report, result = redacted
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md"))
    assert sorted(p.name for p in out.iterdir()) == names  # and no temporary files left behind
    assert mode(out) == 0o700
    for p in out.iterdir():
        assert mode(p) == 0o600, p
    assert mode(report) == 0o600
    assert "3/3 files redacted" in result.output


def test_no_planted_identifier_survives(redacted):
    out, _, _ = redacted
    for p in out.iterdir():
        text = p.read_text(encoding="utf-8")
        leaks = leak_check(text, PLANTED)
        assert leaks == [], (p.name, [(l.original, l.text) for l in leaks])


def test_placeholders_are_consistent_within_a_file(redacted):
    out, _, _ = redacted
    text = (out / "client_therapist_session.txt").read_text(encoding="utf-8")
    # "Derek Olsen" and, later, "Derek" are one person; "Harbor Logistics" an employer.
    assert "my manager, [PERSON_1]," in text and "That [PERSON_1] told me" in text
    assert "at [FACILITY_1]," in text
    assert "Client: Hopeful, actually." in text  # text without identifiers is untouched


def test_report_counts_types_and_holds_no_originals(redacted):
    _, report, result = redacted
    data = json.loads(report.read_text())
    assert data["style"] == "placeholder" and data["failed"] == []
    assert data["totals"]["PERSON"] >= 6 and data["totals"]["PHONE_NUMBER"] == 1
    assert data["totals"]["EMAIL_ADDRESS"] == 1 and data["totals"]["STREET_ADDRESS"] == 1
    per_file = {f["file"]: f for f in data["files"]}
    assert per_file["caregiver_coach_visit1.txt"]["counts"]["PHONE_NUMBER"] == 1
    assert sum(data["totals"].values()) == sum(f["identifiers"] for f in data["files"])
    assert leak_check(report.read_text(), PLANTED) == []
    # the printed table has a row per type and a total column
    assert "PHONE_NUMBER" in result.output and "total" in result.output


def test_surrogate_style_uses_realistic_fakes(cli, tmp_path):
    out = tmp_path / "fake"
    r = cli("redact", EXAMPLES / "client_therapist_session.txt", "--out", out, "--pii-style", "surrogate")
    assert r.exit_code == 0, r.output
    text = (out / "client_therapist_session.txt").read_text(encoding="utf-8")
    assert "[PERSON_" not in text and "[EMAIL_" not in text
    assert leak_check(text, PLANTED) == []
    assert "@example.com" in text  # the surrogate e-mail domain
    again = tmp_path / "again"
    cli("redact", EXAMPLES / "client_therapist_session.txt", "--out", again, "--pii-style", "surrogate")
    # surrogates are seeded by the file's hash: the same file gets the same fakes
    assert (again / "client_therapist_session.txt").read_text(encoding="utf-8") == text


def test_bad_inputs_fail_one_by_one_and_the_rest_is_done(cli, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Client: my sister jenny called from 555-201-3344.\n", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 10)
    (src / "latin1.txt").write_bytes("Client: caf\xe9 talk".encode("latin-1"))
    out = tmp_path / "out"
    r = cli("redact", src, "--out", out)
    assert r.exit_code == 1, r.output
    assert "empty.txt: file is empty" in r.output
    assert "binary.txt: looks like a binary file" in r.output
    assert "latin1.txt: not UTF-8 text" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["good.txt"]
    good = (out / "good.txt").read_text(encoding="utf-8")
    assert "jenny" not in good and "3344" not in good
    assert "1/4 files redacted" in r.output


def test_usage_errors_exit_2(cli, tmp_path):
    r = cli("redact", tmp_path / "missing.txt", "--out", tmp_path / "o")
    assert r.exit_code == 2 and "missing.txt: no such file or folder" in r.output
    empty = tmp_path / "nothing"
    empty.mkdir()
    r = cli("redact", empty, "--out", tmp_path / "o")
    assert r.exit_code == 2 and "no .txt or .md transcripts" in r.output
    afile = tmp_path / "afile"
    afile.write_text("x")
    r = cli("redact", EXAMPLES, "--out", afile)
    assert r.exit_code == 2
    r = cli("redact", EXAMPLES)
    assert r.exit_code == 2 and "--out" in r.output
    r = cli("redact", EXAMPLES, "--out", tmp_path / "o", "--pii-style", "blur")
    assert r.exit_code == 2


def test_never_overwrites_the_original_or_a_namesake(cli, tmp_path):
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    original = "Client: Dr. Adeyemi called me.\n"
    (src / "a" / "notes.txt").write_text(original, encoding="utf-8")
    (src / "b" / "notes.txt").write_text("Client: my brother tobias is here.\n", encoding="utf-8")
    r = cli("redact", src / "a" / "notes.txt", "--out", src / "a")
    assert r.exit_code == 1 and "refusing to overwrite the original" in r.output
    assert (src / "a" / "notes.txt").read_text(encoding="utf-8") == original
    r = cli("redact", src, "--out", tmp_path / "out")
    assert r.exit_code == 1 and "same file name" in r.output
    assert "Adeyemi" not in (tmp_path / "out" / "notes.txt").read_text(encoding="utf-8")


def test_odd_unicode_does_not_let_identifiers_through(cli, tmp_path):
    src = tmp_path / "u.txt"
    # zero-width space inside the phone number, NBSP inside the SSN, a Cyrillic 'а' in the name
    src.write_text("Client: call 555-20\u200b1-3344, my social is 123\u00a045\u00a06789, my sister J\u0430nny knows.\n",
                   encoding="utf-8")
    r = cli("redact", src, "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "o" / "u.txt").read_text(encoding="utf-8")
    assert leak_check(text, ["555-201-3344", "123-45-6789", "Janny"]) == []


def test_works_without_any_model(tmp_path):
    """`onprem redact` needs no GGUF: with an empty models folder and llama.cpp's model class made
    to fail on use, it still redacts."""
    code = (
        "import llama_cpp\n"
        "def refuse(*a, **k): raise SystemExit('a model was loaded')\n"
        "llama_cpp.Llama.__init__ = refuse\n"
        "from onprem.cli import cli\n"
        f"cli.main(['redact', {str(EXAMPLES / 'grief_support_notes.md')!r}, '--out', {str(tmp_path / 'o')!r}],"
        " standalone_mode=False)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "ONPREM_MODELS_DIR": str(tmp_path / "no-models")})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "1/1 files redacted" in proc.stdout
    assert leak_check((tmp_path / "o" / "grief_support_notes.md").read_text(encoding="utf-8"), PLANTED) == []
