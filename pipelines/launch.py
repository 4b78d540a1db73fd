"""The one launch sequence of every entry point that writes a dataset.

run, stream, compact, migrate and the Dataflow Flex launcher all start the same way, so a guarantee
added here reaches each of them:

    check the run id -> take the lease -> finish interrupted commits -> read the feed state

and hold the lease until the block ends.
"""

import contextlib
import dataclasses

from transforms.sources.polling import feed_request
from transforms.storage.commit import recover
from transforms.storage.layout import check_run_id
from transforms.storage.lease import Lease
from transforms.storage.runs import load_feed_state


@dataclasses.dataclass
class Launch:
    """What a writer knows once it holds DIR: its run id, the lease, the commits it finished, the feed state."""
    output: str
    run_id: str | None
    lease: Lease
    recovered: list[str]
    feed_state: dict[str, dict]

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
        recovered = recover(output)
        yield Launch(output, run_id, lease, recovered, load_feed_state(output))
