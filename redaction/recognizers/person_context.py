"""Names announced by the words around them: kinship ("my sister jenny"),
titles ("Dr. Adeyemi", "doctor patel") and introductions ("my name is ...")."""

from __future__ import annotations

from .. import entities as E
from ._base import TokenRecognizer
from ._lexicon import first_names
from ._names import extend_surname, is_name_like

KINSHIP = frozenset(
    """
    mom mum mother mommy mama dad father daddy papa sister sis brother bro son daughter wife
    husband partner spouse boyfriend girlfriend fiance fiancee fiancé fiancée aunt auntie
    uncle cousin niece nephew grandma grandmother granny nana grandpa grandfather grandad
    granddad granddaughter grandson stepdad stepmom stepmother stepfather stepson
    stepdaughter stepbrother stepsister friend bestie buddy pal roommate flatmate boss
    coworker colleague neighbor neighbour ex kid child baby sponsor counselor counsellor
    therapist teacher coach pastor priest rabbi imam nanny babysitter landlord landlady
    supervisor manager caseworker psychiatrist lawyer attorney mate twin
    """.split()
)
# "my best friend Ikenna", "her little brother tom"
KIN_ADJECTIVES = frozenset(
    "best little big older younger old new late baby twin ex former oldest youngest eldest".split()
)
POSSESSIVES = frozenset({"my", "his", "her", "our", "their", "your", "'s", "’s", "whose"})
TITLES = frozenset(
    """
    dr doctor mr mrs ms miss mx prof professor nurse pastor reverend rev officer detective
    judge sergeant sgt captain capt lieutenant lt father sister brother auntie aunt uncle
    grandma grandpa nana
    """.split()
)
# Words that announce a name: "my name is", "call me", "a guy named".
INTRODUCERS = (
    ("my", "name", "is"),
    ("name", "'s"),
    ("name", "is"),
    ("call", "me"),
    ("called",),
    ("named",),
    ("this", "is"),
    ("it", "'s"),
)

SAYING = frozenset("said says told tells thinks thought wants wanted prescribed upped gave asked recommended suggested".split())

KIN_SCORE = 0.8
TITLE_SCORE = 0.85
INTRO_SCORE = 0.8


class PersonContextRecognizer(TokenRecognizer):
    def __init__(self, dictionary: frozenset[str]):
        self.dictionary = dictionary
        super().__init__("PersonContextRecognizer", E.PERSON, context=["name", "named", "called"])

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None or (entities and self.entity not in entities):
            return []
        doc = nlp_artifacts.tokens
        out = []
        n = len(doc)
        lows = [t.lower_ for t in doc]  # slicing the Doc per token and introducer was the slow part
        for i, tok in enumerate(doc):
            low = tok.lower_.rstrip(".")
            j = i + 1
            if j < n and doc[j].text == ".":
                j += 1  # "Dr . Smith" after tokenisation
            if j >= n:
                break
            cand = doc[j]
            if low in KINSHIP and i > 0 and (
                doc[i - 1].lower_ in POSSESSIVES
                or (i > 1 and doc[i - 1].lower_ in KIN_ADJECTIVES and doc[i - 2].lower_ in POSSESSIVES)
            ):
                # "my sister jenny" and also "my sister, jenny,"
                if cand.text == "," and j + 1 < n:
                    cand = doc[j + 1]
                if (cand.lower_ not in KINSHIP and cand.lower_ not in KIN_ADJECTIVES
                        and is_name_like(cand, self.dictionary, strong_context=True)):
                    self._add(out, doc, cand.i, KIN_SCORE, "kinship word")
                continue
            if low in TITLES and (tok.text[0].isupper() or low in {"dr", "doctor", "mr", "mrs", "ms", "prof", "professor", "nurse"}):
                if low in {"sister", "brother", "father", "aunt", "auntie", "uncle", "grandma", "grandpa", "nana"}:
                    # kinship words used as titles only when the next word is capitalised
                    if not (cand.text[:1].isupper() and cand.pos_ == "PROPN"):
                        continue
                if is_name_like(cand, self.dictionary, strong_context=True) or self._said(doc, cand):
                    self._add(out, doc, cand.i, TITLE_SCORE, "title")
                continue
            for intro in INTRODUCERS:
                k = len(intro)
                if lows[i] == intro[0] and tuple(lows[i:i + k]) == intro and i + k < n:
                    c = doc[i + k]
                    strong = intro[0] in {"my", "name", "call", "named"}
                    weak_ok = c.text[:1].isupper() and c.lower_ in first_names()
                    if is_name_like(c, self.dictionary, strong_context=strong) and (strong or weak_ok):
                        self._add(out, doc, c.i, INTRO_SCORE, "introduction")
                    break
        return out

    @staticmethod
    def _said(doc, cand) -> bool:
        """ "doctor dias said": after a title, any plain word followed by a verb of saying is the
        name, even an English one."""
        return (cand.is_alpha and not cand.is_stop and cand.pos_ in {"NOUN", "PROPN", "X"} and cand.lower_ not in TITLES and cand.lower_ not in KINSHIP
                and cand.i + 1 < len(doc) and doc[cand.i + 1].lower_ in SAYING)

    def _add(self, out, doc, i, score, why):
        end = extend_surname(doc, i, self.dictionary)
        span = doc[i:end]
        out.append(self.result(span.start_char, span.end_char, score, why))
