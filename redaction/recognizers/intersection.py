"""Street corners and intersections: "at Main and 3rd", "the corner of Oak and Elm", "by Willow
and 7th", "where Maple meets 2nd". Two street names joined by "and" are an address below the
state level (Safe Harbor) when a corner word introduces them, or when both are street names or
ordinals ("Fifth", "3rd") after "at", "by", "near" or "on"."""

from __future__ import annotations


from .. import entities as E
from ._base import Rule, RuleRecognizer, words

# The street names people most often name a corner by (the commonest US and UK street names),
# and the words that end a street's name.
STREET_NAMES = words(
    "main", "high", "oak", "elm", "maple", "pine", "cedar", "walnut", "chestnut", "spruce", "birch",
    "willow", "ash", "poplar", "hickory", "sycamore", "magnolia", "dogwood", "laurel", "holly",
    "park", "lake", "hill", "church", "market", "mill", "station", "bridge", "water", "spring",
    "river", "ridge", "meadow", "forest", "sunset", "highland", "view", "valley", "center", "centre",
    "front", "broad", "broadway", "union", "railroad", "college", "school", "green", "north", "south",
    "east", "west", "king", "queen", "victoria", "london", "york", "jackson", "lincoln", "washington",
    "jefferson", "madison", "franklin", "adams", "monroe", "wilson", "harbor", "harbour", "bay",
    "canal", "dock", "mountain", "prospect", "pleasant", "grove", "garden", "court", "cherry",
)
ORDINAL = (r"(?:\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
           r"eleventh|twelfth)")
DIGIT_ORDINAL = r"(?:\d{1,3}(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
# One word that could name a street: no function word ("at 4th and i", "by the 5th and then").
NAME = r"(?!(?:the|a|an|i|then|so|but|my|it|that|this|we|you|he|she|they)\b)[A-Za-z][a-z'\-]+"
SUFFIX = r"(?:\s+" + words("street", "st", "st.", "avenue", "ave", "ave.", "road", "rd", "boulevard", "blvd",
                           "drive", "dr", "lane", "ln", "way") + r")?"
STREET = r"(?:" + STREET_NAMES + r"|" + ORDINAL + r")" + SUFFIX
# After a corner word, any one or two words name the street ("the corner of Kowalski and Pratt").
ANY_STREET = r"(?:" + ORDINAL + r"|[A-Za-z][A-Za-z'\-]+(?:\s+[A-Z][a-z]+)?)" + SUFFIX
CORNER = words("corner of", "intersection of", "junction of", "crossroads of", "corner at", "cross streets are",
               "cross street is", "cross streets")
JOIN = r"\s+(?:and|&|at|meets)\s+"

RULES = [
    Rule("corner of A and B", r"\b" + CORNER + r"\s+(?P<value>" + ANY_STREET + JOIN + ANY_STREET + r")\b", 0.75),
    Rule("at A and B", r"\b(?:at|by|near|on|off|around|past|outside|where)\s+(?P<value>" + STREET + JOIN + STREET + r")\b",
         0.65),
    Rule("A and B", r"\b(?P<value>" + STREET + r"\s+(?:and|&)\s+" + ORDINAL + SUFFIX + r")\b", 0.6),
    # After a place preposition, a numbered street and any other name: "just off Grand and 4th",
    # "at 9th & Ferry" -- one side a number is enough.
    Rule("off A and 4th", r"\b(?:at|by|near|off|outside|past)\s+(?P<value>(?:" + NAME + r"\s+(?:and|&)\s+" + DIGIT_ORDINAL
         + r"|" + DIGIT_ORDINAL + r"\s+(?:and|&)\s+" + NAME + r")" + SUFFIX + r")\b", 0.6),
]


def build() -> RuleRecognizer:
    return RuleRecognizer("IntersectionRecognizer", E.STREET_ADDRESS, RULES,
                          context=["corner", "intersection", "street", "bus", "stop"])



