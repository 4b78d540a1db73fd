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
                                       open_or_create, open_table, table_uri, to_arrow)
from transforms.storage.lease import Fence, check_fence, release_fence
from transforms.storage.runs import build_manifest, feed_state, run_row

log = logging.getLogger(__name__)


class _CommitFn(beam.DoFn):
    def __init__(self, output: str, run_id: str, header: dict, fence: Fence | None):
        self.output, self.run_id, self.header, self.fence = output, run_id, header, fence

    def process(self, facts, window=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        commit_id = commit_id_of(self.run_id, window)
        header = self.header
        if commit_id != self.run_id:
            if getattr(pane, "index", 0) > 0:   # a window's late facts (pipelines/stream.py): their own commit
                commit_id = f"{commit_id}p{pane.index}"
            header = {**header, "run_id": commit_id, "stream_run_id": self.run_id,
                      "window": [window.start.to_utc_datetime().isoformat() + "Z",
                                 window.end.to_utc_datetime().isoformat() + "Z"]}
        built = build_manifest(header, facts)
        states = [feed_state(f, commit_id, built["finished_at"]) for f in facts if f["fact"] == "feed"]
        files = [f for f in facts if f["fact"] == "file"]
        if getattr(pane, "index", 0) > 0 and not files and not states and not any(built["totals"].values()):
            return   # a late pane with nothing to commit
        commit(self.output, {"commit_id": commit_id, "files": files, "feed_states": states, "manifest": built},
               self.fence)
        if self.fence is not None and self.fence.detached:   # a job its launcher handed the lease to
            release_fence(self.output, self.fence)
        elif commit_id != self.run_id:
            self._housekeep()
        yield built

    def _housekeep(self):
        """A stream's windows: every `housekeeping_every` commits, compact, checkpoint and vacuum the
        tables, _runs and _lease here, where the lease is held (storage.housekeeping.housekeep)."""
        from transforms.storage.housekeeping import DEFAULT_RETENTION_HOURS, due, housekeep
        every = self.header.get("housekeeping_every")
        if not every or not due(self.output, every):
            return
        retention = self.header.get("vacuum_retention_hours")
        stats = housekeep(self.output, DEFAULT_RETENTION_HOURS if retention is None else retention, self.fence)
        beam.metrics.Metrics.counter("newsbeam", "housekeeping").inc()
        log.info("housekeeping of %s: %s", self.output, stats)


class CommitRun(beam.PTransform):
    """Facts (feed reports, outcomes, written files) -> one commit per window (the one global
    window in batch): every table's files, the feed state, then the run's row in DIR/_runs; each
    table's commit only while DIR's lease is still `fence`'s (None: no lease is checked). With
    `stable`, a window's facts are committed only once a completed checkpoint holds them (StableParDo)."""

    def __init__(self, output: str, run_id: str, header: dict, fence: Fence | None = None, stable: bool = False):
        super().__init__()
        self.output, self.run_id, self.header, self.fence, self.stable = output, run_id, header, fence, stable

    def expand(self, facts):
        pardo = StableParDo if self.stable else beam.ParDo
        return (
            facts
            | "Gather" >> beam.CombineGlobally(beam.combiners.ToListCombineFn()).without_defaults()
            | "Commit" >> pardo(_CommitFn(self.output, self.run_id, self.header, self.fence))
        )


class StableParDo(beam.ParDo):
    """A ParDo that requires stable input (Beam's @RequiresStableInput, which Python has no decorator
    for). Flink then holds each input until a checkpoint that contains it completes, and after a
    restore gives the step exactly the inputs of the restored checkpoint again. A commit id (window,
    pane) so names the same facts in every attempt, and skipping a committed id loses and doubles
    nothing; without it, panes committed after the last checkpoint are recomputed with other facts
    (a poll redone against a grown feed) under the same ids. Flink only: other runners refuse it."""

    def to_runner_api_parameter(self, context, **extra_kwargs):
        from apache_beam.portability import common_urns
        urn, payload = super().to_runner_api_parameter(context, **extra_kwargs)
        payload.requires_stable_input = True
        context.add_requirement(common_urns.requirements.REQUIRES_STABLE_INPUT.urn)
        return urn, payload


def commit(output: str, plan: dict, fence: Fence | None = None) -> None:
    """Make a run's (or window's) files visible, table by table, each in one Delta transaction.

    The plan is saved first (DIR/_commits/<id>.json), so a crash between two tables' commits is
    finished by the next run (recover); every transaction carries the commit id as an app
    transaction, so a table already committed is skipped. The row in DIR/_runs comes last, and
    readers show a commit's rows only once that row is there (storage.views). Before the plan and
    before each table, the lease must still be `fence`'s: a writer that lost it commits no more
    (LeaseLost), and the writer that took it over finishes or drops the plan."""
    check_fence(output, fence)
    pending = join(table_uri(output, PENDING_DIR), f"{plan['commit_id']}.json")
    write_bytes(pending, json.dumps(plan, default=str).encode("utf-8"))
    apply_plan(output, plan, fence)
    fs, path = filesystem(pending)
    fs.delete_file(path)


def apply_plan(output: str, plan: dict, fence: Fence | None = None) -> None:
    commit_id = plan["commit_id"]
    for name in COMMIT_ORDER:
        adds = [f for f in plan["files"] if f["table"] == name]
        if adds:
            check_fence(output, fence)
            commit_files(output, name, commit_id, adds)
    check_fence(output, fence)
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


def recover(output: str, fence: Fence | None = None) -> list[str]:
    """Finish the commits a crashed run left half done (DIR/_commits/*.json); returns their ids.

    A plan is finished only if every file it still has to add is there: one whose files are gone
    (deleted by hand, or by a vacuum of an older newsbeam that did not recover first) is dropped,
    not committed, since a table whose log names a missing file fails every query. A dropped plan
    is logged and kept as DIR/_commits/dropped/<id>.json; its rows already committed stay hidden,
    as its row in DIR/_runs never comes."""
    fs, root = filesystem(table_uri(output, PENDING_DIR))
    finished = []
    for info in fs.get_file_info(pafs.FileSelector(root, allow_not_found=True)):
        if not info.path.endswith(".json"):
            continue
        with fs.open_input_stream(info.path) as stream:
            plan = json.loads(stream.read())
        missing = missing_files(output, plan)
        if missing:
            log.error("dropping the interrupted commit %s: %d of its files are gone (%s)", plan["commit_id"],
                      len(missing), ", ".join(missing[:3]))
            fs.create_dir(join(root, "dropped"), recursive=True)
            fs.move(info.path, join(root, "dropped", info.base_name))
            continue
        log.warning("finishing the interrupted commit %s", plan["commit_id"])
        apply_plan(output, plan, fence)
        fs.delete_file(info.path)
        finished.append(plan["commit_id"])
    return finished


def missing_files(output: str, plan: dict) -> list[str]:
    """The files `plan` has yet to add (in tables that have not committed it) that are not on disk."""
    missing, committed = [], {}
    for f in plan["files"]:
        if f["table"] not in committed:
            table = open_table(output, f["table"])
            committed[f["table"]] = table is not None and _committed(table, plan["commit_id"])
        if committed[f["table"]]:
            continue
        fs, path = filesystem(join(table_uri(output, f["table"]), f["path"]))
        if fs.get_file_info(path).type == pafs.FileType.NotFound:
            missing.append(f"{f['table']}/{f['path']}")
    return missing
