"""Continuous mode: re-poll the feeds on a timer and commit what is new once per window.

The same stages as the batch graph, fed by a periodic impulse. Per-feed state keeps the
validators (ETag, Last-Modified) and per-article state what was already taken, so nothing is
fetched or written twice; fixed windows bound each commit (one Delta commit per table and a manifest per window),
so new articles are queryable within a window of being polled. Every --housekeeping_every
window commits, the commit step compacts, checkpoints and vacuums the tables too (it holds the lease).
On Flink the state is checkpointed every --checkpointing_interval ms (docs/continuous.md).
"""

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.transforms.trigger import AccumulationMode, AfterProcessingTime, AfterWatermark
from apache_beam.transforms.window import FixedWindows
from apache_beam.utils.timestamp import Duration

from pipelines.batch import IngestAndCommit, run_header
from pipelines.launch import launch, run_to_end
from pipelines.options import DEFAULT_CHECKPOINTING_INTERVAL_MS, NewsbeamOptions, StreamOptions
from transforms.continuous import DropSeenBefore, PollFeeds
from transforms.storage.layout import new_run_id
from transforms.storage.lease import Fence

LATENESS = 30   # windows: how long after its end a window still takes late facts


def build(p: beam.Pipeline, feed_requests: list[dict], options: NewsbeamOptions, stream: StreamOptions,
          run_id: str, header: dict, fence: Fence | None = None):
    polled = p | "PollFeeds" >> PollFeeds(feed_requests, stream.poll_interval, stream.duration, run_id,
                                          options.fetch_config())
    unique = polled.entries | "DropSeenBefore" >> DropSeenBefore(run_id, options.output, stream.state_ttl)
    streams = {"new": unique["new"], "duplicates": unique["duplicates"], "reports": polled.reports,
               "feed_errors": polled.errors, "entry_errors": unique["errors"]}
    # A window's facts that reach the commit after the watermark passed its end (seen on Flink: pages
    # still being fetched and extracted when the next polls move the watermark on) are not dropped:
    # they fire as late panes, each with only its own facts (discarding), committed as a commit of
    # their own (storage.commit._CommitFn), for up to LATENESS windows after the window's end.
    # (Whole seconds: the runner API refuses a float delay.)
    windowing = dict(trigger=AfterWatermark(late=AfterProcessingTime(int(min(stream.window, 10)))),
                     accumulation_mode=AccumulationMode.DISCARDING,
                     allowed_lateness=Duration(seconds=int(LATENESS * stream.window)))
    windowed = {name: pcoll | f"Window{name.title().replace('_', '')}" >> beam.WindowInto(
                    FixedWindows(stream.window), **windowing)
                for name, pcoll in streams.items()}
    return windowed | "IngestAndCommit" >> IngestAndCommit(options, run_id, header, fence, stable_commits(p.options))


def stable_commits(options: PipelineOptions) -> bool:
    """Whether window commits wait for a completed checkpoint (storage.commit.StableParDo): on Flink
    with checkpoints on. Without it, a window committed between the last checkpoint and a lost
    worker is recomputed after the restore with other facts under the same commit ids."""
    runner = (options.view_as(StandardOptions).runner or "").lower()
    return "flink" in runner and (options.view_as(StreamOptions).checkpointing_interval or 0) > 0


def run(options: PipelineOptions, feed_urls: list[str]) -> str:
    """Run until stopped (or --duration); returns the run id, whose window commits are the rows
    <run_id>w<window start> of DIR/_runs."""
    nb, stream = options.view_as(NewsbeamOptions), options.view_as(StreamOptions)
    options.view_as(StandardOptions).streaming = True
    if stream.checkpointing_interval is None:
        # Flink reads it (Beam's FlinkPipelineOptions.checkpointingInterval); other runners ignore it.
        stream.checkpointing_interval = DEFAULT_CHECKPOINTING_INTERVAL_MS
    if stable_commits(options):
        # A stream that ends commits the windows still waiting for a checkpoint.
        stream.enable_stable_input_drain = True
        # Flink holds what a bundle open at a checkpoint outputs until that operator's next bundle or
        # watermark. The impulse's stage gets one element and no watermark (apache/beam#29558), so a
        # checkpoint during its only bundle held the first poll back until the stream ended.
        stream.finish_bundle_before_checkpointing = True
    if stream.duration and stream.shutdown_sources_after_idle_ms is None:
        # On Flink a checkpointed job's sources stay up for ever (checkpoints stop once one has
        # finished), so a stream with --duration would never end: its impulse source stops after the
        # duration (counted from the job's start, so a little after the last poll).
        stream.shutdown_sources_after_idle_ms = int(stream.duration * 1000)
    with launch(nb.output, "stream", nb.run_id or new_run_id()) as started:
        header = run_header(options, started.run_id, feed_urls, mode="stream", poll_interval=stream.poll_interval,
                            window=stream.window, housekeeping_every=stream.housekeeping_every,
                            vacuum_retention_hours=stream.vacuum_retention_hours)
        p = beam.Pipeline(options=options)
        build(p, started.feed_requests(feed_urls), nb, stream, started.run_id, header, started.fence)
        run_to_end(p)
    return started.run_id
