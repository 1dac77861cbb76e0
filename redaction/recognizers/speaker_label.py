"""Names used as speaker labels at the start of a line ("JENNY:", "Dr. Roe:").

Role labels such as "Therapist:" or "Client:" are not names and are skipped.
"""

from __future__ import annotations

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer
from ._lexicon import ROLE_LABELS

# Form fields and headers at the start of a line: "Name:", "Fax:", "Address:" are no speakers.
FIELD_LABELS = frozenset(
    """
    name address phone fax email e-mail tel mobile cell dob birthday zip city state country desk
    office home work website url subject from to cc bcc when where who what why how billing
    shipping user username password id mrn ssn age sex gender diagnosis medication medications
    allergies insurance employer occupation school reason status total notes summary
    info information personal statement mission directed produced written genre rating title
    bot position job company department description comment details contact account card
    """.split()
)
TITLE_PREFIX = re.compile(r"^(?:dr|mr|mrs|ms|miss|mx|prof|nurse)\.?\s+", re.IGNORECASE)

RULES = [
    Rule(
        "speaker label",
        r"^[ \t>*\-]*\[?(?P<value>[^\W\d_][^\W\d_'\-]*\.?(?:[ \t][^\W\d_][^\W\d_'\-]*){0,2})\]?[ \t]*(?:\(\d[\d:.]*\))?[ \t]*:(?!//)",
        0.85,
        re.MULTILINE,
    ),
]


def _is_person_label(value: str, match, text: str) -> bool | None:
    label = TITLE_PREFIX.sub("", value).strip()
    low = label.lower()
    if not label or low in ROLE_LABELS or low in FIELD_LABELS:
        return False
    words = low.split()
    # "Speaker 1", "Client B", "Family member": any role word makes it a role; "Billing
    # address", "Personal Info", "Directed By": any field word (or "by") makes it a field.
    if any(w.strip(".") in ROLE_LABELS or w.strip(".") in FIELD_LABELS or w == "by" for w in words):
        return False
    # A label at line start but followed by a URL or a time is not a speaker.
    if low in {"http", "https", "ftp", "mailto", "www"}:
        return False
    return True


def build() -> RuleRecognizer:
    return RuleRecognizer("SpeakerLabelRecognizer", E.PERSON, RULES, validator=_is_person_label)


# A name in a form field or asked for: "Name: Frits van den Heuvel", "What's your last name? Bílá".
# ("my name is ..." in talk is the context recognizer's.)
# After the first word: capitalised words, initials followed by a word ("Karp G. Tokaryev"),
# and the lower-case particles of surnames ("van den").
NAME_PART = (
    r"(?:(?-i:[^\W\d_a-z][^\W\d_'\-]+)|(?-i:[A-Z])\.(?=[ \t]+(?-i:[A-Z]))|"
    r"(?-i:van|von|der|den|de|da|di|del|la|le|du|bin|al)(?=[ \t]))"
)
FIELD_RULES = [
    Rule(
        "name field",
        r"\b(?:full\s+name|first\s+name|last\s+name|surname|maiden\s+name|patient(?:'s)?\s+name|name)\s*[:?][ \t]*"
        r"(?P<value>(?-i:[^\W\d_a-z]" + r"[^\W\d_'\-]*\.?)(?:[ \t]+" + NAME_PART + r"){0,4})",
        0.85,
    ),
]


def _field_value(value: str, match, text: str) -> bool:
    low = value.lower().split()[0].strip(".")
    return low not in ROLE_LABELS and low not in {"is", "the", "a", "my", "not", "unknown", "n/a", "none"}


def build_name_field() -> RuleRecognizer:
    return RuleRecognizer("NameFieldRecognizer", E.PERSON, FIELD_RULES, validator=_field_value)
