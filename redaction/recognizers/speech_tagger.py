"""The speech tagger: a small spaCy NER that has learnt where a name, a street corner, a unit
number, a town, an account's last digits or a date stands in spoken English, lower case included
("i rang dusk last night", "the one ending seven seven two one").

The rule-based recognizers read slots someone wrote down; every new way of talking finds a slot
nobody did. The tagger was trained (bench/train_speech_tagger.py) on the even-numbered AnnoMI
transcripts with identifiers planted by seven generators, and is measured on held-out sets
planted by other generators into the odd-numbered transcripts (docs/redaction.md). Its weights
are committed under redaction/models/speech_tagger/.

It gives no confidence, and it has only seen counselling talk, so it is a second opinion:
- a name no dictionary knows ("goldie", "Okonkwo") is redacted;
- a name that is also a word ("dusk", "hope") where spaCy reads a noun, and a place or number with
  a digit, a number word or a non-dictionary word in it, go to the uncertain queue; the rules'
  careful slots ("honestly hope keeps me going") still decide alone what is redacted without
  asking;
- a year on its own, medicines, fillers, pronouns, kin and role words, lone function words and
  words cut off mid-way are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import entities as E
from ._base import TokenRecognizer, _result
from ._lexicon import ROLE_LABELS
from .ner import NOT_NAMES, SUBSTANCES
from .person_context import KINSHIP, TITLES
from .person_word_slot import FILLERS, KIN_WORDS

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "speech_tagger"
LABELS = {"PERSON": E.PERSON, "ADDRESS": E.STREET_ADDRESS, "LOCATION": E.LOCATION,
          "ACCOUNT": E.ACCOUNT_NUMBER, "DATE": E.DATE_TIME}
SURE, ASK = 0.5, 0.21   # threshold 0.4; the queue starts at 0.2, so a rule's own doubt wins an overlap
NEVER_ALONE = NOT_NAMES | FILLERS | KIN_WORDS | KINSHIP | TITLES | ROLE_LABELS | SUBSTANCES | frozenset(
    "therapist client i me you he she they we it him her them us mmh mhm mm-hmm uh-huh whoa".split())
YEAR = re.compile(r"(?:19|20)\d\d")
INFLECTIONS = ("ing", "ed", "es", "s", "ly", "er")
MAX_TOKENS = 6
MIN_WORDS = 5   # it reads where a word stands, so it needs words around it
NOUNS = frozenset({"NOUN", "PROPN"})


def _code_like(word: str) -> bool:
    """Letters and digits mixed beyond a flat number ("4B", "12a"): a code, not speech."""
    return len(word) > 4 and any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


@lru_cache(maxsize=1)
def tagger():
    import spacy

    return spacy.load(MODEL_DIR)


class SpeechTaggerRecognizer(TokenRecognizer):
    def __init__(self, dictionary: frozenset[str] = frozenset()):
        self.dictionary = dictionary
        super().__init__("SpeechTaggerRecognizer", E.PERSON)
        self.supported_entities = sorted(set(LABELS.values()))

    def _word(self, tok) -> bool:
        """An English word, inflected or not ("quitting", "hope": a name too, so a word here)."""
        low = tok.lower_
        if low in self.dictionary or tok.is_stop:
            return True
        for suffix in INFLECTIONS:
            stem = low[:-len(suffix)]
            if low.endswith(suffix) and len(stem) >= 3 and (
                    stem in self.dictionary or stem + "e" in self.dictionary
                    or stem[-1:] == stem[-2:-1] and stem[:-1] in self.dictionary):   # quitting, stopped
                return True
        return False

    @staticmethod
    def _plausible(entity, toks, words, start, end, nlp_artifacts) -> bool:
        """Worth a person's look: a name that is a word only where spaCy reads a noun ("rang dusk",
        not "call in sick" or "all kept"); a place or number only with a digit, a number word or
        a word that is no plain English word in it (not "at night and snap")."""
        if entity == E.PERSON:
            doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
            span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
            return span is None or all(t.pos_ in NOUNS for t in span if t.is_alpha)
        return len(words) < len(toks) or any(t.like_num for t in toks)

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        if len(text.split()) < MIN_WORDS:
            return out   # a field value ("female", "depression") has no slot around it to read
        for ent in tagger()(text).ents:
            entity = LABELS[ent.label_]
            if entities and entity not in entities:
                continue
            toks = [t for t in ent if not t.is_punct or t.text in {"-", "'"}]
            if entity == E.PERSON:   # a name has no digits: "Jenny Okafor 555-201-3344" is two findings
                toks = toks[:next((i for i, t in enumerate(toks) if any(c.isdigit() for c in t.text)), len(toks))]
            while toks and toks[-1].lower_ in {"'s", "’s"}:
                toks = toks[:-1]
            if not toks or any(t.lower_ in NEVER_ALONE or t.text.endswith("-") for t in toks):
                continue   # (a word cut off mid-way, "she--", is no name either)
            if len(toks) > MAX_TOKENS or any(_code_like(t.text) for t in toks):
                continue   # text it never saw the like of ("answer0w18 answer0w19")
            if len(toks) == 1 and toks[0].is_stop:
                continue   # "than", "over", "each"
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            value = text[start:end]
            if "\n" in value or ":" in value or YEAR.fullmatch(value):
                continue
            words = [t for t in toks if self._word(t)]
            if entity in (E.PERSON, E.LOCATION):
                sure = not words and (entity == E.PERSON or value[:1].isupper())
            else:
                sure = False
            if not sure and not self._plausible(entity, toks, words, start, end, nlp_artifacts):
                continue
            out.append(_result(entity, start, end, SURE if sure else ASK, self.name,
                               f"speech tagger {ent.label_}" + ("" if sure else ", for a person to decide")))
        return out
