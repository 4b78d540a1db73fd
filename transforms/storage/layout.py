"""The dataset directory: Delta Lake tables, their commits, feed state, runs, lease, housekeeping, views.

This module alone knows the names under DIR (a local path or an s3://, gs:// URL):

    articles/ quotes/ figures/ errors/   Delta tables, hive-partitioned on date=YYYY-MM-DD
    _state/feeds/                        Delta table: feed validators (the newest row per feed wins)
    _runs/                               Delta table: one row per commit (run or stream window), its manifest
    _commits/<commit_id>.json            a commit under way: what it adds to each table (see recover)
    _lease/                              Delta table: which run may write (see Lease)

Workers write Parquet files (part-<commit_id>-<digest of the row keys>.parquet) that no reader
sees: Delta readers see only files a commit added. One commit step per run (batch) or window
(stream) adds them, table by table, in one Delta transaction each, carrying the commit id as an
app transaction, so a retried commit is skipped. Files of a crashed or retried attempt are never
committed; `vacuum` (newsbeam compact) deletes them.
"""

import datetime as dt
import hashlib
import json
import logging
import os
import re
import secrets
import socket
import threading
import time

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from schemas import FEED_STATE, PARTITION_COLUMN, RUNS, TABLES
from transforms import progress

__all__ = ["WriteDataset", "CommitRun", "InvalidRunId", "DatasetBusy", "Lease", "check_run_id", "commit",
           "recover", "load_feed_state", "manifests", "manifest", "failed_inputs", "known_article_ids",
           "article_files", "connect", "is_dataset", "compact", "migrate"]

log = logging.getLogger(__name__)

# What a writer holds in memory before writing a file: bounded in bytes of text, so peak memory
# reaches its plateau within the first thousand articles and stays there (bench/fetch.py).
MAX_BUFFERED_BYTES = 2 * 1024 * 1024
ROWS_PER_FILE = 100_000
ROWS_PER_GROUP = 10_000
# Tables in commit order: a run's quotes, figures and errors only ever appear after its articles.
COMMIT_ORDER = ("articles", "quotes", "figures", "errors")
STATE_TABLE, RUNS_TABLE, LEASE_TABLE, PENDING_DIR = "_state/feeds", "_runs", "_lease", "_commits"
DEFAULT_RETENTION_HOURS = 168     # vacuum keeps files removed in the last week (time travel, slow readers)
LEASE_SECONDS = 600               # a lease not renewed for this long is free (its holder died)
MAX_RUN_ID = 64


class InvalidRunId(ValueError):
    """--run_id is malformed or already used in this dataset."""


class DatasetBusy(RuntimeError):
    """Another run holds the dataset's lease."""


# ---------------------------------------------------------------------------------------------
# Names and storage


def new_run_id(marker: str = "") -> str:
    """UTC time, an optional marker and random hex: sortable and unique."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + marker + secrets.token_hex(2)


def check_run_id(output: str, run_id: str) -> None:
    """The one check of a run id, for every entry point: letters, digits and _, unused in DIR. A
    stream's window commits are <run_id>w<window start>, so an id ending in w<digits>, or one an
    existing commit id extends that way, could name another's commit (which would be skipped)."""
    if not re.fullmatch(r"[A-Za-z0-9_]{1,%d}" % MAX_RUN_ID, run_id or "") or re.search(r"w[0-9]+$", run_id):
        raise InvalidRunId(f"--run_id may hold only letters, digits and _ (at most {MAX_RUN_ID}), "
                           f"and may not end in w<digits>: {run_id!r}")
    used = _read(output, RUNS_TABLE, ["run_id", "stream_run_id"])
    ids = set(used.column("run_id").to_pylist()) | set(used.column("stream_run_id").to_pylist())
    if run_id in ids or any(re.fullmatch(re.escape(run_id) + r"w[0-9]+", i or "") for i in ids):
        raise InvalidRunId(f"--run_id {run_id} is already taken in {output}: choose another or leave it out")


def table_uri(output: str, name: str) -> str:
    return _join(_absolute(output), name)


def _absolute(output: str) -> str:
    return output.rstrip("/") if "://" in output else os.path.abspath(output)


def _join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def _filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    if "://" not in uri:
        return pafs.LocalFileSystem(), uri
    return pafs.FileSystem.from_uri(uri)


def storage_options(output: str) -> dict | None:
    """deltalake's options for DIR: on S3, commits need a safe atomic put-if-absent; S3 has it
    (conditional writes), and plain-HTTP endpoints (a local S3 server) are allowed when the
    endpoint says http."""
    if not output.startswith("s3://"):
        return None
    options = {"conditional_put": "etag"}
    if os.environ.get("AWS_ENDPOINT_URL", "").startswith("http://"):
        options["allow_http"] = "true"
    return options


def delta_schema(name: str) -> pa.Schema:
    if name in TABLES:
        return pa.schema(list(TABLES[name]) + [pa.field(PARTITION_COLUMN, pa.date32())])
    return {STATE_TABLE: FEED_STATE, RUNS_TABLE: RUNS, LEASE_TABLE: Lease.SCHEMA}[name]


def _table(output: str, name: str):
    """The Delta table DIR/<name>, or None when it doesn't exist yet."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError
    try:
        return DeltaTable(table_uri(output, name), storage_options=storage_options(output))
    except TableNotFoundError:
        return None


def _open_or_create(output: str, name: str):
    from deltalake import DeltaTable
    table = _table(output, name)
    if table is None:
        partition = [PARTITION_COLUMN] if name in TABLES else None
        try:
            table = DeltaTable.create(table_uri(output, name), delta_schema(name), mode="ignore",
                                      partition_by=partition, storage_options=storage_options(output))
        except Exception:  # another writer created it a moment ago
            table = _table(output, name)
            if table is None:
                raise
    _evolve(table, delta_schema(name))
    return table


def _evolve(table, schema: pa.Schema) -> None:
    """Add the nullable columns a newer schema version has and the table lacks (no rewrite)."""
    from deltalake import Field
    from deltalake.schema import Schema
    have = set(table.schema().to_arrow().names)
    missing = [f for f in schema if f.name not in have]
    if missing:
        table.alter.add_columns([Field.from_arrow(f) for f in Schema.from_arrow(pa.schema(missing)).fields])


# ---------------------------------------------------------------------------------------------
# Data files (workers)


def to_arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows (dicts with ISO timestamps) to an Arrow table of exactly `schema`."""
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_timestamp(field.type):
            values = [dt.datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=schema)


def file_name(commit_id: str, keys: list[str]) -> str:
    """A data file's name from its commit and the keys of its rows: a retried bundle rewrites the
    same file, and the name says which commit it was written for."""
    digest = hashlib.sha1("\n".join(sorted(keys)).encode("utf-8")).hexdigest()[:16]
    return f"part-{commit_id}-{digest}.parquet"


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
    """Write one uncommitted data file of `table` in partition `date`; returns what the commit
    adds for it. Rows are sorted by key, so a rewrite of the same rows gives the same bytes."""
    schema = TABLES[table]
    key = schema.names[0]
    rows = sorted(rows, key=lambda r: r[key])
    relative = f"{PARTITION_COLUMN}={date}/{file_name(commit_id, [r[key] for r in rows])}"
    fs, root = _filesystem(table_uri(output, table))
    path = _join(root, relative)
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

    def __init__(self, output: str, table: str, run_id: str, lose_once: str | None = None):
        self.output, self.table, self.run_id, self.lose_once = output, table, run_id, lose_once

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
        if written and self.lose_once and _first_claim(self.lose_once):
            raise RuntimeError(f"{LOSE_BUNDLE_ONCE}: this bundle is lost after writing its files")
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


# Fault injection for the runner tests, the one seam: when the launcher's environment names a
# marker file, the first bundle of articles to claim it fails after writing its files, so the
# runner retries the bundle (Flink) or the run fails (FnApiRunner) exactly where duplicates would
# come from. Read where the pipeline is built and carried in the DoFn, so it reaches any runner.
LOSE_BUNDLE_ONCE = "NEWSBEAM_TEST_LOSE_BUNDLE_ONCE"


def _first_claim(marker: str) -> bool:
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        return False


class WriteDataset(beam.PTransform):
    """Rows with a `date` key -> uncommitted Parquet files of DIR/<table>; emits one record per file."""

    def __init__(self, output: str, table: str, run_id: str):
        super().__init__()
        self.output, self.table, self.run_id = output, table, run_id

    def expand(self, rows):
        lose_once = os.environ.get(LOSE_BUNDLE_ONCE) if self.table == "articles" else None
        return rows | "WriteFiles" >> beam.ParDo(_WriteFilesFn(self.output, self.table, self.run_id, lose_once))


# ---------------------------------------------------------------------------------------------
# The commit


class _CommitFn(beam.DoFn):
    def __init__(self, output: str, run_id: str, header: dict):
        self.output, self.run_id, self.header = output, run_id, header

    def process(self, facts, window=beam.DoFn.WindowParam):
        commit_id = commit_id_of(self.run_id, window)
        header = self.header
        if commit_id != self.run_id:
            header = {**header, "run_id": commit_id, "stream_run_id": self.run_id,
                      "window": [window.start.to_utc_datetime().isoformat() + "Z",
                                 window.end.to_utc_datetime().isoformat() + "Z"]}
        built = build_manifest(header, facts)
        states = [feed_state(f, commit_id, built["finished_at"]) for f in facts if f["fact"] == "feed"]
        files = [f for f in facts if f["fact"] == "file"]
        commit(self.output, {"commit_id": commit_id, "files": files, "feed_states": states, "manifest": built})
        yield built


class CommitRun(beam.PTransform):
    """Facts (feed reports, outcomes, written files) -> one commit per window (the one global
    window in batch): every table's files, the feed state, then the run's row in DIR/_runs."""

    def __init__(self, output: str, run_id: str, header: dict):
        super().__init__()
        self.output, self.run_id, self.header = output, run_id, header

    def expand(self, facts):
        return (
            facts
            | "Gather" >> beam.CombineGlobally(beam.combiners.ToListCombineFn()).without_defaults()
            | "Commit" >> beam.ParDo(_CommitFn(self.output, self.run_id, self.header))
        )


def commit(output: str, plan: dict) -> None:
    """Make a run's (or window's) files visible, table by table, each in one Delta transaction.

    The plan is saved first (DIR/_commits/<id>.json), so a crash between two tables' commits is
    finished by the next run (recover); every transaction carries the commit id as an app
    transaction, so a table already committed is skipped. The row in DIR/_runs comes last."""
    pending = _join(table_uri(output, PENDING_DIR), f"{plan['commit_id']}.json")
    _write_bytes(pending, json.dumps(plan, default=str).encode("utf-8"))
    _apply(output, plan)
    fs, path = _filesystem(pending)
    fs.delete_file(path)


def _apply(output: str, plan: dict) -> None:
    commit_id = plan["commit_id"]
    for name in COMMIT_ORDER:
        adds = [f for f in plan["files"] if f["table"] == name]
        if adds:
            _commit_files(output, name, commit_id, adds)
    if plan["feed_states"]:
        _commit_rows(output, STATE_TABLE, commit_id, to_arrow(plan["feed_states"], FEED_STATE))
    _commit_rows(output, RUNS_TABLE, commit_id, to_arrow([run_row(plan["manifest"])], RUNS))


def _transaction(commit_id: str):
    from deltalake import CommitProperties, Transaction
    return CommitProperties(app_transactions=[Transaction(f"newsbeam:{commit_id}", 0)],
                            custom_metadata={"newsbeam.commit": commit_id})


def _committed(table, commit_id: str) -> bool:
    return table.transaction_version(f"newsbeam:{commit_id}") is not None


def _commit_files(output: str, name: str, commit_id: str, files: list[dict]) -> None:
    from deltalake.transaction import AddAction
    table = _open_or_create(output, name)
    if _committed(table, commit_id):
        return
    now = int(time.time() * 1000)
    actions = [AddAction(f["path"], f["size"], {PARTITION_COLUMN: f["date"]}, now, True, f["stats"]) for f in files]
    table.create_write_transaction(actions, mode="append", schema=table.schema(), partition_by=[PARTITION_COLUMN],
                                   commit_properties=_transaction(commit_id))


def _commit_rows(output: str, name: str, commit_id: str, data: pa.Table) -> None:
    from deltalake import write_deltalake
    table = _open_or_create(output, name)
    if not _committed(table, commit_id):
        write_deltalake(table, data, mode="append", commit_properties=_transaction(commit_id))


def _write_bytes(uri: str, data: bytes) -> None:
    """Write a small file whole: a temp name then a rename locally, one PUT on object stores."""
    fs, path = _filesystem(uri)
    fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    temp = path if "://" in uri else f"{path}.{secrets.token_hex(4)}.tmp"
    with fs.open_output_stream(temp) as stream:
        stream.write(data)
    if temp != path:
        fs.move(temp, path)


def recover(output: str) -> list[str]:
    """Finish the commits a crashed run left half done (DIR/_commits/*.json); returns their ids."""
    fs, root = _filesystem(table_uri(output, PENDING_DIR))
    finished = []
    for info in fs.get_file_info(pafs.FileSelector(root, allow_not_found=True)):
        if not info.path.endswith(".json"):
            continue
        with fs.open_input_stream(info.path) as stream:
            plan = json.loads(stream.read())
        log.warning("finishing the interrupted commit %s", plan["commit_id"])
        _apply(output, plan)
        fs.delete_file(info.path)
        finished.append(plan["commit_id"])
    return finished


def build_manifest(header: dict, facts: list[dict]) -> dict:
    """Fold the run's facts (feed reports, entry outcomes, written files) into its manifest."""
    feeds, totals = {}, {"entries": 0, "articles": 0, "duplicates": 0, "errors": 0}
    report_keys = ("fetch_url", "http_status", "status", "error_kind", "outside_dates")
    rows, files = {table: 0 for table in TABLES}, {table: 0 for table in TABLES}
    for fact in facts:
        if fact["fact"] == "feed":
            feed = feeds.setdefault(fact["feed_url"], _feed_record(fact["feed_url"]))
            feed.update({k: fact.get(k) for k in report_keys}, entries=feed["entries"] + fact["entries"])
        elif fact["fact"] == "outcome":
            feed = feeds.setdefault(fact["feed_url"], _feed_record(fact["feed_url"]))
            feed[fact["outcome"]] += fact["count"]
            if fact["outcome"] == "retried":  # entries of earlier runs, tried again: entries of this run too
                feed["entries"] += fact["count"]
            else:
                totals[fact["outcome"]] += fact["count"]
        elif fact["fact"] == "file":
            rows[fact["table"]] += fact["rows"]
            files[fact["table"]] += 1
    totals["entries"] = sum(f["entries"] for f in feeds.values())
    totals["feed_errors"] = sum(1 for f in feeds.values() if f["error_kind"])
    totals["feeds_not_modified"] = sum(1 for f in feeds.values() if f["status"] == "not_modified")
    finished = dt.datetime.now(dt.timezone.utc)
    started = dt.datetime.fromisoformat(header["started_at"])
    return {
        **header,
        "finished_at": finished.isoformat(),
        "seconds": round((finished - started).total_seconds(), 3),
        "totals": totals,
        "rows": rows,
        "files": files,
        "feeds": sorted(feeds.values(), key=lambda f: f["feed_url"]),
    }


def run_row(manifest: dict) -> dict:
    t = manifest["totals"]
    return {"run_id": manifest["run_id"], "kind": "window" if manifest.get("stream_run_id") else "run",
            "stream_run_id": manifest.get("stream_run_id"), "started_at": manifest["started_at"],
            "finished_at": manifest["finished_at"], "seconds": manifest["seconds"], "entries": t["entries"],
            "articles": t["articles"], "duplicates": t["duplicates"], "errors": t["errors"],
            "feed_errors": t["feed_errors"], "manifest": json.dumps(manifest, sort_keys=True, default=str)}


def _feed_record(feed_url: str) -> dict:
    return {"feed_url": feed_url, "fetch_url": None, "http_status": None, "status": None, "error_kind": None,
            "entries": 0, "outside_dates": 0, "retried": 0, "articles": 0, "duplicates": 0, "errors": 0}


def feed_state(report: dict, run_id: str, checked_at: str) -> dict:
    """The feed-state row a poll leaves behind; a failed poll keeps the validators it was sent."""
    return {"feed_url": report["feed_url"], "fetch_url": report.get("fetch_url") or report["feed_url"],
            "etag": report.get("etag"), "last_modified": report.get("last_modified"),
            "checked_at": checked_at, "run_id": run_id}


# ---------------------------------------------------------------------------------------------
# Reading what earlier runs committed


def load_feed_state(output: str) -> dict[str, dict]:
    """feed_url -> its newest committed state row."""
    latest = {}
    for row in _read(output, STATE_TABLE, FEED_STATE.names).to_pylist():
        previous = latest.get(row["feed_url"])
        if previous is None or row["checked_at"] > previous["checked_at"]:
            latest[row["feed_url"]] = row
    return latest


def manifests(output: str) -> list[dict]:
    """Every committed run's (and window's) manifest, oldest first."""
    rows = _read(output, RUNS_TABLE, ["started_at", "run_id", "manifest"]).to_pylist()
    return [json.loads(r["manifest"]) for r in sorted(rows, key=lambda r: (r["started_at"], r["run_id"]))]


def manifest(output: str, run_id: str) -> dict | None:
    return next((m for m in manifests(output) if m["run_id"] == run_id), None)


def article_files(output: str) -> list[str]:
    """The committed data files of the articles table (what the incremental check reads)."""
    table = _table(output, "articles")
    return [] if table is None else table.file_uris()


def _native(files: list[str]) -> tuple[pafs.FileSystem | None, list[str]]:
    """pyarrow's own filesystem for a table's file URIs. Reads go through it rather than through
    deltalake's Arrow integration, which can abort the interpreter at exit (seen with Beam loaded)."""
    if files and "://" in files[0] and not files[0].startswith("file://"):
        fs, _ = pafs.FileSystem.from_uri(files[0])
        return fs, [f.split("://", 1)[1] for f in files]
    return None, [f.removeprefix("file://") for f in files]


def _read(output: str, name: str, columns: list[str], where=None, table=None) -> pa.Table:
    """Columns of the committed rows of DIR/<name> (of `table`'s snapshot when given; without the
    partition column); files written before a column was added read it as null."""
    schema = pa.schema([f for f in delta_schema(name) if f.name != PARTITION_COLUMN])
    table = table or _table(output, name)
    files = table.file_uris() if table is not None else []
    if not files:
        return schema.empty_table().select(columns)
    fs, paths = _native(files)
    return pads.dataset(paths, schema=schema, format="parquet", filesystem=fs).to_table(columns=columns, filter=where)


def known_article_ids(files: list[str], candidates) -> list[str]:
    """Which of `candidates` (article ids) the given article files hold: a semi-join read of the
    article_id column, so memory holds the candidates, never every id in the dataset. Local files
    are read by DuckDB (twice as fast as pyarrow over 10,000 small files, bench/commit.py); files
    on an object store by pyarrow's filesystems (DuckDB would need its httpfs download)."""
    if not files or not candidates:
        return []
    fs, paths = _native(files)
    wanted = pa.table({"article_id": pa.array(sorted(set(candidates)), pa.string())})
    if fs is None:
        import duckdb
        with duckdb.connect() as con:
            con.register("wanted", wanted)
            return [r[0] for r in con.execute("SELECT DISTINCT article_id FROM read_parquet($files) "
                                              "SEMI JOIN wanted USING (article_id)", {"files": paths}).fetchall()]
    data = pads.dataset(paths, format="parquet", filesystem=fs).to_table(
        columns=["article_id"], filter=pc.field("article_id").isin(wanted.column("article_id")))
    return data.column("article_id").unique().to_pylist()


def failed_inputs(output: str) -> tuple[list[str], list[dict]]:
    """What earlier runs failed on and a retry can try again: the feeds whose latest poll failed,
    and the entries whose page failed (those ingested since are dropped as duplicates)."""
    latest = {}
    for run in manifests(output):
        for feed in run.get("feeds", []):
            latest[feed["feed_url"]] = feed
    feeds = [url for url, feed in latest.items() if feed.get("error_kind")]
    entries = {}
    for row in _read(output, "errors", ["stage", "input"], pc.field("stage").isin(["fetch_page", "extract"])).to_pylist():
        if row["input"]:
            entry = json.loads(row["input"])
            if entry.get("link"):
                entries[entry["link"]] = entry
    return feeds, list(entries.values())


def is_dataset(directory: str) -> bool:
    """True for a directory a run has written to: it holds the runs table or a table folder."""
    if "://" in directory:
        return any(_table(directory, name) is not None for name in (RUNS_TABLE, *TABLES))
    return any(os.path.isdir(os.path.join(directory, name)) for name in (RUNS_TABLE, *TABLES))


# ---------------------------------------------------------------------------------------------
# The lease: one writer at a time per DIR, on local disks and object stores alike


class Lease:
    """Exclusive right to write DIR, held in the Delta table DIR/_lease (one row: holder, expiry).

    Taking it is an overwrite of that one row: two writers that both read it free conflict in the
    Delta log (both remove the same file), and the loser refuses cleanly with DatasetBusy. The
    holder renews it every LEASE_SECONDS / 4 from a thread; a holder that died stops renewing, so
    its lease expires after LEASE_SECONDS."""

    SCHEMA = pa.schema([("holder", pa.string()), ("purpose", pa.string()), ("expires_at", pa.float64())])

    def __init__(self, output: str, purpose: str, seconds: float = LEASE_SECONDS):
        self.output, self.purpose, self.seconds = output, purpose, seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._stop = threading.Event()

    def _write(self, mode: str, expires_at: float, holder: str | None) -> None:
        from deltalake import write_deltalake
        data = pa.table({"holder": [holder], "purpose": [self.purpose], "expires_at": [expires_at]},
                        schema=self.SCHEMA)
        target = self._table if mode == "overwrite" else table_uri(self.output, LEASE_TABLE)
        write_deltalake(target, data, mode=mode, storage_options=storage_options(self.output))

    def _current(self) -> dict | None:
        rows = _read(self.output, LEASE_TABLE, self.SCHEMA.names, table=self._table).to_pylist()
        return rows[0] if rows else None

    def acquire(self) -> None:
        self._table = _table(self.output, LEASE_TABLE)
        try:
            if self._table is None:
                # Writers creating the table at once may each commit a row (the losers' commits are
                # retried as appends): the holder is the one whose commit created it, version 0.
                self._write("error", time.time() + self.seconds, self.holder)
                from deltalake import DeltaTable
                first = DeltaTable(table_uri(self.output, LEASE_TABLE), version=0,
                                   storage_options=storage_options(self.output))
                if _read(self.output, LEASE_TABLE, ["holder"], table=first).column("holder")[0].as_py() != self.holder:
                    raise DatasetBusy(f"{self.output} was just taken by another newsbeam run; "
                                      "try again when it has finished")
                for attempt in range(5):   # back to one row; a loser's late append may conflict once
                    self._table = _table(self.output, LEASE_TABLE)
                    try:
                        self._write("overwrite", time.time() + self.seconds, self.holder)
                        return
                    except Exception:
                        if attempt == 4:
                            raise
                        time.sleep(0.05)
            current = self._current()
            if current and current["holder"] and current["expires_at"] > time.time() \
                    and not _dead_here(current["holder"]):
                raise DatasetBusy(f"{self.output} is being written by another newsbeam {current['purpose']} "
                                  f"({current['holder']}); try again when it has finished")
            self._write("overwrite", time.time() + self.seconds, self.holder)
        except DatasetBusy:
            raise
        except Exception as exc:  # the other writer's commit won the race
            raise DatasetBusy(f"{self.output} was just taken by another newsbeam run ({type(exc).__name__}); "
                              "try again when it has finished") from None

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            try:
                self._table.update_incremental()
                self._write("overwrite", time.time() + self.seconds, self.holder)
            except Exception:
                log.warning("could not renew the lease on %s", self.output, exc_info=True)

    def release(self) -> None:
        self._table.update_incremental()
        current = self._current()
        if current and current["holder"] == self.holder:
            self._write("overwrite", 0.0, None)

    def __enter__(self):
        self.acquire()
        self._thread = threading.Thread(target=self._renew_loop, name="newsbeam-lease", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.release()
        return False


def _dead_here(holder: str) -> bool:
    """A holder on this host whose process is gone (SIGKILLed): its lease is free at once."""
    host, pid, _ = holder.rsplit(":", 2)
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


# ---------------------------------------------------------------------------------------------
# DuckDB views


def delta_extension() -> str:
    """The DuckDB `delta` extension shipped by the duckdb-extension-delta package (loaded by
    path: INSTALL would download it)."""
    import duckdb
    import duckdb_extension_delta
    root = os.path.join(os.path.dirname(duckdb_extension_delta.__file__), "extensions")
    path = os.path.join(root, f"v{duckdb.__version__}", "delta.duckdb_extension")
    if not os.path.exists(path):
        raise RuntimeError(f"no delta extension for DuckDB {duckdb.__version__} in {root}")
    return path


VIEWS = (*TABLES, "runs")


def connect(output: str):
    """An in-memory DuckDB with views articles, quotes, figures, errors and runs over DIR's Delta
    tables: only committed rows, each once; and `speakers`, derived from quotes and articles."""
    import duckdb
    con = duckdb.connect()
    con.execute(f"LOAD '{_sql_str(delta_extension())}'")
    for view in VIEWS:
        name = RUNS_TABLE if view == "runs" else view
        table = _table(output, name)
        if table is not None and "://" in output:
            # On an object store, delta-rs lists the committed files with the credentials the run
            # used (AWS_*, GOOGLE_*), which DuckDB's delta_scan would need as DuckDB secrets.
            con.register(f"_{view}_files", table.to_pyarrow_dataset())
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM _{view}_files")
        elif table is not None:
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM delta_scan('{_sql_str(table_uri(output, name))}')")
        else:  # an empty table with the right columns, so queries still bind
            con.register(f"_{view}_empty", delta_schema(name).empty_table())
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM _{view}_empty")
    columns = {row[0] for row in con.execute("DESCRIBE quotes").fetchall()}
    # A dataset written before quotes.speaker_id has no such column until its next write.
    con.execute("CREATE VIEW _speaker_quotes AS SELECT * FROM quotes" if "speaker_id" in columns
                else "CREATE VIEW _speaker_quotes AS SELECT *, NULL::VARCHAR AS speaker_id FROM quotes")
    con.execute(SPEAKERS_VIEW)
    return con


# Who is quoted, across articles: one row per quotes.speaker_id (derived, nothing stored). The name shown is
# the most frequent form; titles are those the articles gave ("Secretary of State"); seen = publication time,
# else fetch time. Quotes from before speaker_id existed read it as NULL and are left out.
SPEAKERS_VIEW = """
CREATE VIEW speakers AS
SELECT q.speaker_id,
       mode(q.speaker) AS name,
       list(DISTINCT q.speaker ORDER BY q.speaker) AS variants,
       coalesce(list(DISTINCT q.speaker_title ORDER BY q.speaker_title) FILTER (WHERE q.speaker_title IS NOT NULL),
                []) AS titles,
       count(*) AS quotes,
       count(DISTINCT q.article_id) AS articles,
       min(coalesce(a.published_at, a.fetched_at)) AS first_seen,
       max(coalesce(a.published_at, a.fetched_at)) AS last_seen
FROM _speaker_quotes q LEFT JOIN articles a USING (article_id)
WHERE q.speaker_id IS NOT NULL
GROUP BY q.speaker_id
"""


def _sql_str(value: str) -> str:
    return value.replace("'", "''")


# ---------------------------------------------------------------------------------------------
# Housekeeping


def compact(output: str, retention_hours: float = DEFAULT_RETENTION_HOURS, target_size: int | None = None) -> dict:
    """optimize.compact() + checkpoint + vacuum on every table of DIR.

    Compaction is a Delta commit that removes the small files and adds the large ones at once, so
    readers see every row exactly once throughout. vacuum then deletes the data files no longer in
    the table for `retention_hours` (removed by an older compaction, or never committed: a crashed
    or retried attempt's files); readers and time travel older than that lose those files."""
    started = time.monotonic()
    stats = {"output": output, "tables": {}, "retention_hours": retention_hours}
    for name in (*TABLES, STATE_TABLE, RUNS_TABLE):
        table = _table(output, name)
        if table is None:
            continue
        metrics = table.optimize.compact(target_size=target_size)
        table.create_checkpoint()
        deleted = table.vacuum(retention_hours=int(retention_hours), dry_run=False,
                               enforce_retention_duration=False, full=True)
        table.cleanup_metadata()
        stats["tables"][name] = {"files_removed": metrics["numFilesRemoved"], "files_added": metrics["numFilesAdded"],
                                 "files_deleted": len(deleted)}
    stats["seconds"] = round(time.monotonic() - started, 3)
    return stats


def migrate(output: str) -> dict:
    """Convert a dataset of the layout before Delta (part files, DIR/_runs/*.json manifests,
    DIR/_state/feeds/part-*.parquet) in place: files of runs without a manifest (crashed) and
    temp files are deleted, each table directory becomes a Delta table over the same files, and
    the manifests become rows of DIR/_runs. Local directories only."""
    import shutil

    from deltalake import Schema as DeltaSchema
    from deltalake import convert_to_deltalake
    if "://" in output:
        raise ValueError("migrate converts local directories only")
    runs_dir = os.path.join(output, RUNS_TABLE)
    if os.path.isdir(os.path.join(runs_dir, "_delta_log")):
        return {"output": output, "converted": [], "runs": 0, "deleted": 0}
    old_manifests = []
    for name in sorted(os.listdir(runs_dir)) if os.path.isdir(runs_dir) else []:
        if name.endswith(".json"):
            with open(os.path.join(runs_dir, name), encoding="utf-8") as f:
                old_manifests.append(json.load(f))
    done = {m["run_id"] for m in old_manifests}
    deleted, converted = 0, []
    for name in (*TABLES, STATE_TABLE):
        directory = os.path.join(output, name)
        if not os.path.isdir(directory) or os.path.isdir(os.path.join(directory, "_delta_log")):
            continue
        for parent, _, names in os.walk(directory):
            for file in names:
                run = file[len("part-"):-len(".parquet")].split("-")[0] if file.startswith("part-") else None
                if file.endswith(".inprogress") or not file.endswith(".parquet") or run not in done:
                    os.remove(os.path.join(parent, file))
                    deleted += 1
        partition = DeltaSchema.from_arrow(pa.schema([pa.field(PARTITION_COLUMN, pa.date32())])) \
            if name in TABLES else None
        if any(files for _, _, files in os.walk(directory)):
            convert_to_deltalake(os.path.abspath(directory), partition_by=partition,
                                 partition_strategy="hive" if partition else None)
            converted.append(name)
    for leftover in ("_compact", "_lock"):
        path = os.path.join(output, leftover)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    # Compaction manifests are no runs; a run's list of file paths becomes its count per table.
    rows = [run_row({**old, "files": {t: sum(f"/{t}/" in f for f in old.get("files", [])) for t in TABLES}})
            for old in old_manifests if old.get("kind") != "compact"]
    if rows:  # the runs table first, then the old manifests: a crash in between loses nothing
        _commit_rows(output, RUNS_TABLE, "migrate", to_arrow(rows, RUNS))
    for name in os.listdir(runs_dir) if os.path.isdir(runs_dir) else []:
        if name.endswith(".json") or name.endswith(".inprogress"):
            os.remove(os.path.join(runs_dir, name))
    return {"output": output, "converted": converted, "runs": len(rows), "deleted": deleted}
