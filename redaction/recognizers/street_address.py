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
# A street address sits on one line: blanks between its words never include a line break
# ("... 91229\n\nTampa bridge" is a ZIP and a town, not a street called "Tampa Bridge").
SP = r"[ \t\u00a0]+"
HOUSE_NUMBER = r"(?:\d{1,6}[A-Za-z]?(?:-\d{1,4})?|" + NUMBER_WORD + r"(?:[ \t\-]" + NUMBER_WORD + r"){0,4})"
DIRECTION = r"(?:(?:north|south|east|west|n|s|e|w|ne|nw|se|sw)\.?" + SP + r")?"
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
UNIT_WORD = r"(?:(?:apt|apartment|unit|suite|ste|flat|number|no)\b\.?|#)"
UNIT = r"(?:,?[ \t]+" + UNIT_WORD + r"[ \t]*#?[ \t]*[A-Za-z0-9\-]{1,6})?"



def _usps_suffixes() -> list[str]:
    # The full USPS suffix list ("Crossing", "Mission", "Heights"...) as Faker ships it.
    from faker.providers.address.en_US import Provider

    return sorted(set(Provider.street_suffixes))


# A capitalised word, accents and all ("Pawłowski", "Ólafsdóttir").
CAP_WORD = r"(?-i:[A-Z\u00C0-\u00D6\u00D8-\u00DE](?:[^\W\d_A-Z]|['\-])+)"
USPS_ANY_CASE = "|".join(sorted((x.lower() for x in _usps_suffixes()), key=len, reverse=True))
STREET_WORD = r"(?!(?:" + NOT_STREET + r")\b)[A-Za-z][A-Za-z'\-]*"
SPOKEN_HOUSE = NUMBER_WORD + r"(?:[ \t\-]" + NUMBER_WORD + r"){0,3}"
ADDRESS_PHRASE = words(
    "live at", "lives at", "living at", "we're at", "we are at", "i'm at", "address is", "address",
    "place is", "new place is", "send it to", "house is", "located at", "moved to", "mail it to", "staying at",
)
USPS = r"(?-i:" + "|".join(sorted(set(_usps_suffixes()) | {"Boulevard"}, key=len, reverse=True)) + r")"
# Where a postal address line may begin: the start of a line (after a quote mark or indent), or
# after ", ", ": ", "at ", "to " -- not right after another number, so "123-45-6789 42 Maple
# Street" keeps its SSN.
LINE_START = r"(?:^[ \t}?>*\-]*|(?<=, )|(?<=: )|(?<=at )|(?<=to ))"
RULES = [
    Rule(
        "number, street name, street type",
        r"\b" + HOUSE_NUMBER + SP + DIRECTION + r"(?:" + ORDINAL + r"|" + NAME_WORD + r")(?:" + SP + NAME_WORD + r"){0,2}"
        + SP + STREET_TYPES + r"\b\.?" + UNIT,
        0.75,
    ),
    Rule(
        "number, capitalised street name, any USPS suffix",
        r"\b\d{1,6}" + SP + DIRECTION + CAP_WORD + r"(?:" + SP + CAP_WORD + r"){0,2}" + SP + USPS + r"\b" + UNIT,
        0.65,
    ),
    # Transcripts in lower case ("we're at 4768 perez cliff"): a house number of two or more
    # digits, one to three words that are not quantities, then any USPS suffix.
    Rule(
        "number, street name in any case, any USPS suffix",
        r"\b\d{2,6}[A-Za-z]?" + SP + DIRECTION + r"(?:" + STREET_WORD + SP + r"){1,3}(?:" + USPS_ANY_CASE + r")\b\.?" + UNIT,
        0.6,
    ),
    # Spoken house numbers with a USPS suffix need an address phrase before them:
    # "I live at sixteen twenty-seven clark well".
    Rule(
        "address phrase, spoken number, street name, any USPS suffix",
        ADDRESS_PHRASE + SP + r"(?P<value>" + SPOKEN_HOUSE + SP + DIRECTION + r"(?:" + STREET_WORD + SP + r"){1,3}(?:"
        + USPS_ANY_CASE + r")\b\.?" + UNIT + r")",
        0.6,
    ),
    # A building number before the house number ("Conygar PLC, 602 4301 Ethels Lane",
    # "}} 73537 2972 Hillside Street"), where an address line begins.
    Rule(
        "building and house number",
        LINE_START + r"(?P<value>\d{1,5}" + SP + r"\d{1,6}" + SP + DIRECTION + CAP_WORD
        + r"(?:" + SP + CAP_WORD + r"){0,2}" + SP + USPS + r"\b\.?" + UNIT + r")",
        0.7,
        re.IGNORECASE | re.MULTILINE,
    ),
    # The unit written first, then building and house numbers: "Apt. 908 00339 3782 Custer
    # Street". A unit word right before the numbers makes them an address, not a phone number.
    Rule(
        "unit, then building and house number",
        r"\b(?P<value>(?:apt|apartment|unit|suite|ste)\b\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?" + SP + r"(?:\d{1,5}" + SP
        + r")?\d{1,6}" + SP + DIRECTION + CAP_WORD + r"(?:" + SP + CAP_WORD + r"){0,2}" + SP + USPS + r"\b\.?)",
        0.8,
    ),
    # US military and diplomatic mail: "PSC 3849, Box 3739 APO AA 34906", "USNS Mercy FPO AP 96678".
    Rule(
        "military address",
        r"\b(?-i:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{3,5}|(?:USNS|USS|USNV|USCGC)\s+[A-Z][^\W\d_]+)"
        r"(?:\s+(?-i:APO|FPO|DPO)\s+(?-i:AA|AE|AP)\s+\d{5})?",
        0.85,
    ),
    # The unit on a line of its own in a postal address: "Apt. 388", "Suite 726".
    Rule("unit line", r"(?m)^[ \t}?>*\-]*(?P<value>(?:apt|apartment|suite|ste)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?)[ \t]*$", 0.6),
    # A street named without a house number: "the corner of Abner Road and Freddie Road",
    # "she lives on Maple Street", "shows on Pawłowski Mountains Street".
    Rule(
        "named street after on/corner of",
        r"\b(?:on|off|corner" + SP + r"of|and|down|near)" + SP + r"(?P<value>" + CAP_WORD + r"(?:" + SP + CAP_WORD + r"){0,2}" + SP
        + r"(?-i:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|"
        r"Parkway|Pkwy|Highway|Hwy|Trail|Circle|Square|Squares|Crescent))\b\.?",
        0.6,
    ),
    # "the corner of 883 Karen Lane St. and Bertelsen Gateway St.": after "corner of ... and",
    # any USPS suffix names a street.
    Rule(
        "second street of a corner",
        r"\bcorner" + SP + r"of" + SP + r"[^\n]{3,60}?" + SP + r"and" + SP + r"(?P<value>(?:(?-i:van|von|de|der|den|la|le)" + SP + r")*"
        + CAP_WORD + r"(?:" + SP + r"(?:(?-i:van|von|de|der|den|la|le)" + SP + r")*" + CAP_WORD + r"){0,2}" + SP + USPS
        + r"\b\.?(?:" + SP + r"(?-i:St)\b\.?)?)",
        0.9,
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
