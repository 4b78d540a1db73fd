"""The follower: each table's Delta log, version by version, to events of the rows newsbeam committed.

Why the commit files (DIR/<table>/_delta_log/<version>.json) and not snapshots: a version's own
actions say what it did. A newsbeam commit is one version per table carrying the app transaction
`newsbeam:<commit_id>` and add actions with dataChange=true; OPTIMIZE re-adds rows with
dataChange=false and publishes nothing; checkpoints (NNN.checkpoint.parquet) summarise state and
are never needed, since every version's JSON stays until `cleanup_metadata` deletes those older
than the log retention (30 days by default) and the last checkpoint. A follower that far behind
gets LogGap, a clear error, not silently missing events.

A commit's rows are published only once it is complete: its row in DIR/_runs exists, the same
rule readers follow (storage.views), so events never run ahead of what queries show. A commit
still pending (DIR/_commits/<id>.json: under way, or interrupted until `recover` finishes it)
holds its table's events back, and everything after it in that table: commit order per table. A
commit that recover dropped (DIR/_commits/dropped/<id>.json) never becomes visible and publishes
nothing.

Rows come from the files the version added, in the order of its add actions and, in each file, of
its rows (sorted by key when written). When a file is gone (compacted, then vacuumed with a short
retention before the follower got there), the version's rows are read from the table's current
snapshot instead: every row carries its commit_id, and compaction keeps rows, never changes them.
"""

import base64
import dataclasses
import datetime as dt
import heapq
import json
import logging
import math
import urllib.parse
from collections.abc import Iterator

import numpy
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.fs as pafs

from schemas import PARTITION_COLUMN, TABLES
from transforms.storage.layout import (COMMIT_ORDER, PENDING_DIR, RUNS_TABLE, delta_schema, filesystem, join,
                                       native_paths, open_table, read_columns, table_uri)

log = logging.getLogger(__name__)

EVENT_SCHEMA = "newsbeam.event/1"
APP_PREFIX = "newsbeam:"          # storage.commit: every commit's app transaction id
COMMIT_KEY = "newsbeam.commit"    # and its commitInfo custom metadata


VERSIONS_PER_LOOK = 1000   # per table and poll(): bounds the memory of one look at a long log


class LogGap(Exception):
    """The log entries the follower needs next were cleaned up (it is further behind than the log retention)."""


# ------------------------------------------------------------------------------------------ pure parts

def parse_actions(text: str) -> list[dict]:
    """A Delta commit file (newline-delimited JSON actions) to its actions."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def commit_of(actions: list[dict]) -> tuple[str | None, list[dict]]:
    """The newsbeam commit a log version appends rows for and its add actions with dataChange=true,
    or (None, []) for a version that appends none: table creation, schema evolution, OPTIMIZE (its
    adds are dataChange=false: the same rows in new files), vacuum, a write that is not newsbeam's."""
    commit_id = None
    for action in actions:
        app = (action.get("txn") or {}).get("appId") or ""
        if app.startswith(APP_PREFIX):
            commit_id = app[len(APP_PREFIX):]
    if commit_id is None:
        commit_id = next((a["commitInfo"].get(COMMIT_KEY) for a in actions if "commitInfo" in a), None)
    adds = [a["add"] for a in actions if "add" in a and a["add"].get("dataChange", True)]
    if commit_id is None or not adds:
        return None, []
    return commit_id, adds


def timestamp_of(actions: list[dict]) -> int:
    """The version's commit time (ms since the epoch; 0 when it has no commitInfo)."""
    return next((int(a["commitInfo"].get("timestamp") or 0) for a in actions if "commitInfo" in a), 0)


def json_value(value):
    """A column value as JSON: timestamps ISO 8601 in UTC (Z), dates ISO, NaN and infinities null,
    bytes base64 (no table has any today)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


def json_row(row: dict) -> dict:
    return {name: json_value(value) for name, value in row.items()}


def event(table: str, commit_id: str, version: int, row: dict) -> dict:
    """One event (schema newsbeam.event/1; docs/events.md): a committed row of `table`, the commit
    that made it visible, the Delta version of `table` that added it and the row's key (the first
    column of its schema: article_id, quote_id, figure_id, error_id)."""
    return {"schema": EVENT_SCHEMA, "table": table, "commit_id": commit_id, "version": version,
            "key": row.get(TABLES[table].names[0]), "row": json_row(row)}


def add_path(table_root: str, add: dict) -> str:
    """An add action's file as a URI/path: relative paths are URL-encoded (Delta protocol)."""
    path = urllib.parse.unquote(add["path"])
    return path if "://" in path else join(table_root, path)


# ------------------------------------------------------------------------------------------ the follower

@dataclasses.dataclass(frozen=True)
class Batch:
    """One Delta version of one table, in order: its events (none for a version that appends no
    rows of a complete commit). Publishing a batch moves the table's position to `version`."""
    table: str
    version: int
    commit_id: str | None
    events: list[dict]


@dataclasses.dataclass(frozen=True)
class _Ready:
    table: str
    version: int
    commit_id: str | None
    adds: tuple
    timestamp: int


class Follower:
    """Follows DIR's tables from `positions` ({table: last Delta version published}, -1: none);
    a table without one starts at `start`: "start" (its first version), "now" (after what is
    committed now: only new commits), or a version number (that version and later ones)."""

    def __init__(self, output: str, tables=COMMIT_ORDER, positions: dict | None = None, start="start"):
        unknown = [t for t in tables if t not in TABLES]
        if unknown:
            raise ValueError(f"unknown table {unknown[0]!r} (tables: {', '.join(TABLES)})")
        self.output = output
        self.tables = [t for t in COMMIT_ORDER if t in tables]
        self._complete: set[str] = set()
        self.positions = {}
        for table in self.tables:
            given = (positions or {}).get(table)
            self.positions[table] = int(given) if given is not None else self.initial_position(table, start)

    # -- where a table starts
    def initial_position(self, table: str, start) -> int:
        if start == "start":
            return -1
        if start == "now":
            return self.current_position(table)
        version = int(start)
        if version < 0:
            raise ValueError("a start version is >= 0")
        return version - 1

    def current_position(self, table: str) -> int:
        """The position after every complete commit of `table` now (what "now" starts from): its
        latest version, or the version before its oldest commit still pending, so that commit's
        rows are published when it completes."""
        delta = open_table(self.output, table)
        if delta is None:
            return -1
        position = version = delta.version()
        while version >= 0:
            actions = self._read_version(table, version)
            if actions is None:   # cleaned up: older versions are long complete
                break
            commit_id, _ = commit_of(actions)
            if commit_id is not None:
                state = self.commit_state(commit_id)
                if state == "pending":
                    position = version - 1
                elif state == "complete":
                    break
            version -= 1
        return position

    # -- reading the log
    def _log_file(self, table: str, version: int) -> str:
        return join(table_uri(self.output, table), "_delta_log", f"{version:020d}.json")

    def _read_version(self, table: str, version: int) -> list[dict] | None:
        fs, path = filesystem(self._log_file(table, version))
        try:
            with fs.open_input_stream(path) as stream:
                return parse_actions(stream.read().decode("utf-8"))
        except FileNotFoundError:
            return None
        except OSError as exc:   # pyarrow raises OSError subclasses for a missing object on some stores
            if fs.get_file_info(path).type == pafs.FileType.NotFound:
                return None
            raise exc

    def _check_gap(self, table: str, version: int) -> None:
        """Version `version` has no log entry: either it is not written yet (nothing new) or it was
        cleaned up, which happens only to versions before the last checkpoint."""
        fs, path = filesystem(join(table_uri(self.output, table), "_delta_log", "_last_checkpoint"))
        try:
            with fs.open_input_stream(path) as stream:
                checkpoint = int(json.loads(stream.read())["version"])
        except (FileNotFoundError, OSError, ValueError, KeyError):
            return
        if checkpoint >= version:
            raise LogGap(f"{table}: the log entry of version {version} was cleaned up (the table is at "
                         f"version {checkpoint} or later); this consumer is further behind than the log "
                         "retention: start it again from now")

    def commit_state(self, commit_id: str) -> str:
        """complete (its row in DIR/_runs exists), pending (under way, or interrupted until recover
        finishes it), or dropped (recover dropped it, or no plan and no run row: never visible)."""
        if commit_id in self._complete:
            return "complete"
        self._refresh_complete()
        if commit_id in self._complete:
            return "complete"
        fs, root = filesystem(table_uri(self.output, PENDING_DIR))
        if fs.get_file_info(join(root, f"{commit_id}.json")).type == pafs.FileType.File:
            return "pending"
        if fs.get_file_info(join(root, "dropped", f"{commit_id}.json")).type == pafs.FileType.File:
            return "dropped"
        self._refresh_complete()   # it may have finished (and its plan gone) since the first look
        if commit_id in self._complete:
            return "complete"
        log.warning("commit %s is in the log but has neither a plan nor a row in _runs: it never becomes "
                    "visible, so it publishes nothing", commit_id)
        return "dropped"

    def _refresh_complete(self) -> None:
        runs = read_columns(self.output, RUNS_TABLE, ["run_id"])
        self._complete = set(runs.column("run_id").to_pylist())

    def ready(self, table: str, limit: int | None = None) -> list[_Ready]:
        """The versions of `table` after its position that can be published now, in order: up to
        the first commit still pending, or the end of the log."""
        out, version, limit = [], self.positions[table] + 1, limit or VERSIONS_PER_LOOK
        while len(out) < limit:
            actions = self._read_version(table, version)
            if actions is None:
                self._check_gap(table, version)
                break
            commit_id, adds = commit_of(actions)
            if commit_id is not None:
                state = self.commit_state(commit_id)
                if state == "pending":
                    break
                if state == "dropped":
                    commit_id, adds = None, []
            out.append(_Ready(table, version, commit_id, tuple(adds), timestamp_of(actions)))
            version += 1
        return out

    def poll(self, limit: int | None = None) -> Iterator[Batch]:
        """The batches that can be published now (up to `limit` versions per table: poll again
        until it yields nothing to reach the end): per table in version order, across tables by
        commit time (a run's articles before its quotes). The table's position moves to a batch's
        version as the batch is handed out: handle it before asking for the next."""
        order = {t: i for i, t in enumerate(COMMIT_ORDER)}
        lists = [self.ready(table, limit) for table in self.tables]
        for item in heapq.merge(*lists, key=lambda r: (r.timestamp, order[r.table], r.version)):
            events = [] if item.commit_id is None else [
                event(item.table, item.commit_id, item.version, row) for row in self.rows(item)]
            self.positions[item.table] = item.version
            yield Batch(item.table, item.version, item.commit_id, events)

    # -- rows of a version
    def rows(self, item: _Ready) -> list[dict]:
        file_schema = self.file_schema(item.table)
        root = table_uri(self.output, item.table)
        paths = [add_path(root, add) for add in item.adds]
        fs, native = native_paths(paths)
        check = fs or pafs.LocalFileSystem()
        if any(check.get_file_info(p).type == pafs.FileType.NotFound for p in native):
            return self._rows_from_snapshot(item, file_schema)
        rows = []
        for add, path in zip(item.adds, native):
            data = pads.dataset([path], schema=file_schema, format="parquet", filesystem=fs).to_table()
            date = (add.get("partitionValues") or {}).get(PARTITION_COLUMN)
            # every row of the file is the commit's (rows written before v4 have no commit_id)
            rows.extend({**row, "commit_id": item.commit_id, PARTITION_COLUMN: date} for row in data.to_pylist())
        return [_shortest_floats(row, file_schema) for row in rows]

    @staticmethod
    def file_schema(table: str) -> pa.Schema:
        """The columns of `table`'s files (without the partition column), commit_id always among them."""
        schema = delta_schema(table)
        schema = schema.remove(schema.get_field_index(PARTITION_COLUMN))
        return schema if "commit_id" in schema.names else schema.append(pa.field("commit_id", pa.string()))

    def _rows_from_snapshot(self, item: _Ready, file_schema) -> list[dict]:
        """The rows of a version whose files are gone: its commit's rows in the current snapshot."""
        delta = open_table(self.output, item.table)
        log.warning("%s version %d: its files were compacted and vacuumed; reading commit %s's rows from the "
                    "current snapshot", item.table, item.version, item.commit_id)
        key = file_schema.names[0]
        rows = []
        for add in pa.table(delta.get_add_actions(flatten=True)).to_pylist():
            path = add_path(table_uri(self.output, item.table), add)
            fs, native = native_paths([path])
            data = pads.dataset(native, schema=file_schema, format="parquet", filesystem=fs).to_table(
                filter=pc.field("commit_id") == item.commit_id)
            date = add.get(f"partition.{PARTITION_COLUMN}")
            rows.extend({**row, PARTITION_COLUMN: json_value(date)} for row in data.to_pylist())
        expected = sum(json.loads(add.get("stats") or "{}").get("numRecords", 0) for add in item.adds)
        if len(rows) != expected:
            raise LogGap(f"{item.table} version {item.version}: its files were vacuumed and {len(rows)} of its "
                         f"{expected} rows (commit {item.commit_id}) can be found by commit_id in the table now")
        rows = [_shortest_floats(row, file_schema) for row in rows]
        return sorted(rows, key=lambda r: (str(r.get(PARTITION_COLUMN)), r.get(key) or ""))


def _shortest_floats(row: dict, schema: pa.Schema) -> dict:
    """float32 columns (quotes.confidence) as the shortest decimal that is the same float32: 0.85,
    not 0.8500000238418579."""
    for field in schema:
        if pa.types.is_float32(field.type) and isinstance(row.get(field.name), float) and math.isfinite(row[field.name]):
            row[field.name] = float(str(numpy.float32(row[field.name])))   # numpy: shortest round trip
    return row
