"""Review: flagged pairs and pending findings one at a time, with the page they came from; `d`
opens the dialogue queue (tui/screens/dialogues.py).

Every key that decides something calls onprem.review at once (one transaction + one audit row), so
quitting mid-queue loses nothing. Opened with a pair id it reviews just that pair (from Browse/Search).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from onprem import config, review
from onprem.store import dialogue_queries, pairs, review_queue
from tui.nav import Open
from tui.screens.dialogs import AskScreen, EditPairScreen, MarkPiiScreen
from tui.screens.queue import DecisionQueue, warm_redaction
from tui.widgets import DECISION_STYLE, highlight_offsets, highlight_placeholders, line_of
from tui import keys


class ReviewScreen(DecisionQueue):
    BINDINGS = keys.bindings('review')

    def __init__(self, pair_id: int | None = None, pair_filter: pairs.PairFilter | None = None):
        super().__init__()
        self.single = pair_id
        self.pair: dict | None = None
        self.spans: list[dict] = []
        # the queue's filter: words, entity type, source, status, generator, grounding (`/`), or a
        # Search result's filters when Search opened this queue
        self.filter = pair_filter or pairs.PairFilter()
        # `reviewed / total` changes only when something is decided: counted once per decision,
        # not on every next/previous (two queue-wide counts, ~12 ms at 2,000 flagged pairs).
        self._counts: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counter")
        with Horizontal(id="review-body"):
            with VerticalScroll(id="review-pair", classes="panel"):
                yield Static(id="review-question")
                yield Static(id="review-answer")
            yield DataTable(id="review-spans", cursor_type="row", classes="panel")
        with VerticalScroll(id="review-context", classes="panel"):
            yield Static(id="review-span-original")
            yield Static(id="review-page")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        spans = self.query_one("#review-spans", DataTable)
        spans.border_title = "Findings"
        for label, width in (("in", 4), ("text", 18), ("type", 12), ("decision", 9)):   # the text first: what is decided
            spans.add_column(label, width=width)
        self.query_one("#review-pair").border_title = "Pair"
        self.query_one("#review-context").border_title = "Page (redacted)"
        if self.single is not None:
            self.load(self.single)
        else:
            self.step(forward=True)
        spans.focus()

    def on_screen_resume(self) -> None:
        self._counts = None  # another screen (or process) may have decided something
        if self.pair is not None:
            self.load(self.pair["id"], keep_cursor=True)

    @property
    def counts(self) -> dict:
        if self._counts is None:
            self._counts = review_queue.queue_counts(self.app.store, self.filter)
        return self._counts

    # --- navigation -------------------------------------------------------------------------
    def current_id(self) -> int | None:
        return None if self.pair is None else self.pair["id"]

    def decided(self) -> None:
        self._counts = None

    @property
    def key(self) -> tuple | None:
        return None if self.pair is None else (self.pair["source_id"], self.pair["seq"], self.pair["id"])

    def find(self, from_start: bool, forward: bool) -> int | None:
        found = review_queue.queue_step(self.app.store, None if from_start else self.key, forward=forward,
                                   pending=forward, f=self.filter)
        return None if found is None else found["id"]

    def action_back(self) -> None:
        if self.single is not None or len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_dialogues(self) -> None:
        self.post_message(Open("dialogue-review"))

    def action_uncertain(self) -> None:
        self.post_message(Open("uncertain"))

    def action_search(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.filter = pairs.PairFilter.parse(text)
            except ValueError as e:
                self.notify(str(e), severity="warning")
                return
            self._counts = None
            self.pair = None
            self.step(forward=True)

        self.app.push_screen(AskScreen("Filter the queue: words in question or answer, and type:PERSON source:3 "
                                       "status:flagged generator:paraphrase run:7 grounding<0.3 (empty clears)",
                                       self.filter.describe()), done)

    # --- loading and drawing ----------------------------------------------------------------
    def fetch(self, pair_id: int | None) -> None:
        self.pair = None if pair_id is None else pairs.pair_view(self.app.store, pair_id)

    def render_item(self) -> None:
        counter = self.query_one("#counter", Static)
        table = self.query_one("#review-spans", DataTable)
        table.clear()
        pair = self.pair
        if pair is None:
            self.spans = []
            counts = self.counts
            dialogues = dialogue_queries.dialogue_queue_counts(self.app.store)["pending"]
            counter.update(Text.assemble((f" {counts['reviewed']} / {counts['total']} reviewed ", "bold reverse"),
                                         "  nothing left to review" + (f" matching “{self.filter.describe()}”"
                                                                       if self.filter.describe() else ""),
                                         (f"  ·  d: {dialogues} dialogue(s) to review" if dialogues else "", "bold")))
            for w in ("#review-question", "#review-answer", "#review-page"):
                self.query_one(w, Static).update("")
            self.sub_title = "Review queue · pairs (d: dialogues)"
            return
        page = pair["page"]
        self.spans = pair["spans"] + [dict(s, field="page") for s in (page["spans"] if page else [])]
        for s in self.spans:
            where = {"question": "Q", "answer": "A", "page": "page"}[s["field"]]
            shown = s["text"] if s["field"] != "page" else (s["placeholder"] or "")
            table.add_row(where, Text(shown), s["entity_type"],
                          Text(s["decision"], style=DECISION_STYLE.get(s["decision"], "")))
        self.render_counter()
        self.render_text()
        self.show_span_original(None)
        self.render_page()

    def render_page(self) -> None:
        """The redacted page, the selected page finding reversed and scrolled into view."""
        page, sel = self.pair["page"], self.selected
        if page is None:
            self.query_one("#review-page", Static).update(Text("imported pair: no transcript page", style="dim"))
            return
        chosen = sel["placeholder"] if sel and sel["field"] == "page" else None
        self.query_one("#review-page", Static).update(highlight_placeholders(page["redacted_text"], page["spans"],
                                                                             chosen))
        if chosen:      # after the new text is laid out, so the scroll range covers it
            self.call_after_refresh(self.scroll_page_to, page["redacted_text"], chosen)

    def scroll_page_to(self, text: str, placeholder: str) -> None:
        context = self.query_one("#review-context", VerticalScroll)
        line = line_of(text, placeholder, context.scrollable_content_region.width)
        if line is not None:
            context.scroll_to(y=max(0, line - 2), animate=False)

    def render_counter(self) -> None:
        pair = self.pair
        store = self.app.store
        where = f"{pair['source']}" + (f" p.{pair['page']['seq'] + 1}" if pair["page"] else f" row {pair['seq']}")
        head = Text()
        if self.single is None:
            counts = self.counts
            head.append(f" {counts['reviewed']} / {counts['total']} reviewed ", style="bold reverse")
            head.append(f"  item {review_queue.queue_position(store, self.key, self.filter)}")
            if self.filter.describe():
                head.append(f"  filter “{self.filter.describe()}”", style="italic")
        head.append(f"  pair #{pair['id']} · {where} · ")
        head.append(pair["status"], style="bold")
        if pair.get("grounding") is not None:
            head.append(f" · grounding {pair['grounding']:.2f}", style="red" if pair["grounding"] < config.DEFAULT_MIN_GROUNDING else "")
        if pair["reason"]:
            head.append(f" ({pair['reason']})", style="dim")
        self.query_one("#counter", Static).update(head)
        self.sub_title = "Review queue · pairs (d: dialogues)" if self.single is None else f"Pair #{pair['id']}"

    def render_text(self) -> None:
        pair, sel = self.pair, self.selected
        sel_id = sel["id"] if sel else None
        for field, widget, label in (("question", "#review-question", "Q "), ("answer", "#review-answer", "A ")):
            words = pair["q_words"] if field == "question" else pair["a_words"]
            body = highlight_offsets(pair[field] or "", [s for s in pair["spans"] if s["field"] == field], sel_id)
            self.query_one(widget, Static).update(
                Text.assemble((label, "bold"), body, (f"  [{words} words]", "dim"), "\n"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.pair is not None:
            self.render_text()
            self.render_page()
            self.show_span_original(None)

    def action_span_original(self) -> None:
        """One line: the selected finding's original text beside what replaced it (audited)."""
        sel = self.selected
        if sel is None:
            self.notify("No finding selected", severity="warning")
            return
        original, placeholder = review.view_span_original(self.app.store, sel["id"], actor=self.app.actor)
        shown = placeholder if sel["field"] == "page" else f"in the {sel['field']}"
        self.show_span_original(Text.assemble(
            (" original ", "bold reverse red"), f" “{original}” → {shown or '-'} ",
            (f"({sel['entity_type']}; this view is in the audit log)", "dim")))

    def show_span_original(self, line: Text | None) -> None:
        widget = self.query_one("#review-span-original", Static)
        widget.update(line or "")
        widget.display = line is not None

    # --- decisions ----------------------------------------------------------------------------
    def action_edit(self) -> None:
        if self.pair is None:
            return

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.decide(review.edit_pair, self.pair["id"], result[0], result[1])

        self.app.push_screen(EditPairScreen(self.pair["question"] or "", self.pair["answer"] or ""), done)

    def action_mark(self) -> None:
        if self.pair is None:
            return
        warm_redaction(self)

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.decide(review.add_spans, self.pair["id"], result[0], result[1])

        self.app.push_screen(MarkPiiScreen(), done)

    def action_undo(self) -> None:
        store = self.app.store
        undone = self.app.undo_last()
        if undone is None:
            return
        self.decided()
        pair_id = undone.row_id if undone.table == "qa_pairs" else None
        if undone.table == "pii_spans":
            pair_id = pairs.pair_of_span(store, undone.row_id)
        if pair_id is not None and (self.single is None or pair_id == self.single):
            self.load(pair_id, keep_cursor=True)
        elif self.pair is not None:
            self.load(self.pair["id"], keep_cursor=True)

    def action_original(self) -> None:
        if self.pair is not None and self.pair["page"] is not None:
            self.post_message(Open("original", page_id=self.pair["page_id"]))
        else:
            self.notify("This pair has no transcript page", severity="warning")
