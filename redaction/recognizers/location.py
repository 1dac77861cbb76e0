"""Cities, towns and neighbourhoods named in talk ("we moved to Dayton").

Safe Harbor allows states and countries, so those are listed here and
never reported; spaCy's place entities are filtered with the same list.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from .. import entities as E
from ._base import Rule, RuleRecognizer, words
from .street_address import STREET_TYPES, USPS

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
# Postal state codes, territories and military "states" included.
STATE_ABBR = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP PW FM MH AA AE AP"
).split()

# Verbs of living and moving that introduce a town: "grew up in Ashford".
MOVE = words(
    "live in", "lives in", "living in", "lived in", "moved to", "moving to", "move to",
    "moved from", "grew up in", "born in", "raised in", "relocated to",
    "stay in", "staying in", "stayed in", "visit", "visiting", "drove to", "drive to",
    "drove down to", "drove up to", "drove out to", "drive down to", "drive up to", "flew to",
    "flew into", "back home in", "home in", "moved back to", "moving back to", "trip to",
    "house in", "apartment in", "place in", "lives over in", "living over in", "lives out in",
    "based in", "located in", "headquartered in", "returned to", "arrived in",
    "arrived at", "travel to", "traveling to", "travelling to", "flying to", "home city",
    "hometown", "hometown of", "originally from", "moved here from", "i'm in", "i am in",
    "we're in", "we are in",
    "town of", "city of", "village of", "county", "back in", "over in", "down in", "up in",
    "out in", "near", "outside", "grew up outside", "grew up near", "just outside",
)
# The verbs that make a following lower-case word a town ("we moved to tulsa").
MOVE_STRONG = words(
    "live in", "lives in", "living in", "lived in", "moved to", "moving to", "move to", "moved from",
    "grew up in", "born in", "raised in", "relocated to", "staying in", "stayed in", "drove to",
    "drove down to", "drove up to", "drove out to", "flew to", "flew into", "back home in",
    "moved back to", "moving back to", "trip to", "town of", "city of", "grew up outside", "grew up near",
    "lived outside", "live outside", "lives outside", "living outside",
)
# A lower-case word that is no function word ("to", "the", "it"...).
LOWER_WORD = r"(?!(?:" + "|".join(sorted((w for w in STOP_WORDS if w.isalpha()), key=len, reverse=True)) + r")\b)(?-i:[a-z]{3,})"
# Second words of two-word town names said in lower case ("grand rapids", "eau claire").
TOWN_ENDINGS = (
    "ville|city|falls|springs|rapids|creek|beach|harbor|heights|park|claire|rouge|rock|haven|bay|lake|"
    "point|valley|hill|hills|collins|christi|rosa|mateo|creek|forks|junction|station|grove|island"
)
# First words of town names ("lake brianna", "port frederick", "new christopher").
TOWN_PREFIXES = "lake|port|east|west|north|south|new|fort|mount|saint|san|santa|los|las|el|la|grand|little|palm|glen"
# How many town names end ("ericville", "johnsonbury", "craigstad").
TOWN_SUFFIXES = "ville|ton|burg|burgh|bury|ford|field|wood|port|land|mouth|side|stad|shire|furt|borough|chester|haven|view"
# Large US cities, so that "New York" or "Los Angeles" is a place wherever it is said
# (capitalised only; see _unambiguous_cities for the ones that are also names).
CITIES = [
    "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio", "San Diego",
    "Dallas", "San Jose", "Austin", "Jacksonville", "Fort Worth", "Columbus", "Charlotte", "Indianapolis",
    "San Francisco", "Seattle", "Denver", "Oklahoma City", "Nashville", "El Paso", "Boston", "Portland",
    "Las Vegas", "Detroit", "Memphis", "Louisville", "Baltimore", "Milwaukee", "Albuquerque", "Tucson",
    "Fresno", "Sacramento", "Kansas City", "Mesa", "Atlanta", "Omaha", "Colorado Springs", "Raleigh",
    "Long Beach", "Virginia Beach", "Miami", "Oakland", "Minneapolis", "Tulsa", "Bakersfield", "Wichita",
    "Arlington", "Aurora", "Tampa", "New Orleans", "Cleveland", "Honolulu", "Anaheim", "Lexington",
    "Stockton", "Corpus Christi", "Henderson", "Riverside", "Newark", "St. Paul", "Saint Paul",
    "Santa Ana", "Cincinnati", "Irvine", "Orlando", "Pittsburgh", "St. Louis", "Saint Louis",
    "Greensboro", "Jersey City", "Anchorage", "Lincoln", "Plano", "Durham", "Buffalo", "Chandler",
    "Chula Vista", "Toledo", "Madison", "Gilbert", "Reno", "Fort Wayne", "Laredo", "Lubbock",
    "Scottsdale", "Norfolk", "Glendale", "Garland", "Boise", "Richmond", "Spokane", "Baton Rouge",
    "Tacoma", "Modesto", "Fontana", "Birmingham", "Rochester", "Des Moines", "Fayetteville", "Oxnard",
    "Salt Lake City", "Santa Fe", "Montgomery", "Shreveport", "Savannah", "Charleston", "Jackson",
    "Augusta", "Knoxville", "Providence", "Hartford", "Burlington", "Tallahassee", "Syracuse",
    "Springfield", "Dayton", "Akron", "Eugene", "Salem", "Olympia", "Billings", "Fargo", "Sioux Falls",
]


def _unambiguous_cities() -> list[str]:
    """The cities that are not also a first name or surname: "Charlotte said..." is a person,
    so one-word cities that are names are left to the rules with place context."""
    from ._lexicon import first_names, last_names

    names = first_names() | last_names()
    return [c for c in CITIES if " " in c or c.lower() not in names]


# A word of a town's name, never a state's: "Dallas Texas" is the town Dallas in Texas.
STATE_NAME = r"(?-i:" + "|".join(sorted((w.title() for w in US_STATES), key=len, reverse=True)).replace(" ", r"\s+") + r")"
TOWN_WORD = r"(?-i:(?!" + STATE_NAME + r"\b)[A-Z][a-z]+)"
# In a postal address, where the town goes, "New York" and "Washington" are the cities.
CITY_STATE_NAME = r"(?-i:New\s+York|Washington)"

RULES = [
    Rule(
        "large city by name",
        r"(?<![A-Za-z])(?P<value>(?-i:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(_unambiguous_cities(), key=len, reverse=True))
        + r"))(?![A-Za-z'\u2019])",
        0.8,
        0,
    ),
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
        "city, state and zip",
        r"(?<![A-Za-z])(?P<value>(?-i:[A-Z][a-z]+(?:[ \-](?:[A-Z][a-z]+)){0,2})),\s*(?:"
        + r"(?-i:" + "|".join(w.title() for w in US_STATES) + r")|(?-i:(?:" + "|".join(STATE_ABBR) + r")))\.?,?[ \t]+\d{5}\b",
        0.9,  # "It's West Alexander, CT 74931": the layout outweighs spaCy's person guess
    ),
    Rule(
        "city before a state",
        r"(?<![A-Za-z])(?P<value>(?-i:[A-Z][a-z]+(?:[ \-](?:[A-Z][a-z]+)){0,2})),\s*(?:"
        + r"(?-i:" + "|".join(w.title() for w in US_STATES) + r")|(?-i:(?:" + "|".join(STATE_ABBR) + r")))\b",
        0.85,
    ),
    # Transcripts without capitals: "eau claire, wi 54701" -- the state code and ZIP are the
    # evidence, so a lower-case town is taken only when both follow.
    Rule(
        "lower-case city before a state code and zip",
        r"(?<![A-Za-z'\u2019])(?P<value>" + LOWER_WORD + r"(?:[ \-]" + LOWER_WORD + r"){0,2}),\s*(?:"
        + "|".join(STATE_ABBR) + r")\.?,?\s+\d{5}\b",
        0.8,
    ),
    Rule(
        "lower-case place after a verb of living or moving",
        MOVE_STRONG + r"\s+(?P<value>(?-i:" + TOWN_PREFIXES + r")\s[a-z]{3,}|" + LOWER_WORD
        + r"(?:\s(?-i:" + TOWN_ENDINGS + r"|[a-z]+(?:" + TOWN_SUFFIXES + r")))?)\b(?!['\u2019\-])",
        0.62,  # above the lower-case first-name lexicon: "moved to tyler" is the town
    ),
    Rule(
        "city, state code and zip without a comma",
        r"(?<![A-Za-z])(?P<value>(?-i:[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}))[ \t]+(?-i:(?:"
        + "|".join(STATE_ABBR) + r"))[ \t]+\d{4,5}(?:-\d{4})?\b",
        0.9,
    ),
    # A postal address written over lines: the town has a line to itself, right before the
    # state, the country or the ZIP ("Santa Fe\n United States 49000").
    Rule(
        "town line in a postal address",
        r"(?m)^[ \t}?>*\-]*(?P<postal>)(?P<value>(?-i:New\s+York|[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}))[ \t]*\n[ \t}?>*\-]*\n?[ \t}?>*\-,]*"
        r"(?:(?-i:United States|USA|U\.S\.A?\.?)|(?-i:(?:" + "|".join(STATE_ABBR) + r"))\b|\d{5}(?:-\d{4})?[ \t]*$)",
        0.88,  # above spaCy's person guess: the line layout says town ("Irvine\n United States 33640")
    ),
    # The town right after the street on the same line: "615 Benedum Drive, Monroe",
    # "Apt. 483 Dallas Texas", "Suite 816, Dot Lake, United States 13040".
    Rule(
        "town after a street address",
        r"(?:\b" + USPS + r"|\b" + STREET_TYPES + r"|\b(?:apt|apartment|suite|ste|unit)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?)\b\.?,?[ \t]+"
        r"(?P<postal>)(?P<value>" + CITY_STATE_NAME + r"|" + TOWN_WORD + r"(?:[ \t\-]" + TOWN_WORD + r"){0,2})"
        r"(?=[ \t]*,?[ \t]*(?:" + STATE_NAME + r"|(?-i:(?:" + "|".join(STATE_ABBR) + r"))\b|(?-i:United States|USA)\b|\d{5}\b)|[ \t]*$)",
        0.88,
        re.IGNORECASE | re.MULTILINE,
    ),
    # Town-shaped names after a place word: "to Elinachester", "in Port Alexfort", "from North
    # Kingstown" -- a town ending ("-ville", "-mouth", "-chester") or a town's first word.
    Rule(
        "town-shaped name after a place word",
        r"\b(?:to|in|from|at|near|of)[ \t]+(?P<value>(?-i:[A-Z][a-z]+(?:" + TOWN_SUFFIXES + r"|town|fort|view|mouth)"
        r"|(?:North|South|East|West|New|Port|Lake|Fort|Mount|San|Santa|El|Los|Las|Glen|Palm)[ \t][A-Z][a-z]+))\b(?![ \t]+[A-Z][a-z])",
        0.86,
        0,
    ),
    # "in Dayton, which...", "in Fremont." -- after "in", a capitalised word closing the phrase is
    # a place (people are rarely "in" someone).
    Rule(
        "place after in, before punctuation",
        r"\bin[ \t]+(?P<value>(?-i:[A-Z][a-z]{2,}(?:[ \t][A-Z][a-z]+)?))(?=[ \t]*[,.;!?](?:[ \t]|$))",
        0.8,  # above the name lists' guesses (0.7), below spaCy's person (0.85): "in Sarah, honestly"
    ),
    # A town with a ZIP and no state: "in Fremont 94539".
    Rule(
        "town before a zip",
        r"\b(?:in|at|from|to|near)[ \t]+(?P<value>" + TOWN_WORD + r"(?:[ \t]" + TOWN_WORD + r"){0,2})[ \t]+\d{5}(?:-\d{4})?\b(?![\-.,]?\d)",
        0.85,
    ),
    # A town inside a name: "the University of Dayton", "the city of Tulsa", "Tacoma bridge".
    Rule(
        "town in the name of a university or city",
        r"\b(?-i:University|College|State\s+University|[Cc]ity|[Tt]own|[Vv]illage|[Bb]orough|[Pp]ort)[ \t]+of[ \t]+"
        r"(?P<value>(?-i:[A-Z][a-z]+(?:[ \t\-][A-Z][a-z]+){0,2}))\b(?!['\u2019])",
        0.88,
    ),
    Rule(
        "town before a landmark",
        r"(?<![A-Za-z][ \t])(?<![A-Za-z])(?P<value>(?-i:[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2}))[ \t]+"
        r"(?i:bridge|airport|city\s+hall|town\s+hall|train\s+station|bus\s+station|country\s+club|golf\s+club)\b",
        0.88,
        0,
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
    then there here this that me him her them us aa na type head kinda argh honestly actually
    anyway basically seriously literally like sure right now yes no um uh oh hey hi hello
    thanks sorry please listen look see man dude sir
    chinese japanese korean russian german italian portuguese arabic hindi latin greek hebrew
    general therapy group treatment recovery rehab school college church court person public
    """.split()
)


# Lower-case words that follow "lives in", "moved to"... and are not towns.
NOT_TOWNS = frozenset(
    """
    town city village country state area neighborhood neighbourhood house home apartment place
    bed fear denial poverty shelter hospital jail prison rehab school college work church
    treatment recovery therapy hell heaven peace pain trouble debt shock love hiding limbo
    public private general fact reality secret silence contact touch charge line order time
    tears bits pieces misery chaos survival crisis dread agony danger style person group
    camp foster care custody court detox residential inpatient outpatient sober sobriety
    """.split()
)


# States that share their name with a large city.
CITY_STATES = frozenset({"new york", "washington", "kansas city"})
CITY_BEFORE = re.compile(r"\bcity(?:[ \t]+of)?[ \t]+$", re.IGNORECASE)


def _validate(value: str, match, text: str) -> bool | float:
    low = value.lower()
    first = low.split()[0]
    if first in NOT_PLACES:
        return False
    postal = "postal" in match.re.groupindex and match.group("postal") is not None
    city_said = postal or CITY_BEFORE.search(text[max(0, match.start("value") - 25):match.start("value")])
    if low in NOT_IDENTIFYING_PLACES and not (low in CITY_STATES and city_said):
        # "New York" is a state unless the talk says city: "the city of New York", "home city New York"
        return False
    if value.islower() and (any(w in NOT_TOWNS for w in low.split()) or first in NOT_IDENTIFYING_PLACES):
        return False
    return True


def build() -> RuleRecognizer:
    return RuleRecognizer("LocationRecognizer", E.LOCATION, RULES, validator=_validate)
