"""Named facilities and employers: "St. Mary's Hospital", "Lakeview Clinic",
"I work at Hartley Foods"."""

from __future__ import annotations

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer, words
from spacy.lang.en.stop_words import STOP_WORDS

from .location import NOT_IDENTIFYING_PLACES

KINDS = words(
    "hospital", "clinic", "medical center", "medical centre", "health center", "health centre",
    "center", "centre", "infirmary", "hospice", "nursing home", "care home", "rehab",
    "rehabilitation center", "treatment center", "recovery center", "school", "elementary",
    "middle school", "high school", "academy", "college", "university", "church", "prison",
    "jail", "correctional facility", "shelter", "pharmacy", "institute",
    "inc", "llc", "ltd", "corp", "corporation", "company", "foods", "industries",
    "bank", "store", "market", "restaurant", "cafe", "diner", "grill", "hotel", "motel",
    "factory", "warehouse", "mall", "gym", "library", "insurance", "construction", "motors",
    "bakery", "hardware", "logistics", "dental", "plumbing", "landscaping", "auto body",
    "credit union", "family clinic", "community college", "nursing home", "recovery center",
)
KIND_RX = re.compile(r"\b" + KINDS + r"\b", re.IGNORECASE)
KIND_END_RX = re.compile(r"\s*\b" + KINDS + r"$", re.IGNORECASE)
# Words of one name stay on one line: "Marco\n\nThe restaurant" is two things.
CAP = r"(?-i:(?:St\.?[ \t]|Saint[ \t]|Mount[ \t]|Mt\.?[ \t])?[A-Z][A-Za-z'&\-]+)"
EMPLOY = words(
    "work at", "works at", "worked at", "working at", "work for", "works for", "worked for",
    "working for", "job at", "employed by", "employed at", "hired at", "hired by", "fired from",
    "laid off from", "shift at", "manager at", "admitted to", "stayed at", "treated at",
    "go to school at", "went to", "go to", "goes to", "attend", "attends", "attended",
    "took him to", "took her to", "took me to", "taken to", "was at", "is at", "transferred to",
)

RULES = [
    Rule(
        "capitalised name with a facility word",
        r"(?P<value>" + CAP + r"(?:[ \t]+(?:[A-Z][A-Za-z'&\-]+|of|and|the|for)){0,4}[ \t]+(?i:" + KINDS + r"))\b",
        0.7,
        0,
    ),
    # The company after a person: "Ralf Weber of Impact HD Inc." (the person is no part of it).
    Rule(
        "capitalised name with a facility word after 'of'",
        r"\bof[ \t]+(?P<value>" + CAP + r"(?:[ \t]+(?:[A-Z][A-Za-z'&\-]+|and|the|for)){0,4}[ \t]+(?i:" + KINDS + r"))\b",
        0.7,
        0,
    ),
    # Lower-case transcripts: after a verb of working or being treated, words ending in a
    # facility word ("admitted to st. eric pharmacy", "laid off from barton foods").
    Rule(
        "lower-case facility after a verb",
        EMPLOY + r"\s+(?:the\s+)?(?P<value>(?:(?:st\.?|saint|mount|mt\.?)\s+)?(?!(?:the|a|an|my|his|her|our|their|this|that|work|home)\b)[a-z][a-z'&\-]+(?:\s[a-z][a-z'&\-]+){0,2}\s+"
        + KINDS + r")\b",
        0.65,
    ),
    Rule(
        "employer after a verb of working",
        EMPLOY + r"\s+(?:the\s+)?(?P<value>" + CAP + r"(?:[ \t]+(?-i:[A-Z][A-Za-z'&\-]+)){0,3})",
        0.6,
    ),
]

NOT_FACILITIES = frozenset(
    """
    i i'm the a an my our his her their this that it aa na church school college work
    university hospital clinic rehab jail prison therapy counseling monday tuesday wednesday
    thursday friday saturday sunday christmas easter god
    """.split()
)


# Lower-case words that make a kind of place, not a named one: "medical school", "high school".
GENERIC = frozenset(
    """
    medical high middle grad graduate nursing law business private public local state night summer
    sunday boarding catholic christian elementary junior senior primary secondary trade beauty
    cooking art dental med vet film drama dance driving flight new old big small other same
    different good bad regular community general children's kids mental health psych psychiatric
    rehab detox treatment recovery methadone walk-in urgent emergency
    """.split()
)


def _person_before_of(value: str) -> bool:
    """ "Ralf Weber of Impact HD Inc.": before "of" there is no facility word ("University of",
    "Bank of" have one), so those words are a person (or a title) and no part of the name; the
    rule for names after "of" reports the company."""
    if " of " not in value:
        return False
    head = value.split(" of ")[0]
    return not KIND_RX.search(head)


def _validate(value: str, match, text: str) -> bool:
    if _person_before_of(value):
        return False
    if value.islower():
        head = KIND_END_RX.sub("", value).replace(".", " ").split()
        named = [w for w in head if w not in GENERIC and w not in {"st", "saint", "mount", "mt"}]
        if not named:  # nothing but the kind of place: "medical school", "high school"
            return False
    first = value.split()[0].lower().strip(".")
    if first in STOP_WORDS or "-" in value.split()[0][-1:]:
        return False
    return first not in NOT_FACILITIES and value.lower() not in NOT_IDENTIFYING_PLACES and len(value) > 3


def build() -> RuleRecognizer:
    return RuleRecognizer(
        "FacilityRecognizer",
        E.FACILITY,
        RULES,
        context=["work", "works", "job", "employer", "hospital", "clinic", "admitted"],
        validator=_validate,
    )
