"""Generated QA pairs: what a pair-producing generator returns for one case segment
(onprem.store.generated_pairs stores them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PairResult:
    question: str
    answer: str | None
    status: str                       # kept | filtered | failed
    reason: str | None = None
    meta: dict = field(default_factory=dict)     # topic, stage, ...


@dataclass
class PairsResult:
    pairs: list[PairResult]
    tokens: int = 0
    seconds: float = 0.0
    instruction: str | None = None     # stored with every pair (the export's instruction)

    @property
    def status(self) -> str:
        return "failed" if self.pairs and all(p.status == "failed" for p in self.pairs) else "done"
