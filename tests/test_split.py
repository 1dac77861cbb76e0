import pytest

from onprem.pipeline.split import explicit_pages, split_pages
from onprem.pipeline.text import count_words, speaker_turns


def words(text: str) -> int:  # a simple stand-in tokenizer: one token per word
    return len(text.split())


def transcript(turns: int, words_per_turn: int = 20) -> str:
    lines = []
    for i in range(turns):
        who = "Therapist" if i % 2 == 0 else "Client"
        lines.append(f"{who}: " + " ".join(f"t{i}w{j}" for j in range(words_per_turn)))
    return "\n".join(lines)


def test_form_feeds_are_pages():
    assert split_pages("Coach: one\nCaregiver: two\fCoach: three", 500, words) == [
        "Coach: one\nCaregiver: two", "Coach: three"]


@pytest.mark.parametrize("marker", ["--- page 2 ---", "[Page 2]", "Page 2 of 3", "=== PAGE 2 ==="])
def test_explicit_page_markers(marker):
    text = f"Coach: hello there\n{marker}\nCaregiver: hi"
    assert explicit_pages(text) == ["Coach: hello there", "Caregiver: hi"]


def test_windows_keep_whole_turns_in_order_within_budget():
    text = transcript(30, 20)  # 21 tokens per turn
    pages = split_pages(text, 100, words)
    assert len(pages) > 1
    assert all(words(p) <= 100 for p in pages)
    assert "\n".join(pages) == text  # nothing lost, order kept, turns never cut
    for p in pages:
        assert all(line.startswith(("Therapist:", "Client:")) for line in p.split("\n"))


def test_a_turn_longer_than_a_page_is_cut_at_sentences():
    long_turn = "Client: " + " ".join(f"Sentence number {i} is here." for i in range(60))
    pages = split_pages(long_turn, 50, words)
    assert len(pages) > 1 and all(words(p) <= 50 for p in pages)
    assert " ".join(pages).split() == long_turn.split()


def test_an_explicit_page_that_does_not_fit_is_split_further():
    big = transcript(20, 20)
    pages = split_pages(f"Coach: short page\f{big}", 100, words)
    assert pages[0] == "Coach: short page" and len(pages) > 2


def test_prose_without_speakers_is_split_by_paragraph():
    text = "\n\n".join(" ".join(f"p{i}w{j}" for j in range(30)) for i in range(6))
    assert speaker_turns(text) is None
    pages = split_pages(text, 70, words)
    assert len(pages) == 3 and all(words(p) <= 70 for p in pages)


def test_speaker_detection_keeps_continuation_lines():
    turns = speaker_turns("Therapist: hello\nClient: well\nit is hard\nTherapist: go on")
    assert turns == ["Therapist: hello", "Client: well\nit is hard", "Therapist: go on"]


@pytest.mark.parametrize("text,n", [("", 0), ("one two three", 3), ("well -- I mean", 3),
                                    ("don't can't", 2), ("42 is a number", 4), ("— … !", 0)])
def test_count_words(text, n):
    assert count_words(text) == n
