"""The one launch sequence of every entry point that writes a dataset.

run, stream, compact, migrate and the Dataflow Flex launcher all start the same way, so a guarantee
added here reaches each of them:

    check the run id -> take the fenced lease -> finish interrupted commits -> read the feed state

and hold the lease until the block ends. The pipeline's commit step checks the lease's fence
(`Launch.fence`) before each table, so a writer that lost the lease commits nothing.
"""

import contextlib
import dataclasses
import functools
import json
import logging
import signal
import threading
import urllib.request

from transforms.sources.polling import feed_request
from transforms.storage.commit import recover
from transforms.storage.layout import check_run_id
from transforms.storage.lease import Fence, Lease
from transforms.storage.runs import load_feed_state

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Launch:
    """What a writer knows once it holds DIR: its run id, the lease, the commits it finished, the feed state."""
    output: str
    run_id: str | None
    lease: Lease
    recovered: list[str]

    @functools.cached_property
    def feed_state(self) -> dict[str, dict]:
        """feed_url -> its newest committed state: read when a writer polls feeds (compact and migrate never do)."""
        return load_feed_state(self.output)

    @property
    def fence(self) -> Fence:
        return self.lease.fence

    def feed_requests(self, feed_urls: list[str]) -> list[dict]:
        """Each feed's request, with the URL and validators its last poll left behind."""
        return [feed_request(url, self.feed_state.get(url)) for url in feed_urls]


@contextlib.contextmanager
def launch(output: str, purpose: str, run_id: str | None = None):
    """Hold DIR's lease for `purpose` (run, stream, compact, migrate) for the block; yields a Launch.

    The run id of a run or stream is checked before anything is taken (InvalidRunId); DatasetBusy
    when another writer holds the lease."""
    if run_id is not None:
        check_run_id(output, run_id)
    with Lease(output, purpose) as lease:
        recovered = recover(output, lease.fence)
        yield Launch(output, run_id, lease, recovered)
        if lease.lost:   # the renewal found another writer: this one's commits were refused
            raise lease.lost


def run_to_end(pipeline) -> None:
    """Run `pipeline` and wait for it; if the wait is interrupted (Ctrl-C, a signal, an error), cancel
    the job first: on a cluster runner it would otherwise go on without the lease its launcher held.

    Beam's job-server wrapper installs its own SIGINT handler, which stops the job server before we
    could cancel through it; Python's own handler is put back once the job is submitted, so Ctrl-C
    raises here while the job server is still up. On Flink the job server's cancel only stops its
    client, so the job is also cancelled through Flink's REST API."""
    result = pipeline.run()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result.wait_until_finish()
    except BaseException:
        _cancel_on_flink(pipeline, result)
        _cancel(result)
        raise


def _cancel(result) -> None:
    from apache_beam.runners.runner import PipelineState
    try:
        if not PipelineState.is_terminal(result.state):
            result.cancel()
            result.wait_until_finish(duration=60_000)
    except Exception:  # a runner that cannot cancel (the local ones have finished by now)
        log.warning("could not cancel the pipeline", exc_info=True)


def _cancel_on_flink(pipeline, result) -> None:
    """Cancel the job of `result` on the Flink cluster of --flink_master (by the job's name), if any."""
    from apache_beam.options.pipeline_options import FlinkRunnerOptions
    master = pipeline.options.view_as(FlinkRunnerOptions).flink_master
    name = (getattr(result, "_job_id", "") or "").split("_")[0]
    if not master or master.startswith("[") or not name:
        return
    base = master if "://" in master else f"http://{master}"
    try:
        with urllib.request.urlopen(f"{base}/jobs/overview", timeout=10) as response:
            jobs = json.load(response)["jobs"]
        for job in jobs:
            if job["name"] == name and job["state"] not in ("FINISHED", "FAILED", "CANCELED"):
                urllib.request.urlopen(urllib.request.Request(f"{base}/jobs/{job['jid']}?mode=cancel",
                                                              method="PATCH"), timeout=10)
    except (OSError, ValueError, KeyError):
        log.warning("could not cancel the Flink job %s on %s", name, master, exc_info=True)
