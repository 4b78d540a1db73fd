"""The batch pipeline: poll feeds once, ingest what is new, commit the tables and the run's manifest."""

import datetime as dt

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipelines.options import NewsbeamOptions
from schemas import SCHEMA_VERSION
from pipelines.launch import launch, run_to_end
from transforms.enrich import ExtractFigures, ExtractQuotes
from transforms.ingest import DropDuplicates, ExtractArticles, FetchPages, ReadArchives
from transforms.sources.polling import FetchFeeds
from transforms.storage.commit import CommitRun
from transforms.storage.files import WriteDataset
from transforms.storage.layout import new_run_id
from transforms.storage.lease import Fence
from transforms.storage.runs import manifest


def _keyed_by_feed(outcome: str):
    return lambda element: ((element["feed_url"], outcome), 1)


class CountOutcomes(beam.PTransform):
    """{outcome: elements} -> one manifest fact per feed and outcome: how many of the feed's entries
    ended that way. One combine for all outcomes: each extra one would cost the run a shuffle stage."""

    def expand(self, streams):
        keyed = [elements | f"Key{outcome.title()}" >> beam.Map(_keyed_by_feed(outcome))
                 for outcome, elements in streams.items()]
        return (
            keyed
            | "AllOutcomes" >> beam.Flatten()
            | "CountPerFeed" >> beam.CombinePerKey(sum)
            | "AsFact" >> beam.MapTuple(lambda key, n: {"fact": "outcome", "feed_url": key[0],
                                                        "outcome": key[1], "count": n})
        )


class IngestAndCommit(beam.PTransform):
    """New entries -> pages -> articles, quotes, figures; every stream written as files, then all
    committed at once with the manifest (one commit per table per run or window). Takes a dict of PCollections: new, duplicates, reports, the error streams
    feed_errors and entry_errors (entries that failed before their page was fetched), and
    optionally retried (entries of earlier runs tried again). The commit checks `fence`, the
    lease the launch took (storage.lease)."""

    def __init__(self, options: NewsbeamOptions, run_id: str, header: dict, fence: Fence | None = None):
        super().__init__()
        self.options, self.run_id, self.header, self.fence = options, run_id, header, fence

    def expand(self, streams):
        options, run_id, output = self.options, self.run_id, self.options.output
        config = options.fetch_config()
        pages = streams["new"] | "FetchPages" >> FetchPages(config, options.fetch_threads, not options.ignore_robots)
        extracted = pages | "ExtractArticles" >> ExtractArticles(run_id)
        articles = extracted.articles
        quotes = articles | "ExtractQuotes" >> ExtractQuotes(run_id, options.min_quote_confidence,
                                                             options.mixed_quote_spans)
        figures = articles | "ExtractFigures" >> ExtractFigures(run_id)

        entry_errors = (streams["entry_errors"], extracted.errors) | "EntryErrors" >> beam.Flatten()
        errors = (streams["feed_errors"], entry_errors, quotes.errors, figures.errors) | "AllErrors" >> beam.Flatten()
        files = [
            articles | "WriteArticles" >> WriteDataset(output, "articles", run_id),
            quotes.quotes | "WriteQuotes" >> WriteDataset(output, "quotes", run_id),
            figures.figures | "WriteFigures" >> WriteDataset(output, "figures", run_id),
            errors | "WriteErrors" >> WriteDataset(output, "errors", run_id),
        ]
        ended = {"articles": articles, "duplicates": streams["duplicates"], "errors": entry_errors}
        if "retried" in streams:
            ended["retried"] = streams["retried"]
        outcomes = ended | "CountOutcomes" >> CountOutcomes()
        file_facts = files | "Files" >> beam.Flatten() | "FileFacts" >> beam.Map(lambda f: {"fact": "file", **f})
        kinds = (errors
                 | "KeyErrorKinds" >> beam.Map(lambda row: (row["error_kind"] or "unknown", 1))
                 | "CountErrorKinds" >> beam.CombinePerKey(sum)
                 | "ErrorKindFacts" >> beam.MapTuple(lambda kind, n: {"fact": "error_kind", "kind": kind, "count": n}))
        # One fact per article and task newsbeam had no rules for (the article's language): the manifest's not_analysed.
        return ((streams["reports"], file_facts, outcomes, kinds, quotes.not_analysed, figures.not_analysed)
                | "Facts" >> beam.Flatten()
                | "Commit" >> CommitRun(output, run_id, self.header, self.fence))


def build(p: beam.Pipeline, feed_requests: list[dict], options: NewsbeamOptions, run_id: str, header: dict,
          retry_entries: list[dict] = (), archives: list[str] = (), fence: Fence | None = None):
    """The batch graph: poll each feed or sitemap once (see feed_request), read each web archive, add
    the entries to retry, drop what is already known, ingest and commit."""
    fetched = p | "FeedRequests" >> beam.Create(feed_requests) | "FetchFeeds" >> FetchFeeds(
        run_id, options.fetch_config(), options.date_window())
    read = p | "ArchivePaths" >> beam.Create(list(archives)) | "ReadArchives" >> ReadArchives(
        run_id, options.fetch_config(), options.record_filter())
    retried = p | "RetryEntries" >> beam.Create(list(retry_entries))
    entries = (fetched.entries, read.entries, retried) | "AllEntries" >> beam.Flatten()
    unique = entries | "DropDuplicates" >> DropDuplicates(run_id, options.output)
    streams = {"new": unique["new"], "duplicates": unique["duplicates"], "retried": retried,
               "reports": (fetched.reports, read.reports) | "AllReports" >> beam.Flatten(),
               "feed_errors": (fetched.errors, read.errors) | "SourceErrors" >> beam.Flatten(),
               "entry_errors": unique["errors"]}
    return streams | "IngestAndCommit" >> IngestAndCommit(options, run_id, header, fence)


def run_header(options: PipelineOptions, run_id: str, feed_urls: list[str], **extra) -> dict:
    nb = options.view_as(NewsbeamOptions)
    return {
        "run_id": run_id,
        "schema_version": SCHEMA_VERSION,
        "started_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "output": nb.output,
        "runner": options.view_as(StandardOptions).runner or "DirectRunner",
        "feeds_requested": feed_urls,
        **extra,
        "options": {k: v for k, v in options.get_all_options(drop_default=True).items() if k != "feeds"},
    }


def run(options: PipelineOptions, feed_urls: list[str], retry_entries: list[dict] = (),
        archives: list[str] = ()) -> dict:
    """Run one batch ingest of feeds, sitemaps and web archives, and return its manifest."""
    nb = options.view_as(NewsbeamOptions)
    # One writer at a time: two runs would both take the same new articles, and the second's
    # feed validators would hide the first's entries from the next poll.
    with launch(nb.output, "run", nb.run_id or new_run_id()) as started:
        header = run_header(options, started.run_id, feed_urls, entries_retried=len(retry_entries),
                            archives_requested=list(archives))
        p = beam.Pipeline(options=options)
        build(p, started.feed_requests(feed_urls), nb, started.run_id, header, retry_entries, archives, started.fence)
        run_to_end(p)
        return manifest(nb.output, started.run_id)
