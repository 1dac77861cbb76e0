"""The leak check finds originals in any case, format or spelling of digits."""

from __future__ import annotations

import pytest

from redaction import leak_check

GENERATED = (
    "The caller, JENNY, gave (555) 201 3344 and later five five five two oh one three three four four. "
    "Her SSN 123 45 6789 and email Jen.Roe@Mailbox.org were mentioned."
)


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("555-201-3344", ["555) 201 3344", "five five five two oh one three three four four"]),
        ("Jenny", ["JENNY"]),
        ("123-45-6789", ["123 45 6789"]),
        ("jen.roe@mailbox.org", ["Jen.Roe@Mailbox.org"]),
    ],
)
def test_leaks_found(original, expected):
    leaks = [l for l in leak_check(GENERATED, [original]) if l.original == original]
    assert [GENERATED[l.start:l.end] for l in leaks] == expected
    assert all(l.text == GENERATED[l.start:l.end] for l in leaks)


def test_no_false_leaks():
    assert leak_check("Jennifer called about the 5552 form.", ["Jenny", "555-201-3344", "Al", ""]) == []
    assert leak_check("Nothing to see here.", []) == []


def test_leak_through_unicode_tricks():
    text = "call 555\u200b-201-3344 or ask j\u0435nny"  # zero-width space, Cyrillic е
    found = {l.original for l in leak_check(text, ["555-201-3344", "Jenny"])}
    assert found == {"555-201-3344", "Jenny"}


def test_redacted_page_does_not_leak(redactor):
    from redaction import PlaceholderMap

    page = "Client: my sister jenny's cell is five five five, two oh one, three three four four."
    res = redactor.redact(page, PlaceholderMap())
    assert leak_check(res.text, [s.text for s in res.spans]) == []
    assert leak_check(page, [s.text for s in res.spans])
