"""Table tests for the resolver: which of several overlapping spans is kept, and as what type.

Each row: the text, the spans the recognizers reported (value, type, score; the first
occurrence of the value), and the spans that must come out (value, type).
"""

from __future__ import annotations

import pytest

from redaction.redactor import _resolve
from redaction.results import Span

ROWS = [
    # a less confident person guess built on a surer town at its head does not win over it, but
    # the rest of the name stays redacted: the resolver never puts a name's word back in the text
    # (a word too many in "Rogers Country Club" costs less than a surname left in "Paris Hilton")
    ("Where: Rogers Country Club",
     [("Rogers", "LOCATION", 0.88), ("Rogers Country", "PERSON", 0.7)],
     [("Rogers", "LOCATION"), ("Country", "PERSON")]),
    ("Where: Lafayette Country Club",
     [("Lafayette Country", "PERSON", 0.7), ("Lafayette", "LOCATION", 0.88)],
     [("Lafayette", "LOCATION"), ("Country", "PERSON")]),
    ("I saw Paris Hilton on TV.",
     [("Paris Hilton", "PERSON", 0.7), ("Paris", "LOCATION", 0.88)],
     [("Paris", "LOCATION"), ("Hilton", "PERSON")]),
    # a partial overlap: the name's uncovered word is kept
    ("Call Jenny Roe-Smith now",
     [("Jenny Roe", "PERSON", 0.6), ("Roe-Smith", "LOCATION", 0.9)],
     [("Jenny", "PERSON"), ("Roe-Smith", "LOCATION")]),
    # ... but a surer span that is not at its head does not undo a person: the first name
    # would be left in the text
    ("User: Tsuneto Heida",
     [("Tsuneto Heida", "PERSON", 0.7), ("Heida", "LOCATION", 0.88)],
     [("Tsuneto Heida", "PERSON")]),
    ("}} Apolonia Kamińska",
     [("Apolonia Kamińska", "PERSON", 0.7), ("Kamińska", "LOCATION", 0.88)],
     [("Apolonia Kamińska", "PERSON")]),
    # a container at least as confident still wins
    ("Client: Jenny Dayton called.",
     [("Jenny Dayton", "PERSON", 0.9), ("Dayton", "LOCATION", 0.88)],
     [("Jenny Dayton", "PERSON")]),
    ("Client: Jenny Dayton called.",
     [("Jenny Dayton", "PERSON", 0.88), ("Dayton", "LOCATION", 0.88)],
     [("Jenny Dayton", "PERSON")]),
    # streets and facilities are made of names: they win over a name inside, whatever its score
    ("Client: 511 Mark Ferry Suite 4",
     [("511 Mark Ferry Suite 4", "STREET_ADDRESS", 0.65), ("Mark Ferry", "PERSON", 0.85)],
     [("511 Mark Ferry Suite 4", "STREET_ADDRESS")]),
    ("Client: St. Mary's Hospital",
     [("St. Mary's Hospital", "FACILITY", 0.75), ("Mary", "PERSON", 0.85)],
     [("St. Mary's Hospital", "FACILITY")]),
    # ... but only when confident at all
    ("Client: 511 Mark Ferry Suite 4",
     [("511 Mark Ferry Suite 4", "STREET_ADDRESS", 0.5), ("Mark Ferry", "PERSON", 0.85)],
     [("Mark Ferry", "PERSON")]),
    # a card reading of the same digits wins over an account reading, even a more confident one
    ("account 4262193081614099",
     [("4262193081614099", "ACCOUNT_NUMBER", 1.0), ("4262193081614099", "CREDIT_CARD", 0.9)],
     [("4262193081614099", "CREDIT_CARD")]),
    ("account 4262 1930 8161 4099",
     [("4262 1930 8161 4099", "ACCOUNT_NUMBER", 1.0), ("4262 1930 8161 4099", "CREDIT_CARD", 1.0)],
     [("4262 1930 8161 4099", "CREDIT_CARD")]),
    # an unbranded, unlabelled Luhn-valid number is only a card when it scores higher
    ("account 1635915107281537",
     [("1635915107281537", "ACCOUNT_NUMBER", 0.85), ("1635915107281537", "CREDIT_CARD", 0.6)],
     [("1635915107281537", "ACCOUNT_NUMBER")]),
]


def _span(text: str, value: str, etype: str, score: float) -> Span:
    start = text.index(value)
    return Span(start, start + len(value), etype, score, "test", value)


@pytest.mark.parametrize(("text", "found", "kept"), ROWS, ids=[f"row-{i}" for i in range(len(ROWS))])
def test_resolve_table(text, found, kept):
    spans = [_span(text, v, t, s) for v, t, s in found]
    out = _resolve(spans, text)
    assert [(s.text, s.entity_type) for s in out] == kept
