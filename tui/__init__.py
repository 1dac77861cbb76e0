"""The Textual TUI of onprem: browse, review, search, run jobs and export, keyboard first.

It talks to the database only through `onprem.store.queries` (reads) and `onprem.review` (decisions).
"""
