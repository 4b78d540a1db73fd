"""The batch pipeline: poll feeds once, ingest what is new, commit the tables and the run's manifest."""

import datetime as dt
import itertools

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
from transforms.storage.deferred import pending_parts, read_chunk, remove_chunk, remove_empty_runs, write_chunk
from transforms.storage.lease import Fence
from transforms.storage.runs import combined, manifest, manifests


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
    optionally retried (entries of earlier runs tried again), resumed (entries an earlier commit
    deferred) and deferred (new entries left to a later commit). The commit checks `fence`, the
    lease the launch took (storage.lease)."""

    def __init__(self, options: NewsbeamOptions, run_id: str, header: dict, fence: Fence | None = None,
                 stable: bool = False):
        super().__init__()
        self.options, self.run_id, self.header, self.fence = options, run_id, header, fence
        self.stable = stable   # commit only checkpointed facts (storage.commit.StableParDo): Flink streams

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
        ended = {"articles": articles, "duplicates": streams["duplicates"], "errors": entry_errors,
                 **{name: streams[name] for name in ("retried", "resumed", "deferred") if name in streams}}
        outcomes = ended | "CountOutcomes" >> CountOutcomes()
        file_facts = files | "Files" >> beam.Flatten() | "FileFacts" >> beam.Map(lambda f: {"fact": "file", **f})
        kinds = (errors
                 | "KeyErrorKinds" >> beam.Map(lambda row: (row["error_kind"] or "unknown", 1))
                 | "CountErrorKinds" >> beam.CombinePerKey(sum)
                 | "ErrorKindFacts" >> beam.MapTuple(lambda kind, n: {"fact": "error_kind", "kind": kind, "count": n}))
        # One fact per article and task newsbeam had no rules for (the article's language): the manifest's not_analysed.
        return ((streams["reports"], file_facts, outcomes, kinds, quotes.not_analysed, figures.not_analysed)
                | "Facts" >> beam.Flatten()
                | "Commit" >> CommitRun(output, run_id, self.header, self.fence, self.stable))


class TakePart(beam.PTransform):
    """New entries -> `new`, the first `size` of them by article id (this commit's part), and
    `deferred`, the rest, saved in DIR/_deferred/<run_id>/ (storage.deferred) for the run's next
    commits: one fact per saved chunk, so the commit waits until they are all written."""

    def __init__(self, output: str, run_id: str, size: int):
        super().__init__()
        self.output, self.run_id, self.size = output, run_id, size

    def expand(self, new):
        size, output, run_id = self.size, self.output, self.run_id
        smallest = (new | "ArticleIds" >> beam.Map(lambda entry: entry["article_id"])
                    | "FirstIds" >> beam.combiners.Top.Smallest(size))
        # The largest id of this part, or None when there are no more than `size` new entries.
        last = smallest | "LastId" >> beam.Map(lambda ids: ids[-1] if len(ids) >= size else None)
        split = new | "Split" >> beam.FlatMap(_part_or_deferred, beam.pvalue.AsSingleton(last)).with_outputs(
            "deferred", main="new")
        # Chunks of up to `size` entries as they come (no shuffle, no timer: the FnApiRunner runs it).
        saved = (split.deferred
                 | "Chunks" >> beam.BatchElements(min_batch_size=size, max_batch_size=size)
                 | "SaveChunk" >> beam.Map(lambda entries: {"fact": "deferred_chunk",
                                                            "path": write_chunk(output, run_id, entries)}))
        return {"new": split.new, "deferred": split.deferred, "saved": saved}


def _part_or_deferred(entry: dict, last: str | None):
    if last is None or entry["article_id"] <= last:
        yield entry
    else:
        yield beam.pvalue.TaggedOutput("deferred", entry)


def build(p: beam.Pipeline, feed_requests: list[dict], options: NewsbeamOptions, run_id: str, header: dict,
          retry_entries: list[dict] = (), archives: list[str] = (), fence: Fence | None = None,
          chunks: list[str] = ()):
    """The batch graph: poll each feed or sitemap once (see feed_request), read each web archive, add
    the entries to retry and the chunks of deferred entries to resume, drop what is already known,
    take at most --commit_every of the new entries (the rest deferred), ingest and commit."""
    fetched = p | "FeedRequests" >> beam.Create(feed_requests) | "FetchFeeds" >> FetchFeeds(
        run_id, options.fetch_config(), options.date_window())
    read = p | "ArchivePaths" >> beam.Create(list(archives)) | "ReadArchives" >> ReadArchives(
        run_id, options.fetch_config(), options.record_filter())
    retried = p | "RetryEntries" >> beam.Create(list(retry_entries))
    resumed = p | "DeferredChunks" >> beam.Create(list(chunks)) | "ReadChunks" >> beam.FlatMap(read_chunk)
    entries = (fetched.entries, read.entries, retried, resumed) | "AllEntries" >> beam.Flatten()
    unique = entries | "DropDuplicates" >> DropDuplicates(run_id, options.output)
    streams = {"new": unique["new"], "duplicates": unique["duplicates"], "retried": retried, "resumed": resumed,
               "reports": (fetched.reports, read.reports) | "AllReports" >> beam.Flatten(),
               "feed_errors": (fetched.errors, read.errors) | "SourceErrors" >> beam.Flatten(),
               "entry_errors": unique["errors"]}
    if options.commit_every and not chunks:   # a part of deferred entries is already about that size
        part = unique["new"] | "TakePart" >> TakePart(options.output, run_id, options.commit_every)
        streams.update(new=part["new"], deferred=part["deferred"],
                       reports=(streams["reports"], part["saved"]) | "ReportsAndChunks" >> beam.Flatten())
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
    """Run one batch ingest of feeds, sitemaps and web archives, and return its manifest: that of
    all its commits, one per --commit_every new articles (storage.deferred)."""
    nb = options.view_as(NewsbeamOptions)
    # One writer at a time: two runs would both take the same new articles, and the second's
    # feed validators would hide the first's entries from the next poll.
    with launch(nb.output, "run", nb.run_id or new_run_id()) as started:
        header = run_header(options, started.run_id, feed_urls, entries_retried=len(retry_entries),
                            archives_requested=list(archives))
        parts, numbers = [], itertools.count(2)

        def commit_deferred():   # the deferred entries, --commit_every at a time, each part a commit
            committed = {m["run_id"] for m in manifests(nb.output)}
            for chunks in pending_parts(nb.output, committed, nb.commit_every or 1):
                commit_id = f"{started.run_id}p{next(numbers)}"
                part_header = {**header, "run_id": commit_id, "part_of": started.run_id,
                               "started_at": dt.datetime.now(dt.timezone.utc).isoformat()}
                _run_graph(options, lambda p: build(p, [], nb, commit_id, part_header, fence=started.fence,
                                                     chunks=chunks))
                for chunk in chunks:
                    remove_chunk(chunk)
                parts.append(manifest(nb.output, commit_id))

        commit_deferred()   # first what an earlier run left when it was stopped between its commits
        _run_graph(options, lambda p: build(p, started.feed_requests(feed_urls), nb, started.run_id, header,
                                            retry_entries, archives, started.fence))
        parts.insert(0, manifest(nb.output, started.run_id))
        commit_deferred()
        remove_empty_runs(nb.output)
        return combined(parts)


def _run_graph(options: PipelineOptions, graph) -> None:
    p = beam.Pipeline(options=options)
    graph(p)
    run_to_end(p)
