"""spaCy's named entities, filtered for transcript talk.

The small English model reports PERSON, GPE/LOC (places) and ORG/FAC
(organisations, buildings). States, countries and role words are not
identifiers under Safe Harbor and are dropped; organisations need to look
like a named place (a capital letter and more than an acronym).
"""

from __future__ import annotations

from .. import entities as E
from ._base import TokenRecognizer, _result
from ._lexicon import COMMON_WORD_NAMES, ROLE_LABELS, first_names, last_names
from ._names import FACILITY_WORDS
from .location import NOT_IDENTIFYING_PLACES

LABELS = {
    "PERSON": (E.PERSON, 0.85),
    "GPE": (E.LOCATION, 0.75),
    "LOC": (E.LOCATION, 0.6),
    "FAC": (E.FACILITY, 0.6),
    "ORG": (E.FACILITY, 0.45),
}
# Things spaCy likes to call people or organisations in therapy talk.
NOT_NAMES = frozenset(
    """
    mm hmm mm-hmm uh um yeah okay ok alright hi hey bye god jesus christ lord aa na al-anon
    covid covid-19 corona adhd ocd ptsd cbt dbt mi ssri ssris hiv aids std stds er icu ed
    gp dui dwi iq ged sat act ged phd md rn lpn tv dvd cd pc ipad iphone xbox facebook
    instagram twitter tiktok youtube google snapchat netflix internet wifi mcdonald's
    tai chi mm-mm uh-huh uh-uh head start ssn mrn dob vin imei monday tuesday wednesday thursday friday saturday sunday
    """.split()
) | {"tai chi", "head start", "alcoholics anonymous", "narcotics anonymous"}
# Medicines and substances spaCy tends to tag as organisations or places.
SUBSTANCES = frozenset(
    """
    methamphetamine meth cocaine heroin fentanyl marijuana weed cannabis nicotine nicorette
    suboxone subutex naloxone narcan zyban chantix percocet oxycontin oxycodone vicodin xanax
    valium klonopin ativan adderall ritalin prozac zoloft lexapro celexa paxil wellbutrin
    welbutrin effexor cymbalta lithium seroquel abilify risperdal methadone antabuse
    naltrexone campral ambien tylenol advil ibuprofen insulin metformin
    """.split()
)


class NerRecognizer(TokenRecognizer):
    def __init__(self, dictionary: frozenset[str] = frozenset()):
        self.dictionary = dictionary
        super().__init__("SpacyNerRecognizer", E.PERSON)
        self.supported_entities = [E.PERSON, E.LOCATION, E.FACILITY]

    def _common_word(self, toks) -> bool:
        """A lone capitalised dictionary word ("Email", "Honestly") that is no known name."""
        if len(toks) != 1:
            return False
        low = toks[0].lower_
        return low in self.dictionary and low not in first_names() and low not in last_names()

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None:
            return []
        out = []
        for ent in nlp_artifacts.tokens.ents:
            if ent.label_ not in LABELS:
                continue
            entity, score = LABELS[ent.label_]
            if entities and entity not in entities:
                continue
            # Trim leading determiners/possessives spaCy sometimes includes.
            toks = [t for t in ent if not (t.is_punct and t.text not in {".", "'", "-"})]
            while toks and (toks[0].lower_ in {"the", "a", "an", "my", "our", "his", "her"}):
                toks = toks[1:]
            while toks and (toks[-1].lower_ in {"'s", "’s"} or toks[-1].is_punct):
                toks = toks[:-1]
            if not toks:
                continue
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            value = text[start:end]
            low = value.lower().strip()
            # Cut-off words ("kinda--"), line-crossing spans and contractions are noise.
            if "--" in value or value.endswith("-") or "\n" in value or ":" in value or "n't" in low:
                continue
            if any(t.lower_ in SUBSTANCES for t in toks):
                continue
            if entity in (E.LOCATION, E.FACILITY) and not value[:1].isupper():
                continue
            if entity == E.FACILITY and len(toks) == 1 and (
                toks[0].is_stop or (low in self.dictionary and low not in first_names() and low not in last_names())
            ):
                continue
            if entity == E.LOCATION and len(toks) == 1 and toks[0].is_stop:
                continue
            if entity == E.LOCATION and "," in value and all(
                t.lower_ in first_names() for t in toks if t.is_alpha
            ):
                entity, score = E.PERSON, 0.75  # "Samantha, Jessica": a list of people
            if entity in (E.PERSON, E.LOCATION) and len(toks) > 1 and toks[-1].lower_ in FACILITY_WORDS:
                # "Brown Bakery", "Billings Elementary": a named place of work or care
                entity, score = E.FACILITY, 0.75
            if entity == E.LOCATION and len(toks) == 1 and low in first_names() and low not in COMMON_WORD_NAMES:
                # spaCy often calls an unfamiliar first name a place
                entity, score = E.PERSON, 0.7
            if low in NOT_NAMES or low in ROLE_LABELS or not any(c.isalpha() for c in value):
                continue
            if entity == E.LOCATION and low in NOT_IDENTIFYING_PLACES:
                continue
            if entity in (E.FACILITY, E.LOCATION) and sum(c.isdigit() for c in value) >= 3:
                # "Asheville, DC 84395" is a town, a state and a ZIP, not one organisation: the
                # rule recognizers report the parts, and the big span would swallow them
                continue
            if entity == E.FACILITY:
                if not value[:1].isupper() or (value.isupper() and len(value) <= 4):
                    continue
                if low in NOT_IDENTIFYING_PLACES:
                    continue
            if entity == E.PERSON and (any(c.isdigit() for c in value) or self._common_word(toks)):
                continue
            if entity == E.PERSON and len(toks) == 1 and (toks[0].is_stop or (value.islower() and low in COMMON_WORD_NAMES)):
                continue
            if entity == E.PERSON and not any(c.isupper() for c in value) and len(toks) == 1:
                # lower-case single words are left to the lexicon recognizer
                score = 0.5
            out.append(_result(entity, start, end, score, self.name, f"spaCy {ent.label_}"))
        return out
