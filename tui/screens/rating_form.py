"""A rating form: a person scores items on any registered rubric, one item at a time, keyboard first.
The rubric's criteria and scale are on screen; each save is the person's judgment of the item
(onprem.store.scores, rater person:NAME, audited), stored as a judge's scores are, so `eval
agreement` and `eval judge-validity --labels person:NAME` read it unchanged. One form for every
rubric: the Thousand Voices expert ratings, SQPsych's rubric, Hybrid's persona checks, EPITOME.

Keys: digits type a score (a scale up to 9 takes one key; on 1-10, "1" waits for "0" or Enter),
Tab skips a criterion, Backspace takes back, n/p move between items, Escape goes back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from onprem.store import items as store_items
from onprem.store import scores
from tui import keys


class StoreItems:
    """The items of the rubric's target kind, shown as onprem.store.items shows them."""

    def __init__(self, target_kind: str):
        self.target_kind = target_kind

    def items(self, store) -> list[dict]:
        return store_items.rate_items(store, self.target_kind)

    def blocks(self, store, item: dict) -> list[tuple[str, str]]:
        return store_items.item_text(store, item["kind"], item["id"])


def rubrics() -> dict[str, tuple]:
    """name -> (rubric, target kind) of every registered judge."""
    from onprem.judges import registered_rubrics

    return registered_rubrics()


class RatingFormScreen(Screen):
    BINDINGS = keys.bindings('rating_form')

    @classmethod
    def help_bindings(cls) -> list:
        return list(cls.BINDINGS)

    def __init__(self, rubric: str | None = None, source=None):
        super().__init__()
        self.rubric_name = rubric
        self.source = source          # what is rated and how it is shown (default: the rubric's target kind)
        self.rubric = None
        self.items: list[dict] = []
        self.index = 0
        self.values: list[int | None] = []      # one per criterion entered so far (None: skipped)
        self.typed = ""                          # digits of the criterion being entered

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="form-status")
        yield OptionList(id="form-rubrics")
        with VerticalScroll(id="form-body"):
            yield Static(id="form-item", classes="panel")
            yield Static(id="form-criteria", classes="panel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Rating form"
        if self.rubric_name:
            self._choose(self.rubric_name)
            return
        picker = self.query_one("#form-rubrics", OptionList)
        for name, (rubric, target) in sorted(rubrics().items()):
            picker.add_option(Option(f"{name}: {len(rubric.criteria)} criteria on {rubric.scale.lo}-{rubric.scale.hi}, "
                                     f"rates {target}s", id=name))
        self.query_one("#form-body").display = False
        self.query_one("#form-status", Static).update(Text("choose a rubric (Enter), then rate item by item"))
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, name: str) -> None:
        self.rubric, target = rubrics()[name]
        self.source = self.source or StoreItems(target)
        self.query_one("#form-rubrics").display = False
        self.query_one("#form-body").display = True
        self.items = self.source.items(self.app.store)
        self.index = next((i for i, it in enumerate(self.items) if scores.rating_of(
            self.app.store, self.rubric.name, it["kind"], it["id"], self.app.actor) is None), 0)
        self.sub_title = f"Rating form · {self.rubric.name}"
        self.focus()
        self._load()

    # --- showing -------------------------------------------------------------------------------

    def _load(self) -> None:
        self.values, self.typed = [], ""
        if not self.items:
            self.query_one("#form-status", Static).update(
                Text(f"nothing to rate on {self.rubric.name} yet: generate, paraphrase or import some data first", style="dim"))
            return
        it = self.items[self.index]
        body = Text()
        for title, text in self.source.blocks(self.app.store, it):
            body.append(f"{title}\n", style="bold")
            body.append(f"{text}\n\n")
        box = self.query_one("#form-item", Static)
        box.border_title = it["label"]
        box.update(body)
        self._show()

    def _show(self) -> None:
        it, rubric, store = self.items[self.index], self.rubric, self.app.store
        saved = scores.rating_of(store, rubric.name, it["kind"], it["id"], self.app.actor) or {}
        done = scores.rated_count(store, rubric.name, self.app.actor)
        scale = rubric.scale
        labels = f" ({', '.join(f'{scale.lo + i} {name}' for i, name in enumerate(scale.labels))})" if scale.labels else ""
        self.query_one("#form-status", Static).update(Text(
            f"{rubric.name} · item {self.index + 1} of {len(self.items)} · you rated {done} · rater {self.app.actor} · "
            f"scale {scale.lo}-{scale.hi}{labels}"))
        out = Text()
        current = len(self.values)
        for k, c in enumerate(rubric.criteria):
            if k < current:
                value, style = self.values[k], "green"
            elif k == current and self.typed:
                value, style = f"{self.typed}_", "yellow"
            else:
                value, style = (saved.get(c.key) if not self.values else None), "dim"
            out.append("› " if k == current else "  ", style="bold")
            out.append(f"{c.key:<22}", style="bold" if k == current else "")
            shown = "-" if value is None else str(value)
            if isinstance(value, int) and scale.labels:
                shown = f"{value} {scale.labels[value - scale.lo]}"
            out.append(f"{shown:<9}", style=style)
            out.append(f"{c.question}\n", style="dim")
        if saved and not self.values:
            out.append("saved; keys start a new rating", style="dim")
        if current < len(rubric.criteria) and rubric.criteria[current].anchors:
            # the rubric's guideline for the criterion being scored: what each point means
            c = rubric.criteria[current]
            out.append(f"\nGuideline for {c.key}\n", style="bold")
            for i, text in enumerate(c.anchors):
                point = scale.lo + i
                name = f" {scale.labels[i]}" if i < len(scale.labels) else ""
                out.append(f"  {point}{name}: ", style="bold")
                out.append(f"{text}\n")
        box = self.query_one("#form-criteria", Static)
        box.border_title = "Your scores"
        box.update(out)

    # --- keys ----------------------------------------------------------------------------------

    def action_digit(self, d: int) -> None:
        if not self.items or self.rubric is None:
            return
        scale = self.rubric.scale
        typed = self.typed + str(d)
        if int(typed) > scale.hi:
            self.notify(f"{typed} is above the scale's {scale.hi}", severity="warning")
            return
        self.typed = typed
        if int(typed) * 10 > scale.hi or typed == "0":    # no further digit can follow: the score is complete
            self.action_confirm()
        else:
            self._show()

    def action_confirm(self) -> None:
        if not self.typed:
            return
        value = int(self.typed)
        if value < self.rubric.scale.lo:
            self.notify(f"{value} is below the scale's {self.rubric.scale.lo}", severity="warning")
            self.typed = ""
            self._show()
            return
        self._enter(value)

    def action_skip(self) -> None:
        if self.items and self.rubric is not None:
            self._enter(None)

    def _enter(self, value: int | None) -> None:
        self.values.append(value)
        self.typed = ""
        if len(self.values) < len(self.rubric.criteria):
            self._show()
            return
        given = {c.key: v for c, v in zip(self.rubric.criteria, self.values) if v is not None}
        it = self.items[self.index]
        if given:
            scores.save_rating(self.app.store, rubric=self.rubric, target_kind=it["kind"], target_id=it["id"],
                               rater=self.app.actor, values=given)
            self.notify(f"rated {it['label']}")
        self.action_move(1)

    def action_undo(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]
        elif self.values:
            self.values.pop()
        self._show() if self.items else None

    def action_undo_saved(self) -> None:
        """`u`, as in every queue: your last saved decision, a rating here included (one audit row)."""
        self.app.undo_last()
        if self.items:
            self._load()

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._load()
