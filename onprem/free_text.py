"""Free text a person supplies in a file (a persona's occupation, a situation to role-play) goes into
prompts, logs and exports. It must hold plain categories and descriptions, never a person's name,
place, date or number: a field whose text the redaction engine finds identifying rejects its row,
and the error names the field, never the value."""

from __future__ import annotations

from typing import Iterable


def identifying(fields: dict[str, object] | Iterable[tuple[str, object]], codes: tuple[str, ...] = (),
                known: frozenset[str] = frozenset(), scan=None) -> dict[str, list[str]]:
    """The fields whose text looks identifying -> the entity types found, in the order given. A
    field may come more than once (a list of values). `codes` are ids ("P-104"): only sure
    identifiers count there, not uncertain findings. `known`: a spec's own categories (lower case),
    never scanned. `scan(text, uncertain=) -> [entity types]` defaults to redaction.identifier_types."""
    if scan is None:
        from redaction import identifier_types as scan
    out: dict[str, list[str]] = {}
    for name, value in (fields.items() if isinstance(fields, dict) else fields):
        text = str(value).strip() if isinstance(value, (str, int, float)) else ""
        if text and text.lower() not in known and (types := scan(text, uncertain=name not in codes)):
            out[name] = sorted({*out.get(name, []), *types})
    return out


def problem(field: str) -> str:
    return (f"{field} looks like it holds an identifier (value not shown); write categories and "
            f"descriptions, never a person's name, place, date or number")
