"""Street addresses, written or spoken: "42 Maple Street", "forty-two maple st,
apt 3", "P.O. Box 118"."""

from __future__ import annotations

from .. import entities as E
from ._base import Rule, RuleRecognizer, words

STREET_TYPES = words(
    "street", "st", "avenue", "ave", "av", "road", "rd", "lane", "ln", "drive", "dr", "boulevard",
    "blvd", "court", "ct", "way", "place", "pl", "terrace", "ter", "circle", "cir", "parkway",
    "pkwy", "highway", "hwy", "square", "sq", "trail", "trl", "crescent", "close", "row",
    "alley", "loop", "pike", "run", "path", "walk", "plaza", "route", "rte",
)
NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|oh|zero)"
)
HOUSE_NUMBER = r"(?:\d{1,6}[A-Za-z]?(?:-\d{1,4})?|" + NUMBER_WORD + r"(?:[\s\-]" + NUMBER_WORD + r"){0,4})"
DIRECTION = r"(?:(?:north|south|east|west|n|s|e|w|ne|nw|se|sw)\.?\s+)?"
# One to three street-name words; a name word is never a common function word.
NAME_WORD = r"(?!(?:and|or|the|a|to|on|in|at|of|my|i|is|was|it)\b)[A-Za-z][A-Za-z'\-]*"
ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
UNIT = r"(?:,?\s+(?:apt|apartment|unit|suite|ste|flat|#|number|no\.?)\.?\s*#?\s*[A-Za-z0-9\-]{1,6})?"



def _usps_suffixes() -> list[str]:
    # The full USPS suffix list ("Crossing", "Mission", "Heights"...) as Faker ships it.
    from faker.providers.address.en_US import Provider

    return sorted(set(Provider.street_suffixes))


CAP_WORD = r"(?-i:[A-Z][a-z'\-]+)"
RULES = [
    Rule(
        "number, street name, street type",
        r"\b" + HOUSE_NUMBER + r"\s+" + DIRECTION + r"(?:" + ORDINAL + r"|" + NAME_WORD + r")(?:\s+" + NAME_WORD + r"){0,2}\s+"
        + STREET_TYPES + r"\b\.?" + UNIT,
        0.75,
    ),
    Rule(
        "number, capitalised street name, any USPS suffix",
        r"\b\d{1,6}\s+" + DIRECTION + CAP_WORD + r"(?:\s+" + CAP_WORD + r"){0,2}\s+(?-i:" + "|".join(_usps_suffixes()) + r")\b" + UNIT,
        0.65,
    ),
    Rule("post office box", r"\b(?:p\.?\s?o\.?|post\s+office)\s+box\s+\d{1,6}\b", 0.85),
]


def _validate(value: str, match, text: str) -> bool | float:
    words_ = value.split()
    # "I had two drinks on the way" has no house number+name shape: the
    # word right before the street type must not be a plain verb/pronoun.
    if len(words_) < 2:
        return False
    lead = words_[0].lower()
    # Spoken house numbers are weaker evidence than digits.
    if not any(c.isdigit() for c in lead) and not value.lower().startswith(("p", "post")):
        return 0.6
    return True


def build() -> RuleRecognizer:
    return RuleRecognizer(
        "StreetAddressRecognizer",
        E.STREET_ADDRESS,
        RULES,
        context=["address", "live", "lives", "street", "apartment", "moved"],
        validator=_validate,
    )
