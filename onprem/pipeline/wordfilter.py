"""MentalChat16K's length rule: drop pairs under N words (kept in the store as `filtered`)."""

from __future__ import annotations

from onprem.pipeline.text import count_words

MODES = ("each", "total")


def check(question: str, answer: str, min_words: int, mode: str = "each") -> str | None:
    """None when the pair is long enough, else the reason it is filtered."""
    q, a = count_words(question), count_words(answer)
    if mode == "each":
        short = [f"{name} has {n} words" for name, n in (("question", q), ("answer", a)) if n < min_words]
        return f"{'; '.join(short)} (minimum {min_words} each)" if short else None
    if mode == "total":
        return None if q + a >= min_words else f"question and answer have {q + a} words (minimum {min_words} in total)"
    raise ValueError(f"unknown min-words mode {mode!r}; use one of {', '.join(MODES)}")
