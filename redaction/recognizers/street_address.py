"""Street addresses, written or spoken: "42 Maple Street", "forty-two maple st,
apt 3", "P.O. Box 118"."""

from __future__ import annotations

import re

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
# Words that follow a number without being a street: "20 minutes walk", "90 days well".
NOT_STREET = (
    "minutes|minute|mins|hours|hour|hrs|days|day|weeks|week|months|month|years|year|yrs|times|time|"
    "people|persons|kids|children|dollars|bucks|cents|grand|miles|mile|blocks|pounds|lbs|kilos|percent|"
    "drinks|beers|beer|pills|glasses|cigarettes|packs|cups|shots|points|steps|feet|foot|inches|meters|"
    "sessions|meetings|calls|texts|messages|seconds|nights|mornings|am|pm|o'clock|or|and|out|of|to|the|"
    "a|an|in|on|at|my|i|is|was|it|so|like|more|less|max|tops|straight|total|plus|ago|old|later|before|after"
)
# One to three street-name words; a name word is never a function word or a quantity.
NAME_WORD = r"(?!(?:" + NOT_STREET + r")\b)[A-Za-z][A-Za-z'\-]*"
ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
# The unit word must end there: "no" in "now" is not "No. 4".
UNIT = r"(?:,?\s+(?:(?:apt|apartment|unit|suite|ste|flat|number|no)\b\.?|#)\s*#?\s*[A-Za-z0-9\-]{1,6})?"



def _usps_suffixes() -> list[str]:
    # The full USPS suffix list ("Crossing", "Mission", "Heights"...) as Faker ships it.
    from faker.providers.address.en_US import Provider

    return sorted(set(Provider.street_suffixes))


CAP_WORD = r"(?-i:[A-Z][a-z'\-]+)"
USPS_ANY_CASE = "|".join(sorted((x.lower() for x in _usps_suffixes()), key=len, reverse=True))
STREET_WORD = r"(?!(?:" + NOT_STREET + r")\b)[A-Za-z][A-Za-z'\-]*"
SPOKEN_HOUSE = NUMBER_WORD + r"(?:[\s\-]" + NUMBER_WORD + r"){0,3}"
ADDRESS_PHRASE = words(
    "live at", "lives at", "living at", "we're at", "we are at", "i'm at", "address is", "address",
    "place is", "new place is", "send it to", "house is", "located at", "moved to", "mail it to", "staying at",
)
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
    # Transcripts in lower case ("we're at 4768 perez cliff"): a house number of two or more
    # digits, one to three words that are not quantities, then any USPS suffix.
    Rule(
        "number, street name in any case, any USPS suffix",
        r"\b\d{2,6}[A-Za-z]?\s+" + DIRECTION + r"(?:" + STREET_WORD + r"\s+){1,3}(?:" + USPS_ANY_CASE + r")\b\.?" + UNIT,
        0.6,
    ),
    # Spoken house numbers with a USPS suffix need an address phrase before them:
    # "I live at sixteen twenty-seven clark well".
    Rule(
        "address phrase, spoken number, street name, any USPS suffix",
        ADDRESS_PHRASE + r"\s+(?P<value>" + SPOKEN_HOUSE + r"\s+" + DIRECTION + r"(?:" + STREET_WORD + r"\s+){1,3}(?:"
        + USPS_ANY_CASE + r")\b\.?" + UNIT + r")",
        0.6,
    ),
    # A building number before the house number ("Conygar PLC, 602 4301 Ethels Lane"), only at
    # the start of a line or after ", " / ": " / "at " / "to ", so "123-45-6789 42 Maple Street"
    # keeps its SSN.
    Rule(
        "building and house number",
        r"(?:^|(?<=, )|(?<=: )|(?<=at )|(?<=to ))(?P<value>\d{1,5}\s+\d{1,6}\s+" + DIRECTION + CAP_WORD
        + r"(?:\s+" + CAP_WORD + r"){0,2}\s+(?-i:" + "|".join(_usps_suffixes()) + r")\b\.?" + UNIT + r")",
        0.7,
        re.IGNORECASE | re.MULTILINE,
    ),
    # US military and diplomatic mail: "PSC 3849, Box 3739 APO AA 34906", "USNS Mercy FPO AP 96678".
    Rule(
        "military address",
        r"\b(?-i:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{3,5}|(?:USNS|USS|USNV|USCGC)\s+[A-Z][^\W\d_]+)"
        r"(?:\s+(?-i:APO|FPO|DPO)\s+(?-i:AA|AE|AP)\s+\d{5})?",
        0.85,
    ),
    # The unit on a line of its own in a postal address: "Apt. 388", "Suite 726".
    Rule("unit line", r"(?m)^[ \t}?>*\-]*(?P<value>(?:apt|apartment|suite|ste)\.?\s*#?\s*\d{1,5}[A-Za-z]?)[ \t]*$", 0.6),
    # A street named without a house number: "the corner of Abner Road and Freddie Road",
    # "she lives on Maple Street".
    Rule(
        "named street after on/corner of",
        r"\b(?:on|off|corner\s+of|and|down|near)\s+(?P<value>" + CAP_WORD + r"(?:\s+" + CAP_WORD + r"){0,2}\s+"
        r"(?-i:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|"
        r"Parkway|Pkwy|Highway|Hwy|Trail|Circle|Square|Squares|Crescent))\b\.?",
        0.6,
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
