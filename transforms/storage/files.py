"""Data files, written by workers: uncommitted Parquet files of a table, one record per file for the commit.

A file is named part-<commit_id>-<random>.parquet: every write gets a name of its own, so two bundles
(or two attempts of one bundle) never write the same path, and the add action a commit makes from a
file's record describes exactly the bytes on disk. No reader sees a file until a commit adds it
(storage.commit); files of failed attempts are never committed and `vacuum` deletes them.
"""

import datetime as dt
import json
import secrets

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from schemas import PARTITION_COLUMN, TABLES
from transforms import progress
from transforms.storage import faults
from transforms.storage.layout import filesystem, join, table_uri, to_arrow

# What a writer holds in memory before writing a file: bounded in bytes of text, so peak memory
# reaches its plateau within the first thousand articles and stays there (bench/fetch.py).
MAX_BUFFERED_BYTES = 2 * 1024 * 1024
ROWS_PER_FILE = 100_000
ROWS_PER_GROUP = 10_000


def file_name(commit_id: str) -> str:
    """A new data file's name: the commit it was written for, and 64 random bits of its own."""
    return f"part-{commit_id}-{secrets.token_hex(8)}.parquet"


def file_stats(data: pa.Table) -> str:
    """Delta `stats` for an add action: row count, nulls, and min/max of the numeric and time
    columns (what lets readers skip files)."""
    nulls, low, high = {}, {}, {}
    for name, column in zip(data.column_names, data.columns):
        nulls[name] = column.null_count
        kind = column.type
        if (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_timestamp(kind)) \
                and column.null_count < len(column):
            bounds = pc.min_max(column)
            lo, hi = bounds["min"].as_py(), bounds["max"].as_py()
            if pa.types.is_timestamp(kind):
                # Delta stats are milliseconds; round outward so the bounds still hold
                lo -= dt.timedelta(microseconds=lo.microsecond % 1000)
                hi += dt.timedelta(microseconds=-hi.microsecond % 1000)
                lo, hi = (v.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z" for v in (lo, hi))
            elif pa.types.is_floating(kind) and (lo != lo or hi != hi):
                continue
            low[name], high[name] = lo, hi
    return json.dumps({"numRecords": data.num_rows, "minValues": low, "maxValues": high, "nullCount": nulls})


def write_data_file(output: str, table: str, date: str, commit_id: str, rows: list[dict]) -> dict:
    """Write one uncommitted data file of `table` in partition `date`, its rows stamped with the
    commit that will make them visible; returns what the commit adds for it (path, size, stats)."""
    schema = TABLES[table]
    key = schema.names[0]
    rows = sorted(({**r, "commit_id": commit_id} for r in rows), key=lambda r: r[key])
    relative = f"{PARTITION_COLUMN}={date}/{file_name(commit_id)}"
    fs, root = filesystem(table_uri(output, table))
    path = join(root, relative)
    fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    data = to_arrow(rows, schema)
    with fs.open_output_stream(path) as stream:
        pq.write_table(data, stream, compression="zstd", row_group_size=ROWS_PER_GROUP)
    return {"table": table, "path": relative, "size": fs.get_file_info(path).size, "date": date,
            "rows": data.num_rows, "stats": file_stats(data)}


def _text_bytes(row: dict) -> int:
    """Roughly what a row weighs: its strings (article text dominates), plus a little per field."""
    return sum(len(v) if isinstance(v, str) else 8 for v in row.values()) + 64


class _WriteFilesFn(beam.DoFn):
    """Buffers rows per (window, partition) and writes them as uncommitted Parquet files: when a
    buffer is full, when the DoFn holds too much text in all, and at the end of each bundle.
    Emits one record per file for the commit step."""

    def __init__(self, output: str, table: str, run_id: str, after_written=None):
        self.output, self.table, self.run_id, self.after_written = output, table, run_id, after_written

    def start_bundle(self):
        self.buffers: dict[tuple, list[dict]] = {}
        self.sizes: dict[tuple, int] = {}
        self.buffered = 0   # the sizes' sum, kept as it goes: a backfill spreads rows over hundreds of dates

    def process(self, row, window=beam.DoFn.WindowParam):
        key = (window, row[PARTITION_COLUMN])
        self.buffers.setdefault(key, []).append(row)
        size = _text_bytes(row)
        self.sizes[key] = self.sizes.get(key, 0) + size
        self.buffered += size
        if len(self.buffers[key]) >= ROWS_PER_FILE:
            yield self._write(key)
        elif self.buffered >= MAX_BUFFERED_BYTES:
            yield self._write(max(self.sizes, key=self.sizes.get))

    def finish_bundle(self):
        # The last step of its stage: the counts of the bundle's pages are all in, and the runner may stop
        # this worker process as soon as the bundle ends, before its progress flusher wakes.
        progress.flush()
        written = [self._write(key) for key in list(self.buffers)]
        if written and self.after_written:
            self.after_written()   # storage.faults: the runner tests' one seam
        yield from written

    def _write(self, key: tuple) -> WindowedValue:
        window, date = key
        rows = self.buffers.pop(key)
        self.buffered -= self.sizes.pop(key)
        written = write_data_file(self.output, self.table, date, commit_id_of(self.run_id, window), rows)
        beam.metrics.Metrics.counter("newsbeam", f"{self.table}_written").inc(written["rows"])
        return WindowedValue(written, window.max_timestamp(), [window])


def commit_id_of(run_id: str, window) -> str:
    """A batch run commits once, as its run id; a continuous run commits once per window."""
    if isinstance(window, GlobalWindow):
        return run_id
    return f"{run_id}w{int(window.start)}"


class WriteDataset(beam.PTransform):
    """Rows with a `date` key -> uncommitted Parquet files of DIR/<table>; emits one record per file."""

    def __init__(self, output: str, table: str, run_id: str):
        super().__init__()
        self.output, self.table, self.run_id = output, table, run_id

    def expand(self, rows):
        hook = faults.after_bundle_written(self.table)
        return rows | "WriteFiles" >> beam.ParDo(_WriteFilesFn(self.output, self.table, self.run_id, hook))
