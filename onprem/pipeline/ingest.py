"""Read a transcript file: refuse what is not text, decode, normalise, fingerprint."""

from __future__ import annotations


import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from onprem.errors import InputError, UserError

SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Document:
    path: Path
    text: str
    sha256: str
    encoding: str


def find_transcripts(paths: list[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into transcript files, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        elif p.is_file():
            found.append(p)
        else:
            raise UserError(f"{p}: no such file or folder; give a transcript file or a folder of .txt/.md files")
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text. UTF-8 (with or without BOM) and BOM-marked UTF-16 are recognised;
    anything else is reported with the offending byte so the user can pass --encoding."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise InputError(f"{path}: cannot be read as {encoding} ({e}); check --encoding") from e
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        bad = data[e.start]
        raise InputError(
            f"{path}: not UTF-8 text (byte 0x{bad:02x} at offset {e.start}); "
            f"convert it to UTF-8 or pass --encoding (for example --encoding cp1252)"
        ) from e


def normalise(text: str) -> str:
    """One canonical form: NFC, Unix newlines, no trailing spaces. Form feeds (page breaks) stay."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip(" \t") for line in text.split("\n")).strip("\n ")


def read_document(path: Path, encoding: str | None = None) -> Document:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror}); check the path and its permissions") from e
    if not data.strip():
        raise InputError(f"{path}: file is empty; remove it or add the transcript text")
    # NUL bytes do not occur in text files (UTF-16 is caught by its BOM above them).
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{path}: looks like a binary file, not a transcript; give .txt or .md text")
    text, used = decode(path, data, encoding)
    text = normalise(text)
    if not text.strip():
        raise InputError(f"{path}: file has no text; remove it or add the transcript text")
    return Document(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), encoding=used)


# A file of more pages than this reports its redaction as it goes (a 50 MB transcript takes minutes).
NOTE_PAGES = 10


def ingest(store, doc: Document, *, redactor, budget: int, count_tokens, pii_style: str = "placeholder",
           note=None, force: bool = False, strict: bool = False, pii_model=None) -> tuple[int, bool]:
    """Store a document as a source with its pages, redacted, in one transaction.

    Returns (source_id, new). A document already stored (same sha256) is not split again, so a
    re-run resumes it; its pages keep the redaction they were given the first time, unless the run
    asks for another --pii-style: that needs `force`, and then the pages are redacted again in the
    new style (decisions on the same findings carried over, the change audited).

    Uncertain findings (scored below the threshold) stay in the page and are stored as `uncertain`
    rows for a person to decide; with `strict` they are redacted like the others. With `pii_model`
    a local model takes a second look at each redacted page, and what it finds joins the
    uncertain findings (onprem.pii_model).
    """
    known = stored_source(store, doc, pii_style, force, lambda: redactor)
    if known is not None:
        return known, False
    from onprem.pipeline.split import split_pages

    pages = split_pages(doc.text, budget, count_tokens)
    redacted, mapping = redact_document(redactor, pages, doc.sha256[:16], pii_style, strict, pii_model, note)
    return store_document(store, doc, pages, redacted, mapping, count_tokens, pii_style), True


def stored_source(store, doc: Document, pii_style: str, force: bool, redactor: Callable) -> int | None:
    """The source id of a document stored before (restyled first, by `redactor()`, when the run
    asks for another --pii-style with --force), or None for a new one."""
    from onprem.store.pages import source_by_sha256

    existing = source_by_sha256(store, doc.sha256)
    if existing is None:
        return None
    sid, stored_style = existing["id"], existing["pii_style"] or "placeholder"
    if stored_style != pii_style:
        if not force:
            raise InputError(f"{doc.path}: its pages were redacted with --pii-style {stored_style}; run with "
                             f"--force to redact them again as {pii_style} (earlier pairs are kept as "
                             f"superseded), or keep --pii-style {stored_style}")
        restyle(store, sid, doc, redactor(), pii_style)
    return sid


def redact_document(redactor, pages: list[str], seed: str, pii_style: str, strict: bool = False, pii_model=None,
                    note=None) -> tuple[list, object]:
    """A document's pages redacted in order with one placeholder map (a name is [NAME_1] on every
    page). Pure: touches no database, so a worker process can run it (onprem.pipeline.workers)."""
    from redaction import PlaceholderMap

    from onprem.pii_model import redact as redact_page

    mapping = PlaceholderMap(seed=seed)  # surrogates are reproducible per document
    redacted = []
    for i, page in enumerate(pages, 1):
        redacted.append(redact_page(redactor, page, mapping, pii_style, strict, pii_model))
        if note is not None and len(pages) > NOTE_PAGES and (i % NOTE_PAGES == 0 or i == len(pages)):
            note(f"ingest: {i}/{len(pages)} pages redacted")
    return redacted, mapping


def store_document(store, doc: Document, pages: list[str], redacted: list, mapping, count_tokens,
                   pii_style: str) -> int:
    """A new source with its pages, their findings and the placeholder map, in one transaction."""
    from onprem.pipeline.text import count_words, speaker_turns
    from onprem.store.db import now
    from onprem.store.pages import add_source

    source = {"name": doc.path.name, "path": str(doc.path.resolve()), "sha256": doc.sha256, "kind": "transcript",
              "encoding": doc.encoding, "has_speakers": int(speaker_turns(doc.text) is not None),
              "n_words": count_words(doc.text), "pii_style": pii_style, "created_at": now()}
    rows = [{"row": {"seq": seq, "text": page, "redacted_text": red.text, "n_tokens": count_tokens(page),
                     "status": "pending"},
             "spans": [_span_row(s) for s in red.spans] + [_span_row(s, finding="uncertain") for s in red.uncertain]}
            for seq, (page, red) in enumerate(zip(pages, redacted))]
    return add_source(store, source, rows, _map_rows(mapping))


def _span_row(s, decision: str = "pending", finding: str = "detected") -> dict:
    return {"field": "page", "start": s.start, "end": s.end, "entity_type": s.entity_type, "score": s.score,
            "recognizer": s.recognizer, "text": s.text, "placeholder": s.placeholder, "finding": finding,
            "decision": decision}


def _map_rows(mapping) -> list[dict]:
    return [{"placeholder": e.placeholder, "original": original, "entity_type": e.entity_type,
             "surrogate": e.surrogate} for e in mapping.entries() for original in e.originals]


def restyle(store, source_id: int, doc: Document, redactor, pii_style: str) -> None:
    """Redact a stored document's pages again in another style, in one transaction; a person's
    decisions on the same findings carry over (onprem.store.pages.restyle_source)."""
    from redaction import PlaceholderMap

    from onprem.store.pages import page_texts, restyle_source

    pages = page_texts(store, source_id)
    mapping = PlaceholderMap(seed=doc.sha256[:16])
    redacted = [redactor.redact(p["text"], mapping, style=pii_style) for p in pages]
    restyle_source(store, source_id, [{"id": p["id"], "redacted_text": red.text, "spans": [_span_row(s) for s in red.spans]}
                                      for p, red in zip(pages, redacted)], _map_rows(mapping), pii_style)
