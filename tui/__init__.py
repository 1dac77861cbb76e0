"""The Textual TUI of onprem: browse, review, search, run jobs and export, keyboard first.

It talks to the database only through the store's read modules (`onprem.store.overview`, `pairs`,
`search`, `review_queue`, `dialogue_queries`, ...) and `onprem.review` (decisions).
"""
