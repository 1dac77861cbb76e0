"""Widgets shared by the screens: a windowed table over a long SQL list, the word-count chart,
and text highlighting of identifier spans."""

from __future__ import annotations

import zlib
from typing import Callable

from rich.text import Text
from textual.widgets import DataTable, Static

# One colour per entity type, stable across runs (crc32 of the name picks it).
_PALETTE = ("magenta", "cyan", "yellow", "green", "bright_blue", "bright_red", "bright_magenta", "orange3",
            "spring_green2", "deep_sky_blue1")


def entity_style(entity_type: str) -> str:
    return f"bold black on {_PALETTE[zlib.crc32(entity_type.encode()) % len(_PALETTE)]}"


def entity_legend(label: str, types, empty: str) -> Text:
    """`label:` and a chip per entity type in its colour, or `empty` when there is none."""
    types = sorted(set(types))
    out = Text(f"{label}: ", style="dim")
    for t in types:
        out.append(f" {t} ", style=entity_style(t))
        out.append(" ")
    if not types:
        out.append(empty, style="dim")
    return out


DECISION_STYLE = {"pending": "bold black on yellow", "confirmed": "bold white on red",
                  "added": "bold white on magenta", "rejected": "strike dim", "removed": "dim"}


def highlight_placeholders(text: str, spans: list[dict], selected: str | None = None) -> Text:
    """Redacted page text with each replacement (placeholder or surrogate) coloured by entity type;
    the `selected` one (a placeholder) also reversed, so the eye finds the finding being decided."""
    out = Text(text)
    seen = set()
    for s in spans:
        ph = s.get("placeholder")
        if ph and ph not in seen:
            seen.add(ph)
            style = entity_style(s["entity_type"]) + (" reverse bold" if ph == selected else "")
            out.highlight_words([ph], style=style)
    return out


def line_of(text: str, needle: str | None, width: int) -> int | None:
    """The screen line (at `width` columns, wrapped) where `needle` first occurs in `text`."""
    if not needle or needle not in text or width < 10:
        return None
    import textwrap

    line = 0
    for para in text[:text.index(needle)].split("\n")[:-1]:
        line += max(1, len(textwrap.wrap(para, width)) if para else 1)
    last = text[:text.index(needle)].split("\n")[-1]
    return line + max(0, len(textwrap.wrap(last + "x", width)) - 1)


def highlight_offsets(text: str, spans: list[dict], selected: int | None = None) -> Text:
    """Generated text with each finding marked by its decision; the selected one underlined."""
    out = Text(text or "")
    for s in spans:
        style = DECISION_STYLE.get(s["decision"], "reverse")
        if s["id"] == selected:
            style += " underline"
        out.stylize(style, s["start"], s["end"])
    return out


def _plain(cell):
    """Cells are data, never markup: "[laughs]" in a transcript must show as written (DataTable
    would parse a str as Rich markup), and a ready Text skips that parse on every window load."""
    return Text(cell, no_wrap=True, overflow="ellipsis") if isinstance(cell, str) else cell


class PagedTable(DataTable):
    """A DataTable over a list too long to load: it holds one window of rows and slides the window
    (a LIMIT/OFFSET query) as the cursor nears its edge, so a 100,000-row list costs one window."""

    WINDOW = 40  # ~2 screens of rows: each slide costs ~20 ms of SQL + widget rows at 100,000 rows

    def __init__(self, columns: list[tuple[str, int | None]], fetch: Callable[[int, int], list[dict]],
                 count: Callable[[], int], cells: Callable[[dict], list], **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._spec = columns
        self._fetch, self._count, self._cells = fetch, count, cells
        self.window_start = 0
        self.total_rows = 0
        self.rows_data: list[dict] = []

    def on_mount(self) -> None:
        for label, width in self._spec:
            self.add_column(label, width=width)

    def set_source(self, fetch: Callable[[int, int], list[dict]], count: Callable[[], int]) -> None:
        self._fetch, self._count = fetch, count
        self.reload(0)

    @property
    def index(self) -> int:
        return self.window_start + self.cursor_row

    @property
    def current(self) -> dict | None:
        if 0 <= self.cursor_row < len(self.rows_data):
            return self.rows_data[self.cursor_row]
        return None

    def reload(self, index: int | None = None) -> None:
        """Re-read the count and the window around `index` (default: where the cursor is)."""
        index = self.index if index is None else index
        self.total_rows = self._count()
        self._load_window(index, force=True)

    def _load_window(self, index: int, force: bool = False) -> None:
        index = max(0, min(index, self.total_rows - 1))
        inside = self.window_start <= index < self.window_start + len(self.rows_data)
        if force or not inside:
            if not inside:
                self.window_start = max(0, min(index - self.WINDOW // 2, self.total_rows - self.WINDOW))
            self.rows_data = self._fetch(self.window_start, self.WINDOW) if self.total_rows else []
            self.clear()
            self.add_rows([_plain(c) for c in self._cells(r)] for r in self.rows_data)
        if self.rows_data:
            self.move_cursor(row=min(index - self.window_start, len(self.rows_data) - 1), animate=False)

    def goto(self, index: int) -> None:
        if self.total_rows:
            self._load_window(index)

    def action_cursor_down(self) -> None:
        self.goto(self.index + 1)

    def action_cursor_up(self) -> None:
        self.goto(self.index - 1)

    def action_page_down(self) -> None:
        self.goto(self.index + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.goto(self.index - max(1, self.scrollable_content_region.height - 1))

    def action_scroll_top(self) -> None:
        self.goto(0)

    action_scroll_home = action_scroll_top

    def action_scroll_bottom(self) -> None:
        self.goto(self.total_rows - 1)

    action_scroll_end = action_scroll_bottom


class Histogram(Static):
    """Vertical bars of a histogram; bins under the threshold in red, a marker under it."""

    HEIGHT = 6
    BLOCKS = " ▁▂▃▄▅▆▇█"

    def draw(self, bins: list[tuple[float, int]], threshold: float, marker: str, caption: str,
             label: Callable[[float], str], labelled: Callable[[int], bool]) -> None:
        """`bins`: (lower bound, count); `label(lower bound)` names a bin under the axis where
        `labelled(index)`; the marker sits under the first bin at or over the threshold."""
        peak = max((n for _, n in bins), default=0)
        col = 3
        lines = []
        for level in range(self.HEIGHT, 0, -1):
            line = Text()
            for lo, n in bins:
                eighths = 0 if not peak else round(n / peak * self.HEIGHT * 8)
                fill = max(0, min(8, eighths - (level - 1) * 8))
                line.append(self.BLOCKS[fill] * (col - 1) + " ", style="red" if lo < threshold else "green")
            lines.append(line)
        axis = Text()
        for i, (lo, _) in enumerate(bins):
            axis.append(f"{label(lo):<{col}}"[:col] if labelled(i) else " " * col, style="dim")
        at = next((i for i, (lo, _) in enumerate(bins) if lo >= threshold), len(bins))
        self.update(Text("\n").join([*lines, axis, Text(" " * (col * at) + f"▲ {marker}", style="bold"),
                                     Text(f"{caption}; peak {peak:,} pairs", style="dim")]))


class WordChart(Histogram):
    """The word-count histogram, with the word rule's line."""

    def show(self, bins: list[tuple[int, int]], threshold: int, bin_width: int) -> None:
        last = bins[-1][0] if bins else 0
        self.draw(bins, threshold, f"{threshold}-word rule",
                  f"shorter of question/answer, words (last bar: {last}+)", lambda lo: str(int(lo)),
                  lambda i: bins[i][0] % (bin_width * 5) == 0)


class GroundingChart(Histogram):
    """Pairs by grounding (the share of their content words on their page), with --min-grounding's line."""

    def show(self, bins: list[tuple[float, int]], threshold: float) -> None:
        self.draw(bins, threshold, f"--min-grounding {threshold:g}: under it a pair is flagged",
                  "grounding, in tenths", lambda lo: f".{int(round(lo * 10))}" if lo < 1 else "1",
                  lambda i: i % 2 == 0)
