"""`newsbeam query`: SQL over DIR's views (transforms.storage.views.connect) and the ways to print the result."""

import csv
import json
import math
import sys

from transforms.storage.views import connect
from transforms.storage.layout import is_dataset

__all__ = ["connect", "is_dataset", "run_query", "print_result", "format_table"]

MAX_CELL = 80


def run_query(data_dir: str, sql: str) -> tuple[list[str], list[tuple]]:
    import duckdb
    con = connect(data_dir)
    try:
        cursor = con.execute(sql)
        if cursor is None:
            raise duckdb.InvalidInputException("no SQL statement to run (only blanks or comments)")
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
    finally:
        con.close()


def print_result(columns: list[str], rows: list[tuple], fmt: str = "table", out=None) -> None:
    out = out or sys.stdout   # looked up now: the stream may have been replaced since import
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt in ("json", "jsonl"):
        # JSON has no NaN or infinity: they are written as null.
        records = [{c: None if isinstance(v, float) and not math.isfinite(v) else v for c, v in zip(columns, row)}
                   for row in rows]
        if fmt == "json":
            out.write(json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n")
        else:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    else:
        out.write(format_table(columns, rows) + "\n")


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """A plain aligned text table; long cells are cut so a row stays on one line."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(value) -> str:
    text = "NULL" if value is None else " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"
