"""Hive-partitioned Parquet datasets: atomic file commits, run manifests, and what is already ingested.

Layout: DIR/<table>/date=YYYY-MM-DD/part-<run_id>-<n>.parquet, DIR/_runs/<run_id>.json.
A file is written under a hidden temporary name and renamed into place, so readers never
see half a file. The manifest is written last and marks the run complete: files of a run
without a manifest (a crash) are rolled back by the next run before it starts.
"""

import datetime as dt
import json
import logging
import secrets
import uuid

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from schemas import FEED_STATE, PARTITION_COLUMN, TABLES

__all__ = ["WriteDataset", "WriteManifest", "ingested_article_ids", "rollback_incomplete_runs"]

log = logging.getLogger(__name__)
# What a writer holds in memory before committing a file: bounded in bytes of text, so peak
# memory reaches its plateau within the first thousand articles and stays there
# (bench/fetch.py measures it); `newsbeam compact` merges the files that come out small.
MAX_BUFFERED_BYTES = 2 * 1024 * 1024
ROWS_PER_FILE = 100_000       # rows of one partition per file, at most
ROWS_PER_GROUP = 10_000       # Parquet row group


def new_run_id(marker: str = "") -> str:
    """UTC time, an optional marker and random hex: sortable, and free of "-" so that
    part-<run_id>-<n>.parquet parses back (see rollback_incomplete_runs)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + marker + secrets.token_hex(2)


def table_glob(output: str, table: str) -> str:
    return FileSystems.join(output, table, f"{PARTITION_COLUMN}=*", "*.parquet")


def to_arrow(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows (dicts with ISO timestamps) to an Arrow table of exactly `schema`."""
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_timestamp(field.type):
            values = [dt.datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=schema)


def ensure_dir(directory: str) -> None:
    try:
        FileSystems.mkdirs(directory)
    except IOError:  # already there (perhaps made by another worker a moment ago)
        pass


def write_parquet_file(path: str, rows, schema: pa.Schema) -> int:
    """Write rows to `path` atomically: a hidden temp file, then a rename. Returns the row count."""
    directory, name = path.rsplit("/", 1)
    temp = f"{directory}/.{name}.inprogress"
    ensure_dir(directory)
    count = 0
    with FileSystems.create(temp) as stream:
        with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= ROWS_PER_GROUP:
                    writer.write_table(to_arrow(batch, schema))
                    count += len(batch)
                    batch = []
            if batch or count == 0:
                writer.write_table(to_arrow(batch, schema))
                count += len(batch)
    FileSystems.rename([temp], [path])
    return count


def _text_bytes(row: dict) -> int:
    """Roughly what a row weighs: its strings (article text dominates), plus a little per field."""
    return sum(len(v) if isinstance(v, str) else 8 for v in row.values()) + 64


class _CommitFilesFn(beam.DoFn):
    """Buffers rows per (window, partition) and commits them as Parquet files: when a buffer is
    full, when the DoFn holds too much text in all, and at the end of each bundle. Memory stays
    bounded however many rows flow through, and no GroupByKey holds a whole table."""

    def __init__(self, output: str, table: str, run_id: str):
        self.output, self.table, self.run_id = output, table, run_id
        self.schema = TABLES[table]

    def start_bundle(self):
        self.buffers: dict[tuple, list[dict]] = {}
        self.sizes: dict[tuple, int] = {}

    def process(self, row, window=beam.DoFn.WindowParam):
        key = (window, row[PARTITION_COLUMN])
        self.buffers.setdefault(key, []).append(row)
        self.sizes[key] = self.sizes.get(key, 0) + _text_bytes(row)
        if len(self.buffers[key]) >= ROWS_PER_FILE:
            yield self._commit(key)
        elif sum(self.sizes.values()) >= MAX_BUFFERED_BYTES:
            yield self._commit(max(self.sizes, key=self.sizes.get))

    def finish_bundle(self):
        for key in list(self.buffers):
            yield self._commit(key)

    def _commit(self, key: tuple) -> WindowedValue:
        window, date = key
        rows = self.buffers.pop(key)
        del self.sizes[key]
        # The commit id in the name lets a later run find and roll back a crashed run's files.
        directory = FileSystems.join(self.output, self.table, f"{PARTITION_COLUMN}={date}")
        path = f"{directory}/part-{commit_id_of(self.run_id, window)}-{uuid.uuid4().hex[:8]}.parquet"
        count = write_parquet_file(path, rows, self.schema)
        beam.metrics.Metrics.counter("newsbeam", f"{self.table}_written").inc(count)
        return WindowedValue({"table": self.table, "path": path, "rows": count}, window.max_timestamp(), [window])


def commit_id_of(run_id: str, window) -> str:
    """A batch run commits once, as its run id; a continuous run commits once per window."""
    if isinstance(window, GlobalWindow):
        return run_id
    return f"{run_id}w{int(window.start)}"


class WriteDataset(beam.PTransform):
    """Rows with a `date` key -> DIR/<table>/date=.../part-*.parquet; emits one record per file."""

    def __init__(self, output: str, table: str, run_id: str):
        super().__init__()
        self.output, self.table, self.run_id = output, table, run_id

    def expand(self, rows):
        return rows | "CommitFiles" >> beam.ParDo(_CommitFilesFn(self.output, self.table, self.run_id))


def manifest_path(output: str, run_id: str) -> str:
    return FileSystems.join(output, "_runs", f"{run_id}.json")


class _WriteManifestFn(beam.DoFn):
    def __init__(self, output: str, run_id: str, header: dict):
        self.output, self.run_id, self.header = output, run_id, header

    def process(self, facts, window=beam.DoFn.WindowParam):
        commit_id = commit_id_of(self.run_id, window)
        header = self.header
        if commit_id != self.run_id:
            header = {**header, "run_id": commit_id, "stream_run_id": self.run_id,
                      "window": [window.start.to_utc_datetime().isoformat() + "Z",
                                 window.end.to_utc_datetime().isoformat() + "Z"]}
        manifest = build_manifest(header, facts)
        states = [feed_state(f, commit_id, manifest["finished_at"]) for f in facts if f["fact"] == "feed"]
        if states:
            write_parquet_file(FileSystems.join(self.output, "_state", "feeds", f"part-{commit_id}.parquet"),
                               states, FEED_STATE)
        path = manifest_path(self.output, commit_id)
        ensure_dir(path.rsplit("/", 1)[0])
        temp = path + ".inprogress"
        with FileSystems.create(temp) as stream:
            stream.write(json.dumps(manifest, indent=2, sort_keys=True, default=str).encode("utf-8"))
        FileSystems.rename([temp], [path])
        yield manifest


def build_manifest(header: dict, facts: list[dict]) -> dict:
    """Fold the run's facts (feed reports, entry outcomes, committed files) into its manifest."""
    feeds, files, totals = {}, [], {"entries": 0, "articles": 0, "duplicates": 0, "errors": 0}
    report_keys = ("fetch_url", "http_status", "status", "error_kind", "outside_dates")
    rows = {table: 0 for table in TABLES}
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
            files.append(fact["path"])
            rows[fact["table"]] += fact["rows"]
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
        "feeds": sorted(feeds.values(), key=lambda f: f["feed_url"]),
        "files": sorted(files),
    }


def _feed_record(feed_url: str) -> dict:
    return {"feed_url": feed_url, "fetch_url": None, "http_status": None, "status": None, "error_kind": None,
            "entries": 0, "outside_dates": 0, "retried": 0, "articles": 0, "duplicates": 0, "errors": 0}


def feed_state(report: dict, run_id: str, checked_at: str) -> dict:
    """The feed-state row a poll leaves behind; a failed poll keeps the validators it was sent."""
    return {"feed_url": report["feed_url"], "fetch_url": report.get("fetch_url") or report["feed_url"],
            "etag": report.get("etag"), "last_modified": report.get("last_modified"),
            "checked_at": checked_at, "run_id": run_id}


def load_feed_state(output: str) -> dict[str, dict]:
    """feed_url -> its newest state row, from the runs that completed."""
    done, latest = completed_runs(output), {}
    for meta in _match(FileSystems.join(output, "_state", "feeds", "part-*.parquet")):
        with FileSystems.open(meta.path) as stream:
            rows = pq.read_table(stream).to_pylist()
        for row in rows:
            previous = latest.get(row["feed_url"])
            if row["run_id"] in done and (previous is None or row["checked_at"] > previous["checked_at"]):
                latest[row["feed_url"]] = row
    return latest


class WriteManifest(beam.PTransform):
    """Facts -> DIR/_runs/<run_id>.json, after every file it lists has been committed."""

    def __init__(self, output: str, run_id: str, header: dict):
        super().__init__()
        self.output, self.run_id, self.header = output, run_id, header

    def expand(self, facts):
        return (
            facts
            # One list per window (the one global window in batch); no manifest for an empty window.
            | "Gather" >> beam.CombineGlobally(beam.combiners.ToListCombineFn()).without_defaults()
            | "WriteManifest" >> beam.ParDo(_WriteManifestFn(self.output, self.run_id, self.header))
        )


def completed_runs(output: str) -> set[str]:
    pattern = FileSystems.join(output, "_runs", "*.json")
    return {m.path.rsplit("/", 1)[1][:-len(".json")] for m in _match(pattern)}


def rollback_incomplete_runs(output: str) -> list[str]:
    """Delete committed files of runs that never wrote a manifest (they crashed), and stale temp files."""
    done = completed_runs(output)
    directories = [FileSystems.join(output, table, f"{PARTITION_COLUMN}=*") for table in TABLES]
    directories += [FileSystems.join(output, "_state", "feeds"), FileSystems.join(output, "_runs")]
    doomed = []
    for directory in directories:
        for meta in _match(FileSystems.join(directory, "*")):
            name = meta.path.rsplit("/", 1)[1]
            if name.endswith(".inprogress"):
                doomed.append(meta.path)
            elif name.startswith("part-") and name.endswith(".parquet"):
                # part-<run_id>[-<n>].parquet; run ids hold no "-"
                if name[len("part-"):-len(".parquet")].split("-")[0] not in done:
                    doomed.append(meta.path)
    if doomed:
        log.warning("rolling back %d file(s) of incomplete runs", len(doomed))
        FileSystems.delete(doomed)
    return doomed


def ingested_article_ids(output: str) -> set[str]:
    """article_id of every article already in the dataset (what an incremental run skips)."""
    ids = set()
    for meta in _match(table_glob(output, "articles")):
        with FileSystems.open(meta.path) as stream:
            table = pq.read_table(stream, columns=["article_id"])
        ids.update(table.column("article_id").to_pylist())
    return ids


def _match(pattern: str):
    try:
        return FileSystems.match([pattern])[0].metadata_list
    except Exception:  # Beam raises BeamIOError when nothing matches
        return []


def failed_inputs(output: str) -> tuple[list[str], list[dict]]:
    """What earlier runs failed on and a retry can try again: the feeds whose latest poll failed,
    and the entries whose page failed (those ingested since are dropped as duplicates)."""
    latest = {}
    for meta in sorted(_match(FileSystems.join(output, "_runs", "*.json")), key=lambda m: m.path):
        with FileSystems.open(meta.path) as f:
            for feed in json.loads(f.read()).get("feeds", []):
                latest[feed["feed_url"]] = feed
    feeds = [url for url, feed in latest.items() if feed.get("error_kind")]
    entries = {}
    for meta in _match(table_glob(output, "errors")):
        with FileSystems.open(meta.path) as stream:
            rows = pq.read_table(stream, columns=["stage", "url", "input"]).to_pylist()
        for row in rows:
            if row["stage"] in ("fetch_page", "extract") and row["input"]:
                entry = json.loads(row["input"])
                if entry.get("link"):
                    entries[entry["link"]] = entry
    return feeds, list(entries.values())
