import pytest

from onprem.pipeline.wordfilter import check

Q40 = " ".join(["word"] * 40)
Q39 = " ".join(["word"] * 39)


@pytest.mark.parametrize("q,a,mode,kept", [
    (Q40, Q40, "each", True),
    (Q39, Q40, "each", False),
    (Q40, Q39, "each", False),
    (Q39, "two words", "total", True),
    ("one", "two words", "total", False),
])
def test_min_words(q, a, mode, kept):
    assert (check(q, a, 40, mode) is None) == kept


def test_reason_names_what_was_short():
    assert check(Q39, Q40, 40, "each") == "question has 39 words (minimum 40 each)"


def test_unknown_mode():
    with pytest.raises(ValueError):
        check("a", "b", 1, "sometimes")
