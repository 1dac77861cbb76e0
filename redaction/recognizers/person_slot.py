"""Names no word list knows, found by where people put names.

"I told ifechukwu", "me and Borys", "Thembeka's dad", "hi, I'm Oyindasola", "Gayathri Lugo
from work": spaCy's small model and the Faker name lists miss many names from outside the
English-speaking world, more so in lower-case transcripts. Here a word counts as a name when it
sits in a slot where talk puts a person AND it is not an English word (the lemmatizer's word
list), not a function word, and not on the lists of words that look like names but are not
(medicines, fillers, places). Two capitalised unknown words in a row ("Ololade Gozzi") are a
name wherever they stand.
"""

from __future__ import annotations

from .. import entities as E
from ._base import TokenRecognizer
from ._lexicon import COMMON_WORD_NAMES, ROLE_LABELS, first_names, is_english, last_names, world_first_names
from ._names import FUNCTION_POS
from .location import NOT_IDENTIFYING_PLACES
from .ner import COMPANY_WORDS, NOT_NAMES, SUBSTANCES
from .person_context import KINSHIP, TITLES

# Words before a person: "told X", "me and X", "with X", "hi, I'm X".
BEFORE = (
    ("told",), ("tell",), ("telling",), ("asked",), ("ask",), ("texted",), ("text",), ("called",),
    ("messaged",), ("me", "and"), ("with",), ("i", "'m"), ("i", "am"), ("thanks",), ("love",),
    ("miss",), ("married",), ("dating",), ("about",), ("see",), ("saw",), ("visit",), ("visited",),
    ("hi",), ("hello",), ("hey",), ("dear",), ("starring",), ("named",), ("called",), ("given",), ("gave",),
    ("seen",), ("met",), ("it", "is"), ("it", "was"), ("it", "'s"),
    ("calls", "me"), ("call", "me"), ("says",), ("said",), ("shouted", "at"), ("named", "him"), ("named", "her"),
)
# Words after a person: "X said", "X and I", "X from work", "X's dad".
AFTER = (
    ("said",), ("says",), ("told",), ("thinks",), ("wants",), ("keeps",), ("and", "i"), ("and", "me"),
    ("from", "work"), ("from", "church"), ("from", "school"), ("is", "the", "one"), ("was", "my"),
    ("is", "my"), ("broke",), ("left",), ("called",), ("texted",), ("came",),
    (",", "can"), (",", "could"), (",", "would"), (",", "please"), ("lives",), ("lived",), ("is", "from"),
    ("who",),
)
# An auxiliary after a bare word no dictionary knows (nothing like "the" or "my" before it): that word
# is the subject ("honestly farai was the one", "but ling doesn't"), most often a person.
AUX_AFTER = frozenset("was is does did has had will would can could".split())
BARE_BEFORE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP"})
# Everyday spoken words the lemmatizer's list does not have.
SPOKEN_NON_WORDS = frozenset(
    """
    gonna wanna gotta kinda sorta dunno lemme gimme yall ya bae lol omg tbh idk btw cuz coz cos
    nah yeah yep yup nope okay ok hmm mmm mhm uh um huh whoa wow yay meh alright anyways anyway
    dude bro sis fam cuz ma'am hon sweetie honey babe mama papa mommy daddy grandma grandpa
    ain't y'know ya'll eh oops ugh argh hey hi hello bye thx pls plz tho thru til till
    kia ora whānau whanau aroha
    """.split()
)
# What a person has: "Pilar's dad", "Bento's birthday".
POSSESSED = KINSHIP | frozenset("birthday funeral wedding house place car phone kids family death".split())
SLOT_SCORE = 0.6
# "calls me X", "says X", "hi X": the slot itself names a person, above spaCy's place guess (0.75)
STRONG_SLOTS = {("calls", "me"), ("call", "me"), ("hi",), ("hello",), ("hey",), ("dear",), ("named",),
                ("named", "him"), ("named", "her"), ("starring",), ("i", "'m"), ("me", "and")}
STRONG_SCORE = 0.8
LONE_SCORE = 0.5
INITIAL_SCORE = 0.8
LIST_SCORE = 0.8
TOLD_SCORE = 0.7
# "i told jack i was fine", "I asked grace if": the words that start what was told or asked.
TOLD = frozenset("told tell telling asked ask texted messaged".split())
SAID_STARTS = frozenset("i i'm he she we they you that if to about not it what how why when".split())
PAIR_SCORE = 0.65
ROLE_SCORE = 0.6
# The parse puts a word no dictionary knows where a person goes: the one doing something ("honestly
# ama was the one", "because kagiso thinks"), the one owning something ("at thanh's place"), or the
# one seen, called or met ("i haven't seen damilola").
PERSON_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
PERSON_VERBS = frozenset("see call meet visit miss ask tell text hug thank love hate marry date phone ring "
                         "invite blame trust help".split())
WEEKDAYS_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)


class PersonSlotRecognizer(TokenRecognizer):
    def __init__(self, dictionary: frozenset[str]):
        self.dictionary = dictionary
        super().__init__("PersonSlotRecognizer", E.PERSON)

    def _unknown(self, tok) -> bool:
        """Not an English word, and not one of the name look-alikes."""
        low = tok.lower_
        if not tok.is_alpha or len(low) < 3 or tok.is_stop:
            return False
        guessed = (tok.text[0].isupper() and not tok.is_sent_start) or tok.pos_ == "NUM"
        if tok.pos_ in FUNCTION_POS and not (guessed and low not in self.dictionary):
            # (a word no dictionary knows, tagged as a pronoun mid-sentence or as a number, is the
            # tagger guessing: "Kevin had given Margrethe his address", "honestly farai was the one")
            return False
        if tok.i > 0:
            prev = tok.doc[tok.i - 1]
            if not prev.whitespace_ and prev.text[-1:] in "-'’":  # "OD-ing", "y'all"
                return False
        if not tok.whitespace_ and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text == "-":
            return False  # a stammered start: "wha-what she might say"
        if (low in SPOKEN_NON_WORDS or low in NOT_NAMES or low in SUBSTANCES or low in ROLE_LABELS or low in COMMON_WORD_NAMES
                or low in KINSHIP or low in TITLES or low in NOT_IDENTIFYING_PLACES or low in WEEKDAYS_MONTHS):
            return False
        if tok.text.isupper() and len(tok.text) <= 5:  # acronyms: CBT, ADHD, NAMI
            return False
        if low.endswith("s") and low[:-1] in self.dictionary and low not in first_names():
            return False  # a plural the word list has in the singular ("States")
        if is_english(low, self.dictionary) and low not in first_names():
            return False  # "quitting", "outraging", "sweaty": a form of a word the list has
        if low in self.dictionary or tok.lemma_.lower() in self.dictionary:
            # an English word is a name here only if it is also a (non-everyday) name
            return (low in first_names() or low in last_names()) and low not in COMMON_WORD_NAMES and tok.text[0].isupper()
        return True

    def _listed(self, tok) -> bool:
        """A first name of the lexicons that is no everyday word, whatever the tagger made of it in
        lower case ("i called ahmed", "but mohammed doesn't"; a world name the English word list
        also has only when tagged a proper noun): it needs a slot or a role too."""
        low = tok.lower_
        listed = low in first_names() or (low in world_first_names()
                                          and (low not in self.dictionary or tok.pos_ == "PROPN"))
        after_det = tok.i > 0 and tok.doc[tok.i - 1].pos_ == "DET"   # "the ties": a name takes no article
        return (tok.is_alpha and len(low) >= 3 and not tok.is_stop and listed and not after_det
                and low not in COMMON_WORD_NAMES and low not in WEEKDAYS_MONTHS and low not in ROLE_LABELS
                and low not in NOT_IDENTIFYING_PLACES and low not in NOT_NAMES)

    def _person_role(self, tok) -> bool:
        """An unknown word (see _unknown) that the parse makes the subject or the owner of
        something ("at yash's on sunday"), the object of seeing, calling or meeting, or the one a
        sentence names with "to be" ("the only one who gets it is dorota", "it was yuki who")."""
        if tok.dep_ in PERSON_DEPS:
            return True
        doc = tok.doc
        if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in {"'s", "’s"}:
            return True
        if tok.dep_ in {"dobj", "xcomp", "oprd"} and tok.head.lemma_.lower() in PERSON_VERBS:
            return True
        return tok.dep_ == "attr" and tok.head.lemma_ == "be"

    def _possessor(self, doc, i: int) -> bool:
        """A capitalised word before "'s dad", "'s birthday": a person even when it is also an
        English word ("Pilar's dad", "Bento's birthday")."""
        tok = doc[i]
        if i + 2 >= len(doc) or doc[i + 1].lower_ not in {"'s", "’s"}:
            return False
        low = tok.lower_
        if doc[i + 2].lower_ not in POSSESSED:
            return False
        if self._unknown(tok):
            return True
        return (
            tok.is_alpha and tok.text[0].isupper() and not tok.text.isupper() and tok.pos_ == "PROPN"
            and not tok.is_stop and low not in NOT_NAMES and low not in KINSHIP and low not in TITLES
            and low not in NOT_IDENTIFYING_PLACES and low not in WEEKDAYS_MONTHS and low not in ROLE_LABELS
        )

    def _words_before(self, doc, i: int, k: int) -> tuple[str, ...]:
        j = i
        words: list[str] = []
        while j > 0 and len(words) < k:
            j -= 1
            if doc[j].is_punct and doc[j].text in {",", "-"}:
                continue
            words.insert(0, doc[j].lower_)
        return tuple(words)

    def _initial_name(self, doc, i: int) -> int:
        """ "Viktor F Pap", "Muslim R. Ignatieff": a capitalised word, a one-letter initial and a
        capitalised word, one of them a name or a word no dictionary knows. Returns the end
        index, or 0."""
        tok = doc[i]
        j = i + 1
        if j >= len(doc) or not (len(doc[j].text) == 1 and doc[j].text.isupper() and doc[j].text not in "IA"):
            return 0
        k = j + 2 if j + 2 < len(doc) and doc[j + 1].text == "." else j + 1
        if k >= len(doc):
            return 0
        last = doc[k]
        ok = lambda t: (t.text[:1].isupper() and not t.text.isupper() and not t.is_stop
                        and t.text.replace("'", "").replace("’", "").isalpha())
        if not (ok(tok) and ok(last)) or doc[j].whitespace_ == "" and k == j + 1:
            return 0
        if tok.lower_ in COMPANY_WORDS or last.lower_ in COMPANY_WORDS or tok.lower_ in ROLE_LABELS:
            return 0
        named = [t for t in (tok, last) if t.lower_ in first_names() or t.lower_ in last_names()
                 or not self._english(t)]
        return k + 1 if named else 0

    def _english(self, t) -> bool:
        low = t.lower_
        return (low in self.dictionary or t.lemma_.lower() in self.dictionary
                or (low.endswith("s") and low[:-1] in self.dictionary))

    def _company_follows(self, doc, end: int) -> bool:
        """ "Molson Coors Brewing Co", "Rockley Photonics Holdings": a company's name."""
        return any(t.lower_.rstrip(".") in COMPANY_WORDS or t.lower_.endswith(("ltd", "inc"))
                   for t in doc[end:end + 3] if t.is_alpha)

    def _told_common_name(self, doc, i: int) -> bool:
        """ "i told jack i was fine": after told/asked, a first name that is also an everyday word,
        followed by a pronoun starting what was said."""
        tok = doc[i]
        return (
            i > 0 and doc[i - 1].lower_ in TOLD and tok.is_alpha and not tok.is_stop
            and (tok.lower_ in first_names() or tok.lower_ in world_first_names()) and tok.lower_ not in WEEKDAYS_MONTHS
            and i + 1 < len(doc) and doc[i + 1].lower_ in SAID_STARTS
        )

    def _name_list(self, doc) -> list[tuple[int, int]]:
        """ "Reiniger, Harrison and Marks", "Ólafsdóttir and Suarez were": capitalised words joined
        by commas and "and", every one a name or a word no dictionary knows, at least one on the
        name lists. Returns (start, end) character spans."""
        out: list[tuple[int, int]] = []
        n = len(doc)
        i = 0
        while i < n:
            members = []
            j = i
            while j < n and self._list_member(doc[j]):
                members.append(doc[j])
                k = j + 1
                if k < n and doc[k].text == ",":
                    k += 1
                if k < n and doc[k].lower_ == "and":
                    k += 1
                if k == j + 1:
                    break
                j = k
            named = [t for t in members if (t.lower_ in first_names() or t.lower_ in last_names())
                     and t.lower_ not in COMMON_WORD_NAMES]
            after = doc[members[-1].i + 1] if members and members[-1].i + 1 < n else None
            if after is not None and after.is_alpha and after.text[:1].isupper():
                members = []  # "Roswell, Sumitomo Bakelite": the last one runs on into another name
            if len(members) >= 2 and named:
                out.extend((t.idx, t.idx + len(t.text)) for t in members)
                i = members[-1].i + 1
            else:
                i += 1
        return out

    def _list_member(self, tok) -> bool:
        low = tok.lower_
        if not (tok.is_alpha and tok.text[0].isupper() and not tok.text.isupper() and len(low) > 2 and not tok.is_stop):
            return False
        if low in NOT_IDENTIFYING_PLACES or low in WEEKDAYS_MONTHS or low in SUBSTANCES or low in NOT_NAMES \
                or low in COMPANY_WORDS or low in ROLE_LABELS or low in COMMON_WORD_NAMES:
            return False
        return low in first_names() or low in last_names() or not self._english(tok)

    def analyze(self, text, entities, nlp_artifacts=None):
        if nlp_artifacts is None or (entities and self.entity not in entities):
            return []
        doc = nlp_artifacts.tokens
        n = len(doc)
        out = [self.result(s, e, LIST_SCORE, "list of names") for s, e in self._name_list(doc)]
        i = 0
        while i < n:
            tok = doc[i]
            end = self._initial_name(doc, i)
            if end:
                out.append(self.result(tok.idx, doc[end - 1].idx + len(doc[end - 1].text), INITIAL_SCORE,
                                       "name with a middle initial"))
                i = end
                continue
            if self._told_common_name(doc, i):
                out.append(self.result(tok.idx, tok.idx + len(tok.text), TOLD_SCORE, "told a first name"))
                i += 1
                continue
            if not self._unknown(tok) and not self._listed(tok) and not self._possessor(doc, i):
                i += 1
                continue
            if tok.text[0].isupper() and self._company_follows(doc, i + 1):
                i += 1  # "Conduent Incorporated", "Telford Homes plc": a company
                continue
            nxt = doc[i + 1] if i + 1 < n else None
            # two capitalised unknown words: a full name (not a company's: "Molson Coors Brewing Co")
            if (nxt is not None and tok.text[0].isupper() and nxt.text[:1].isupper() and self._unknown(nxt)
                    and not (tok.text.isupper() and nxt.text.isupper())):
                if not self._company_follows(doc, i + 2):
                    out.append(self.result(tok.idx, nxt.idx + len(nxt.text), PAIR_SCORE, "two unknown capitalised words"))
                i += 2
                continue
            hits = [b for b in BEFORE if self._words_before(doc, i, len(b)) == b]
            before = bool(hits)
            possessor = self._possessor(doc, i)
            strong = any(b in STRONG_SLOTS for b in hits) or possessor
            after = any(tuple(t.lower_ for t in doc[i + 1:i + 1 + len(a)]) == a for a in AFTER) or (
                nxt is not None and nxt.lower_ in AUX_AFTER and (i == 0 or doc[i - 1].pos_ not in BARE_BEFORE_POS))
            # "Utkarsh Rails from work", "Emeka Bramante is the one": an unknown first name, then a
            # surname the dictionary knows, then the slot
            surname_after = (
                not after and nxt is not None and nxt.is_alpha and not nxt.is_stop
                and nxt.text[:1].isupper() == tok.text[:1].isupper() and nxt.lower_ not in COMPANY_WORDS
                and any(tuple(t.lower_ for t in doc[i + 2:i + 2 + len(a)]) == a for a in AFTER)
            )
            if before or after or possessor or surname_after:
                end = i + 1
                # a following unknown word is the surname ("me and amarachi okafor")
                if surname_after or (nxt is not None and self._unknown(nxt) and nxt.text[:1].isupper() == tok.text[:1].isupper()):
                    end = i + 2
                span = doc[i:end]
                out.append(self.result(span.start_char, span.end_char, STRONG_SCORE if strong else SLOT_SCORE,
                                       "name slot, unknown word"))
                i = end
                continue
            if self._person_role(tok):
                out.append(self.result(tok.idx, tok.idx + len(tok.text), ROLE_SCORE, "unknown word in a person's role"))
                i += 1
                continue
            # a capitalised proper noun no word list knows, inside a sentence ("Why is Luiza so")
            inside = not tok.is_sent_start and i > 0 and not doc[i - 1].is_punct
            # at the start of a sentence only as the subject of a verb ("Ksenia is very reliable",
            # "Rasmussen began writing": a surname the dictionary also knows)
            subject = nxt is not None and nxt.pos_ in {"VERB", "AUX"}
            if (tok.text[0].isupper() and not tok.text.isupper() and tok.pos_ == "PROPN"
                    and ((inside and tok.lower_ not in self.dictionary)
                         or (subject and (tok.lower_ not in self.dictionary or tok.lower_ in last_names())))):
                out.append(self.result(tok.idx, tok.idx + len(tok.text), LONE_SCORE, "unknown proper noun"))
            i += 1
        return out
