"""PagedTable on its own: cells are shown as data, never parsed as Rich markup."""

import asyncio

from textual.app import App

from tui.widgets import PagedTable

ROWS = [{"id": i, "text": t} for i, t in enumerate(["i was [laughs] fine", "[bold]not bold[/bold]", "[PERSON_1] called"])]


class OneTable(App):
    def compose(self):
        yield PagedTable([("id", 4), ("text", 30)], fetch=lambda o, n: ROWS[o:o + n], count=lambda: len(ROWS),
                         cells=lambda r: [str(r["id"]), r["text"]])

    def on_mount(self):
        self.query_one(PagedTable).reload(0)


def test_cells_keep_square_brackets_as_written():
    async def run():
        app = OneTable()
        async with app.run_test(size=(60, 10)) as pilot:
            await pilot.pause()
            table = app.query_one(PagedTable)
            # What is painted: line 0 is the header, then one line per row.
            return ["".join(seg.text for seg in table.render_line(y + 1)) for y in range(len(ROWS))]

    painted = asyncio.run(run())
    for row, line in zip(ROWS, painted):
        assert row["text"] in line, line
