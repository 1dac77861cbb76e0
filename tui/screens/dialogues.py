"""Dialogues: browse the generated dialogues (list -> one dialogue: its turns with the identifier
findings highlighted, beside its judgment scores) and review their findings in a queue like the
pairs' one.

Findings come from the stored scan of each dialogue's turns (onprem.dialogue.scan); dialogues not
scanned yet are scanned in a child process when the review opens, so the redaction stack never
loads into the UI. Every decision key calls onprem.review at once (one transaction + an audit row).
"""

from __future__ import annotations


from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from onprem.dialogue import review as dialogue_review
from onprem.store import dialogues as dstore
from onprem.store import dialogue_queries
from tui.nav import clip
from tui.screens.dialogs import AskScreen, EditTurnScreen, MarkPiiScreen
from tui.screens.queue import DecisionQueue, warm_redaction
from tui.widgets import DECISION_STYLE, PagedTable
from tui import keys
from tui.screens.dialogue_text import (DIALOGUE_COLUMNS, dialogue_cells, dialogue_title, findings_cell, judge_cell,
                                       judgment_text, legend, scenario_header, scores_line, spans_by_turn,
                                       trials_text, turn_text)


class DialoguesScreen(Screen):
    """Every generated dialogue, paged out of SQLite; the highlighted one summed up below."""

    BINDINGS = keys.bindings('dialogues')

    def compose(self) -> ComposeResult:
        yield Header()
        yield PagedTable(DIALOGUE_COLUMNS, fetch=lambda o, n: dialogue_queries.list_dialogues(self.app.store, o, n),
                         count=lambda: dialogue_queries.count_dialogues(self.app.store), cells=dialogue_cells,
                         id="dialogues")
        yield Static(id="dialogue-preview", classes="panel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Browse · dialogues (enter opens)"
        self.query_one(PagedTable).reload(0)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one(PagedTable).reload()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        r = self.query_one(PagedTable).current
        preview = self.query_one("#dialogue-preview", Static)
        if r is None:
            preview.update(Text("no dialogues yet: Jobs (5) runs generate sqpsych", style="dim"), layout=False)
            return
        who = " ".join(str(x) for x in (r["age"], r["gender"]) if x)
        preview.update(Text.assemble(
            (f"{r['client_id']}", "bold"), f" · {r['condition'] or '-'} · {who}\n",
            (clip(scores_line(r["scores"]), 74) + "\n", "dim"),
            f"{r['status']}, {r['n_turns']} turns · findings {findings_cell(r)} · review {r['review_status'] or '-'}\n",
            (f"judge {judge_cell(r['totals'])}", "dim")), layout=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        r = self.query_one(PagedTable).current
        if r is not None:
            self.app.push_screen(DialogueScreen(r["id"]))

    def action_review(self) -> None:
        r = self.query_one(PagedTable).current
        if r is not None:
            self.app.push_screen(DialogueReviewScreen(dialogue_id=r["id"]))


class DialogueScreen(Screen):
    """One dialogue: its turns with findings coloured by entity type, beside its judgment scores."""

    BINDINGS = keys.bindings('dialogue')

    def __init__(self, dialogue_id: int):
        super().__init__()
        self.dialogue_id = dialogue_id
        self.show_trials = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="legend")
        with Horizontal(id="page-body"):
            with VerticalScroll(id="dialogue-text", classes="panel"):
                yield Static(id="dialogue-turns")
            with VerticalScroll(id="dialogue-judge", classes="panel"):
                yield Static(id="dialogue-judge-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        d = dialogue_queries.dialogue_view(self.app.store, self.dialogue_id)
        self.sub_title = f"Browse · {dialogue_title(d)}"
        self.query_one("#legend", Static).update(legend(d))
        by_turn = spans_by_turn(d)
        text = Text("\n").join(turn_text(t, by_turn.get(t["id"], [])) for t in d["turns"])
        header = scenario_header(d)
        if header is not None:
            text = header + text
        self.query_one("#dialogue-text").border_title = (f"{d['status']}, {d['n_turns']} turns · "
                                                         f"review {d['review_status'] or '-'}")
        self.query_one("#dialogue-turns", Static).update(text if d["turns"] else Text("no turns", style="dim"))
        attempts = dstore.dialogue_attempts(self.app.store, self.dialogue_id)
        if self.show_trials:
            self.query_one("#dialogue-judge").border_title = f"Trials ({len(attempts)}; t: judgment)"
            self.query_one("#dialogue-judge-text", Static).update(trials_text(attempts))
        else:
            self.query_one("#dialogue-judge").border_title = "Judgment" + (f" (t: {len(attempts)} trials)" if attempts else "")
            self.query_one("#dialogue-judge-text", Static).update(judgment_text(d))

    def action_trials(self) -> None:
        self.show_trials = not self.show_trials
        self.load()

    def action_review(self) -> None:
        self.app.push_screen(DialogueReviewScreen(dialogue_id=self.dialogue_id))


# --- Review ---------------------------------------------------------------------------------------
class DialogueReviewScreen(DecisionQueue):
    BINDINGS = keys.bindings('dreview')
    SPANS_TABLE = "#dreview-spans"
    APPROVE = dialogue_review.approve_dialogue
    REJECT = dialogue_review.reject_dialogue

    def __init__(self, dialogue_id: int | None = None):
        super().__init__()
        self.single = dialogue_id
        self.filter = dialogue_queries.NO_FILTER     # `/`: generator, status, finding type, words in its turns
        self.dialogue: dict | None = None
        self.spans: list[dict] = []
        self.turn_widgets: list[Static] = []
        self.scanning = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counter")
        with Horizontal(id="review-body"):
            yield VerticalScroll(id="dreview-turns", classes="panel")
            yield DataTable(id="dreview-spans", cursor_type="row", classes="panel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        spans = self.query_one("#dreview-spans", DataTable)
        spans.border_title = "Findings"
        for label, width in (("t", 2), ("type", 10), ("decision", 9), ("text", 11)):
            spans.add_column(label, width=width)
        unscanned = dialogue_queries.count_unscanned_dialogues(self.app.store)
        if unscanned:
            self.scanning = unscanned
            self.scan()
        if self.single is not None:
            self.load(self.single)
        else:
            self.step(forward=True)
        spans.focus()

    def on_screen_resume(self) -> None:
        if self.dialogue is not None:
            self.load(self.dialogue["id"], keep_cursor=True)

    # --- the scan of new dialogues (a child process: Presidio never loads into the UI) ---------
    @work(thread=True, exclusive=True, group="scan")
    def scan(self) -> None:
        from onprem.release import scan_in_child

        done = scan_in_child(self.app.db_path)
        code, out = (0, "") if done is None else (done.returncode, done.stdout or "")
        self.app.call_from_thread(self.scanned, code, out.strip().splitlines()[-1:])

    def scanned(self, code: int, last: list[str]) -> None:
        self.scanning = 0
        if code != 0:
            self.notify(f"identifier scan failed (exit {code}): {' '.join(last)}", severity="error")
        if self.dialogue is not None:
            self.load(self.dialogue["id"], keep_cursor=True)
        else:
            self.step(forward=True)

    # --- navigation -------------------------------------------------------------------------
    def current_id(self) -> int | None:
        return None if self.dialogue is None else self.dialogue["id"]

    def select_span(self, index: int) -> None:
        super().select_span(index)
        self.render_turns()

    def find(self, from_start: bool, forward: bool) -> int | None:
        return dialogue_queries.dialogue_queue_step(self.app.store, None if from_start else self.current_id(),
                                                    forward=forward, pending=forward, f=self.filter)

    def action_search(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            self.filter = dialogue_queries.DialogueFilter.parse(text)
            self.dialogue = None
            self.step(forward=True)

        self.app.push_screen(AskScreen("Filter the queue: words in its turns, and generator:sqpsych status:capped "
                                       "type:PERSON (empty clears)", self.filter.describe()), done)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # --- loading and drawing ----------------------------------------------------------------
    def fetch(self, dialogue_id: int | None) -> None:
        self.dialogue = None if dialogue_id is None else dialogue_queries.dialogue_view(self.app.store, dialogue_id)

    def loaded(self) -> None:
        self.render_turns()

    def render_item(self) -> None:
        table = self.query_one("#dreview-spans", DataTable)
        table.clear()
        d = self.dialogue
        counter = self.query_one("#counter", Static)
        counts = dialogue_queries.dialogue_queue_counts(self.app.store, self.filter)
        head = Text()
        if self.single is None:
            head.append(f" {counts['reviewed']} / {counts['total']} dialogues reviewed ", style="bold reverse")
        if self.scanning:
            head.append(f"  scanning {self.scanning} new dialogue(s) for identifiers…", style="italic")
        if d is None:
            self.spans = []
            head.append("  nothing left to review" + (f" matching “{self.filter.describe()}”"
                                                      if self.filter.describe() else ""))
            counter.update(head)
            turns = self.query_one("#dreview-turns", VerticalScroll)
            turns.remove_children()
            turns.border_title = ""
            self.turn_widgets = []
            self.sub_title = "Review queue · dialogues"
            return
        self.spans = d["spans"]
        for s in self.spans:
            table.add_row(str(s["seq"] + 1), Text(s["entity_type"]),
                          Text(s["decision"], style=DECISION_STYLE.get(s["decision"], "")), Text(clip(s["text"], 11)))
        if self.single is None:
            head.append(f"  item {dialogue_queries.dialogue_queue_position(self.app.store, d['id'], self.filter)}")
            if self.filter.describe():
                head.append(f"  filter “{self.filter.describe()}”", style="italic")
        head.append(f"  #{d['id']} {d['client_id']} · {d['status']} · review ")
        head.append(d["review_status"] or "-", style="bold")
        counter.update(head)
        self.query_one("#dreview-turns").border_title = clip(
            f"{d['client_id']} · {d['condition'] or '-'} · {d['n_turns']} turns", 40)
        self.sub_title = "Review queue · dialogues" if self.single is None else f"Dialogue #{d['id']}"
        container = self.query_one("#dreview-turns", VerticalScroll)
        container.remove_children()
        self.turn_widgets = [Static(classes="turn") for _ in d["turns"]]
        container.mount_all(self.turn_widgets)

    def render_turns(self) -> None:
        d = self.dialogue
        if d is None:
            return
        sel = self.selected
        by_turn = spans_by_turn(d)
        for widget, turn in zip(self.turn_widgets, d["turns"]):
            widget.update(turn_text(turn, by_turn.get(turn["id"], []), by="decision",
                                    selected=sel["id"] if sel else None))
        if sel is not None:
            index = next((i for i, t in enumerate(d["turns"]) if t["id"] == sel["turn_id"]), None)
            if index is not None:
                target = self.turn_widgets[index]
                self.call_after_refresh(lambda: self.query_one("#dreview-turns", VerticalScroll).scroll_to_widget(
                    target, animate=False))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.dialogue is not None:
            self.render_turns()

    # --- decisions ----------------------------------------------------------------------------
    def action_mark(self) -> None:
        if self.dialogue is None:
            return
        warm_redaction(self)

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.decide(dialogue_review.add_dialogue_spans, self.dialogue["id"], result[0], result[1])

        self.app.push_screen(MarkPiiScreen("Mark missed PII in this dialogue: held back until edited or rejected"),
                             done)

    def action_edit(self) -> None:
        d = self.dialogue
        if d is None:
            return
        sel = self.selected
        if sel is not None:
            self.edit_turn(next(t for t in d["turns"] if t["id"] == sel["turn_id"]))
            return

        def chosen(value: str | None) -> None:
            if value is None:
                return
            turn = next((t for t in d["turns"] if value.isdigit() and t["seq"] == int(value) - 1), None)
            if turn is None:
                self.notify(f"no turn {value!r} in this dialogue", severity="error")
            else:
                self.edit_turn(turn)

        self.app.push_screen(AskScreen(f"Which turn to edit (1-{len(d['turns'])})?"), chosen)

    def edit_turn(self, turn: dict) -> None:
        def done(content: str | None) -> None:
            if content is not None:
                self.decide(dialogue_review.edit_turn, turn["id"], content)

        self.app.push_screen(EditTurnScreen(f"turn {turn['seq'] + 1} ({turn['speaker']})", turn["content"]), done)

    def action_undo(self) -> None:
        store = self.app.store
        undone = self.app.undo_last()
        if undone is None:
            return
        did = dialogue_queries.dialogue_of(store, undone.table, undone.row_id)
        if did is not None and (self.single is None or did == self.single):
            self.load(did, keep_cursor=did == (self.dialogue or {}).get("id"))
        elif self.dialogue is not None:
            self.load(self.dialogue["id"], keep_cursor=True)
