import codecs

import pytest

from onprem.errors import InputError, UserError
from onprem.pipeline.ingest import find_transcripts, ingest, read_document


def test_reads_and_fingerprints_utf8(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("Coach: héllo\r\nCaregiver: hi  \r\n", encoding="utf-8")
    doc = read_document(f)
    assert doc.text == "Coach: héllo\nCaregiver: hi" and doc.encoding == "utf-8" and len(doc.sha256) == 64


def test_utf8_bom_and_utf16_are_recognised(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(codecs.BOM_UTF8 + "Coach: hi".encode())
    b.write_bytes("Coach: hi".encode("utf-16"))
    assert read_document(a).text == "Coach: hi"
    assert read_document(b).text == "Coach: hi"


@pytest.mark.parametrize("content,message", [
    (b"", "file is empty"),
    (b"   \n\n  ", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("Coach: caf\xe9".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 10)"),
])
def test_bad_input_gets_one_clear_line_naming_the_file(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_document(f)
    assert message in str(e.value) and "bad.txt" in str(e.value) and "\n" not in str(e.value)


def test_explicit_encoding_reads_legacy_text(tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes("Coach: café".encode("cp1252"))
    assert read_document(f, encoding="cp1252").text == "Coach: café"


def test_find_transcripts_recurses_and_rejects_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "sub/b.md", "sub/c.csv"):
        (tmp_path / name).write_text("Coach: hi")
    assert [p.name for p in find_transcripts([tmp_path])] == ["a.txt", "b.md"]
    with pytest.raises(UserError, match="nope"):
        find_transcripts([tmp_path / "nope"])


def test_ingest_stores_redacted_pages_once(tmp_path, store, redactor):
    f = tmp_path / "t.txt"
    f.write_text("Coach: Hello Maria Gonzalez, call me at 555-201-3344.\nCaregiver: Thanks, I will.")
    doc = read_document(f)
    sid, new = ingest(store, doc, redactor=redactor, budget=200, count_tokens=lambda t: len(t.split()))
    assert new
    page = next(store.db["pages"].rows)
    assert "Maria Gonzalez" not in page["redacted_text"] and "555-201-3344" not in page["redacted_text"]
    assert "Maria Gonzalez" in page["text"]  # the original stays in the database only
    kinds = {r["entity_type"] for r in store.db["pii_spans"].rows}
    assert {"PERSON", "PHONE_NUMBER"} <= kinds
    assert store.db["pii_map"].count >= 2
    # The same file again is recognised by its sha256 and not stored twice.
    assert ingest(store, doc, redactor=redactor, budget=200, count_tokens=len) == (sid, False)
    assert store.db["sources"].count == 1
