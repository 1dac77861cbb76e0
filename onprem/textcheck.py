"""Checks of what a model wrote against what it was given: runs of words copied from its
instructions, and how much of an output is grounded in its source page.

Words are compared lower-cased with punctuation ignored. Grounding counts content words (not
stop words) after folding simple English endings, so "sleeping" on the page supports "sleep".
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9']+")
COPY_RUN = 5   # this many words in a row from the instructions (and not from the page) is a copy


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def ngrams(ws: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def copied_run(text: str, instructions: str, allowed: str = "", n: int = COPY_RUN) -> str | None:
    """The first run of `n` words that `text` shares with `instructions` but not with `allowed`
    (the page itself: a pair may quote its page), or None."""
    ws = words(text)
    if len(ws) < n:
        return None
    banned = ngrams(words(instructions), n) - ngrams(words(allowed), n)
    for i in range(len(ws) - n + 1):
        run = tuple(ws[i:i + n])
        if run in banned:
            return " ".join(run)
    return None


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS   # the word list only; no model is loaded

    return frozenset(STOP_WORDS) | {"'s", "n't", "'m", "'re", "'ve", "'ll", "'d"}


def _fold(word: str) -> str:
    """A light stem: plural, past and -ing endings, and a possessive."""
    word = word.removesuffix("'s").strip("'")
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ingly", "ings", "ing", "edly", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    stops = stop_words()
    return [_fold(w) for w in words(text) if w not in stops and not w.isdigit() and len(w) > 1]


def grounding(output: str, source: str) -> float:
    """The share of the output's content words that also occur in the source (0..1); 0 when the
    output has no content words."""
    out = content_words(output)
    if not out:
        return 0.0
    have = set(content_words(source))
    return sum(w in have for w in out) / len(out)
