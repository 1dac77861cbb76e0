"""Unicode normalisation that remembers where every character came from.

Identifiers can hide behind zero-width characters, full-width digits,
non-breaking spaces or look-alike letters from other scripts. We match on a
cleaned copy of the text and map each match back to the original offsets.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Characters that render as nothing; dropped before matching.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# Letters from other scripts that look like Latin ones (the common cases).
HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "ӏ": "l", "ү": "y", "һ": "h", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Punctuation that stands in for ASCII
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
    "\u201d": '"', "\uff20": "@", "\u2024": ".", "\u3002": ".",
}


@dataclass(frozen=True)
class Normalized:
    """Cleaned text plus, for each of its characters, the original span."""

    original: str
    text: str
    starts: tuple[int, ...]  # original start offset of each cleaned char
    ends: tuple[int, ...]  # original end offset of each cleaned char

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the cleaned text to the original text."""
        if not self.text:
            return (0, 0)
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])


def _fold_char(ch: str) -> str:
    if ch in INVISIBLE:
        return ""
    if ch in HOMOGLYPHS:
        return HOMOGLYPHS[ch]
    if ch.isspace():
        # NBSP, thin space, figure space... all become a plain space;
        # line breaks are kept so speaker-label patterns still see lines.
        return "\n" if ch in "\n\r\u2028\u2029\x0b\x0c\x85" else " "
    out = unicodedata.normalize("NFKC", ch)
    # NFKC may yield look-alikes of its own (e.g. full-width forms); fold again.
    return "".join(HOMOGLYPHS.get(c, c) for c in out if c not in INVISIBLE)


def normalize(text: str) -> Normalized:
    """Return a cleaned copy of text with a per-character offset map."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch) and out:
            # A combining mark belongs to the letter before it: drop the mark
            # but widen that letter's span so offsets stay exact.
            ends[-1] = i + 1
            continue
        folded = _fold_char(ch)
        for c in folded:
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return Normalized(text, "".join(out), tuple(starts), tuple(ends))


def fold(text: str) -> str:
    """Cleaned text only (for comparisons that need no offsets)."""
    return normalize(text).text
