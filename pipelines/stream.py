"""Continuous mode: re-poll the feeds on a timer and commit what is new once per window.

The same stages as the batch graph, fed by a periodic impulse. Per-feed state keeps the
validators (ETag, Last-Modified) and per-article state what was already taken, so nothing is
fetched or written twice; fixed windows bound each commit (one Delta commit per table and a manifest per window),
so new articles are queryable within a window of being polled.
"""

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.transforms.window import FixedWindows

from pipelines.batch import IngestAndCommit, run_header
from pipelines.launch import launch
from pipelines.options import NewsbeamOptions, StreamOptions
from transforms.continuous import DropSeenBefore, PollFeeds
from transforms.storage.layout import new_run_id


def build(p: beam.Pipeline, feed_requests: list[dict], options: NewsbeamOptions, stream: StreamOptions,
          run_id: str, header: dict):
    polled = p | "PollFeeds" >> PollFeeds(feed_requests, stream.poll_interval, stream.duration, run_id,
                                          options.fetch_config())
    unique = polled.entries | "DropSeenBefore" >> DropSeenBefore(run_id, options.output, stream.state_ttl)
    streams = {"new": unique["new"], "duplicates": unique["duplicates"], "reports": polled.reports,
               "feed_errors": polled.errors, "entry_errors": unique["errors"]}
    windowed = {name: pcoll | f"Window{name.title().replace('_', '')}" >> beam.WindowInto(FixedWindows(stream.window))
                for name, pcoll in streams.items()}
    return windowed | "IngestAndCommit" >> IngestAndCommit(options, run_id, header)


def run(options: PipelineOptions, feed_urls: list[str]) -> str:
    """Run until stopped (or --duration); returns the run id, whose window commits are the rows
    <run_id>w<window start> of DIR/_runs."""
    nb, stream = options.view_as(NewsbeamOptions), options.view_as(StreamOptions)
    options.view_as(StandardOptions).streaming = True
    with launch(nb.output, "stream", nb.run_id or new_run_id()) as started:
        header = run_header(options, started.run_id, feed_urls, mode="stream", poll_interval=stream.poll_interval,
                            window=stream.window)
        with beam.Pipeline(options=options) as p:
            build(p, started.feed_requests(feed_urls), nb, stream, started.run_id, header)
    return started.run_id
