"""Small-file compaction: rewrite each partition DIR/<table>/date=YYYY-MM-DD/ into few large files.

    with dataset_lock(DIR, wait=False): ...          # what ingest runs hold too (see below)
    stats = compact(DIR, target_rows=1_000_000)      # takes the lock itself
    print(format_stats(stats))

Continuous runs leave many small Parquet files per partition, and DuckDB pays for every file it
opens. compact() rewrites a partition's files into ceil(rows / target_rows) files of exactly the
table's schema (schemas.TABLES, zstd) and swaps them in without readers seeing a gap or a duplicate:

* The new files are built in a staging directory DIR/_compact/<run_id>/..., outside every
  reader's glob. (DuckDB's `*` and `**` also match names starting with `.` or `_`, so a hidden
  sibling inside DIR/<table>/ would be read; DIR/_compact/ is under no table directory.)
* One renameat2(RENAME_EXCHANGE) swaps the staging directory with the live partition directory,
  so a listing of the partition is either all old files or all new ones; the swapped-out old
  directory is then deleted. The swaps of all partitions happen back to back at the end (in
  batches of SWAP_BATCH_BYTES), so queries in flight are exposed for milliseconds, not minutes.
* The N new files take the names of the first N old files (N < old count). DuckDB's glob readdir()s
  a directory, then stat()s each entry by path and silently drops entries whose stat fails; a
  reader that listed the old files just before the swap and stats them just after therefore keeps
  exactly the reused names, i.e. all of the new files (the right rows), plus at worst old-only
  names that fail loudly when opened ("Cannot open file"). With fresh names it would silently lose
  the whole partition (measured: bench-style stress loops showed such gaps with fresh names, none
  with reused ones). The names stay part-<run_id>-<n>.parquet of completed runs, so
  rollback_incomplete_runs keeps them; the rows keep their own run_id column.
* A reader whose query started before a swap and opens an old file after it fails with DuckDB's
  IOException "Cannot open file ... No such file or directory" (never a wrong answer); rerunning
  the query reads the compacted partition.
* Each compaction writes its own manifest DIR/_runs/<compact_run_id>.json (kind "compact": the
  partitions, the files written, the stats); the run id has the shape of an ingest run id.
* Compaction and ingest runs exclude each other through flock on DIR/_lock (dataset_lock): a run
  writing into a partition being compacted would otherwise lose its files.

Only partitions whose files all belong to completed runs (a manifest in DIR/_runs) are compacted;
a partition holding a crashed run's file, a temp file, or anything else unexpected is skipped and
named in the stats. A partition already at ceil(rows / target_rows) files is left alone, so
compacting twice changes nothing. Local directories on Linux only (renameat2: glibc >= 2.28 and a
filesystem with RENAME_EXCHANGE: ext4, xfs, btrfs, tmpfs, ...); otherwise CompactError is raised
before anything is touched. A crash leaves every partition either old or compacted, and at most a
leftover DIR/_compact/, which the next compaction removes.
"""

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import json
import logging
import math
import os
import shutil
import time

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.query import is_dataset
from schemas import PARTITION_COLUMN, TABLES
from transforms.dataset import completed_runs, new_run_id

__all__ = ["compact", "dataset_lock", "format_stats", "CompactError", "DatasetLocked", "DEFAULT_TARGET_ROWS"]

log = logging.getLogger(__name__)

DEFAULT_TARGET_ROWS = 1_000_000
ROW_GROUP_ROWS = 122_880          # DuckDB scans a row group per thread; its own default size
ROW_GROUP_BYTES = 128 << 20       # ... or fewer rows when they are large (articles' text)
LOCK_NAME = "_lock"
STAGING_DIR = "_compact"
SWAP_BATCH_BYTES = 1 << 30        # staged bytes swapped in together (peak extra disk for the swap)


class CompactError(Exception):
    """Compaction could not start (not a local dataset, unsupported platform, ...): nothing was changed."""


class DatasetLocked(CompactError):
    """Another process (an ingest run or a compaction) holds DIR/_lock."""


# ---------------------------------------------------------------------------------------------
# The lock


@contextlib.contextmanager
def dataset_lock(output: str, wait: bool = False, purpose: str = "compact"):
    """Hold an exclusive flock on DIR/_lock for the duration of the block.

    wait=False raises DatasetLocked at once if another process holds it (its message names the
    holder: pid, purpose, since when); wait=True blocks until the lock is free. The lock dies
    with its process, so a crashed holder never leaves it stuck. Remote outputs (`gs://...`)
    can't be flocked: the block then runs unlocked.
    """
    if "://" in output:
        yield
        return
    os.makedirs(output, exist_ok=True)
    path = os.path.join(output, LOCK_NAME)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = _read_holder(path)
            raise DatasetLocked(f"{output} is in use by another newsbeam process ({holder}); "
                                "try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "purpose": purpose,
                                  "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
                                 ).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_holder(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            holder = json.loads(f.read() or "{}")
        return f"{holder['purpose']}, pid {holder['pid']}, since {holder['since']}"
    except (OSError, ValueError, KeyError):
        return "holder unknown"


# ---------------------------------------------------------------------------------------------
# The atomic directory swap

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2 = None


def _exchange(a: str, b: str) -> None:
    """Atomically swap the directory entries a and b (renameat2 RENAME_EXCHANGE)."""
    global _renameat2
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            function = libc.renameat2
        except (OSError, AttributeError):
            raise CompactError("compaction needs renameat2(RENAME_EXCHANGE) to swap a partition atomically: "
                               "Linux with glibc >= 2.28; this platform has no renameat2") from None
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        _renameat2 = function
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"renameat2(RENAME_EXCHANGE): {os.strerror(code)}", a, None, b)


def _check_exchange(staging: str) -> None:
    """Swap two empty directories, so an unsupported platform or filesystem fails before any work."""
    a, b = os.path.join(staging, "probe-a"), os.path.join(staging, "probe-b")
    os.makedirs(a)
    os.makedirs(b)
    try:
        _exchange(a, b)
    except OSError as exc:
        if exc.errno in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
            raise CompactError(f"the filesystem of {staging} does not support an atomic directory swap "
                               f"(renameat2 RENAME_EXCHANGE: {exc.strerror})") from None
        raise
    finally:
        shutil.rmtree(a, ignore_errors=True)
        shutil.rmtree(b, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Planning


def _run_of(name: str) -> str | None:
    """part-<run_id>[-<n>].parquet -> run_id (run ids hold no '-'); None for any other name."""
    if name.startswith("part-") and name.endswith(".parquet"):
        return name[len("part-"):-len(".parquet")].split("-")[0]
    return None


def _plan_partition(directory: str, done: set[str]) -> tuple[list[str], str | None]:
    """The partition's files in name order, or the reason it must be left alone."""
    files = []
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.name.endswith(".inprogress"):
            return [], f"temp file {entry.name} (a run in progress or crashed)"
        if not entry.is_file(follow_symlinks=False):
            return [], f"unexpected entry {entry.name}"
        run = _run_of(entry.name)
        if run is None:
            return [], f"unexpected file {entry.name}"
        if run not in done:
            return [], f"file {entry.name} of run {run}, which has no manifest (incomplete; the next run rolls it back)"
        files.append(entry.path)
    return files, None


def new_compact_run_id() -> str:
    return new_run_id("compact")


# ---------------------------------------------------------------------------------------------
# Rewriting one partition


def _conform(table: pa.Table, schema: pa.Schema, path: str) -> pa.Table:
    """`table` as exactly `schema`: columns in schema order; a nullable field an older file lacks is
    filled with nulls (as union_by_name readers see it). A column the schema lacks, or a type that
    differs, is refused rather than dropped or converted."""
    extra = set(table.column_names) - set(schema.names)
    if extra:
        raise _Refuse(f"{os.path.basename(path)} has column(s) the schema lacks: {', '.join(sorted(extra))}")
    columns = []
    for field in schema:
        if field.name in table.column_names:
            column = table.column(field.name)
            if column.type != field.type:
                raise _Refuse(f"{os.path.basename(path)}: column {field.name} is {column.type}, "
                              f"the schema says {field.type}")
            columns.append(column)
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


class _Refuse(Exception):
    """This partition can't be rewritten faithfully: leave it as it is."""


def _rewrite(files: list[str], schema: pa.Schema, target: str, per_file: int) -> tuple[list[str], int]:
    """Stream `files` (in order) into files of `per_file` rows in `target`, named like the first of
    `files` (see _stage_partition), in row groups of up to ROW_GROUP_ROWS rows / ROW_GROUP_BYTES.
    Memory holds one input file and one row group. Returns (paths, rows)."""
    os.makedirs(target)
    written, rows, writer, in_file = [], 0, None, 0
    pending, pending_rows, pending_bytes = [], 0, 0

    def flush():
        nonlocal pending, pending_rows, pending_bytes
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=pending_rows)
        pending, pending_rows, pending_bytes = [], 0, 0

    try:
        for path in files:
            table = _conform(pq.ParquetFile(path).read(use_threads=False), schema, path)
            offset = 0
            while offset < table.num_rows:
                if writer is None:
                    written.append(os.path.join(target, os.path.basename(files[len(written)])))
                    writer, in_file = pq.ParquetWriter(written[-1], schema, compression="zstd"), 0
                take = min(per_file - in_file, ROW_GROUP_ROWS - pending_rows, table.num_rows - offset)
                piece = table.slice(offset, take)
                pending.append(piece)
                pending_rows, pending_bytes = pending_rows + take, pending_bytes + piece.nbytes
                offset, in_file, rows = offset + take, in_file + take, rows + take
                if pending_rows >= ROW_GROUP_ROWS or pending_bytes >= ROW_GROUP_BYTES:
                    flush()
                if in_file >= per_file:
                    flush()
                    writer.close()
                    writer = None
        if writer is not None:
            flush()
        if not written:  # a partition of empty files: one empty file keeps it (and its schema) visible
            written.append(os.path.join(target, os.path.basename(files[0])))
            writer = pq.ParquetWriter(written[-1], schema, compression="zstd")
            writer.write_table(schema.empty_table())
    finally:
        if writer is not None:
            writer.close()
    return written, rows


def _verify(paths: list[str], schema: pa.Schema, rows: int) -> None:
    total = 0
    for path in paths:
        meta = pq.read_metadata(path)
        if not meta.schema.to_arrow_schema().equals(schema, check_metadata=False):
            raise RuntimeError(f"compacted file {path} has the wrong schema")
        total += meta.num_rows
    if total != rows:
        raise RuntimeError(f"compacted files hold {total} rows, the originals {rows}")


def _stage_partition(live: str, staging: str, files: list[str], rows_before: int, schema: pa.Schema,
                     target_rows: int) -> dict:
    """Write the compacted copy of the partition `live` to `staging` and check it; readers can't see it.

    The N new files take the names of the first N old ones (N < len(files)). That is what makes
    the swap safe for DuckDB's glob, which readdir()s a directory and then stat()s each entry by
    path, silently skipping names that fail: a reader that listed the old files just before the
    swap and stats them just after keeps exactly the reused names (all of the new files, so the
    right rows) plus, at worst, names that no longer exist, which fail loudly when opened. With
    fresh names it would keep none of that partition's files and silently miss its rows."""
    paths, rows = _rewrite(files, schema, staging, target_rows)
    if rows != rows_before:
        raise RuntimeError(f"{live}: read {rows} rows, the file footers say {rows_before}")
    _verify(paths, schema, rows)
    return {"live": live, "staged": staging, "names": {os.path.basename(f) for f in files},
            "paths": [os.path.join(live, os.path.basename(p)) for p in paths],
            "files_before": len(files), "files_after": len(paths), "rows": rows,
            "bytes": sum(os.path.getsize(p) for p in paths)}


def _swap_in(batch: list[dict]) -> None:
    """Swap every staged partition of `batch` with its live one (one atomic exchange each, back to
    back, so readers' queries in flight are exposed for milliseconds), then delete the old files."""
    for part in batch:
        _exchange(part["staged"], part["live"])  # the one step readers can observe: old set -> new set
        part["swapped"] = True
    for part in batch:
        old, live = part["staged"], part["live"]  # after the swap, the staging path holds the old files
        # Under the lock nothing else writes here; without it (a writer that didn't take the lock), a
        # file committed into the old directory after we listed it is moved into the live one, not lost.
        for name in sorted(set(os.listdir(old)) - part["names"]):
            if _run_of(name) is not None:
                log.warning("%s: %s appeared during compaction; moving it into the compacted partition", live, name)
                os.rename(os.path.join(old, name), os.path.join(live, name))
        shutil.rmtree(old)


# ---------------------------------------------------------------------------------------------
# The command


def compact(output: str, target_rows: int = DEFAULT_TARGET_ROWS, min_files: int = 2) -> dict:
    """Compact every partition of every table in `output`; returns the stats (see format_stats).

    A partition is rewritten when it has at least `min_files` files and more than
    ceil(rows / target_rows) of them. Raises DatasetLocked if a run (or another compaction) holds
    DIR/_lock, CompactError if `output` isn't a local directory or the platform can't swap
    directories atomically (both before anything changed).
    """
    if "://" in output:
        raise CompactError(f"{output}: compaction works on a local directory only")
    if not os.path.isdir(output):
        raise CompactError(f"{output} is not a directory")
    if not is_dataset(output):
        raise CompactError(f"{output} is not a newsbeam dataset (no _runs/ or table folders in it)")
    if target_rows < 1:
        raise CompactError(f"--target_rows must be 1 or more, not {target_rows}")
    if min_files < 2:
        raise CompactError(f"min_files must be 2 or more, not {min_files}")
    started = time.monotonic()
    stats = {"output": output, "run_id": None, "target_rows": target_rows, "partitions": 0,
             "partitions_compacted": 0, "partitions_skipped": 0, "files_before": 0, "files_after": 0,
             "rows": 0, "skipped": [], "tables": {}, "seconds": 0.0}
    with dataset_lock(output, wait=False, purpose="compact"):
        staging_root = os.path.join(output, STAGING_DIR)
        shutil.rmtree(staging_root, ignore_errors=True)  # leftovers of a crashed compaction (see module doc)
        done = completed_runs(output)
        work = []
        for table, schema in TABLES.items():
            table_dir = os.path.join(output, table)
            if not os.path.isdir(table_dir):
                continue
            for entry in sorted(os.scandir(table_dir), key=lambda e: e.name):
                if not (entry.name.startswith(f"{PARTITION_COLUMN}=") and entry.is_dir(follow_symlinks=False)):
                    continue
                stats["partitions"] += 1
                files, reason = _plan_partition(entry.path, done)
                if reason:
                    stats["partitions_skipped"] += 1
                    stats["skipped"].append(f"{table}/{entry.name}: {reason}")
                    continue
                if len(files) < min_files:
                    continue
                rows = sum(pq.read_metadata(f).num_rows for f in files)
                if len(files) <= max(1, math.ceil(rows / target_rows)):
                    continue
                work.append((table, schema, entry.name, files, rows))
        if not work:
            stats["seconds"] = round(time.monotonic() - started, 3)
            return stats

        run_id = new_compact_run_id()
        stats["run_id"] = run_id
        staging = os.path.join(staging_root, run_id)
        os.makedirs(staging)
        try:
            _check_exchange(staging)
        except BaseException:
            shutil.rmtree(staging_root, ignore_errors=True)
            raise
        manifest = {"run_id": run_id, "kind": "compact", "output": output, "target_rows": target_rows,
                    "started_at": dt.datetime.now(dt.timezone.utc).isoformat(), "status": "running",
                    "partitions": [f"{table}/{name}" for table, _, name, _, _ in work]}
        # Written first, so that even a crash leaves a record of what was being compacted. (The files
        # need no manifest of their own to survive rollback_incomplete_runs: they take the names of
        # completed runs' files, see _stage_partition.)
        _write_manifest(output, run_id, manifest)
        status, batch, written = "failed", [], []

        def swap_batch():
            try:
                _swap_in(batch)
            finally:
                account([part for part in batch if part.get("swapped")])
            batch.clear()

        def account(parts):  # counted once live
            for part in parts:
                written.extend(part["paths"])
                stats["partitions_compacted"] += 1
                per_table = stats["tables"].setdefault(part["table"], {"partitions": 0, "files_before": 0,
                                                                       "files_after": 0, "rows": 0})
                per_table["partitions"] += 1
                for key in ("files_before", "files_after", "rows"):
                    stats[key] += part[key]
                    per_table[key] += part[key]

        try:
            for n, (table, schema, name, files, rows) in enumerate(work):
                live = os.path.join(output, table, name)
                try:
                    part = _stage_partition(live, os.path.join(staging, str(n)), files, rows, schema, target_rows)
                except _Refuse as exc:
                    stats["partitions_skipped"] += 1
                    stats["skipped"].append(f"{table}/{name}: {exc}")
                    continue
                batch.append({**part, "table": table})
                if sum(p["bytes"] for p in batch) >= SWAP_BATCH_BYTES:
                    swap_batch()
            swap_batch()
            status = "finished"
        finally:
            shutil.rmtree(staging_root, ignore_errors=True)
            stats["seconds"] = round(time.monotonic() - started, 3)
            _write_manifest(output, run_id, {
                **manifest, "status": status, "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                "files": sorted(written),
                "stats": {k: v for k, v in stats.items() if k != "output"}})
    return stats


def _write_manifest(output: str, run_id: str, manifest: dict) -> None:
    path = os.path.join(output, "_runs", f"{run_id}.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temp = path + ".inprogress"
    with open(temp, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=2, sort_keys=True, default=str))
    os.replace(temp, path)


def format_stats(stats: dict) -> str:
    """The lines `newsbeam compact` prints."""
    if stats["partitions_compacted"] == 0:
        lines = [f"compact {stats['output']}: nothing to compact ({stats['partitions']} partition(s) checked)"]
    else:
        lines = [f"compact {stats['run_id']} finished in {stats['seconds']:.1f}s -> {stats['output']}",
                 f"  partitions compacted {stats['partitions_compacted']} of {stats['partitions']}: "
                 f"files {stats['files_before']} -> {stats['files_after']}, rows {stats['rows']}"]
        for table, t in stats["tables"].items():
            lines.append(f"  {table}: {t['partitions']} partition(s), files {t['files_before']} -> "
                         f"{t['files_after']}, rows {t['rows']}")
    if stats["skipped"]:
        lines.append(f"  skipped {stats['partitions_skipped']} partition(s):")
        lines.extend(f"    {reason}" for reason in stats["skipped"])
    return "\n".join(lines)
