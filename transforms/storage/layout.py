"""The dataset directory: where each table lives, how it is opened, created and read.

This module alone knows the names under DIR (a local path or an s3://, gs:// URL):

    articles/ quotes/ figures/ errors/   Delta tables, hive-partitioned on date=YYYY-MM-DD
    _state/feeds/                        Delta table: feed validators (the newest row per feed wins)
    _runs/                               Delta table: one row per commit (run or stream window), its manifest
    _commits/<commit_id>.json            a commit under way: what it adds to each table (storage.commit)
    _lease/                              Delta table: which run may write (storage.lease)
    _commits/dropped/<commit_id>.json    a commit whose files were gone when recovery found it (never committed)
    _deferred/<run_id>/<chunk>.jsonl     entries a batch run left to its next commits (storage.deferred)
    _events/<consumer>.json              where a `newsbeam tail --consumer` reader is (transforms/events)

Workers write Parquet files (storage.files) that no reader sees: Delta readers see only files a
commit added (storage.commit). Runs and feed state are storage.runs; views storage.views;
compact, vacuum and migrate storage.housekeeping.
"""

import datetime as dt
import os
import re
import secrets

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.fs as pafs

from schemas import FEED_STATE, LEASE, PARTITION_COLUMN, RUNS, TABLES

# Tables in commit order: a run's quotes, figures and errors only ever appear after its articles.
COMMIT_ORDER = ("articles", "quotes", "figures", "errors")
STATE_TABLE, RUNS_TABLE, LEASE_TABLE, PENDING_DIR = "_state/feeds", "_runs", "_lease", "_commits"
MAX_RUN_ID = 64


class InvalidRunId(ValueError):
    """--run_id is malformed or already used in this dataset."""


def new_run_id(marker: str = "") -> str:
    """UTC time, an optional marker and random hex: sortable and unique."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + marker + secrets.token_hex(2)


def check_run_id(output: str, run_id: str) -> None:
    """The one check of a run id, for every entry point: letters, digits and _, unused in DIR. A
    stream's window commits are <run_id>w<window start> and a batch run's later commits
    <run_id>p<number>, so an id ending in w or p and digits, or one an existing commit id extends
    that way, could name another's commit (which would be skipped)."""
    if not re.fullmatch(r"[A-Za-z0-9_]{1,%d}" % MAX_RUN_ID, run_id or "") or re.search(r"[wp][0-9]+$", run_id):
        raise InvalidRunId(f"--run_id may hold only letters, digits and _ (at most {MAX_RUN_ID}), "
                           f"and may not end in w or p and digits: {run_id!r}")
    used = read_columns(output, RUNS_TABLE, ["run_id", "stream_run_id"])
    ids = set(used.column("run_id").to_pylist()) | set(used.column("stream_run_id").to_pylist())
    if run_id in ids or any(re.fullmatch(re.escape(run_id) + r"[wp][0-9]+", i or "") for i in ids):
        raise InvalidRunId(f"--run_id {run_id} is already taken in {output}: choose another or leave it out")


def table_uri(output: str, name: str) -> str:
    return join(absolute(output), name)


def absolute(output: str) -> str:
    return output.rstrip("/") if "://" in output else os.path.abspath(output)


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
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
    return {STATE_TABLE: FEED_STATE, RUNS_TABLE: RUNS, LEASE_TABLE: LEASE}[name]


def open_table(output: str, name: str):
    """The Delta table DIR/<name>, or None when it doesn't exist yet."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError
    try:
        return DeltaTable(table_uri(output, name), storage_options=storage_options(output))
    except TableNotFoundError:
        return None


def open_or_create(output: str, name: str):
    from deltalake import DeltaTable
    table = open_table(output, name)
    if table is None:
        partition = [PARTITION_COLUMN] if name in TABLES else None
        try:
            table = DeltaTable.create(table_uri(output, name), delta_schema(name), mode="ignore",
                                      partition_by=partition, storage_options=storage_options(output))
        except Exception:  # another writer created it a moment ago
            table = open_table(output, name)
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


def to_arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows (dicts with ISO timestamps) to an Arrow table of exactly `schema`."""
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_timestamp(field.type):
            values = [dt.datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=schema)


def article_files(output: str) -> list[str]:
    """The committed data files of the articles table (what the incremental check reads)."""
    table = open_table(output, "articles")
    return [] if table is None else table.file_uris()


def native_paths(files: list[str]) -> tuple[pafs.FileSystem | None, list[str]]:
    """pyarrow's own filesystem for a table's file URIs. Reads go through it rather than through
    deltalake's Arrow integration, which can abort the interpreter at exit (seen with Beam loaded)."""
    if files and "://" in files[0] and not files[0].startswith("file://"):
        fs, _ = pafs.FileSystem.from_uri(files[0])
        return fs, [f.split("://", 1)[1] for f in files]
    return None, [f.removeprefix("file://") for f in files]


def read_columns(output: str, name: str, columns: list[str], where=None, table=None) -> pa.Table:
    """Columns of the committed rows of DIR/<name> (of `table`'s snapshot when given; without the
    partition column); files written before a column was added read it as null."""
    schema = pa.schema([f for f in delta_schema(name) if f.name != PARTITION_COLUMN])
    table = table or open_table(output, name)
    files = table.file_uris() if table is not None else []
    if not files:
        return schema.empty_table().select(columns)
    fs, paths = native_paths(files)
    return pads.dataset(paths, schema=schema, format="parquet", filesystem=fs).to_table(columns=columns, filter=where)


def known_article_ids(files: list[str], candidates) -> list[str]:
    """Which of `candidates` (article ids) the given article files hold: a semi-join read of the
    article_id column, so memory holds the candidates, never every id in the dataset. Local files
    are read by DuckDB (twice as fast as pyarrow over 10,000 small files, bench/commit.py); files
    on an object store by pyarrow's filesystems (DuckDB would need its httpfs download)."""
    if not files or not candidates:
        return []
    fs, paths = native_paths(files)
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


def is_dataset(directory: str) -> bool:
    """True for a directory a run has written to: it holds the runs table or a table folder."""
    if "://" in directory:
        return any(open_table(directory, name) is not None for name in (RUNS_TABLE, *TABLES))
    return any(os.path.isdir(os.path.join(directory, name)) for name in (RUNS_TABLE, *TABLES))
