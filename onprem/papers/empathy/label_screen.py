"""Label empathy: the rating form (tui/screens/rating_form.py) on the EPITOME rubric, over the items
EPITOME labels: a seeker post and its response (every releasable dialogue's first exchange and every
kept or approved pair, synthetic and imported real alike). Three keys, 0/1/2 for ER, IP, EX in
turn; the third saves the person's labels (rater person:NAME, audited) and moves on."""

from __future__ import annotations

from onprem.papers.empathy import labelling
from tui.screens.rating_form import RatingFormScreen


class EpitomeItems:
    def items(self, store) -> list[dict]:
        return labelling.items(store)

    def blocks(self, store, item: dict) -> list[tuple[str, str]]:
        return [("Seeker post", item["post"]), ("Response", item["response"])]


class LabelScreen(RatingFormScreen):
    def __init__(self):
        super().__init__(rubric="epitome", source=EpitomeItems())
