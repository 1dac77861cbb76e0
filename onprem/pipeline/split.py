"""Split a transcript into pages, in order.

Form feeds or explicit page markers win when present (the transcriber's pages, as in
MentalChat16K). Otherwise pages are windows of whole speaker turns (or paragraphs, for prose)
up to a token budget that leaves room for the prompt and the answer in the model's context.
"""

from __future__ import annotations

import re
from typing import Callable

from onprem.pipeline.text import paragraphs, sentences, speaker_turns

TokenCounter = Callable[[str], int]

# "--- page 3 ---", "[Page 3]", "Page 3 of 12", "=== PAGE 3 ===" alone on a line.
PAGE_MARKER = re.compile(
    r"^[ \t]*(?:[-=]{2,}[ \t]*|\[[ \t]*)?page[ \t]+\d+(?:[ \t]+of[ \t]+\d+)?(?:[ \t]*[-=]{2,}|[ \t]*\])?[ \t]*$",
    re.I | re.M,
)


def explicit_pages(text: str) -> list[str] | None:
    """Pages the document marks itself, or None when it marks none."""
    if "\f" in text:
        parts = text.split("\f")
    elif PAGE_MARKER.search(text):
        parts = PAGE_MARKER.split(text)
    else:
        return None
    return [p.strip() for p in parts if p.strip()]


def _units(text: str) -> list[str]:
    return speaker_turns(text) or paragraphs(text)


def _split_long(unit: str, budget: int, count: TokenCounter) -> list[str]:
    """A single turn longer than a page: cut at sentences, and at words as a last resort."""
    pieces: list[str] = []
    current = ""
    for sentence in sentences(unit):
        candidate = f"{current} {sentence}".strip()
        if current and count(candidate) > budget:
            pieces.append(current)
            candidate = sentence
        if count(candidate) > budget:
            words = candidate.split()
            chunk: list[str] = []
            for w in words:
                if chunk and count(" ".join(chunk + [w])) > budget:
                    pieces.append(" ".join(chunk))
                    chunk = []
                chunk.append(w)
            candidate = " ".join(chunk)
        current = candidate
    if current:
        pieces.append(current)
    return pieces


def pack(units: list[str], budget: int, count: TokenCounter) -> list[str]:
    """Greedily fill pages with whole units, never exceeding the budget."""
    pages: list[str] = []
    current: list[str] = []
    used = 0
    for unit in units:
        n = count(unit)
        if n > budget:
            if current:
                pages.append("\n".join(current))
                current, used = [], 0
            pages.extend(_split_long(unit, budget, count))
            continue
        # +1 for the newline joining units
        if current and used + n + 1 > budget:
            pages.append("\n".join(current))
            current, used = [], 0
        current.append(unit)
        used += n + 1
    if current:
        pages.append("\n".join(current))
    return pages


def split_pages(text: str, budget: int, count: TokenCounter) -> list[str]:
    """The document's own pages when it has them (each cut further if it would not fit),
    otherwise windows of whole turns."""
    if budget < 16:
        raise ValueError("page budget must be at least 16 tokens")
    marked = explicit_pages(text)
    if marked is None:
        return pack(_units(text), budget, count)
    pages: list[str] = []
    for page in marked:
        pages.extend([page] if count(page) <= budget else pack(_units(page), budget, count))
    return pages
