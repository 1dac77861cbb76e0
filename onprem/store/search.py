"""Full-text search over pages and dialogue turns (SQLite FTS5), paged."""

from __future__ import annotations

from onprem.store import Store
from onprem.store.fts import fts_query

def count_pages_search(store: Store, text: str) -> int:
    match = fts_query(text)
    if not match:
        return 0
    return store.count("select count(*) from pages_fts where pages_fts match ?", [match])


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
    return store.count("select count(*) from turns_fts join turns t on t.id = turns_fts.rowid "
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
