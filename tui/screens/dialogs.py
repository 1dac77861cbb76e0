"""Small modal dialogs used by the review screens: edit a pair or a turn, mark missed text, search."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, TextArea

from onprem.review import ENTITY_TYPES
from tui import keys


class EditPairScreen(ModalScreen[tuple[str, str] | None]):
    """Edit the question and answer; returns (question, answer) or None when cancelled."""

    BINDINGS = keys.bindings('edit_pair')

    def __init__(self, question: str, answer: str):
        super().__init__()
        self.question, self.answer = question, answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Edit pair — Ctrl+S saves, Esc cancels (word counts follow the text)")
            yield Label("Question")
            yield TextArea(self.question, id="edit-question", soft_wrap=True)
            yield Label("Answer")
            yield TextArea(self.answer, id="edit-answer", soft_wrap=True)

    def action_save(self) -> None:
        self.dismiss((self.query_one("#edit-question", TextArea).text,
                      self.query_one("#edit-answer", TextArea).text))

    def action_cancel(self) -> None:
        self.dismiss(None)


class MarkPiiScreen(ModalScreen[tuple[str, str] | None]):
    """Mark text the detectors missed; returns (text, entity type) or None."""

    BINDINGS = keys.bindings('mark')
    PAIR = "Mark missed PII: redacted in the page; pairs that contain it are flagged"

    def __init__(self, prompt: str = PAIR):
        super().__init__()
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog short"):
            yield Label(self.prompt)
            yield Input(placeholder="the text (case, accents and punctuation do not matter)", id="mark-text")
            yield Select([(t, t) for t in ENTITY_TYPES], value="PERSON", allow_blank=False, id="mark-type")
            yield Label("Enter marks it, Tab moves to the type, Esc cancels", classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss((event.value, str(self.query_one("#mark-type", Select).value)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditTurnScreen(ModalScreen[str | None]):
    """Edit what one dialogue turn says; returns the new text or None when cancelled."""

    BINDINGS = keys.bindings('edit_turn')

    def __init__(self, title: str, content: str):
        super().__init__()
        self.title_text, self.content = title, content

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Edit {self.title_text} — Ctrl+S saves, Esc cancels")
            yield TextArea(self.content, id="edit-turn", soft_wrap=True)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#edit-turn", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskScreen(ModalScreen[str | None]):
    """One line of input (a search); returns the text, "" to clear, None when cancelled."""

    BINDINGS = keys.bindings('ask')

    def __init__(self, prompt: str, value: str = ""):
        super().__init__()
        self.prompt, self.value = prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog short"):
            yield Label(self.prompt)
            yield Input(self.value, id="ask-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or Enter confirms, n or Esc declines."""

    BINDINGS = keys.bindings('confirm')

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, markup=False)
            yield Label("y: yes   n / Esc: no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
