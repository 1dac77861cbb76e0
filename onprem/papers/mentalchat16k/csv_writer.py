"""`csv`: pairs as instruction,input,output,source,seq rows (quoted fields keep their newlines).
`source` is `source-<first 12 hex of the file's sha256>`, never the file name."""

from __future__ import annotations

import csv

from onprem.release.writers import Writer
from onprem.papers.mentalchat16k.writer import instruction


class CSVWriter(Writer):
    name, unit, suffix = "csv", "pairs", ".csv"
    help = "pairs as CSV: instruction, input, output, source, seq"

    def write(self, rows, out) -> int:
        w = csv.writer(out)
        w.writerow(["instruction", "input", "output", "source", "seq"])
        n = 0
        for r in rows:
            w.writerow([instruction(r), r["question"], r["answer"], r["source"], r["seq"]])
            n += 1
        return n
