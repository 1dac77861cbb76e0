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
from ._names import FACILITY_KINDS, STREET_WORDS
from .location import CITIES, NOT_IDENTIFYING_PLACES, STATE_ABBR

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
    mm hmm mm-hmm mm-hm m-hm uh um yeah okay ok alright hi hey bye god jesus christ lord aa na al-anon
    covid covid-19 corona adhd ocd ptsd cbt dbt mi ssri ssris hiv aids std stds er icu ed
    gp dui dwi iq ged sat act ged phd md rn lpn tv dvd cd pc ipad iphone xbox facebook
    instagram twitter tiktok youtube google snapchat netflix internet wifi mcdonald's
    tai chi mm-mm uh-huh uh-uh head start ssn mrn dob vin imei monday tuesday wednesday thursday friday saturday sunday
    """.split()
) | {"tai chi", "head start", "alcoholics anonymous", "narcotics anonymous"}
# Words after which a capitalised word is a place: "in Dayton", "from Oxnard".
PLACE_WORDS_BEFORE = frozenset(
    """
    in from to at near into around outside across through via toward towards visit visiting
    out back home city town downtown uptown north south east west bridge
    """.split()
)
BIG_CITIES = frozenset(c.lower() for c in CITIES)
STATE_CODES = frozenset(STATE_ABBR)
# Words of company names: "Steels Ltd", "Holdings", "Group".
COMPANY_WORDS = frozenset(
    """
    inc incorporated ltd limited llc llp corp corporation co company plc ag sa se nv gmbh bv holdings
    group bancorp bank fund trust partners associates international global technologies technology
    systems solutions services industries enterprises capital financial pharma pharmaceuticals
    energy foods acquisition class
    """.split()
)
DEGREES = frozenset("phd md dds dmd jr sr esq rn np lcsw lpc psyd".split())
UNIT_WORDS = frozenset({"apt", "apartment", "suite", "unit", "box"})
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
        self.supported_entities = [E.PERSON, E.LOCATION, E.FACILITY, E.STREET_ADDRESS]

    def _common_word(self, toks) -> bool:
        """A lone capitalised dictionary word ("Email", "Honestly") that is no known name."""
        if len(toks) != 1:
            return False
        low = toks[0].lower_
        known = low in self.dictionary or toks[0].lemma_.lower() in self.dictionary
        return known and low not in first_names() and low not in last_names()

    def _person_not_place(self, tok, last=None) -> bool:
        """spaCy's one-word place that talk treats as a person: a word no dictionary knows, no
        big city, with no place word before it ("in", "from", "to"...) and no state after it:
        "Me and Mutluhan stopped talking", "Elbio lives on ...", "leave me Elbio"."""
        doc = tok.doc
        last = last if last is not None else tok
        words = doc[tok.i:last.i + 1]
        for t in words:
            if not t.text[:1].isupper() or t.text.isupper() or not t.is_alpha:
                return False
            if t.lower_ in self.dictionary or t.lemma_.lower() in self.dictionary:
                return False
        if words.text.lower() in BIG_CITIES or any(t.lower_ in BIG_CITIES for t in words):
            return False
        if self._company_after(doc, last.i + 1):
            return False
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and (prev.lower_ in PLACE_WORDS_BEFORE or prev.text == "-"):
            return False
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if nxt is None or not nxt.is_alpha and nxt.text not in {",", "'s", "’s", "?", "!"}:
            return False  # a line of its own ("Oxnard\n United States"), or before a number
        if nxt is not None and (nxt.text in {",", "\n"} and last.i + 2 < len(doc)
                                and (doc[last.i + 2].text in STATE_CODES or doc[last.i + 2].lower_ in NOT_IDENTIFYING_PLACES)):
            return False  # "Oxnard, CA"
        if nxt is not None and (nxt.like_num or nxt.text in STATE_CODES or "\n" in nxt.text):
            return False
        return True

    @staticmethod
    def _company_after(doc, end: int) -> bool:
        nxt = [t for t in doc[end:end + 2] if t.text != ","]
        return bool(nxt) and nxt[0].text[:1].isupper() and nxt[0].lower_.rstrip(".") in COMPANY_WORDS

    def _person_like(self, toks) -> bool:
        """One to four capitalised words, no company or facility word, and a first name, a
        surname or a word no dictionary knows among them ("Ralf Weber", "Ignatieff")."""
        if not 1 <= len(toks) <= 4:
            return False
        for t in toks:
            if not (t.is_alpha or t.text.rstrip(".").isalpha()) or not t.text[:1].isupper() or t.is_stop:
                return False
            if t.lower_ in FACILITY_KINDS or t.lower_ in COMPANY_WORDS or t.lower_ in NOT_IDENTIFYING_PLACES:
                return False
        words = [t for t in toks if len(t.text.rstrip(".")) > 1]
        if not words or any(t.text.isupper() for t in words):
            return False
        return (words[0].lower_ in first_names() or words[-1].lower_ in last_names()
                or any(t.lower_ not in self.dictionary and t.lemma_.lower() not in self.dictionary for t in words))

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
            if ent.label_ == "PERSON" and len(toks) > 1 and toks[0].text[:1].isupper():
                # "Harold bridge": a capitalised name does not run on into lower-case words;
                # "Harold KY": nor into a state code
                while len(toks) > 1 and (toks[-1].is_lower or toks[-1].text in STATE_CODES):
                    toks = toks[:-1]
            if entity == E.PERSON and self._company_after(nlp_artifacts.tokens, ent.end):
                entity, score = E.FACILITY, 0.6  # "Belk, Inc.", "Arch Coal, Inc.", "Masterflex SE"
            if not toks:
                continue
            if entity == E.FACILITY and ent.label_ in ("ORG", "FAC"):
                k = next((j for j, t in enumerate(toks) if t.lower_ == "of"), 0)
                if k and self._person_like(toks[:k]):
                    # "Ralf Weber of Impact HD Inc.": a person and the company they are with
                    out.append(_result(E.PERSON, toks[0].idx, toks[k - 1].idx + len(toks[k - 1].text), 0.8,
                                       self.name, f"spaCy {ent.label_}, person of organisation"))
                    toks = toks[k + 1:]
                    if not toks:
                        continue
                if toks[-1].text.rstrip(".").lower() in DEGREES and self._person_like(toks[:-1]):
                    entity, score = E.PERSON, 0.8  # "Geraldino Romano PhD"
                doc = nlp_artifacts.tokens
                if (len(toks) >= 2 and ent.end + 1 < len(doc) and doc[ent.end].lower_ == "of"
                        and doc[ent.end + 1].text[:1].isupper() and self._person_like(toks)):
                    entity, score = E.PERSON, 0.8  # "Satu Waltari of Nomad Foods Limited"
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
            if entity == E.PERSON and len(toks) > 1 and toks[-1].lower_.rstrip(".") in UNIT_WORDS:
                # "Ms. Erin Bertelsen Apt. 778": the unit word starts the address, it ends no name
                toks = toks[:-1]
                while toks and toks[-1].is_punct:
                    toks = toks[:-1]
                end = toks[-1].idx + len(toks[-1].text)
                value = text[start:end]
                low = value.lower().strip()
            before = nlp_artifacts.tokens[ent.start - 1].lower_ if ent.start > 0 else ""
            if entity in (E.LOCATION, E.FACILITY) or (entity == E.PERSON and before in {"on", "of", "and", "at"}):
                street = len(toks) > 1 and toks[-1].lower_.rstrip(".") in STREET_WORDS - UNIT_WORDS
            else:
                street = False
            if street:
                # "shows on Pawłowski Mountains Street": a named street
                entity, score = E.STREET_ADDRESS, 0.6
            if entity in (E.PERSON, E.LOCATION) and len(toks) > 1 and toks[-1].lower_ in FACILITY_KINDS:
                # "Brown Bakery", "Billings Elementary": a named place of work or care
                entity, score = E.FACILITY, 0.75
            if entity == E.LOCATION and len(toks) == 1 and low in first_names() and low not in COMMON_WORD_NAMES:
                # spaCy often calls an unfamiliar first name a place
                entity, score = E.PERSON, 0.7
            elif entity == E.LOCATION and len(toks) <= 3 and self._person_not_place(toks[0], toks[-1]):
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
