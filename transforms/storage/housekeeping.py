"""Housekeeping: compact, checkpoint and vacuum the tables; migrate a dataset of the layout before Delta."""

import json
import os
import time

import pyarrow as pa

from schemas import PARTITION_COLUMN, RUNS, TABLES
from transforms.storage.commit import commit_rows
from transforms.storage.layout import LEASE_TABLE, RUNS_TABLE, STATE_TABLE, open_table, to_arrow
from transforms.storage.runs import run_row

DEFAULT_RETENTION_HOURS = 168     # vacuum keeps files removed in the last week (time travel, slow readers)
# The lease table is one row, overwritten at every renewal (a file each): its readers read the newest
# snapshot in milliseconds, so files it removed an hour ago are nobody's; its log is kept for a day.
LEASE_RETENTION_HOURS = 1
LEASE_LOG_RETENTION = "interval 1 days"


def compact(output: str, retention_hours: float = DEFAULT_RETENTION_HOURS, target_size: int | None = None) -> dict:
    """optimize.compact() + checkpoint + vacuum on every table of DIR.

    Compaction is a Delta commit that removes the small files and adds the large ones at once, so
    readers see every row exactly once throughout. vacuum then deletes the data files no longer in
    the table for `retention_hours` (removed by an older compaction, or never committed: a crashed
    or retried attempt's files); readers and time travel older than that lose those files."""
    started = time.monotonic()
    stats = {"output": output, "tables": {}, "retention_hours": retention_hours}
    for name in (*TABLES, STATE_TABLE, RUNS_TABLE):
        table = open_table(output, name)
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


def due(output: str, every: int) -> bool:
    """Whether a stream's housekeeping is due: DIR/_runs holds `every` files or more (each commit adds
    one, a compaction leaves one), so it comes every `every` commits and after a restart too."""
    if not every or every <= 0:
        return False
    table = open_table(output, RUNS_TABLE)
    return table is not None and len(table.file_uris()) >= every


def housekeep(output: str, retention_hours: float = DEFAULT_RETENTION_HOURS, fence=None) -> dict:
    """What a stream does every N windows, holding the lease (`fence`, checked first): compact(),
    then the lease table: a checkpoint, a vacuum of the files its renewals removed more than
    LEASE_RETENTION_HOURS ago and its log kept LEASE_LOG_RETENTION. Vacuum keeps `retention_hours`
    on the other tables, so a file written for a window not yet committed is never deleted."""
    from transforms.storage.lease import check_fence
    check_fence(output, fence)
    stats = compact(output, retention_hours)
    lease = open_table(output, LEASE_TABLE)
    if lease is not None:
        try:
            if lease.metadata().configuration.get("delta.logRetentionDuration") != LEASE_LOG_RETENTION:
                lease.alter.set_table_properties({"delta.logRetentionDuration": LEASE_LOG_RETENTION})
            lease.create_checkpoint()
            deleted = lease.vacuum(retention_hours=LEASE_RETENTION_HOURS, dry_run=False,
                                   enforce_retention_duration=False, full=True)
            lease.cleanup_metadata()
            stats["tables"][LEASE_TABLE] = {"files_deleted": len(deleted)}
        except Exception as exc:   # a renewal committed meanwhile: the next housekeeping does it
            stats["tables"][LEASE_TABLE] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
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
        commit_rows(output, RUNS_TABLE, "migrate", to_arrow(rows, RUNS))
    for name in os.listdir(runs_dir) if os.path.isdir(runs_dir) else []:
        if name.endswith(".json") or name.endswith(".inprogress"):
            os.remove(os.path.join(runs_dir, name))
    return {"output": output, "converted": converted, "runs": len(rows), "deleted": deleted}
