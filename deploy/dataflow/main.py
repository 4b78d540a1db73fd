"""The Dataflow Flex Template's launcher: submits one newsbeam batch run and returns.

The Flex Template launcher VM runs this file (FLEX_TEMPLATE_PYTHON_PY_FILE in the Dockerfile) with
the template's parameters as `--name=value` pipeline options. It does what `newsbeam run` does
before its pipeline starts (pipelines.launch: take the lease, finish interrupted commits, read the
feed state for conditional GETs), builds the same graph with pipelines.batch.build, and submits it
without waiting: the job itself commits its tables and its row of DIR/_runs when it finishes, so
there is nothing for the launcher to read afterwards. The lease goes with the job: the launcher
hands it over for LEASE_HOURS (no other writer meanwhile), and the job's commit checks it and
releases it.

Template parameters arrive as one string each, so --feeds takes feed URLs and feed-list files
separated by commas or whitespace; a feed-list file may be on any Beam filesystem (gs://...).

Usable outside a template too (python deploy/dataflow/main.py --runner=DataflowRunner ...), but
`newsbeam run --runner=DataflowRunner ...` is simpler there: it waits and prints the run summary.
"""

import logging
import os
import re
import sys
import tempfile

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import batch
from pipelines.launch import launch
from pipelines.options import NewsbeamOptions
from pipelines.sources import read_sources
from transforms.sources.polling import feed_request
from transforms.storage.layout import InvalidRunId, new_run_id
from transforms.storage.lease import DatasetBusy

log = logging.getLogger("newsbeam.dataflow")
# How long the job may take before its lease expires (a job that died leaves the dataset busy this long).
LEASE_HOURS = 6


def split_feeds(values: list[str] | None) -> list[str]:
    """--feeds as given to a template ("URL,URL" or "URL URL") or on a command line (several values)."""
    return [part for value in values or [] for part in re.split(r"[,\s]+", value) if part]


def feed_urls(sources: list[str], workdir: str) -> list[str]:
    """Feed URLs from URLs and feed-list files; files on a Beam filesystem are copied to workdir first."""
    local = []
    for number, source in enumerate(sources):
        if "://" in source and not source.lower().startswith(("http://", "https://")):
            path = os.path.join(workdir, f"feeds-{number}-{os.path.basename(source) or 'list'}")
            with FileSystems.open(source) as remote, open(path, "wb") as copy:
                copy.write(remote.read())
            source = path
        local.append(source)
    return read_sources(local)


def build_pipeline(options: PipelineOptions, urls: list[str], state: dict | None = None,
                   run_id: str | None = None, fence=None) -> tuple[beam.Pipeline, str]:
    """The batch graph for `urls`, constructed (not run) on a pipeline with `options`; its commit
    checks `fence` (the lease the launcher handed to the job)."""
    nb = options.view_as(NewsbeamOptions)
    nb.commit_every = 0   # a template launches one job, which commits once (no later parts to take the rest)
    run_id = run_id or nb.run_id or batch.new_run_id()
    header = batch.run_header(options, run_id, urls, entries_retried=0, launcher="dataflow-flex-template")
    requests = [feed_request(url, (state or {}).get(url)) for url in urls]
    p = beam.Pipeline(options=options)
    batch.build(p, requests, nb, run_id, header, fence=fence)
    return p, run_id


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    options = PipelineOptions(sys.argv[1:] if argv is None else argv)
    nb = options.view_as(NewsbeamOptions)
    if not nb.feeds or not nb.output:
        log.error("the feeds and output parameters are required")
        return 2
    with tempfile.TemporaryDirectory(prefix="newsbeam-feeds-") as workdir:
        urls = feed_urls(split_feeds(nb.feeds), workdir)
    try:
        # The launch sequence every writer goes through: lease, interrupted commits finished, feed state.
        # The job outlives this launcher, so the lease is handed to it (detached): kept for
        # LEASE_HOURS without renewal, checked by the job's commit, released by it once committed.
        with launch(nb.output, "run", nb.run_id or new_run_id()) as started:
            fence = started.lease.detach(LEASE_HOURS * 3600)
            p, run_id = build_pipeline(options, urls, started.feed_state, started.run_id, fence)
            result = p.run()  # submit; no wait_until_finish: the job commits its tables and manifest itself
    except (InvalidRunId, DatasetBusy) as exc:
        log.error("%s", exc)
        return 2
    log.info("submitted newsbeam run %s (%d feeds) -> %s; its manifest will be the row %s of %s", run_id,
             len(urls), nb.output, run_id, f"{nb.output.rstrip('/')}/_runs")
    job_id = getattr(result, "job_id", None)
    if callable(job_id) and getattr(result, "has_job", False):
        log.info("Dataflow job id: %s", job_id())
    return 0


if __name__ == "__main__":
    sys.exit(main())
