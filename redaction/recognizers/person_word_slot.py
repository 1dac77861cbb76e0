"""Names that are also words, where a person's name stands.

"me and hunter went", "i told grace", "so rusty said", "my daughter Will", "Thanks, Drew.",
"hazel, my stepmum, won't", "i was with Sully the whole night": a first name of the lexicons (or
a word no dictionary knows, such as a nickname) counts as a person only in a slot that holds a
person -- coordinated with "me", the one who says, texts or calls, the one told, texted or stayed
with, the name after "my sister", or a vocative at the edge of a sentence. The same word elsewhere
stays: "I hope so", "with grace", "the will".

Names that are also abstract nouns ("hope", "faith", "joy") get a lower score in the weaker slots,
below the redaction threshold: they are findings a person should look at, not certainties.
"""

from __future__ import annotations

from typing import Callable

from .. import entities as E
from ._base import TokenRecognizer
from ._lexicon import ROLE_LABELS, first_names, last_names, world_first_names
from .location import NOT_IDENTIFYING_PLACES
from .person_context import KINSHIP, TITLES
from .ner import NOT_NAMES, SUBSTANCES
from .person_slot import POSSESSED, WEEKDAYS_MONTHS

# --- data: the slots ---------------------------------------------------------------------------
# Verbs whose subject is a person ("so rusty said", "anyway tash goes, ...").
SAY_VERBS = frozenset("""
    said says told tells asked asks texted texts messaged called rang phoned yelled shouted screamed
    reckons reckoned drove drives picked dropped snapped whispered replied answered admitted promised
    swore insisted warned suggested""".split())
# Verbs that a thing can do too ("hope keeps me going"): a person only for names no noun shadows.
DO_VERBS = frozenset("""
    keeps kept wants wanted thinks thought knows knew came comes went lives lived works worked left
    moved got gets cried laughed goes started starts stopped took takes made makes brought helped
    hates loves likes""".split())
# Verbs whose object is a person ("i told grace", "texting hazel").
OBJ_VERBS = frozenset("""
    told tell telling texting texted text called calling call asked ask asking rang ring ringing phoned
    phone visit visited visiting saw see seen seeing met meet meeting hugged dating dated married marry
    kissed thanked invited emailed messaged messaging""".split())
# Words before "with" that make its object a companion ("staying with max").
WITH_BEFORE = frozenset("""
    staying stay stayed stays living live lived lives was were been went go going moved moving hanging
    hang hung out talked talking spoke speaking sleeping slept fighting fought""".split())
# What may follow a name in an object slot: a boundary, not the rest of a noun phrase.
AFTER_OBJECT = frozenset("""
    i i'm he she we they you that about all last yesterday today tonight again and the since because
    cause if when every at on in for back before after this what how why to who whether so but or
    until till my earlier later once""".split())
# Words that open a clause before its subject ("so rusty said", "anyway tash goes").
OPENERS = frozenset("""
    so anyway then and but because cause cos honestly well like when if until since after before um
    uh yeah and oh plus basically apparently""".split())
POSSESSIVES = frozenset("my our his her their your me ma".split())
KIN_EXTRA = frozenset("""youngest eldest oldest middle stepmum stepdad flatmate housemate mate bff worker
    caseworker doctor nurse gp officer probation""".split())
# "X from next door", "X from work": a person placed by where they belong.
FROM_PLACES = frozenset("next work church school down across upstairs downstairs upstairs group class".split())
# Particles inside a full name: "Marie van der Berg", "Luis de la Cruz".
PARTICLES = frozenset("van der den de la le du von del della da di dos das bin ibn al el ter ten".split())
KIN_WORDS = KINSHIP | KIN_EXTRA
POSSESSED = POSSESSED | frozenset("mum place house flat room mom dad".split())
KIN_ADJ = frozenset("best little big older younger baby twin".split())
# Words a vocative slot often holds that are no one's name.
ENDEARMENTS = frozenset("""
    honey babe baby love dear darling sweetie sweetheart man dude mate buddy pal bro sis son kid sir
    maam ma'am doc guys folks mom dad mum mama papa god lord jesus christ boss chief hun""".split())
# Names that are also abstract nouns, seasons or months: a thing can stand in the weaker slots
# ("hope keeps me going", "i miss summer"), so there they are findings for a person to decide.
SHADOWED = frozenset("""
    hope faith joy grace love mercy destiny patience charity trinity harmony liberty justice honor
    honour serenity unity peace glory chance fortune summer autumn spring winter dawn june april
    august""".split())
# Endings that make a nickname of a name: "mikey", "jonesy", "tommo", "robbo", "deano", "benji".
DIMINUTIVE_ENDINGS = ("ey", "y", "ie", "sy", "o", "a", "i")
# What opens a turn with a comma and is no one's name ("Um, I think", "Right, so").
FILLERS = frozenset("""
    um uh oh hi hey hello yeah yes no okay ok right sure like wow hmm mm well so absolutely
    exactly totally yep yup nope alright anyway actually honestly basically thanks sorry please
    look listen see now gosh god jeez man""".split())
# Names that are also mass nouns, substances or plants: a bare one is grammatical ("ginger helps",
# "i was using crystal"), so in the parse's argument slots they are findings, not certainties.
MASS = frozenset("""
    ginger crystal amber brandy sherry candy honey cash jade ruby pearl coral ivy holly heather sage
    basil rosemary saffron pepper cinnamon silver gold golden snow rain sky stormy sunny misty rusty
    clay stone ash""".split())
# Where the parse puts an argument: the one doing, the one done to, the one talked about or with.
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "dative"})
MODIFIER_DEPS = frozenset({"det", "poss", "amod", "compound", "nummod", "predet"})
# Names that are auxiliaries: a person only when written with a capital.
MODALS = frozenset("will may can might must".split())

def unmodified(tok) -> bool:
    """Nothing modifies the word: no article, possessive, adjective, number or compound in the parse
    and none right before it. A common noun in an argument slot takes one; a name takes none."""
    if any(c.dep_ in MODIFIER_DEPS for c in tok.children):
        return False
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return not (prev is not None and (prev.pos_ in {"DET", "ADJ", "NUM"} or prev.tag_ == "PRP$"))


STRONG = 0.7     # the slot names a person whatever the word
WEAK = 0.35      # a shadowed name in a slot things fill too: below the threshold, for review
QUEUE = 0.3      # an unknown word in an argument slot: for review


class PersonWordSlotRecognizer(TokenRecognizer):
    def __init__(self, unknown: Callable):
        """``unknown(tok)`` tells a word no dictionary knows (the slot recognizer's test)."""
        self.unknown = unknown
        super().__init__("PersonWordSlotRecognizer", E.PERSON)

    def _candidate(self, tok) -> bool:
        low = tok.lower_
        if tok.pos_ == "INTJ" or low in FILLERS or set(low) <= set("mhu"):  # "Mmh", "uhm", "hmm"
            return False
        if tok.is_stop and low not in MODALS:  # "my", "me": a world name list has "My"
            return False
        if tok.pos_ == "AUX" and tok.tag_ == "VBG":  # "Having said that", "Being told": an auxiliary, capitalised or not
            return False
        if not tok.is_alpha or len(low) < 2 or low in ENDEARMENTS or low in KIN_WORDS or low in TITLES:
            return False
        if low in NOT_IDENTIFYING_PLACES or low in WEEKDAYS_MONTHS or low in SUBSTANCES or low in NOT_NAMES or low in ROLE_LABELS:
            return False
        if low in MODALS and not tok.text[0].isupper():
            # "me and will went", "i told will i": a modal is followed by a verb in its base form
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            return nxt is not None and nxt.tag_ in {"VBD", "VBZ", "PRP", ",", ".", "CC"}
        if low in first_names() or low in world_first_names() or self.unknown(tok):
            return True
        # a capitalised word inside a sentence ("i was with Sully"): the slot decides
        return (tok.text[0].isupper() and not tok.text.isupper() and not tok.is_sent_start and not tok.is_stop) \
            or self._diminutive(low)

    def _named(self, low: str) -> bool:
        """On a first-name list, or a pet form of one."""
        return low in first_names() or low in world_first_names() or self._diminutive(low)

    @staticmethod
    def _diminutive(low: str) -> bool:
        """ "mikey" (mike), "jonesy" (jones), "tommo" (tom), "robbo" (rob): a name and a pet ending."""
        for end in DIMINUTIVE_ENDINGS:
            stem = low[: -len(end)]
            if low.endswith(end) and len(stem) >= 3:
                stems = {stem, stem[:-1]} if len(stem) > 3 and stem[-1] == stem[-2] else {stem}
                if any(x in first_names() or x in world_first_names() for x in stems):
                    return True
        return False

    def _surname(self, doc, i: int) -> bool:
        """The word after a first name is its surname: "rohan pinto", "valérie martins"."""
        if i >= len(doc):
            return False
        tok, first = doc[i], doc[i - 1]
        return (tok.is_alpha and not tok.is_stop and tok.text[0].isupper() == first.text[0].isupper()
                and tok.lower_ not in SAY_VERBS | DO_VERBS and tok.tag_ not in {"VBD", "VBZ", "VBP", "MD"}
                and (tok.lower_ in last_names() or self.unknown(tok)))

    def _slot(self, doc, i: int, j: int) -> tuple[float, str] | None:
        """Why doc[i:j] (a name, perhaps with its surname) stands where a person stands."""
        tok = doc[i]
        low = tok.lower_
        n = len(doc)
        prev = doc[i - 1].lower_ if i > 0 else ""
        prev2 = doc[i - 2].lower_ if i > 1 else ""
        nxt = doc[j].lower_ if j < n else ""
        nxt2 = doc[j + 1].lower_ if j + 1 < n else ""
        shadowed = low in SHADOWED
        clause_start = i == 0 or doc[i - 1].is_punct or prev in OPENERS or "\n" in doc[i - 1].text
        boundary = nxt == "" or doc[j].is_punct or nxt in AFTER_OBJECT
        modified = i > 0 and (prev in POSSESSIVES or doc[i - 1].pos_ in {"DET", "ADJ", "NUM"})  # "my job and i"
        if not modified and ((prev == "and" and prev2 in {"me", "i"}) or (nxt == "and" and nxt2 in {"me", "i", "my"})):
            return STRONG, "coordinated with me"
        # no verb stands right before "said" or "goes,": "so rose said", "anyway skip goes, ..."
        if clause_start and nxt in SAY_VERBS:
            return STRONG, "says or calls"
        if clause_start and nxt == "goes" and nxt2 in {",", "like"}:
            return STRONG, "goes, (quoting)"
        if nxt in {"'s", "’s"} and nxt2 in POSSESSED and (i == 0 or doc[i - 1].pos_ not in {"DET", "PRON", "ADJ"}):
            return STRONG, "whose mum or place"
        if j == i + 1 and self._vocative(doc, i) and (self._named(low) or self.unknown(tok)):
            return STRONG, "vocative"  # a name or a word no dictionary knows: "Hopeful, actually." is neither
        if tok.tag_.startswith("VB") and not tok.text[0].isupper() and low not in MODALS:
            return None  # "my doctor said he", "like i said, my friend": a verb, however named
        if prev2 in POSSESSIVES and prev in KIN_WORDS and not (low in MODALS and i + 1 < n and doc[i + 1].tag_ == "VB"):
            return STRONG, "after my sister"
        if i > 2 and prev in KIN_WORDS and prev2 in KIN_ADJ and doc[i - 3].lower_ in POSSESSIVES:
            return STRONG, "after my little sister"
        if i > 2 and prev in KIN_WORDS and doc[i - 3].lower_ in POSSESSIVES:  # "my case worker X"
            return STRONG, "after my case worker"
        if nxt == "," and nxt2 in POSSESSIVES and j + 2 < n and doc[j + 2].lower_ in KIN_WORDS | KIN_ADJ:
            return STRONG, "before , my sister"
        if nxt == "from" and nxt2 in FROM_PLACES:
            return STRONG, "from next door"
        if clause_start and nxt in DO_VERBS and prev != "":
            return (WEAK if shadowed else STRONG), "subject of a verb"
        if prev in OBJ_VERBS and boundary:
            return (WEAK if shadowed and prev not in {"told", "texted", "texting", "asked", "rang", "phoned"} else STRONG), "told or texted"
        if prev == "with" and prev2 in WITH_BEFORE and boundary:
            return (WEAK if shadowed else STRONG), "stayed with"
        if self._bare_argument(tok):
            if self._named(low):
                return (WEAK if shadowed or low in MASS else STRONG), "a bare name as an argument"
            # a word no dictionary knows where a person could stand ("spoken to saylor"): a name or a
            # medicine or a brand -- the parse cannot tell, a person can
            if self.unknown(tok):
                return QUEUE, "a bare unknown word as an argument"
        return None

    @staticmethod
    def _bare_argument(tok) -> bool:
        """The parse makes the word an argument (subject, object, object of a preposition, apposition)
        and nothing modifies it: a common noun would take "the", "my" or an adjective ("storm
        offered to drive me", "hear back from glen", "we had guy over"), a name takes none."""
        if tok.dep_ not in ARGUMENT_DEPS or tok.tag_ not in {"NN", "NNP"} or not unmodified(tok):
            return False
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.text in {"'s", "’s"}:
            return False
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return not (nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and nxt.dep_ == "compound")

    def _vocative(self, doc, i: int) -> bool:
        """ "Thanks, Drew.", "I hear you, destiny.", "honestly, river, i don't", "Chase, what ..." """
        n = len(doc)
        before = doc[i - 1].text if i > 0 else "\n"
        after = doc[i + 1].text if i + 1 < n else "."
        turn_start = i == 0 or before == ":" or "\n" in before
        if turn_start and after == ",":
            return True
        return before == "," and after in {".", "?", "!", ","} and (after != "," or i + 2 >= n or doc[i + 2].pos_ == "PRON")

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None or (entities and self.entity not in entities):
            return []
        doc = nlp_artifacts.tokens
        out = [self.result(s, e, STRONG, "name with particles") for s, e in self._particle_names(doc)]
        for i, tok in enumerate(doc):
            if not self._candidate(tok):
                continue
            j = i + 2 if self._surname(doc, i + 1) else i + 1
            found = self._slot(doc, i, j) or (self._slot(doc, i, i + 1) if j > i + 1 else None)
            if found:
                score, why = found
                end = doc[j - 1].idx + len(doc[j - 1].text)
                out.append(self.result(tok.idx, end, score, f"name-word in a person's slot: {why}"))
        return out

    def _particle_names(self, doc) -> list[tuple[int, int]]:
        """ "Marie van der Berg", "Luis de la Cruz": a capitalised first name, particles, a capitalised word."""
        out = []
        for i, tok in enumerate(doc):
            if not (tok.text[:1].isupper() and (tok.lower_ in first_names() or tok.lower_ in world_first_names())):
                continue
            j = i + 1
            while j < len(doc) and doc[j].lower_ in PARTICLES:
                j += 1
            if j > i + 1 and j < len(doc) and doc[j].text[:1].isupper() and doc[j].is_alpha:
                out.append((tok.idx, doc[j].idx + len(doc[j].text)))
        return out
