"""The uncertain queue: one finding at a time, in the sentence it was said in, decided with one key.

`y` redacts it (an identifier: every page of the transcript gets the transcript's placeholder, and
pairs that carry it go back to flagged); `n` keeps it (not identifying, here and wherever the same
words occur in that transcript). Each key is one transaction and one audit row (onprem.uncertain).
Until a finding is decided, the release gate holds back the pairs of its page.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from onprem import uncertain
from onprem.errors import UserError
from onprem.store import uncertain as queue
from tui import keys


class UncertainScreen(Screen):
    BINDINGS = keys.bindings('uncertain')

    def __init__(self):
        super().__init__()
        self.items: list[dict] = []
        self.index = 0
        self.filter = queue.UncertainFilter()      # `/`: entity type, transcript, words of the finding

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="uncertain-counter")
        with VerticalScroll(id="uncertain-context", classes="panel"):
            yield Static(id="uncertain-sentence")
        yield Static(id="uncertain-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#uncertain-context").border_title = "Said on the page (identifiers already replaced)"
        self.reload()

    def reload(self) -> None:
        self.items = queue.pending(self.app.store, f=self.filter)
        self.index = min(self.index, max(len(self.items) - 1, 0))
        self.draw()

    def draw(self) -> None:
        counter = self.query_one("#uncertain-counter", Static)
        sentence = self.query_one("#uncertain-sentence", Static)
        detail = self.query_one("#uncertain-detail", Static)
        shown = self.filter.describe()
        if not self.items:
            counter.update("No uncertain findings wait for a decision" + (f" matching “{shown}”." if shown else "."))
            sentence.update("")
            detail.update("")
            return
        item = self.items[self.index]
        counter.update(f"Uncertain finding {self.index + 1} of {len(self.items)}: is this identifying?  "
                       f"y redact · n keep" + (f"   filter “{shown}”" if shown else ""))
        text = Text("…" + item["before"].lstrip())
        text.append(item["text"], style="bold reverse")
        text.append(item["after"].rstrip() + "…")
        sentence.update(text)
        detail.update(Text(f"{item['entity_type']} · score {item['score']:.2f} · {item['recognizer']} · "
                           f"{item['source']}, page {item['page_seq'] + 1}"))

    def _decide(self, decide) -> None:
        if not self.items:
            return
        item = self.items[self.index]
        try:
            decide(self.app.store, item["id"], actor=self.app.actor)
        except UserError as e:
            self.app.notify(str(e), severity="warning")
        self.reload()

    def action_accept(self) -> None:
        self._decide(uncertain.accept)

    def action_keep(self) -> None:
        self._decide(uncertain.keep)

    def action_next(self) -> None:
        if self.items:
            self.index = min(self.index + 1, len(self.items) - 1)
            self.draw()

    def action_previous(self) -> None:
        if self.items:
            self.index = max(self.index - 1, 0)
            self.draw()

    def action_undo(self) -> None:
        """Your last saved decision, whatever queue it was made in (one audit row)."""
        self.app.undo_last()
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_search(self) -> None:
        from tui.screens.dialogs import AskScreen

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.filter = queue.UncertainFilter.parse(text)
            except ValueError as e:
                self.notify(str(e), severity="warning")
                return
            self.index = 0
            self.reload()

        self.app.push_screen(AskScreen("Filter the uncertain findings: type:PERSON source:3 and words of the "
                                       "finding (empty clears)", self.filter.describe()), done)
