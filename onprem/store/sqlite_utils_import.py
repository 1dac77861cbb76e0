"""sqlite-utils, imported without numpy.

sqlite-utils imports numpy at its own import (about a tenth of a second, a fifth of the TUI's first
screen) for one thing: to name the column type of numpy values when it creates a table or column.
So it is imported here with numpy hidden, unless numpy is loaded already, and its type map learns
numpy's integer and float types when it first meets one, which gives the same column types.
"""

from __future__ import annotations

import sys

if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None            # `import numpy` raises ImportError, for this import only
    try:
        import sqlite_utils
        import sqlite_utils.db as _db
    finally:
        del sys.modules["numpy"]
else:
    import sqlite_utils
    import sqlite_utils.db as _db


class _TypeMap(dict):
    def __missing__(self, key):
        if getattr(key, "__module__", "") == "numpy":
            import numpy as np

            if issubclass(key, np.integer):
                return "INTEGER"
            if issubclass(key, np.floating):
                return "REAL"
        raise KeyError(key)


if not isinstance(_db.COLUMN_TYPE_MAPPING, _TypeMap):
    _db.COLUMN_TYPE_MAPPING = _TypeMap(_db.COLUMN_TYPE_MAPPING)

__all__ = ["sqlite_utils"]
