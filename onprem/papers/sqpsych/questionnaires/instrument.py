"""A questionnaire as data: items, response scale, scoring and severity bands, checked by pydantic.

Built-in instruments live in data/*.json; a site adds its own by writing a file in the same format.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, model_validator

NAME = re.compile(r"^[a-z][a-z0-9]*$")  # becomes a CSV column prefix: phq9_1, gad7_3, ...


class ScaleOption(BaseModel):
    value: int
    label: str = Field(min_length=1)


class Item(BaseModel):
    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    # First-person wording a role-played client can build on ("I feel tired ...").
    persona: str = Field(min_length=1)


class Band(BaseModel):
    min: int
    max: int
    label: str = Field(min_length=1)


class Alert(BaseModel):
    """An item whose answer at or above `min` must change how a session is run (e.g. self-harm)."""

    item: int
    min: int
    key: str = Field(min_length=1)
    text: str = Field(min_length=1)


class Score(BaseModel):
    total: int
    severity: str


class Questionnaire(BaseModel):
    name: str
    title: str = Field(min_length=1)
    version: str = "1"
    description: str = ""
    timeframe: str = Field(min_length=1)
    scale: list[ScaleOption] = Field(min_length=2)
    items: list[Item] = Field(min_length=1)
    scoring: Literal["sum"] = "sum"
    bands: list[Band] = Field(min_length=1)
    alerts: list[Alert] = []

    @model_validator(mode="after")
    def _consistent(self) -> "Questionnaire":
        if not NAME.match(self.name):
            raise ValueError(f"name {self.name!r} must be lower-case letters and digits, starting with a letter")
        values = [o.value for o in self.scale]
        if len(set(values)) != len(values):
            raise ValueError("scale values must be distinct")
        numbers = [i.number for i in self.items]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"items must be numbered 1..{len(numbers)} in order")
        bands = sorted(self.bands, key=lambda b: b.min)
        low, high = self.total_range
        if bands[0].min != low or bands[-1].max != high:
            raise ValueError(f"bands must cover totals {low}-{high} (they cover {bands[0].min}-{bands[-1].max})")
        for a, b in zip(bands, bands[1:]):
            if b.min != a.max + 1:
                raise ValueError(f"bands {a.label!r} and {b.label!r} leave a gap or overlap")
        for al in self.alerts:
            if al.item not in numbers:
                raise ValueError(f"alert {al.key!r} names item {al.item}, which does not exist")
        self.bands = bands
        return self

    @property
    def total_range(self) -> tuple[int, int]:
        values = [o.value for o in self.scale]
        return min(values) * len(self.items), max(values) * len(self.items)

    @property
    def allowed(self) -> str:
        """The allowed answers in words, for error messages."""
        return ", ".join(f"{o.value} ({o.label})" for o in self.scale)

    def column(self, number: int) -> str:
        return f"{self.name}_{number}"

    def label(self, value: int) -> str:
        return next(o.label for o in self.scale if o.value == value)

    def is_valid_answer(self, value: int) -> bool:
        return any(o.value == value for o in self.scale)

    def score(self, answers: list[int]) -> Score:
        """Total and severity band. Answers must already be validated (one valid value per item)."""
        if len(answers) != len(self.items) or not all(self.is_valid_answer(a) for a in answers):
            raise ValueError(f"{self.name}: need {len(self.items)} answers from {self.allowed}")
        total = sum(answers)
        band = next(b for b in self.bands if b.min <= total <= b.max)
        return Score(total=total, severity=band.label)

    def alerts_raised(self, answers: list[int]) -> list[Alert]:
        return [a for a in self.alerts if answers[a.item - 1] >= a.min]
