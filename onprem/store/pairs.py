"""Browse's reads: pairs (filtered as the Search screen types them), sources, pages and one pair or
page in full. Every list takes offset/limit, so a screen never holds more rows than it shows."""

from __future__ import annotations

from dataclasses import dataclass

from onprem.store import Store
from onprem.store.fts import fts_query

# Characters of question/answer a list row carries (the detail view reads the whole text).
PREVIEW_CHARS = 160


@dataclass(frozen=True)
class PairFilter:
    status: str | None = None
    source_id: int | None = None
    page_id: int | None = None
    entity_type: str | None = None
    run_id: int | None = None
    text: str | None = None          # full-text search over question and answer
    generator: str | None = None     # the command that wrote the pair: paraphrase, or a generator's name
    max_grounding: float | None = None   # pairs less grounded in their page than this

    @classmethod
    def parse(cls, line: str) -> "PairFilter":
        """A filter as a person types it: `type:PERSON source:3 status:flagged generator:paraphrase
        grounding<0.3` and any other words as full-text search. A malformed value is a ValueError
        naming it."""
        values: dict = {}
        words = []
        for token in (line or "").split():
            key, sep, value = token.partition(":")
            if token.startswith("grounding<"):
                values["max_grounding"] = _number(token, token.split("<", 1)[1], float)
            elif sep and key in FILTER_KEYS and value:
                field = FILTER_KEYS[key]
                values[field] = _number(token, value, int) if field in ("source_id", "run_id") else (
                    value.upper() if field == "entity_type" else value)
            else:
                words.append(token)
        return cls(text=" ".join(words) or None, **values)

    def describe(self) -> str:
        """The filter as `parse` reads it (empty when there is none)."""
        parts = [f"{key}:{getattr(self, field)}" for key, field in FILTER_KEYS.items() if getattr(self, field) is not None]
        if self.max_grounding is not None:
            parts.append(f"grounding<{self.max_grounding:g}")
        return " ".join(parts + ([self.text] if self.text else []))


# The words of a typed filter -> PairFilter's fields.
FILTER_KEYS = {"type": "entity_type", "source": "source_id", "status": "status", "generator": "generator",
               "run": "run_id"}


def _number(token: str, value: str, kind):
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"“{token}”: give a number after the colon (for example source:3, grounding<0.3)") from None


def pair_where(f: PairFilter) -> tuple[str, str, list]:
    """(from clause, where clause, params) for pairs matching a filter."""
    frm, where, params = "qa_pairs q", [], []
    match = fts_query(f.text) if f.text else None
    if match:
        frm = "qa_pairs_fts fts join qa_pairs q on q.id = fts.rowid"
        where.append("qa_pairs_fts match ?")
        params.append(match)
    for col, value in (("status", f.status), ("source_id", f.source_id), ("page_id", f.page_id), ("run_id", f.run_id)):
        if value is not None:
            where.append(f"q.{col} = ?")
            params.append(value)
    if f.entity_type:
        where.append("(q.id in (select pair_id from pii_spans where entity_type = ? and pair_id is not null) "
                     "or q.page_id in (select page_id from pii_spans where entity_type = ? and field = 'page'))")
        params += [f.entity_type, f.entity_type]
    if f.generator:
        where.append("q.run_id in (select id from runs where command = ? or command = ?)")
        params += [f.generator, f"generate {f.generator}"]
    if f.max_grounding is not None:
        where.append("q.grounding < ?")
        params.append(f.max_grounding)
    return frm, (" where " + " and ".join(where)) if where else "", params


def count_pairs(store: Store, f: PairFilter = PairFilter()) -> int:
    frm, where, params = pair_where(f)
    return store.count(f"select count(*) from {frm}{where}", params)


def list_pairs(store: Store, f: PairFilter = PairFilter(), offset: int = 0, limit: int = 100) -> list[dict]:
    """One window of pairs in source and page order. Search results come in index order (which is
    insertion order): ranking by relevance must score every match first (0.3 s for a word found in
    90,000 pairs), while index order stops after one window."""
    frm, where, params = pair_where(f)
    order = "fts.rowid" if "fts" in frm else "q.source_id, q.seq, q.id"
    return list(store.db.query(
        f"select q.id, q.source_id, q.page_id, q.run_id, q.seq, q.status, q.reason, q.q_words, q.a_words, "
        f"substr(q.question, 1, {PREVIEW_CHARS}) as question, substr(q.answer, 1, {PREVIEW_CHARS}) as answer, "
        f"(select name from sources s where s.id = q.source_id) as source "
        f"from {frm}{where} order by {order} limit ? offset ?", [*params, limit, offset]))


def count_sources(store: Store) -> int:
    return store.count("select count(*) from sources")


def list_sources(store: Store, offset: int = 0, limit: int = 100) -> list[dict]:
    return list(store.db.query(
        "select s.id, s.name, s.kind, s.n_words, s.created_at, "
        "(select count(*) from pages p where p.source_id = s.id) as pages, "
        "(select count(*) from qa_pairs q where q.source_id = s.id) as pairs "  # index-only: superseded included
        "from sources s order by s.id limit ? offset ?", [limit, offset]))


def count_pages(store: Store, source_id: int) -> int:
    return store.count("select count(*) from pages where source_id = ?", [source_id])


def list_pages(store: Store, source_id: int, offset: int = 0, limit: int = 100) -> list[dict]:
    """Pages of a source, never their original text."""
    return list(store.db.query(
        "select p.id, p.seq, p.status, p.n_tokens, p.error, "
        "(select count(*) from pii_spans s where s.page_id = p.id and s.field = 'page') as spans, "
        "(select count(*) from qa_pairs q where q.page_id = p.id and q.status != 'superseded') as pairs "
        "from pages p where p.source_id = ? order by p.seq limit ? offset ?", [source_id, limit, offset]))


def page_view(store: Store, page_id: int) -> dict | None:
    """A page as a reviewer may see it without asking: redacted text, its findings, its pairs."""
    rows = list(store.db.query(
        "select p.id, p.source_id, p.seq, p.status, p.error, p.redacted_text, s.name as source "
        "from pages p join sources s on s.id = p.source_id where p.id = ?", [page_id]))
    if not rows:
        return None
    page = rows[0]
    page["spans"] = list(store.db.query(
        "select id, entity_type, placeholder, score, recognizer, decision, finding from pii_spans "
        "where page_id = ? and field = 'page' order by start", [page_id]))
    page["pairs"] = list(store.db.query(
        "select id, status, reason, question, answer, q_words, a_words, grounding from qa_pairs where page_id = ? "
        "order by status = 'superseded', id desc", [page_id]))
    return page


def original_spans(store: Store, page_id: int) -> list[dict]:
    """The page's findings, to mark in its original text (the Original screen)."""
    return list(store.db.query("select id, start, \"end\", entity_type from pii_spans where page_id = ? "
                               "and field = 'page'", [page_id]))


def pair_view(store: Store, pair_id: int) -> dict | None:
    """A pair with its findings and, for transcript pairs, its page's redacted text and findings."""
    rows = list(store.db.query(
        "select q.*, s.name as source from qa_pairs q join sources s on s.id = q.source_id where q.id = ?", [pair_id]))
    if not rows:
        return None
    pair = rows[0]
    pair["spans"] = list(store.db.query(
        "select id, field, start, \"end\", entity_type, score, recognizer, text, placeholder, finding, decision "
        "from pii_spans where pair_id = ? order by field, start", [pair_id]))
    pair["page"] = page_view(store, pair["page_id"]) if pair["page_id"] is not None else None
    return pair


def pair_of_span(store: Store, span_id: int) -> int | None:
    """The pair a finding belongs to: its own, or the live pair made from its page."""
    row = store.db.execute(
        "select coalesce(s.pair_id, (select q.id from qa_pairs q where q.page_id = s.page_id "
        "and q.status != 'superseded' order by q.id desc limit 1)) from pii_spans s where s.id = ?",
        [span_id]).fetchone()
    return row[0] if row else None
