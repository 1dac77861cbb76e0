"""What people type into a search box, as an SQLite FTS5 query (pairs' and turns' full-text indexes)."""

from __future__ import annotations

import re


def fts_query(text: str) -> str | None:
    """User words -> an FTS5 query that cannot be a syntax error: each word quoted, all required;
    a trailing `*` on a word keeps prefix search."""
    words = re.findall(r"[^\s\"]+", text or "")
    parts = []
    for w in words:
        star = w.endswith("*") and len(w) > 1
        w = w.rstrip("*")
        if w:
            parts.append(f'"{w}"' + ("*" if star else ""))
    return " ".join(parts) or None
