"""The one running count every job keeps: items by status (and other counters), tokens and model
seconds. `tally.kept` reads a counter; `shown` names the counters its progress events carry."""

from __future__ import annotations

from collections import Counter


class Tally:
    def __init__(self, *keys: str, shown: tuple[str, ...] | None = None):
        self.n: Counter = Counter(dict.fromkeys(keys, 0))
        self.shown = shown if shown is not None else keys
        self.tokens = 0
        self.seconds = 0.0

    def __getattr__(self, name: str) -> int:
        if name.startswith("_") or name in ("n", "shown"):
            raise AttributeError(name)
        return self.n[name]

    def add(self, *names: str, tokens: int = 0, seconds: float = 0.0, **amounts: int) -> None:
        """Count one item under each of `names`, add `amounts` to other counters, and the cost."""
        self.n.update(names)
        self.n.update(amounts)
        self.tokens += tokens
        self.seconds += seconds

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    def per_minute(self, key: str) -> float:
        return 60 * self.n[key] / self.seconds if self.seconds else 0.0

    def counts(self) -> dict[str, int]:
        """The counters a progress event shows."""
        return {k: self.n[k] for k in self.shown}

    def as_dict(self) -> dict:
        """For the run record."""
        return {**self.n, "tokens": self.tokens, "seconds": round(self.seconds, 1),
                "tokens_per_second": round(self.tokens_per_second, 1)}
