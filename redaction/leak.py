"""Leak check: do original identifiers reappear in generated text?

Comparison ignores case, accents, Unicode tricks and punctuation; anything
with enough digits is compared as a digit string, so "555-201-3344",
"(555) 201 3344" and "five five five two oh one..." are one number.
"""

from __future__ import annotations

import re
from typing import Iterable

from .normalize import normalize
from .results import Leak
from .spoken import digit_runs, to_digits

MIN_DIGITS = 4  # fewer digits than this are compared as text, not as a number
MIN_TEXT = 3  # originals shorter than this ("Al") are too ambiguous to check


def _text_form(s: str) -> tuple[str, list[int]]:
    """Lower-case alphanumeric words joined by single spaces, with for each
    output char the index of the input char it came from."""
    out: list[str] = []
    idx: list[int] = []
    prev_space = True
    for i, ch in enumerate(s):
        if ch.isalnum():
            for c in ch.casefold():
                out.append(c)
                idx.append(i)
            prev_space = False
        elif not prev_space:
            out.append(" ")
            idx.append(i)
            prev_space = True
    return "".join(out), idx


def leak_check(generated: str, originals: Iterable[str]) -> list[Leak]:
    norm = normalize(generated)
    gtext, gidx = _text_form(norm.text)
    runs = digit_runs(norm.text)
    leaks: list[Leak] = []
    seen: set[tuple[int, int]] = set()

    def add(original: str, ns: int, ne: int, how: str) -> None:
        s, e = norm.to_original(ns, ne)
        if (s, e) not in seen:
            seen.add((s, e))
            leaks.append(Leak(original, s, e, generated[s:e], how))

    for original in dict.fromkeys(o for o in originals if o and o.strip()):
        onorm = normalize(original).text
        digits = to_digits(onorm)
        if len(digits) >= MIN_DIGITS:
            for run in runs:
                at = run.digits.find(digits)
                while at != -1:
                    ns = run.positions[at][0]
                    ne = run.positions[at + len(digits) - 1][1]
                    add(original, ns, ne, "digits")
                    at = run.digits.find(digits, at + 1)
            continue
        key, _ = _text_form(onorm)
        key = key.strip()
        if len(key) < MIN_TEXT:
            continue
        for m in re.finditer(r"(?<![^\W_])" + re.escape(key) + r"(?![^\W_])", gtext):
            ns = gidx[m.start()]
            ne = gidx[m.end() - 1] + 1
            add(original, ns, ne, "text")
    return sorted(leaks, key=lambda l: (l.start, l.end))
