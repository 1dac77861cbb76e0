"""How a screen asks for another: it posts `Open("review", pair_id=7)` and the app shows it
(tui.screens.SCREENS names every screen that can be opened this way), so no screen imports another.
Also what the lists of several screens share: text clipped to a column, a pair's row."""

from __future__ import annotations

from textual.message import Message

class Open(Message):
    """Show the screen named `screen` (a key of tui.screens.SCREENS), built with `args`."""

    def __init__(self, screen: str, **args) -> None:
        super().__init__()
        self.screen = screen
        self.args = args


def clip(text: str | None, n: int) -> str:
    """Text on one line, at most n characters, cut with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


PAIR_COLUMNS = [("id", 7), ("seq", 6), ("status", 9), ("q/a words", 9), ("question", 44)]


def pair_cells(r: dict) -> list:
    return [str(r["id"]), str(r["seq"]), r["status"], f"{r['q_words']}/{r['a_words']}", clip(r["question"], 44)]
