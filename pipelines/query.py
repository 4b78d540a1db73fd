"""DuckDB over the datasets in place: one view per table, hive partitioning on."""

import csv
import glob
import json
import math
import os
import sys

import duckdb
import pyarrow as pa

from schemas import PARTITION_COLUMN, TABLES

MAX_CELL = 80


def connect(data_dir: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with views `articles`, `quotes`, `figures`, `errors` over DIR."""
    con = duckdb.connect()
    for table, schema in TABLES.items():
        pattern = os.path.join(data_dir, table, f"{PARTITION_COLUMN}=*", "*.parquet")
        if glob.glob(pattern):
            # union_by_name keeps datasets written by older schema versions readable.
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_sql_str(pattern)}', "
                        "hive_partitioning = true, union_by_name = true)")
        else:  # an empty table with the right columns, so queries still bind
            empty = pa.schema(list(schema) + [pa.field(PARTITION_COLUMN, pa.date32())]).empty_table()
            con.register(f"_{table}_empty", empty)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")
    return con


def _sql_str(value: str) -> str:
    return value.replace("'", "''")


def is_dataset(directory: str) -> bool:
    """True for a directory that a run has written to: it holds _runs/ or a table folder."""
    return any(os.path.isdir(os.path.join(directory, name)) for name in ("_runs", *TABLES))


def run_query(data_dir: str, sql: str, attempts: int = 2) -> tuple[list[str], list[tuple]]:
    con = connect(data_dir)
    try:
        for attempt in range(attempts):
            try:
                cursor = con.execute(sql)
                if cursor is None:
                    raise duckdb.InvalidInputException("no SQL statement to run (only blanks or comments)")
                columns = [d[0] for d in cursor.description] if cursor.description else []
                return columns, cursor.fetchall()
            except duckdb.IOException as exc:
                # A compaction swapped a partition between DuckDB listing and opening its files.
                if "Cannot open file" not in str(exc) or attempt == attempts - 1:
                    raise
    finally:
        con.close()


def print_result(columns: list[str], rows: list[tuple], fmt: str = "table", out=None) -> None:
    out = out or sys.stdout   # looked up now: the stream may have been replaced since import
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        for row in rows:
            record = {c: None if isinstance(v, float) and not math.isfinite(v) else v for c, v in zip(columns, row)}
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")   # JSON has no NaN
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
