"""Rank responses: MentalChat16K's human evaluation. For each of 50 questions (sampled with seed 42
from those that 2+ models answered) the responses of up to 7 models are shown in a shuffled order
that is stored per rater; the rater presses the letters of the responses from best to worst, and the
full ranking is saved (audited) as soon as every response has a rank. The model names stay hidden.
Everything is read and written through onprem.evals.rankings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from onprem.errors import UserError
from onprem.papers.mentalchat16k import rankings

LETTERS = "abcdefg"


class RankScreen(Screen):
    BINDINGS = [
        *[Binding(c, f"pick('{c}')", c.upper(), id=f"rank.pick_{c}", show=False) for c in LETTERS],
        Binding("backspace", "undo", "Undo last", id="rank.undo"),
        Binding("u", "undo_saved", "Undo saved ranking", id="rank.undo_saved"),
        Binding("n", "move(1)", "Next question", id="rank.next"),
        Binding("p", "move(-1)", "Previous", id="rank.previous"),
        Binding("escape", "app.pop_screen", "Back", id="rank.back"),
    ]

    @classmethod
    def help_bindings(cls) -> list[Binding]:
        """For the help screen: the seven letter keys as one line."""
        return [Binding("a-g", "", "Next best response"), *cls.BINDINGS[len(LETTERS):]]

    def __init__(self):
        super().__init__()
        self.index = 0
        self.order: list[int] = []           # response ids picked so far, best first

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="rank-status")
        with VerticalScroll(id="rank-body"):
            yield Static(id="rank-question", classes="panel")
            yield Static(id="rank-responses")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Rank responses"
        self.questions = rankings.sampled_questions(self.app.store)
        self._load()

    def _load(self) -> None:
        if not self.questions:
            self.query_one("#rank-status", Static).update(
                Text("no question has responses from two models yet: run onprem eval respond for two models", style="dim"))
            return
        q = self.questions[self.index]
        self.ranking = rankings.open_ranking(self.app.store, q["id"], self.app.actor)
        ranks = self.ranking["ranks"]
        self.order = sorted(ranks, key=ranks.get) if ranks else []
        self.query_one("#rank-question", Static).update(Text(q["question"]))
        self.query_one("#rank-question").border_title = f"Question {q['key']}"
        self._show()

    def _show(self) -> None:
        shown = self.ranking["shown"]
        done = rankings.ranked_count(self.app.store, self.app.actor, [q["id"] for q in self.questions])
        status = Text(f"question {self.index + 1} of {len(self.questions)} · you ranked {done} · rater {self.app.actor} · "
                      f"press the letters from best to worst")
        self.query_one("#rank-status", Static).update(status)
        out = Text()
        for letter, r in zip(LETTERS, shown):
            rank = self.order.index(r["id"]) + 1 if r["id"] in self.order else None
            out.append(f" {letter.upper()} ", style="bold reverse")
            out.append(f"  rank {rank}\n" if rank else "  not ranked yet\n", style="bold green" if rank else "dim")
            out.append(r["response"].strip() + "\n\n")
        self.query_one("#rank-responses", Static).update(out)

    def action_pick(self, letter: str) -> None:
        if not self.questions:
            return
        shown = self.ranking["shown"]
        k = LETTERS.index(letter)
        if k >= len(shown):
            self.notify(f"this question has {len(shown)} responses (A-{LETTERS[len(shown) - 1].upper()})",
                        severity="warning")
            return
        rid = shown[k]["id"]
        if len(self.order) == len(shown):      # a saved ranking: start it again
            self.order = []
        if rid in self.order:
            self.notify(f"{letter.upper()} already has rank {self.order.index(rid) + 1}; backspace undoes", severity="warning")
            return
        self.order.append(rid)
        if len(self.order) == len(shown):
            try:
                rankings.save_ranks(self.app.store, self.ranking["id"],
                                    {r: i + 1 for i, r in enumerate(self.order)}, self.app.actor)
            except UserError as e:
                self.notify(str(e), severity="error")
            else:
                self.notify("ranking saved; next question")
                if len(self.questions) > 1:     # on to the next question, as labelling moves on
                    self.action_move(1)
                    return
        self._show()

    def action_undo(self) -> None:
        if self.order:
            self.order.pop()
            self._show()

    def action_undo_saved(self) -> None:
        """`u`, as in every queue: your last saved decision (a ranking here), audited."""
        self.app.undo_last()
        if self.questions:
            self._load()

    def action_move(self, step: int) -> None:
        if self.questions:
            self.index = (self.index + step) % len(self.questions)
            self._load()
