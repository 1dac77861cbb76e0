"""Statistics over stored runs or CSV files: what the papers report, computed with scipy and numpy."""
