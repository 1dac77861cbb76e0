"""Small text helpers shared by the pipeline: word counts and speaker turns."""

from __future__ import annotations

import re

# A word is a whitespace-separated token holding at least one letter or digit ("--" is not a word).
_ALNUM = re.compile(r"[^\W_]")

# "Therapist:", "CLIENT:", "Dr. Adeyemi:", "Coach 2:" at the start of a line.
SPEAKER_LINE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z0-9 .'’-]{0,30}?)[ \t]*:[ \t]+\S", re.M)


def count_words(text: str | None) -> int:
    # str.isalnum() settles most tokens in C; the regex only sees tokens like "don't" or "--".
    return sum(1 for tok in (text or "").split() if tok.isalnum() or _ALNUM.search(tok))


def speaker_turns(text: str) -> list[str] | None:
    """Split text into turns at speaker labels, or None when it reads as plain prose.

    A transcript needs at least two labelled lines and labels on most non-blank lines;
    continuation lines stay with the turn above them.
    """
    lines = text.split("\n")
    labelled = [i for i, line in enumerate(lines) if SPEAKER_LINE.match(line)]
    non_blank = sum(1 for line in lines if line.strip())
    if len(labelled) < 2 or len(labelled) < 0.5 * non_blank:
        return None
    turns: list[str] = []
    if labelled[0] > 0:
        head = "\n".join(lines[: labelled[0]]).strip()
        if head:
            turns.append(head)
    for n, start in enumerate(labelled):
        end = labelled[n + 1] if n + 1 < len(labelled) else len(lines)
        turn = "\n".join(lines[start:end]).strip()
        if turn:
            turns.append(turn)
    return turns


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]
