"""Person names found by a first-name lexicon, including lower-case ones.

Transcripts often drop capitals ("i told jenny", "honestly kwame made the
appointment"), which the small spaCy model misses. A first name from the
lexicon (English, and the world lexicon of many cultures) counts unless it is
also an everyday word ("will", "hope"; for the world lexicon, any word the
English word list knows, "said", "comfort"); those need a title, a kinship word
or a capital instead.
"""

from __future__ import annotations

import functools

from .. import entities as E
from ._base import TokenRecognizer
from ._lexicon import COMMON_WORD_NAMES, ROLE_LABELS, first_names, is_english, last_names, world_first_names
from ._names import NOT_NAME_POS, extend_surname
from .location import NOT_IDENTIFYING_PLACES, STATE_ABBR
from .ner import NOT_NAMES

# "Sunday" and "January" are in the first-name lists, but "on Sunday nights" and "in January"
# are no person. (April, May, June, August are common-word names: they need context anyway.)
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march september "
    "october november december".split()
)
LOWER_SCORE = 0.6
CAPITAL_SCORE = 0.7


class PersonLexiconRecognizer(TokenRecognizer):
    def __init__(self, dictionary: frozenset[str]):
        self.dictionary = dictionary
        super().__init__("PersonLexiconRecognizer", E.PERSON)

    @functools.lru_cache(maxsize=1)
    def names(self) -> frozenset[str]:
        return first_names() | world_first_names()

    @functools.lru_cache(maxsize=1)
    def world_words(self) -> frozenset[str]:
        """World-lexicon names that are also English words: everyday words unless context says otherwise."""
        return frozenset(n for n in world_first_names() if is_english(n, self.dictionary))

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None or (entities and self.entity not in entities):
            return []
        doc = nlp_artifacts.tokens
        names = self.names()
        out = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            low = tok.lower_
            if (
                not tok.is_alpha or len(low) < 3 or low not in names or tok.is_stop
                or low in ROLE_LABELS or low in NOT_IDENTIFYING_PLACES or low in WEEKDAYS
            ):
                i += 1
                continue
            if i > 0 and f"{doc[i - 1].lower_} {low}" in NOT_IDENTIFYING_PLACES:  # "New York", "North Dakota"
                i += 1
                continue
            capital = tok.text[0].isupper()
            all_caps = tok.text.isupper()
            common = low in COMMON_WORD_NAMES or low in self.world_words()
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            with_surname = (
                capital and nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha
                and nxt.lower_ not in NOT_IDENTIFYING_PLACES and nxt.text not in STATE_ABBR
                and ((nxt.lower_ in last_names() and nxt.lower_ not in COMMON_WORD_NAMES)
                     or nxt.lower_ not in self.dictionary)  # "Heather Melgar": an unknown surname
            )
            if common and not with_surname and not (capital and not tok.is_sent_start and tok.pos_ == "PROPN"):
                i += 1
                continue
            if common and not with_surname and i > 0 and (
                doc[i - 1].lower_ in {"the", "a", "an"}  # "the Princess Royal", "a Hunter"
                or (doc[i - 1].text[:1].isupper() and doc[i - 1].is_alpha and doc[i - 1].pos_ != "PROPN"
                    and not doc[i - 1].is_sent_start)  # Title Case: "Killed My Baby", "Secretly Love"
            ):
                i += 1
                continue
            if tok.pos_ in NOT_NAME_POS and not (capital and not all_caps):
                i += 1
                continue
            end = extend_surname(doc, i, self.dictionary)
            span = doc[i:end]
            if span.text.lower() in NOT_NAMES:
                i = end
                continue
            out.append(
                self.result(span.start_char, span.end_char, CAPITAL_SCORE if capital else LOWER_SCORE, "first-name lexicon")
            )
            i = end
        return out
