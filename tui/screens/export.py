"""Export: choose a registered format and the policy, see what would be released and what is held
back, write it.

Preview and write are onprem.release's own (one release path for CLI and TUI: the same gate, the
same writers, an audit row for every file written). They read every pair or dialogue, so they run
in a worker thread with its own connection and the UI stays live. Dialogues not yet scanned for
identifiers are scanned first in a child process (the redaction stack never loads into the UI).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, Select, Static
from tui import keys



class ExportScreen(Screen):
    BINDINGS = keys.bindings('export')

    def compose(self) -> ComposeResult:
        # Imported here, not at the top: the release path pulls in every registered writer, which the
        # first screen of the app does not need.
        from onprem.release import formats

        self.writers = formats()
        yield Header()
        with Vertical(id="export-form"):
            with Horizontal(classes="filters"):
                yield Select([(f"{name} ({w.unit})", name) for name, w in self.writers.items()], value="mentalchat16k",
                             allow_blank=False, id="export-format")
                yield Input("export.jsonl", placeholder="output file", id="export-path")
            with Horizontal(classes="filters"):
                yield Checkbox("reviewed only (approved)", id="export-reviewed")
                yield Checkbox("include flagged", id="export-flagged")
                yield Checkbox("include undecided uncertain", id="export-uncertain")
            yield Label("Ctrl+W writes the file (owner-only); the release is recorded in the audit log.",
                        classes="dim")
        yield Static(id="export-preview", classes="panel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Export"
        self.query_one("#export-preview").border_title = "What would be released"
        self.action_preview()

    def on_screen_resume(self) -> None:
        self.action_preview()

    def policy(self):
        from onprem.release import Policy

        return Policy(reviewed_only=self.query_one("#export-reviewed", Checkbox).value,
                      include_flagged=self.query_one("#export-flagged", Checkbox).value,
                      include_uncertain=self.query_one("#export-uncertain", Checkbox).value)

    @property
    def fmt(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.action_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        p = Path(path.value or "export")
        path.value = str(p.with_suffix(self.writers[self.fmt].suffix))
        self.action_preview()

    def action_preview(self) -> None:
        self.query_one("#export-preview", Static).update(Text("counting…", style="dim"))
        self.count(self.fmt, self.policy())

    def action_write(self) -> None:
        out = self.query_one("#export-path", Input).value.strip()
        if not out:
            self.notify("Give an output file", severity="error")
            return
        path = Path(out)
        if path.exists():
            from tui.screens.dialogs import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self.start_write(path, force=True)

            self.app.push_screen(ConfirmScreen(f"{path} already exists. Overwrite it?"), answered)
            return
        self.start_write(path, force=False)

    def start_write(self, path: Path, force: bool) -> None:
        self.query_one("#export-preview", Static).update(Text(f"writing {path}…", style="dim"))
        self.write(self.fmt, path, self.policy(), force)

    @work(thread=True, exclusive=True, group="export")
    def count(self, fmt: str, policy) -> None:
        from onprem.release import scan_in_child, select

        unit = self.writers[fmt].unit
        if unit == "dialogues":
            scan_in_child(self.app.db_path)
        with self.app.worker_store() as store:
            sel = select(store, fmt, policy)
        self.app.call_from_thread(self.show, len(sel.rows), dict(sel.held), sel.flagged_included, None, unit)

    @work(thread=True, exclusive=True, group="export")
    def write(self, fmt: str, out: Path, policy, force: bool = False) -> None:
        from onprem.errors import UserError
        from onprem.release import release, scan_in_child

        if self.writers[fmt].unit == "dialogues":
            scan_in_child(self.app.db_path)
        with self.app.worker_store() as store:
            try:
                done = release(store, fmt, out, policy, actor=self.app.actor, force=force)
            except UserError as e:      # the database as --out, a folder, a full disk: one line, nothing written
                self.app.call_from_thread(self.notify, str(e), severity="error", markup=False)
                self.app.call_from_thread(self.action_preview)
                return
            except OSError as e:
                self.app.call_from_thread(self.notify, f"{out}: cannot write ({e.strerror})", severity="error",
                                          markup=False)
                return
        sel = done.selection
        self.app.call_from_thread(self.show, done.written, dict(sel.held), sel.flagged_included, out, done.unit)

    def show(self, released: int, held: dict, flagged_in: int, written: Path | None, what: str = "pairs") -> None:
        text = Text()
        verb = "written to " + str(written) if written else "would be released"
        text.append(f"{released:,} {what} {verb}\n", style="bold green" if released else "bold")
        if flagged_in:
            text.append(f"⚠ {flagged_in:,} of them have identifier findings (include flagged is on)\n",
                        style="bold red")
        text.append("held back:\n" if held else "nothing held back\n")
        for reason, n in sorted(held.items(), key=lambda kv: -kv[1]):
            text.append(f"  {n:>8,}  {reason}\n")
        self.query_one("#export-preview", Static).update(text)
        if written:
            self.notify(f"Wrote {released:,} {what} to {written}")
