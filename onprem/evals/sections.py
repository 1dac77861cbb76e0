"""What a paper adds to `onprem stats`: its figures as JSON data and as tables for people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class StatsSection:
    data: dict                               # under the section's key in `onprem stats --json`
    render: Callable[[dict], list]           # data -> rich renderables for the terminal

    def tables(self) -> list:
        return self.render(self.data)
