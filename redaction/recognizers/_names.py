"""Helpers deciding whether a spaCy token looks like part of a person's name."""

from __future__ import annotations

from ._lexicon import COMMON_WORD_NAMES, first_names, last_names

# Parts of speech a name token can never have.
NOT_NAME_POS = frozenset(
    {"VERB", "AUX", "ADP", "ADV", "CCONJ", "SCONJ", "DET", "PRON", "PART", "NUM", "INTJ", "PUNCT", "SYM", "SPACE"}
)


def is_name_like(tok, dictionary: frozenset[str], strong_context: bool) -> bool:
    """A token after a kinship word or title ("my sister ___", "Dr. ___")."""
    if not tok.is_alpha or len(tok.text) < 2 or tok.is_stop:
        return False
    low = tok.lower_
    if tok.pos_ in NOT_NAME_POS and not tok.text[0].isupper():
        return False
    if tok.text[0].isupper() and tok.pos_ in {"PROPN", "NOUN", "X", "ADJ"}:
        return True
    if low in first_names() or low in last_names():
        return strong_context or low not in COMMON_WORD_NAMES
    # Unknown to the lemmatizer's English word list: most likely a name.
    return tok.pos_ in {"PROPN", "NOUN", "X", "ADJ"} and low not in dictionary


def extend_surname(doc, i: int, dictionary: frozenset[str]) -> int:
    """Index one past the name starting at token i, taking a following surname."""
    end = i + 1
    if end < len(doc):
        nxt = doc[end]
        if (
            nxt.is_alpha
            and not nxt.is_stop
            and nxt.pos_ not in NOT_NAME_POS
            and (
                (nxt.text[0].isupper() and nxt.pos_ in {"PROPN", "NOUN", "X"})
                or (nxt.lower_ in last_names() and nxt.lower_ not in dictionary)
            )
        ):
            end += 1
    return end
