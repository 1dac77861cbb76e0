"""Search and filters: full-text search (FTS5) over pairs, pages or dialogue turns, pairs filtered
by status, source, entity type and run; results paged out of SQLite."""

from __future__ import annotations

from rich.text import Text

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from onprem.store import overview, pairs, search
from tui.nav import PAIR_COLUMNS, Open, clip, pair_cells
from tui.widgets import PagedTable
from tui import keys

PAGE_COLUMNS = [("page", 7), ("source", 20), ("#", 5), ("match", 44)]
TURN_COLUMNS = [("dialogue", 9), ("client", 12), ("turn", 10), ("match", 45)]
# scope -> (count, list, columns, noun); pairs take the filters as well.
SCOPES = {
    "pages": (search.count_pages_search, search.search_pages, PAGE_COLUMNS, "pages"),
    "turns": (search.count_turns_search, search.search_turns, TURN_COLUMNS, "dialogue turns"),
}


class SearchScreen(Screen):
    BINDINGS = keys.bindings('search')

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Input(placeholder="words to find (Enter searches)", id="search-input")
            yield Select([("pairs", "pairs"), ("pages", "pages"), ("dialogue turns", "turns")], value="pairs",
                         allow_blank=False, id="search-scope")
        with Horizontal(classes="filters"):
            yield Select([(s, s) for s in overview.PAIR_STATUSES], prompt="status", id="filter-status")
            yield Select([], prompt="entity", id="filter-entity")
            yield Select([], prompt="source", id="filter-source")
            yield Select([], prompt="run", id="filter-run")
        yield Static(id="search-summary")
        yield PagedTable(PAIR_COLUMNS, fetch=self.fetch, count=self.count, cells=self.cells, id="results")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Search & filters"
        self.reload_options()
        self.query_one(PagedTable).reload(0)
        self.query_one("#search-input", Input).focus()

    def on_screen_resume(self) -> None:
        self.reload_options()
        self.query_one(PagedTable).reload()

    def reload_options(self) -> None:
        store = self.app.store
        self.query_one("#filter-entity", Select).set_options((t, t) for t in overview.entity_types_found(store))
        self.query_one("#filter-source", Select).set_options(
            (clip(f"{s['id']} {s['name']}", 30), s["id"]) for s in overview.sources_brief(store))
        self.query_one("#filter-run", Select).set_options(
            (f"run {r['id']} {r['command']}", r["id"]) for r in overview.runs_brief(store))

    # --- what the results table shows -------------------------------------------------------
    @property
    def scope(self) -> str:
        return str(self.query_one("#search-scope", Select).value)

    @property
    def text(self) -> str:
        return self.query_one("#search-input", Input).value.strip()

    def pair_filter(self) -> pairs.PairFilter:
        def value(wid: str):
            v = self.query_one(wid, Select).value
            return None if v is Select.NULL else v

        return pairs.PairFilter(status=value("#filter-status"), source_id=value("#filter-source"),
                                  entity_type=value("#filter-entity"), run_id=value("#filter-run"),
                                  text=self.text or None)

    def fetch(self, offset: int, limit: int) -> list[dict]:
        if self.scope in SCOPES:
            return SCOPES[self.scope][1](self.app.store, self.text, offset, limit)
        return pairs.list_pairs(self.app.store, self.pair_filter(), offset, limit)

    def count(self) -> int:
        if self.scope in SCOPES:
            n, what = SCOPES[self.scope][0](self.app.store, self.text), SCOPES[self.scope][3]
        else:
            n, what = pairs.count_pairs(self.app.store, self.pair_filter()), "pairs"
        self.query_one("#search-summary", Static).update(Text(      # the query is text, never markup
            f" {n:,} {what}" + (f" matching “{self.text}”" if self.text else "")
            + ("  (filters apply to pairs)" if self.scope in SCOPES else "")))
        return n

    def cells(self, r: dict) -> list:
        if self.scope == "pages":
            return [str(r["id"]), clip(r["source"], 20), str(r["seq"] + 1), clip(r["snippet"], 44)]
        if self.scope == "turns":
            return [str(r["dialogue_id"]), clip(r["client_id"], 12), f"{r['seq'] + 1} {r['speaker'][:1].upper()}",
                    clip(r["snippet"], 45)]
        return pair_cells(r)

    def rebuild(self) -> None:
        table = self.query_one(PagedTable)
        table.clear(columns=True)
        for label, width in (SCOPES[self.scope][2] if self.scope in SCOPES else PAIR_COLUMNS):
            table.add_column(label, width=width)
        table.reload(0)

    # --- events ---------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.rebuild()
        self.action_focus_results()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.is_mounted:
            self.rebuild()

    def action_review_these(self) -> None:
        """The pairs found, as a review queue: the queue's own order and keys, under these filters."""
        if self.scope in SCOPES:
            self.notify("a review queue holds pairs: choose the pairs scope", severity="warning")
            return
        self.post_message(Open("review", pair_filter=self.pair_filter()))

    def action_focus_query(self) -> None:
        self.query_one("#search-input", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one(PagedTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.query_one(PagedTable).current
        if row is None:
            return
        if self.scope == "pages":
            self.post_message(Open("page", page_id=row["id"]))
        elif self.scope == "turns":
            self.post_message(Open("dialogue", dialogue_id=row["dialogue_id"]))
        else:
            self.post_message(Open("review", pair_id=row["id"]))
