"""Cities, towns and neighbourhoods named in talk ("we moved to Dayton").

Safe Harbor allows states and countries, so those are listed here and
never reported; spaCy's place entities are filtered with the same list.
"""

from __future__ import annotations

from .. import entities as E
from ._base import Rule, RuleRecognizer, words

US_STATES = """
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming
""".split() + [
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
    "rhode island", "south carolina", "south dakota", "west virginia", "district of columbia",
    "new york state", "washington state", "puerto rico", "guam",
]
COUNTRIES_AND_REGIONS = [
    "america", "united states", "united states of america", "the united states", "us", "u.s.",
    "usa", "u.s.a.", "the states", "canada", "mexico", "england", "britain", "great britain",
    "uk", "u.k.", "united kingdom", "scotland", "wales", "ireland", "northern ireland",
    "france", "germany", "italy", "spain", "portugal", "netherlands", "holland", "belgium",
    "sweden", "norway", "denmark", "finland", "poland", "russia", "ukraine", "greece",
    "turkey", "israel", "iran", "iraq", "afghanistan", "syria", "egypt", "nigeria", "kenya",
    "ethiopia", "south africa", "ghana", "india", "pakistan", "china", "japan", "korea",
    "south korea", "north korea", "vietnam", "thailand", "philippines", "indonesia",
    "australia", "new zealand", "brazil", "argentina", "chile", "colombia", "peru",
    "venezuela", "cuba", "jamaica", "haiti", "puerto rico", "dominican republic",
    "el salvador", "guatemala", "honduras", "europe", "asia", "africa", "latin america",
    "south america", "north america", "the middle east", "middle east", "the west", "earth",
    "the world", "world", "the south", "the north", "the midwest", "midwest", "east coast",
    "west coast", "the east coast", "the west coast",
]
NOT_IDENTIFYING_PLACES = frozenset(s.lower() for s in US_STATES + COUNTRIES_AND_REGIONS)

# Verbs of living and moving that introduce a town: "grew up in Ashford".
MOVE = words(
    "live in", "lives in", "living in", "lived in", "moved to", "moving to", "move to",
    "moved from", "grew up in", "born in", "raised in", "relocated to",
    "stay in", "staying in", "stayed in", "visit", "visiting", "drove to", "drive to",
    "town of", "city of", "village of", "county", "back in", "over in", "down in", "up in",
    "out in", "near",
)
RULES = [
    Rule(
        "place after a verb of living or moving",
        MOVE + r"\s+(?P<value>(?-i:[A-Z][a-z]+(?:[ \-](?:[A-Z][a-z]+)){0,2}))\b(?!['’])",
        0.9,
    ),
    Rule(
        "place after from",
        r"\b(?:from|in)\s+(?P<value>(?-i:[A-Z][a-z]+(?:[ \-](?:[A-Z][a-z]+))?))\b(?!['’])",
        0.45,
    ),
    Rule(
        "county or township",
        r"(?P<value>(?-i:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:County|Township|Parish|Borough))\b",
        0.8,
        0,
    ),
]

# Capitalised words after "from"/"in" that are not places.
NOT_PLACES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december christmas easter thanksgiving
    god jesus english spanish french i i'm i'll i've okay ok yeah well so and but the a an
    then there here this that me him her them us aa na type head kinda argh
    """.split()
)


def _validate(value: str, match, text: str) -> bool:
    low = value.lower()
    first = low.split()[0]
    return low not in NOT_IDENTIFYING_PLACES and first not in NOT_PLACES


def build() -> RuleRecognizer:
    return RuleRecognizer("LocationRecognizer", E.LOCATION, RULES, validator=_validate)
