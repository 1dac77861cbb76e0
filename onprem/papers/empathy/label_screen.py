"""Label empathy: a person gives a seeker post and its response three EPITOME levels by keyboard:
0, 1 or 2 for Emotional Reactions, then Interpretations, then Explorations. The third key saves the
label (per rater, audited) and moves to the next item. Items are every releasable dialogue's first
exchange and every kept or approved pair (synthetic and imported real alike). Read and written
through this paper's labelling module."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from onprem.papers.empathy import labelling

DIMENSIONS = (("er", "Emotional Reactions"), ("ip", "Interpretations"), ("ex", "Explorations"))
LEVELS = ("none", "weak", "strong")


class LabelScreen(Screen):
    BINDINGS = [
        *[Binding(str(v), f"level({v})", f"{v} {LEVELS[v]}", id=f"label.level_{v}") for v in (0, 1, 2)],
        Binding("backspace", "undo", "Undo last", id="label.undo"),
        Binding("n", "move(1)", "Next", id="label.next"),
        Binding("p", "move(-1)", "Previous", id="label.previous"),
        Binding("escape", "app.pop_screen", "Back", id="label.back"),
    ]

    @classmethod
    def help_bindings(cls) -> list:
        return list(cls.BINDINGS)

    def __init__(self):
        super().__init__()
        self.index = 0
        self.levels: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="label-status")
        with VerticalScroll(id="label-body"):
            yield Static(id="label-post", classes="panel")
            yield Static(id="label-response", classes="panel")
            yield Static(id="label-levels", classes="panel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Label empathy"
        self.items = labelling.items(self.app.store)
        first_open = next((i for i, it in enumerate(self.items)
                           if labelling.label_of(self.app.store, it["kind"], it["id"], self.app.actor) is None), 0)
        self.index = first_open
        self._load()

    def _load(self) -> None:
        if not self.items:
            self.query_one("#label-status", Static).update(
                Text("nothing to label yet: generate, paraphrase or import some data first", style="dim"))
            return
        it = self.items[self.index]
        self.levels = []
        self.query_one("#label-post").border_title = f"Seeker post · {it['label']}"
        self.query_one("#label-post", Static).update(Text(it["post"]))
        self.query_one("#label-response").border_title = "Response"
        self.query_one("#label-response", Static).update(Text(it["response"]))
        self._show()

    def _show(self) -> None:
        it = self.items[self.index]
        saved = labelling.label_of(self.app.store, it["kind"], it["id"], self.app.actor)
        done = labelling.labelled_count(self.app.store, self.app.actor)
        self.query_one("#label-status", Static).update(Text(
            f"item {self.index + 1} of {len(self.items)} · you labelled {done} · rater {self.app.actor} · "
            f"keys 0/1/2 for ER, IP, EX in turn"))
        out = Text()
        for k, (key, name) in enumerate(DIMENSIONS):
            value = self.levels[k] if k < len(self.levels) else (saved or {}).get(key) if not self.levels else None
            out.append(f"{name:<22}", style="bold" if k == len(self.levels) else "")
            out.append("-\n" if value is None else f"{value} {LEVELS[value]}\n", style="dim" if value is None else "green")
        if saved and not self.levels:
            out.append("saved; keys start a new label", style="dim")
        self.query_one("#label-levels", Static).update(out)
        self.query_one("#label-levels").border_title = "Your labels"

    def action_level(self, value: int) -> None:
        if not self.items:
            return
        self.levels.append(value)
        if len(self.levels) == len(DIMENSIONS):
            it = self.items[self.index]
            labelling.save_label(self.app.store, it["kind"], it["id"], self.app.actor,
                                 dict(zip((k for k, _ in DIMENSIONS), self.levels)))
            self.notify(f"labelled {it['label']}")
            self.action_move(1)
            return
        self._show()

    def action_undo(self) -> None:
        if self.levels:
            self.levels.pop()
            self._show()

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._load()
