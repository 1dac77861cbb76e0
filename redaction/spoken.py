"""Digits said as words: "five five five, two oh one, thirty-three forty-four".

Transcribers often write numbers the way people say them. This module finds
runs of number words and numerals and turns each run into a digit string,
remembering the character span of every piece so a match can be mapped back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}
TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}
REPEAT = {"double": 2, "triple": 3}
# Words that stand for nothing (or for "-") between the digits of one number.
JOINERS = {"dash", "hyphen", "and", "uh", "um", "er", "then"}
# "oh" and "o" are digits only between other digits, never alone.
WEAK = {"oh", "o"}

_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?|\d+|[^\sA-Za-z\d]")
_GAP = re.compile(r"[\s,.\-()/]*")


@dataclass(frozen=True)
class DigitRun:
    start: int
    end: int
    digits: str
    has_words: bool  # True when at least one piece was a spoken word
    # (start, end) in the scanned text for every digit in `digits`
    positions: tuple[tuple[int, int], ...]


def _word_digits(word: str) -> str | None:
    w = word.lower()
    if w in UNITS:
        return UNITS[w]
    if w in TEENS:
        return TEENS[w]
    if w in TENS:
        return TENS[w] + "0"
    if "-" in w:
        a, _, b = w.partition("-")
        if a in TENS and b in UNITS and b not in WEAK:
            return TENS[a] + UNITS[b]
    if w == "hundred":
        return "00"
    return None


def digit_runs(text: str, min_digits: int = 1) -> list[DigitRun]:
    """Every maximal run of spoken or written digits in text."""
    runs: list[DigitRun] = []
    pieces: list[tuple[str, int, int, bool]] = []  # digits, start, end, is_word
    pending_repeat = 1
    repeat_start = 0  # where "double"/"triple" began: the run starts there, not at the digit
    last_end = None

    def flush() -> None:
        nonlocal pieces
        # Trim a weak word ("oh") at an edge when punctuation or nothing
        # joins it to the rest: "Oh, one more thing" is not "01".
        def weak(p):
            return p[3] and text[p[1]:p[2]].lower() in WEAK

        while pieces and weak(pieces[0]) and (len(pieces) == 1 or text[pieces[0][2]:pieces[1][1]].strip()):
            pieces = pieces[1:]
        while pieces and weak(pieces[-1]) and (len(pieces) == 1 or text[pieces[-2][2]:pieces[-1][1]].strip()):
            pieces = pieces[:-1]
        if pieces:
            digits = "".join(p[0] for p in pieces)
            if len(digits) >= min_digits:
                pos = tuple((p[1], p[2]) for p in pieces for _ in p[0])
                runs.append(
                    DigitRun(pieces[0][1], pieces[-1][2], digits, any(p[3] for p in pieces), pos)
                )
        pieces = []

    for m in _TOKEN.finditer(text):
        tok = m.group()
        if last_end is not None and pieces:
            gap = text[last_end:m.start()]
            if not _GAP.fullmatch(gap):
                flush()
        if tok.isdigit():
            pieces.append((tok, m.start(), m.end(), False))
            last_end = m.end()
            continue
        if tok[0].isalpha():
            d = _word_digits(tok)
            if d is not None:
                # "hundred" only multiplies a unit before it: "eight hundred".
                if d == "00" and not pieces:
                    flush()
                    last_end = m.end()
                    continue
                start = repeat_start if pending_repeat > 1 else m.start()
                pieces.append((d * pending_repeat, start, m.end(), True))
                pending_repeat = 1
                last_end = m.end()
                continue
            low = tok.lower()
            if low in REPEAT:
                pending_repeat = REPEAT[low]
                repeat_start = m.start()
                last_end = m.end()
                continue
            if low in JOINERS and pieces:
                last_end = m.end()
                continue
            flush()
            pending_repeat = 1
            last_end = m.end()
            continue
        # punctuation: separators keep the run going (checked via the gap)
        if tok in ",.-()/":
            continue
        flush()
        last_end = m.end()
    flush()
    return runs


def to_digits(text: str) -> str:
    """All digits of text, spoken ones included, concatenated."""
    return "".join(r.digits for r in digit_runs(text))
