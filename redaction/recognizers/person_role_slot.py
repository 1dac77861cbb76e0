"""Any word where only a person can stand: "onyx rang the police", "does twig know how you feel?",
"i keep picturing juniper at the door", "nobody listens except cricket", "Briar, can i ask you".

The word-slot recognizer (person_word_slot.py) needs a word that looks like a name -- on a first-name
list, a pet form of one, capitalised, or unknown to every dictionary. People are also called by
ordinary words (twig, onyx, bear, blue, cricket), and in lower-case speech nothing marks them. Here
the parse decides instead of the word: a bare singular noun (no article, possessive, number or
adjective before it) that is the subject of a verb only a person does (know, ring, reckon, listen,
promise, ...), the object of a verb done only to a person (tell, text, hug, thank, ...), the one
talked to or lived with, the one excepted ("except cricket"), or the one addressed at the start of a
turn. A common noun in those slots takes an article ("the dog knows", "i told the school"), so a
bare one is a name. The verbs are lemmas, so every tense and person of them counts.
"""

from __future__ import annotations

from .. import entities as E
from ._base import TokenRecognizer
from ._lexicon import ROLE_LABELS
from .location import NOT_IDENTIFYING_PLACES
from .ner import NOT_NAMES, SUBSTANCES
from .person_context import KINSHIP, TITLES
from .person_slot import WEEKDAYS_MONTHS
from .person_word_slot import ENDEARMENTS, FILLERS, KIN_WORDS, OPENERS, unmodified

# --- data: the slots (lemmas) ---------------------------------------------------------------------
# Verbs whose subject is a person: knowing, feeling, saying, calling, promising, crying.
PERSON_SUBJECT = frozenset("""
    know feel think believe understand realise realize reckon guess wonder remember forget decide agree
    disagree promise swear admit insist complain apologise apologize lie pretend say tell ask answer reply
    shout scream yell whisper mutter text ring phone call message email listen cry laugh smile sob
    hug kiss marry divorce visit argue fight care worry blame forgive trust love hate like miss want
    leave move""".split())
# Verbs whose object is a person: told, asked, texted, hugged, thanked, pictured.
PERSON_OBJECT = frozenset("""
    tell ask text phone ring message email hug kiss thank invite marry date forgive picture remind warn
    congratulate comfort reassure""".split())
# Head verb -> prepositions whose object is a person ("talk to X", "live with X", "hear from X").
PERSON_AFTER = {
    "to": frozenset("talk speak listen chat write text lie apologise apologize complain reach turn open cry vent".split()),
    "with": frozenset("live stay talk argue fight sleep hang move split break speak chat".split()),
    "from": frozenset("hear".split()),
    "after": frozenset("name".split()),                     # "we named the baby after scout"
    "off": frozenset("borrow get buy steal nick".split()),  # "i borrowed money off ziggy"
}
# Nouns whose predicate names a person ("the only person i trust is sunny").
PERSON_NOUNS = frozenset("person guy girl woman man friend".split())
# Agents that act like people but are places or bodies ("work rang", "school called", "social
# services came"): no one's name.
INSTITUTIONS = frozenset("""
    work school college uni university church court police hospital clinic council government
    management staff family everyone everybody someone somebody anyone anybody nobody people home
    god mum mom dad mam nan gran grandma grandpa""".split())
POSSESSIVES = frozenset("my our his her their your".split())
# Compounds of kin and company: step-, half-, grand-, god-, ex- and -in-law forms, and every -mate.
KIN_PREFIXES = ("step", "half", "grand", "great", "god", "ex")
# Past forms no suffix rule finds ("onyx rang", "bear knew").
IRREGULAR = {"knew": "know", "felt": "feel", "thought": "think", "said": "say", "told": "tell", "rang": "ring",
             "swore": "swear", "cried": "cry", "fought": "fight", "left": "leave", "understood": "understand",
             "forgot": "forget", "lied": "lie", "worried": "worry", "married": "marry", "replied": "reply"}
# Adjectives that open a turn as a reply ("Cool, that's great.", "Definitely, it can"): no one's name.
REPLIES = frozenset("""
    cool great awesome good nice fine perfect wonderful excellent brilliant lovely sure true fair correct
    interesting amazing fantastic alright huh wow gotcha""".split())
# Adverbs of speech that end in no -ly ("maybe like two", "kinda almost").
ADVERBS = frozenset("maybe kinda sorta perhaps anyway anymore still even already also too again though ever never later soon "
                    "today tonight tomorrow yesterday now here there away almost instead otherwise".split())
# Auxiliaries a question puts before its subject ("does twig know", "would sonny say").
INVERTED = frozenset("does did do would will can could should might has had".split())
SCORE = 0.7
QUEUE = 0.3      # below the threshold: the uncertain queue, for a person to decide
VOCATIVE_NEXT = frozenset({"PRON", "AUX", "VERB"})


class PersonRoleSlotRecognizer(TokenRecognizer):
    def __init__(self):
        super().__init__("PersonRoleSlotRecognizer", E.PERSON)

    @staticmethod
    def _lemma(tok) -> str:
        """The verb's lemma, also where the tagger took it for a noun ("reckons") or a name ("rang")."""
        low = tok.lower_
        if low in IRREGULAR:
            return IRREGULAR[low]
        for end, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("ed", ""), ("ed", "e"), ("s", ""), ("d", "")):
            stem = low[: -len(end)] + repl if low.endswith(end) else None
            if stem and stem in PERSON_SUBJECT:
                return stem
        return tok.lemma_.lower()

    @staticmethod
    def _word(tok) -> bool:
        """A word that could be someone's name: not a function word, a relation, a filler, a place."""
        low = tok.lower_
        if not tok.is_alpha or len(low) < 2 or tok.is_stop or tok.like_num or tok.pos_ in {"PRON", "INTJ", "DET"}:
            return False
        # The tagger guesses at rare words in lower-case speech ("sonny" RB, "wren" NNS), so a tag
        # rules a word out only where its form agrees: "probably", "maybe", "taking", "parents".
        if tok.pos_ == "ADV" and (low.endswith("ly") or low in ADVERBS):
            return False
        if (tok.tag_ in {"NNS", "NNPS"} and (low.endswith("s") or tok.lemma_.lower() != low)) \
                or (tok.tag_ == "VBG" and low.endswith("ing")) or tok.tag_ in {"RBR", "RBS", "JJR", "JJS"}:
            return False
        if low in INSTITUTIONS or low in FILLERS or low in ENDEARMENTS or low in REPLIES:
            return False
        if low in KIN_WORDS or low in KINSHIP or low in TITLES or low in ROLE_LABELS or low in WEEKDAYS_MONTHS:
            return False
        return not (low in NOT_IDENTIFYING_PLACES or low in SUBSTANCES or low in NOT_NAMES)

    @classmethod
    def _bare_noun(cls, tok) -> bool:
        # "it's honor who": the 's of "it's" is a verb, only a possessive (POS) 's modifies
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return cls._word(tok) and unmodified(tok) and not (prev is not None and prev.tag_ == "POS")

    @staticmethod
    def _kin(low: str) -> bool:
        """ "sister", "halfbrother", "step-dad", "sister-in-law", "bandmate", "ex-wife": a relation."""
        if low in KIN_WORDS or low in KINSHIP or low.endswith("mate") or low.endswith("-in-law"):
            return True
        for prefix in KIN_PREFIXES:
            rest = low[len(prefix):].lstrip("-")
            if low.startswith(prefix) and rest and (rest in KIN_WORDS or rest in KINSHIP):
                return True
        return False

    @classmethod
    def _slot(cls, tok) -> str | None:
        head = tok.head
        if tok.dep_ in {"nsubj", "nsubjpass"} and head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in PERSON_SUBJECT:
            return f"the one who does '{head.lemma_.lower()}'"
        if tok.dep_ in {"dobj", "dative"} and head.lemma_.lower() in PERSON_OBJECT:
            return f"the one '{head.lemma_.lower()}' is done to"
        if tok.dep_ in {"pobj", "pcomp"} and not tok.tag_.startswith("VB"):
            prep = head.lower_
            if prep == "except" or prep == "but" and head.head.lower_ in {"nobody", "no", "everyone"}:
                return "the one excepted"
            if prep in PERSON_AFTER and head.head.lemma_.lower() in PERSON_AFTER[prep]:
                return f"the one '{head.head.lemma_.lower()} {prep}'"
        doc, i = tok.doc, tok.i
        before = doc[i - 1].text if i > 0 else "\n"
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        clause_start = (i == 0 or doc[i - 1].is_punct or doc[i - 1].lower_ in OPENERS or "\n" in before
                        or doc[i - 1].lower_ in INVERTED)
        # the parse often hangs a turn's first words on its speaker label: read the surface then
        # "like" after a word is a comparison in speech ("sounds like", "stuff like that"), not a verb
        if clause_start and nxt is not None and nxt.tag_ != "VBG" and nxt.lower_ != "like" \
                and cls._lemma(nxt) in PERSON_SUBJECT:
            return f"the one who does '{nxt.lower_}'"
        if ((i == 0 or before == ":" or "\n" in before) and i + 2 < len(doc) and doc[i + 1].text == ","
                and doc[i + 2].pos_ in VOCATIVE_NEXT):
            return "addressed at the start of a turn"
        if nxt is not None and nxt.lower_ == "who" and nxt.head.head == tok and doc[i - 1].lower_ in {"'s", "’s", "is", "was"}:
            return "the one 'who'"              # "it's honor who keeps me sober": who names a person
        if tok.dep_ == "attr" and tok.pos_ in {"NOUN", "PROPN"} and any(
                c.dep_ == "nsubj" and c.lower_ in PERSON_NOUNS for c in head.children):
            return "the person who is"
        return None

    @classmethod
    def _after_kin(cls, tok) -> str | None:
        """ "my bandmate bear moved in", "my halfbrother flint said": the word after my + a relation."""
        doc, i = tok.doc, tok.i
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if i > 1 and cls._kin(doc[i - 1].lower_) and doc[i - 2].lower_ in POSSESSIVES and cls._word(tok) \
                and not tok.tag_.startswith("VB") and (nxt is None or nxt.is_punct or nxt.pos_ in {"VERB", "AUX"}):
            return f"named after 'my {doc[i - 1].lower_}'"
        return None

    @classmethod
    def _addressed_last(cls, tok) -> bool:
        """ "Take your time, wren." -- or a list's last item ("schizophrenia, bipolar.") or an
        afterthought ("Yes, purpose."): the parse cannot tell, so a person decides (the queue)."""
        doc, i = tok.doc, tok.i
        if not (0 < i < len(doc) - 1 and doc[i - 1].text == "," and doc[i + 1].text in {".", "?", "!"}):
            return False
        end = i + 2 >= len(doc) or "\n" in doc[i + 1].whitespace_ or "\n" in doc[i + 2].text or doc[i + 2].text == ":"
        before = doc[i - 2] if i > 1 else None
        return end and cls._word(tok) and not (before is not None and (before.lower_ in FILLERS or before.lower_ in
                                                                           {"like", "uh", "um"} or before.pos_ == "INTJ"))

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None or (entities and self.entity not in entities):
            return []
        out = []
        for tok in nlp_artifacts.tokens:
            if why := ((self._bare_noun(tok) and self._slot(tok)) or self._after_kin(tok)):
                out.append(self.result(tok.idx, tok.idx + len(tok.text), SCORE, f"a bare word in a person's slot: {why}"))
            elif self._addressed_last(tok):
                out.append(self.result(tok.idx, tok.idx + len(tok.text), QUEUE, "a word after a comma at a turn's end"))
        return out
