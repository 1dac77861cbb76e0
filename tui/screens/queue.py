"""What the pair and the dialogue review queues share: a findings table beside the item, single-key
decisions written at once through onprem.review (one transaction + one audit row each), and
next/previous through the queue. A subclass says what an item is (load, step, draw)."""

from __future__ import annotations

from typing import Callable

from textual.screen import Screen
from textual.widgets import DataTable

from onprem import review
from onprem.errors import UserError


def warm_redaction(screen: Screen) -> None:
    """Load the redaction package (1 s of imports) in a thread while a person types what to mark."""
    def load() -> None:
        import redaction.leak  # noqa: F401

    screen.run_worker(load, thread=True, group="warm", exclusive=True)


class DecisionQueue(Screen):
    SPANS_TABLE = "#review-spans"          # the findings table's id in the subclass's layout
    APPROVE: Callable = review.approve_pair
    REJECT: Callable = review.reject_pair

    single: int | None                     # reviewing one item (opened from a list), not the queue
    spans: list[dict]

    # --- what a subclass provides -------------------------------------------------------------
    def current_id(self) -> int | None:
        raise NotImplementedError

    def fetch(self, item_id: int | None) -> None:
        """Read the item (and its findings into `spans`) from the store; None: no item."""
        raise NotImplementedError

    def find(self, from_start: bool, forward: bool) -> int | None:
        """The next (or previous) queue item after the current one, or the first one; None at the end.
        Forward steps look for pending items; stepping back revisits decided ones too."""
        raise NotImplementedError

    def render_item(self) -> None:
        raise NotImplementedError

    def loaded(self) -> None:
        """After an item is drawn and its findings table has its cursor."""

    def decided(self) -> None:
        """After any decision or undo (e.g. forget cached counts)."""

    # --- moving through the queue ---------------------------------------------------------------
    def load(self, item_id: int, keep_cursor: bool = False) -> None:
        table = self.query_one(self.SPANS_TABLE, DataTable)
        row = table.cursor_row if keep_cursor else None
        self.fetch(item_id)
        self.render_item()
        if row is not None and self.spans:
            table.move_cursor(row=min(row, len(self.spans) - 1), animate=False)
        elif self.spans:
            table.move_cursor(row=self.first_pending(0), animate=False)
        self.loaded()

    def step(self, forward: bool) -> None:
        if self.single is not None:
            return
        found = self.find(from_start=False, forward=forward)
        if found is None and forward:
            found = self.find(from_start=True, forward=True)
        if found is None:
            if forward or self.current_id() is None:
                self.fetch(None)
                self.render_item()
            else:
                self.notify("At the start of the queue")
            return
        self.load(found)

    # --- findings -----------------------------------------------------------------------------
    @property
    def selected(self) -> dict | None:
        i = self.query_one(self.SPANS_TABLE, DataTable).cursor_row
        return self.spans[i] if 0 <= i < len(self.spans) else None

    def first_pending(self, start: int) -> int:
        order = list(range(start, len(self.spans))) + list(range(0, start))
        return next((i for i in order if self.spans[i]["decision"] == "pending"), start if self.spans else 0)

    def select_span(self, index: int) -> None:
        self.query_one(self.SPANS_TABLE, DataTable).move_cursor(row=index, animate=False)

    # --- keys ---------------------------------------------------------------------------------
    def action_next(self) -> None:
        self.step(forward=True)

    def action_previous(self) -> None:
        self.step(forward=False)

    def decide(self, fn, *args, advance: bool = False) -> None:
        try:
            fn(self.app.store, *args, actor=self.app.actor)
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        self.decided()
        if advance and self.single is None:
            self.step(forward=True)
        else:
            self.load(self.current_id(), keep_cursor=True)

    def span_decision(self, fn) -> None:
        span = self.selected
        if span is None:
            self.notify("No finding selected", severity="warning")
            return
        index = self.query_one(self.SPANS_TABLE, DataTable).cursor_row
        self.decide(fn, span["id"])
        if self.spans:
            self.select_span(self.first_pending(index))

    def action_confirm_span(self) -> None:
        self.span_decision(review.confirm_span)

    def action_reject_span(self) -> None:
        self.span_decision(review.reject_span)

    def action_allow_everywhere(self) -> None:
        """This finding's text is not an identifier anywhere: every pending finding with the same
        text is decided, and later scans of generated text leave it out (onprem.allowed; undo: u)."""
        from onprem.allowed import allow_everywhere

        span = self.selected
        if span is None:
            self.notify("No finding selected", severity="warning")
            return
        try:
            n = allow_everywhere(self.app.store, span["id"], actor=self.app.actor)
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(f"Allowed project-wide: {n} pending finding(s) with this text decided as not PII (u undoes)")
        self.decided()
        self.load(self.current_id(), keep_cursor=True)

    def action_approve(self) -> None:
        if self.current_id() is not None:
            self.decide(type(self).APPROVE, self.current_id(), advance=True)

    def action_reject(self) -> None:
        if self.current_id() is not None:
            self.decide(type(self).REJECT, self.current_id(), advance=True)
