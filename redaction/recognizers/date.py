"""Date elements other than the year: "March 3rd", "the fifth of May",
"3/14/2021", "2021-03-14". A year on its own is allowed by Safe Harbor."""

from __future__ import annotations

import re

from .. import entities as E
from ._base import Rule, RuleRecognizer

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
ORD_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
    r"twentieth|thirtieth|(?:twenty|thirty)[\s\-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
)
DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?|" + ORD_WORD + r")"
YEAR = r"(?:,?\s*(?:\d{4}|'\d{2}))?"

HOLIDAY = (
    r"(?:new\s+year(?:['\u2019]s)?|christmas|xmas|valentine(?:['\u2019]s)?|halloween|thanksgiving|easter|"
    r"labou?r\s+day|memorial\s+day|independence\s+day|mother['\u2019]s\s+day|father['\u2019]s\s+day|"
    r"(?:the\s+)?fourth\s+of\s+july|july\s+(?:4th|fourth)|st\.?\s+patrick['\u2019]s(?:\s+day)?|"
    r"boxing\s+day|hanukkah|diwali|eid|ramadan|veterans\s+day|presidents\s+day|juneteenth|anzac\s+day)"
)

RULES = [
    Rule("month day", r"\b" + MONTH + r"\.?\s+(?:the\s+)?" + DAY + r"\b" + YEAR, 0.85),
    Rule("day of month", r"\b(?:the\s+)?" + DAY + r"\s+(?:of\s+)?" + MONTH + r"\b" + YEAR, 0.85),
    Rule("month year", r"\b" + MONTH + r"\.?\s+(?:of\s+)?(?:19|20)\d{2}\b", 0.7),
    Rule("numeric date with year", r"\b\d{1,2}[/\-.]\d{1,2}[/\-.](?:\d{4}|\d{2})\b", 0.8),
    Rule("numeric date", r"(?<![\d/])\b\d{1,2}/\d{1,2}\b(?![/\d])", 0.45),
    Rule("iso date", r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b", 0.9),
    # A holiday pins a day of the year: "i relapsed on new year's eve", "since labor day".
    Rule("holiday as the date of an event", r"\b(?:on|since|after|before|around|until|till|over|the\s+day\s+(?:after|before))\s+"
         r"(?P<value>" + HOLIDAY + r"(?:\s+(?:eve|day|morning|night|weekend))?(?:['\u2019]s\s+eve)?)\b", 0.6),
]

# Words that make "9/11" someone's date, not the event: "he passed away on 9/11", "my DOB is 9/11".
DATE_OF_A_PERSON = re.compile(
    r"\b(?:birthday|born|dob|date\s+of\s+birth|passed(?:\s+away)?|died|death|admitted|discharged|"
    r"appointment|court\s+date|due|scheduled|meet|meeting|session|surgery)\b[^.!?\n]{0,25}$",
    re.IGNORECASE,
)
# Common phrases with a month word that are not dates.
NOT_DATES = re.compile(r"^(?:may\s+(?:the\s+)?\w+|march(?:ed|ing)?\s+\w+|jan\s+\w+)$", re.IGNORECASE)


def _validate(value: str, match, text: str) -> bool | float:
    low = value.lower()
    # "may" is mostly the verb: accept it only with a day number after it.
    if low.startswith("may") and not re.search(r"\d|first|second|third|th\b", low):
        return False
    if low.startswith("may ") and re.match(r"may\s+(?:be|have|not|i|you|we|he|she|they)\b", low):
        return False
    if low.startswith("mar ") or low.startswith("jan "):
        if not re.search(r"\d", low):
            return False
    nums = re.findall(r"\d+", value)
    if "/" in value or re.fullmatch(r"[\d\-.]+", value):
        if len(nums) >= 2:
            a, b = int(nums[0]), int(nums[1])
            if len(nums[0]) == 4:  # ISO
                a, b = int(nums[1]), int(nums[2])
            if not ((1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)):
                return False
            if value in {"24/7", "50/50"}:
                return False
            if value == "9/11" and not DATE_OF_A_PERSON.search(text[max(0, match.start() - 40):match.start()]):
                return False  # mostly the event; a birthday, death or appointment on 9/11 is a date
    return True


def build() -> RuleRecognizer:
    return RuleRecognizer(
        "DateRecognizer",
        E.DATE_TIME,
        RULES,
        context=["born", "birthday", "date", "dob", "appointment", "admitted", "discharged", "on"],
        validator=_validate,
    )
