"""Read-side queries shared by the CLI and the TUI (no SQL strings scattered in widgets)."""

from __future__ import annotations

from onprem.store import Store
from onprem.store.dialogue_queries import dialogue_queue_counts
from onprem.store.fts import fts_query
from onprem.store.uncertain import counts as uncertain_counts

PAIR_STATUSES = ("kept", "filtered", "failed", "flagged", "approved", "rejected", "duplicate", "superseded")


def _count(store: Store, sql: str, params=()) -> int:
    return store.db.execute(sql, params).fetchone()[0]


def word_distribution(values: list[int]) -> dict:
    import numpy as np     # not at import: the TUI's first screen needs no numpy

    if not values:
        return {"n": 0}
    a = np.asarray(values)
    p25, p50, p75 = np.percentile(a, [25, 50, 75])
    return {"n": int(a.size), "min": int(a.min()), "p25": float(p25), "median": float(p50),
            "p75": float(p75), "max": int(a.max()), "mean": round(float(a.mean()), 2)}


def overview(store: Store) -> dict:
    """Counts of everything, and word-count distributions of the pairs that have text."""
    by_status = dict(store.db.execute("select status, count(*) from qa_pairs group by status").fetchall())
    words = store.db.execute("select q_words, a_words from qa_pairs where question is not null "
                             "and status != 'superseded'").fetchall()
    dialogues = _count(store, "select count(*) from dialogues") if store.db["dialogues"].exists() else 0
    return {
        "sources": _count(store, "select count(*) from sources"),
        "pages": _count(store, "select count(*) from pages"),
        "pages_pending": _count(store, "select count(*) from pages where status = 'pending'"),
        **{f"pairs_{s}": by_status.get(s, 0) for s in PAIR_STATUSES},
        "dialogues": dialogues,
        "pii_findings": dict(store.db.execute(
            "select entity_type, count(*) from pii_spans where finding != 'uncertain' "
            "group by entity_type order by 2 desc").fetchall()),
        "uncertain_findings": uncertain_counts(store),
        "question_words": word_distribution([q for q, _ in words]),
        "answer_words": word_distribution([a for _, a in words]),
        "runs": _count(store, "select count(*) from runs"),
    }


# --- Read side of the TUI: paged lists, search, the review queue. Every list takes offset/limit
# (or a keyset) so a screen never holds more rows than it shows.

import json
from dataclasses import dataclass

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


def _pair_where(f: PairFilter) -> tuple[str, str, list]:
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
    frm, where, params = _pair_where(f)
    return _count(store, f"select count(*) from {frm}{where}", params)


def list_pairs(store: Store, f: PairFilter = PairFilter(), offset: int = 0, limit: int = 100) -> list[dict]:
    """One window of pairs in source and page order. Search results come in index order (which is
    insertion order): ranking by relevance must score every match first (0.3 s for a word found in
    90,000 pairs), while index order stops after one window."""
    frm, where, params = _pair_where(f)
    order = "fts.rowid" if "fts" in frm else "q.source_id, q.seq, q.id"
    return list(store.db.query(
        f"select q.id, q.source_id, q.page_id, q.run_id, q.seq, q.status, q.reason, q.q_words, q.a_words, "
        f"substr(q.question, 1, {PREVIEW_CHARS}) as question, substr(q.answer, 1, {PREVIEW_CHARS}) as answer, "
        f"(select name from sources s where s.id = q.source_id) as source "
        f"from {frm}{where} order by {order} limit ? offset ?", [*params, limit, offset]))


def count_sources(store: Store) -> int:
    return _count(store, "select count(*) from sources")


def list_sources(store: Store, offset: int = 0, limit: int = 100) -> list[dict]:
    return list(store.db.query(
        "select s.id, s.name, s.kind, s.n_words, s.created_at, "
        "(select count(*) from pages p where p.source_id = s.id) as pages, "
        "(select count(*) from qa_pairs q where q.source_id = s.id) as pairs "  # index-only: superseded included
        "from sources s order by s.id limit ? offset ?", [limit, offset]))


def count_pages(store: Store, source_id: int) -> int:
    return _count(store, "select count(*) from pages where source_id = ?", [source_id])


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


def count_pages_search(store: Store, text: str) -> int:
    match = fts_query(text)
    if not match:
        return 0
    return _count(store, "select count(*) from pages_fts where pages_fts match ?", [match])


def search_pages(store: Store, text: str, offset: int = 0, limit: int = 100) -> list[dict]:
    """Full-text search over redacted page text (the original is never indexed)."""
    match = fts_query(text)
    if not match:
        return []
    return list(store.db.query(
        "select p.id, p.source_id, p.seq, p.status, s.name as source, "
        "snippet(pages_fts, 0, '»', '«', '…', 10) as snippet "
        "from pages_fts join pages p on p.id = pages_fts.rowid join sources s on s.id = p.source_id "
        "where pages_fts match ? order by pages_fts.rowid limit ? offset ?", [match, limit, offset]))


def count_turns_search(store: Store, text: str) -> int:
    match = fts_query(text)
    if not match:
        return 0
    return _count(store, "select count(*) from turns_fts join turns t on t.id = turns_fts.rowid "
                         "join dialogues d on d.id = t.dialogue_id "
                         "where turns_fts match ? and d.status != 'superseded'", [match])


def search_turns(store: Store, text: str, offset: int = 0, limit: int = 100) -> list[dict]:
    """Full-text search over the turns of generated dialogues (superseded dialogues left out)."""
    match = fts_query(text)
    if not match:
        return []
    return list(store.db.query(
        "select t.id, t.dialogue_id, t.seq, t.speaker, coalesce(p.client_id, c.title, c.key) as client_id, "
        "snippet(turns_fts, 0, '»', '«', '…', 10) as snippet "
        "from turns_fts join turns t on t.id = turns_fts.rowid join dialogues d on d.id = t.dialogue_id "
        "join cases c on c.id = d.case_id left join profiles p on p.id = d.profile_id "
        "where turns_fts match ? and d.status != 'superseded' order by turns_fts.rowid limit ? offset ?",
        [match, limit, offset]))


# The review queue: pairs with something for a person to decide, in source and page order.
_QUEUE_SCOPE = """
    select id from qa_pairs where status = 'flagged'
    union select pair_id from pii_spans where pair_id is not null
    union select q.id from qa_pairs q where q.page_id in (select page_id from pii_spans where field = 'page')"""
_QUEUE_PENDING = """
    select id from qa_pairs where status = 'flagged'
    union select pair_id from pii_spans where pair_id is not null and decision = 'pending'
    union select q.id from qa_pairs q
          where q.page_id in (select page_id from pii_spans where field = 'page' and decision = 'pending')"""
_NOT_SUPERSEDED = "q.status not in ('superseded', 'failed', 'filtered')"


def _queue_sql(pending: bool, f: PairFilter | None) -> tuple[str, list]:
    sql = (f"with cand(id) as ({_QUEUE_PENDING if pending else _QUEUE_SCOPE}) "
           f"select q.id, q.source_id, q.seq from qa_pairs q join cand on cand.id = q.id where {_NOT_SUPERSEDED}")
    params: list = []
    if pending:
        sql += " and q.status != 'rejected'"
    if f is not None and f != PairFilter():
        frm, where, params = _pair_where(f)       # the Search screen's filters, the same SQL
        sql += f" and q.id in (select q.id from {frm}{where})"
    return sql, params


def queue_counts(store: Store, f: PairFilter | None = None) -> dict:
    """`reviewed / total`: total is every pair that has findings or was flagged; reviewed are those
    with nothing left pending (or that a person rejected outright)."""
    scope_sql, p1 = _queue_sql(False, f)
    pending_sql, p2 = _queue_sql(True, f)
    total = _count(store, f"select count(*) from ({scope_sql})", p1)
    pending = _count(store, f"select count(*) from ({pending_sql})", p2)
    return {"total": total, "pending": pending, "reviewed": total - pending}


def queue_step(store: Store, key: tuple | None, forward: bool = True, pending: bool = True,
               f: PairFilter | None = None) -> dict | None:
    """The next (or previous) queue item after `key` = (source_id, seq, id) by keyset; None at the end.
    Forward steps usually want pending items; stepping back revisits decided ones too."""
    sql, params = _queue_sql(pending, f)
    if key is not None:
        sql += f" and (q.source_id, q.seq, q.id) {'>' if forward else '<'} (?, ?, ?)"
        params += list(key)
    direction = "" if forward else " desc"
    sql += f" order by q.source_id{direction}, q.seq{direction}, q.id{direction} limit 1"
    row = store.db.execute(sql, params).fetchone()
    return None if row is None else {"id": row[0], "key": tuple(row)[1:] + (row[0],)}


def queue_position(store: Store, key: tuple, f: PairFilter | None = None) -> int:
    """1-based place of an item in the whole queue (reviewed and pending), for `item 5 of 412`."""
    sql, params = _queue_sql(False, f)
    return _count(store, f"select count(*) from ({sql} and (q.source_id, q.seq, q.id) <= (?, ?, ?))",
                  [*params, *key])


def word_histogram(store: Store, bin_width: int = 10, bins: int = 20) -> list[tuple[int, int]]:
    """(lower bound, pairs) of the shorter side of each pair (what the `each` word rule tests);
    the last bin collects everything longer. Failed pairs have no text; by status rather than
    `question is not null` so the covering index qa_pairs_words answers it."""
    rows = dict(store.db.execute(
        "select min(min(q_words, a_words) / ?, ?) as b, count(*) from qa_pairs "
        "where status not in ('superseded', 'failed') group by b", [bin_width, bins - 1]).fetchall())
    return [(b * bin_width, rows.get(b, 0)) for b in range(bins)]


def grounding_histogram(store: Store) -> list[tuple[float, int]]:
    """(lower bound, pairs) of the live pairs' grounding in tenths; pairs without a score (imported,
    generated) are not counted."""
    rows = dict(store.db.execute(
        "select min(cast(grounding * 10 as integer), 9) as b, count(*) from qa_pairs "
        "where grounding is not null and status != 'superseded' group by b").fetchall())
    return [(b / 10, rows.get(b, 0)) for b in range(10)]


def recent_runs(store: Store, limit: int = 8) -> list[dict]:
    out = []
    for r in store.db.query(
            "select id, command, model_name, status, started_at, ended_at, stats from runs order by id desc limit ?",
            [limit]):
        r["stats"] = json.loads(r["stats"]) if r["stats"] else {}
        out.append(r)
    return out


def entity_types_found(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("select distinct entity_type from pii_spans order by 1")]


def runs_brief(store: Store, limit: int = 200) -> list[dict]:
    return list(store.db.query("select id, command, model_name, started_at from runs order by id desc limit ?",
                               [limit]))


def sources_brief(store: Store, limit: int = 500) -> list[dict]:
    return list(store.db.query("select id, name from sources order by id limit ?", [limit]))


def running_run(store: Store) -> dict | None:
    rows = list(store.db.query("select id, command, pid, started_at from runs where status = 'running' "
                               "order by id desc limit 1"))
    return rows[0] if rows else None


def overview_counts(store: Store) -> dict:
    """The Overview screen's numbers, by aggregate queries only (overview() also loads every
    pair's word counts, which the screen does not need)."""
    db = store.db
    return {
        "sources": _count(store, "select count(*) from sources"),
        "pages": _count(store, "select count(*) from pages"),
        "pages_pending": _count(store, "select count(*) from pages where status = 'pending'"),
        "pairs": dict(db.execute("select status, count(*) from qa_pairs group by status").fetchall()),
        "dialogues": _count(store, "select count(*) from dialogues") if db["dialogues"].exists() else 0,
        "dialogues_pending": dialogue_queue_counts(store)["pending"],
        "findings": db.execute("select entity_type, count(*), sum(decision = 'pending') from pii_spans "
                               "where finding != 'uncertain' group by entity_type order by 2 desc").fetchall(),
        "uncertain": uncertain_counts(store),
    }


def pair_of_span(store: Store, span_id: int) -> int | None:
    """The pair a finding belongs to: its own, or the live pair made from its page."""
    row = store.db.execute(
        "select coalesce(s.pair_id, (select q.id from qa_pairs q where q.page_id = s.page_id "
        "and q.status != 'superseded' order by q.id desc limit 1)) from pii_spans s where s.id = ?",
        [span_id]).fetchone()
    return row[0] if row else None
