"""Plain result types shared by the analyzer, the replacer and the leak check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class Span:
    """One identifier found in a text, in offsets of the ORIGINAL text."""

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    text: str
    placeholder: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


@dataclass(frozen=True)
class Redacted:
    """A redacted page: the new text and the spans that were replaced."""

    text: str
    spans: list[Span] = field(default_factory=list)
    style: str = "placeholder"
    uncertain: list[Span] = field(default_factory=list)  # kept in `text`, for a person to decide

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.spans:
            out[s.entity_type] = out.get(s.entity_type, 0) + 1
        return out


@dataclass(frozen=True)
class Leak:
    """An original identifier that reappears in generated text."""

    original: str
    start: int
    end: int
    text: str  # what the generated text says at [start, end)
    how: str  # "digits" or "text"
