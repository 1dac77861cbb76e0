"""Browse: sources -> pages -> a page (redacted, findings highlighted) beside its pairs; `d` opens
the generated dialogues (tui/screens/dialogues.py).

Imported sources have no pages, so they open straight on their pairs.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from onprem import review
from onprem.store import pairs
from tui.nav import PAIR_COLUMNS, Open, clip, pair_cells
from tui.widgets import PagedTable, entity_legend, entity_style, highlight_placeholders
from tui import keys


class SourcesScreen(Screen):
    BINDINGS = keys.bindings('sources')

    def compose(self) -> ComposeResult:
        yield Header()
        yield PagedTable([("id", 6), ("source", 30), ("kind", 10), ("pages", 7), ("pairs", 8), ("added", 10)],
                         fetch=lambda o, n: pairs.list_sources(self.app.store, o, n),
                         count=lambda: pairs.count_sources(self.app.store),
                         cells=lambda r: [str(r["id"]), clip(r["name"], 30), r["kind"], f"{r['pages']:,}",
                                          f"{r['pairs']:,}", (r["created_at"] or "")[:10]],
                         id="sources")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Browse · sources (enter opens; d: dialogues)"
        self.query_one(PagedTable).reload(0)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one(PagedTable).reload()

    def action_dialogues(self) -> None:
        self.post_message(Open("dialogues"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.query_one(PagedTable).current
        if row is None:
            return
        if row["pages"]:
            self.app.push_screen(PagesScreen(row["id"], row["name"]))
        else:
            self.app.push_screen(PairsScreen(pairs.PairFilter(source_id=row["id"]), row["name"]))


class PagesScreen(Screen):
    BINDINGS = keys.bindings('pages')

    def __init__(self, source_id: int, name: str):
        super().__init__()
        self.source_id, self.source_name = source_id, name

    def compose(self) -> ComposeResult:
        yield Header()
        yield PagedTable([("page", 6), ("status", 9), ("tokens", 7), ("findings", 9), ("pairs", 6), ("error", 30)],
                         fetch=lambda o, n: pairs.list_pages(self.app.store, self.source_id, o, n),
                         count=lambda: pairs.count_pages(self.app.store, self.source_id),
                         cells=lambda r: [str(r["seq"] + 1), r["status"], str(r["n_tokens"]), str(r["spans"]),
                                          str(r["pairs"]), clip(r["error"], 30)],
                         id="pages")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"Browse · {self.source_name} · pages"
        self.query_one(PagedTable).reload(0)

    def on_screen_resume(self) -> None:
        self.query_one(PagedTable).reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.query_one(PagedTable).current
        if row is not None:
            self.app.push_screen(PageScreen(row["id"]))


class PairsScreen(Screen):
    """A paged list of pairs (an imported source, or any filter); the highlighted one shown below."""

    BINDINGS = keys.bindings('pairs')

    def __init__(self, pair_filter: pairs.PairFilter, title: str):
        super().__init__()
        self.pair_filter, self.title_text = pair_filter, title

    def compose(self) -> ComposeResult:
        yield Header()
        yield PagedTable(PAIR_COLUMNS, fetch=lambda o, n: pairs.list_pairs(self.app.store, self.pair_filter, o, n),
                         count=lambda: pairs.count_pairs(self.app.store, self.pair_filter),
                         cells=pair_cells, id="pairs")
        yield Static(id="pair-preview", classes="panel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"Browse · {self.title_text} · pairs (enter opens)"
        self.query_one(PagedTable).reload(0)

    def on_screen_resume(self) -> None:
        self.query_one(PagedTable).reload()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.query_one(PagedTable).current
        preview = self.query_one("#pair-preview", Static)
        if row is None:
            preview.update("", layout=False)
            return
        # Fixed-height panel: no relayout on every cursor move (about 15 ms a key at 100,000 rows).
        preview.update(Text.assemble(("Q ", "bold"), clip(row["question"], 150), "\n", ("A ", "bold"),
                                     clip(row["answer"], 150), "\n", (row["reason"] or "", "dim")), layout=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.query_one(PagedTable).current
        if row is not None:
            self.post_message(Open("review", pair_id=row["id"]))


class PageScreen(Screen):
    """A page's redacted text, each replacement coloured by entity type, beside its pairs."""

    BINDINGS = keys.bindings('page')

    def __init__(self, page_id: int):
        super().__init__()
        self.page_id = page_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="legend")
        with Horizontal(id="page-body"):
            with VerticalScroll(id="page-text", classes="panel"):
                yield Static(id="page-redacted")
            with VerticalScroll(id="page-pairs", classes="panel"):
                yield Static(id="page-pairs-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        page = pairs.page_view(self.app.store, self.page_id)
        self.page = page
        self.sub_title = f"Browse · {page['source']} · page {page['seq'] + 1} ({page['status']})"
        self.query_one("#legend", Static).update(entity_legend(
            "redacted", (s["entity_type"] for s in page["spans"]), "no identifiers found on this page"))
        self.query_one("#page-text").border_title = "Redacted page"
        self.query_one("#page-redacted", Static).update(highlight_placeholders(page["redacted_text"], page["spans"]))
        self.query_one("#page-pairs").border_title = f"Pairs ({len(page['pairs'])})"
        out = Text()
        for p in page["pairs"]:
            out.append(f"#{p['id']} {p['status']}", style="bold dim" if p["status"] == "superseded" else "bold")
            if p.get("grounding") is not None:
                out.append(f" · grounding {p['grounding']:.2f}", style="dim")
            out.append(f"  {p['reason'] or ''}\n", style="dim")
            out.append("Q ", style="bold")
            out.append(f"{p['question'] or '-'}\n")
            out.append("A ", style="bold")
            out.append(f"{p['answer'] or '-'}\n\n")
        if not page["pairs"]:
            out.append("no pair made from this page yet", style="dim")
        self.query_one("#page-pairs-text", Static).update(out)

    def action_original(self) -> None:
        self.app.push_screen(OriginalScreen(self.page_id))

    def action_open_pair(self) -> None:
        live = [p for p in self.page["pairs"] if p["status"] != "superseded"]
        if live:
            self.post_message(Open("review", pair_id=live[0]["id"]))


class OriginalScreen(Screen):
    """The unredacted page: asked for by a key, behind a banner, and written to the audit log."""

    BINDINGS = keys.bindings('original')

    def __init__(self, page_id: int):
        super().__init__()
        self.page_id = page_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="original-banner")
        with VerticalScroll(id="original-scroll", classes="panel"):
            yield Static(id="original-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        store = self.app.store
        text = review.open_original(store, self.page_id, self.app.actor)
        spans = [dict(s, decision=None) for s in pairs.original_spans(store, self.page_id)]
        self.sub_title = f"page {self.page_id} · ORIGINAL"
        self.query_one("#original-banner", Static).update(
            f"⚠  UNREDACTED ORIGINAL TEXT — contains identifying information. This viewing by "
            f"{self.app.actor} is recorded in the audit log. Press Esc to close.")
        styled = Text(text)
        for s in spans:
            styled.stylize(entity_style(s["entity_type"]), s["start"], s["end"])
        self.query_one("#original-text", Static).update(styled)

