"""Helpers deciding whether a spaCy token looks like part of a person's name."""

from __future__ import annotations

from ._lexicon import COMMON_WORD_NAMES, first_names, last_names
from .location import NOT_IDENTIFYING_PLACES, STATE_ABBR

# Function-word tags: never a name, whatever the context.
FUNCTION_POS = frozenset({"AUX", "ADP", "CCONJ", "SCONJ", "DET", "PRON", "PART", "NUM", "PUNCT", "SYM", "SPACE"})
# Parts of speech a name token rarely has without context.
NOT_NAME_POS = frozenset(
    {"VERB", "AUX", "ADP", "ADV", "CCONJ", "SCONJ", "DET", "PRON", "PART", "NUM", "INTJ", "PUNCT", "SYM", "SPACE"}
)


# "Savannah Clinic" is a place, not Savannah with the surname Clinic.
FACILITY_KINDS = frozenset(
    """
    hospital clinic center centre elementary school college university pharmacy foods insurance
    bakery motors construction hardware logistics dental plumbing landscaping church academy
    institute home hospice infirmary rehab bank store market restaurant cafe diner grill hotel
    motel factory warehouse mall gym library inc llc ltd corp company industries
    """.split()
)
# "Erin Bertelsen Apt. 778", "Ayodeji Lane": a unit or street word ends no facility's name.
STREET_WORDS = frozenset("apt apartment suite unit box street avenue road lane drive boulevard court st ave rd blvd ln".split())
FACILITY_WORDS = FACILITY_KINDS | STREET_WORDS
# Calendar words are never names on the strength of context alone.
_NEVER_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december today tomorrow yesterday".split()
)

# E-mail words ("cc me", "my boss, cc: Jane"): never a name.
MAIL_WORDS = frozenset("cc bcc fwd fw".split())


def _known_word(tok, dictionary: frozenset[str]) -> bool:
    return tok.lower_ in dictionary or tok.lemma_.lower() in dictionary


def _verb_follows(tok) -> bool:
    """The next word is a verb: the token is the subject ("holly said", "holly doesn't")."""
    doc = tok.doc
    return tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in {"VERB", "AUX"}


def is_name_like(tok, dictionary: frozenset[str], strong_context: bool) -> bool:
    """A token after a kinship word or title ("my sister ___", "Dr. ___")."""
    if not tok.is_alpha or len(tok.text) < 2 or tok.is_stop:
        return False
    low = tok.lower_
    if low in MAIL_WORDS:
        return False
    if tok.pos_ in FUNCTION_POS and (_known_word(tok, dictionary) or not strong_context):
        # (a word no dictionary knows, tagged as a preposition after "dr.", is the tagger
        # guessing at a foreign name: "i saw dr. vũ")
        return False
    if tok.text[0].isupper() and tok.pos_ in {"PROPN", "NOUN", "X", "ADJ"}:
        return True
    if strong_context and tok.pos_ == "PROPN" and low not in _NEVER_NAMES:
        # "i saw dr. montenegro": the tagger's proper noun after a title or kinship word is a
        # name even when the word list knows it (as a country, a composer...).
        return True
    if low in first_names() or low in last_names():
        if low in COMMON_WORD_NAMES:
            # "my wife holly said": an everyday word after a kinship word, with a verb after it
            return strong_context and (tok.pos_ not in NOT_NAME_POS or _verb_follows(tok)) and low not in _NEVER_NAMES
        return strong_context or tok.pos_ not in NOT_NAME_POS
    # Unknown to the lemmatizer's English word list: most likely a name,
    # even when the tagger guessed a verb ("my husband, tobias, ...").
    if _known_word(tok, dictionary):
        return False
    return strong_context or tok.pos_ in {"PROPN", "NOUN", "X"}


def extend_surname(doc, i: int, dictionary: frozenset[str]) -> int:
    """Index one past the name starting at token i, taking a following surname."""
    end = i + 1
    if end < len(doc):
        nxt = doc[end]
        if (
            nxt.is_alpha
            and not nxt.is_stop
            and nxt.lower_ not in FACILITY_WORDS
            and nxt.lower_ not in NOT_IDENTIFYING_PLACES  # "Dallas Texas" is a town and its state
            and nxt.text not in STATE_ABBR  # "Harold KY"
            and nxt.pos_ not in NOT_NAME_POS
            and (
                (nxt.text[0].isupper() and nxt.pos_ in {"PROPN", "NOUN", "X"})
                or (nxt.lower_ in last_names() and nxt.lower_ not in dictionary)
            )
        ):
            end += 1
    return end
