"""Names used as speaker labels at the start of a line ("JENNY:", "Dr. Roe:").

Role labels such as "Therapist:" or "Client:" are not names and are skipped.
"""

from __future__ import annotations

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer
from ._lexicon import ROLE_LABELS

TITLE_PREFIX = re.compile(r"^(?:dr|mr|mrs|ms|miss|mx|prof|nurse)\.?\s+", re.IGNORECASE)

RULES = [
    Rule(
        "speaker label",
        r"^[ \t>*\-]*\[?(?P<value>[A-Za-z][A-Za-z'\-]*\.?(?:[ \t][A-Za-z][A-Za-z'\-]*){0,2})\]?[ \t]*(?:\(\d[\d:.]*\))?[ \t]*:(?!//)",
        0.85,
        re.MULTILINE,
    ),
]


def _is_person_label(value: str, match, text: str) -> bool | None:
    label = TITLE_PREFIX.sub("", value).strip()
    low = label.lower()
    if not label or low in ROLE_LABELS:
        return False
    words = low.split()
    # "Speaker 1", "Client B", "Family member": any role word makes it a role.
    if any(w.strip(".") in ROLE_LABELS for w in words):
        return False
    # A label at line start but followed by a URL or a time is not a speaker.
    if low in {"http", "https", "ftp", "mailto", "www"}:
        return False
    return True


def build() -> RuleRecognizer:
    return RuleRecognizer("SpeakerLabelRecognizer", E.PERSON, RULES, validator=_is_person_label)
