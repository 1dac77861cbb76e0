"""Odd input: Unicode tricks, huge pages, no PII, nothing but PII."""

from __future__ import annotations


from redaction import PlaceholderMap
from redaction.normalize import normalize


def _check_offsets(text, spans):
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_normalize_maps_back_to_original():
    raw = "Call\u00a0５５５\u200b-201-3344 or jеn@mаil.org"  # full-width digits, ZWSP, Cyrillic е/а
    n = normalize(raw)
    assert n.text == "Call 555-201-3344 or jen@mail.org"
    s = n.text.index("555")
    start, end = n.to_original(s, s + len("555-201-3344"))
    assert raw[start:end] == "５５５\u200b-201-3344"


def test_unicode_tricks_do_not_hide_identifiers(redactor):
    cases = {
        "Client: my cell is 555\u200b-201\u200b-3344.": "PHONE_NUMBER",
        "Client: my cell is 555\u00a0201\u00a03344.": "PHONE_NUMBER",
        "Client: my cell is ５５５-２０１-３３４４.": "PHONE_NUMBER",
        "Client: write to jеn.rое@mailbox.org please.": "EMAIL_ADDRESS",  # Cyrillic е and о
        "Client: SSN 123\u201145\u20116789.": "US_SSN",  # non-breaking hyphens
        "Client: my sister j\u200benny said so.": "PERSON",
    }
    for text, entity in cases.items():
        res = redactor.redact(text, PlaceholderMap())
        assert any(s.entity_type == entity for s in res.spans), (text, res.spans)
        _check_offsets(text, res.spans)
        digits = [c for c in res.text if c.isdigit() or "\uff10" <= c <= "\uff19"]
        assert len(digits) <= 1, res.text  # only the placeholder's counter remains


def test_no_pii_text(redactor):
    text = (
        "Therapist: How have you been feeling since we last met?\n"
        "Client: I feel okay. Some days are better than others.\n"
        "Therapist: What makes a day better?\n"
        "Client: Sleeping well, I guess, and not drinking.\n"
    )
    res = redactor.redact(text, PlaceholderMap())
    assert res.spans == [] and res.text == text
    assert redactor.analyze("") == [] and redactor.analyze("   \n") == []


def test_all_pii_text(redactor):
    text = "Jenny Okafor 555-201-3344 jen.roe@mailbox.org 123-45-6789 42 Maple Street 203.0.113.45"
    res = redactor.redact(text, PlaceholderMap())
    leftover = res.text
    for tag in ("[PERSON_1]", "[PHONE_1]", "[EMAIL_1]", "[SSN_1]", "[ADDRESS_1]", "[IP_1]"):
        assert tag in leftover
        leftover = leftover.replace(tag, "")
    assert leftover.strip() == ""


def test_huge_page(redactor):
    block = (
        "Therapist: Tell me more about that week.\n"
        "Client: It was hard, I kept thinking about what my mom said and I didn't sleep.\n"
    )
    text = block * 2000 + "Client: my sister jenny's number is 555-201-3344.\n" + block * 10
    # Correctness only: speed is measured by bench/redaction_eval.py and bench/redaction_overhead.py.
    res = redactor.redact(text, PlaceholderMap())
    assert len(text) > 200_000
    assert "555-201-3344" not in res.text and "jenny" not in res.text
    _check_offsets(text, res.spans)
