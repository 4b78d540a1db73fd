"""The commit: a run's (or window's) files made visible, table by table, and finished after a crash.

A commit's plan is saved first (DIR/_commits/<id>.json); every Delta transaction carries the commit
id as an app transaction, so a retried commit is skipped and a crashed one is finished by the next
writer (recover). Files of a crashed or retried attempt are never committed; vacuum deletes them.
"""

import json
import logging
import secrets
import time

import apache_beam as beam
import pyarrow as pa
import pyarrow.fs as pafs

from schemas import FEED_STATE, PARTITION_COLUMN, RUNS
from transforms.storage.files import commit_id_of
from transforms.storage.layout import (COMMIT_ORDER, PENDING_DIR, RUNS_TABLE, STATE_TABLE, filesystem, join,
                                       open_or_create, table_uri, to_arrow)
from transforms.storage.runs import build_manifest, feed_state, run_row

log = logging.getLogger(__name__)


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
    pending = join(table_uri(output, PENDING_DIR), f"{plan['commit_id']}.json")
    write_bytes(pending, json.dumps(plan, default=str).encode("utf-8"))
    apply_plan(output, plan)
    fs, path = filesystem(pending)
    fs.delete_file(path)


def apply_plan(output: str, plan: dict) -> None:
    commit_id = plan["commit_id"]
    for name in COMMIT_ORDER:
        adds = [f for f in plan["files"] if f["table"] == name]
        if adds:
            commit_files(output, name, commit_id, adds)
    if plan["feed_states"]:
        commit_rows(output, STATE_TABLE, commit_id, to_arrow(plan["feed_states"], FEED_STATE))
    commit_rows(output, RUNS_TABLE, commit_id, to_arrow([run_row(plan["manifest"])], RUNS))


def _transaction(commit_id: str):
    from deltalake import CommitProperties, Transaction
    return CommitProperties(app_transactions=[Transaction(f"newsbeam:{commit_id}", 0)],
                            custom_metadata={"newsbeam.commit": commit_id})


def _committed(table, commit_id: str) -> bool:
    return table.transaction_version(f"newsbeam:{commit_id}") is not None


def commit_files(output: str, name: str, commit_id: str, files: list[dict]) -> None:
    from deltalake.transaction import AddAction
    table = open_or_create(output, name)
    if _committed(table, commit_id):
        return
    now = int(time.time() * 1000)
    actions = [AddAction(f["path"], f["size"], {PARTITION_COLUMN: f["date"]}, now, True, f["stats"]) for f in files]
    table.create_write_transaction(actions, mode="append", schema=table.schema(), partition_by=[PARTITION_COLUMN],
                                   commit_properties=_transaction(commit_id))


def commit_rows(output: str, name: str, commit_id: str, data: pa.Table) -> None:
    from deltalake import write_deltalake
    table = open_or_create(output, name)
    if not _committed(table, commit_id):
        write_deltalake(table, data, mode="append", commit_properties=_transaction(commit_id))


def write_bytes(uri: str, data: bytes) -> None:
    """Write a small file whole: a temp name then a rename locally, one PUT on object stores."""
    fs, path = filesystem(uri)
    fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    temp = path if "://" in uri else f"{path}.{secrets.token_hex(4)}.tmp"
    with fs.open_output_stream(temp) as stream:
        stream.write(data)
    if temp != path:
        fs.move(temp, path)


def recover(output: str) -> list[str]:
    """Finish the commits a crashed run left half done (DIR/_commits/*.json); returns their ids."""
    fs, root = filesystem(table_uri(output, PENDING_DIR))
    finished = []
    for info in fs.get_file_info(pafs.FileSelector(root, allow_not_found=True)):
        if not info.path.endswith(".json"):
            continue
        with fs.open_input_stream(info.path) as stream:
            plan = json.loads(stream.read())
        log.warning("finishing the interrupted commit %s", plan["commit_id"])
        apply_plan(output, plan)
        fs.delete_file(info.path)
        finished.append(plan["commit_id"])
    return finished
