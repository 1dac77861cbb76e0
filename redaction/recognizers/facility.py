"""Named facilities and employers: "St. Mary's Hospital", "Lakeview Clinic",
"I work at Hartley Foods"."""

from __future__ import annotations

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
    "factory", "warehouse", "mall", "gym", "library", 
)
CAP = r"(?-i:(?:St\.?\s|Saint\s|Mount\s|Mt\.?\s)?[A-Z][A-Za-z'&\-]+)"
EMPLOY = words(
    "work at", "works at", "worked at", "working at", "work for", "works for", "worked for",
    "working for", "job at", "employed by", "employed at", "hired at", "hired by", "fired from",
    "laid off from", "shift at", "manager at", "admitted to", "stayed at", "treated at",
    "go to school at", "went to", "go to", "goes to", "attend", "attends", "attended",
)

RULES = [
    Rule(
        "capitalised name with a facility word",
        r"(?P<value>" + CAP + r"(?:\s+(?:[A-Z][A-Za-z'&\-]+|of|and|the|for)){0,4}\s+(?i:" + KINDS + r"))\b",
        0.7,
        0,
    ),
    Rule(
        "employer after a verb of working",
        EMPLOY + r"\s+(?:the\s+)?(?P<value>" + CAP + r"(?:\s+(?-i:[A-Z][A-Za-z'&\-]+)){0,3})",
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


def _validate(value: str, match, text: str) -> bool:
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
