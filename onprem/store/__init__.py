"""The one SQLite file that holds everything: open it, migrate it, write to it atomically."""

from onprem.store.db import Store, open_store

__all__ = ["Store", "open_store"]
