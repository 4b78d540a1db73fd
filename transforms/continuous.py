"""The stages that differ in continuous mode: polling on a timer, and remembering what was seen.

Both keep per-key state in the global window, so what a feed answered and which articles were
taken survive from one poll to the next; everything downstream is windowed and committed per window.
"""

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.coders import PickleCoder
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec
from apache_beam.utils.timestamp import MAX_TIMESTAMP, Timestamp

from transforms import progress
from transforms.dataset import ingested_article_ids
from transforms.ingest import DUPLICATES, ERRORS, REPORTS, _FetchFeedFn, _KeyEntryFn


class _PollWithMemoryFn(_FetchFeedFn):
    """A feed poll that sends the validators and URL the previous poll of this feed left behind."""

    MEMORY = ReadModifyWriteStateSpec("feed", PickleCoder())

    def process(self, keyed, memory=beam.DoFn.StateParam(MEMORY)):
        _, request = keyed
        remembered = memory.read()
        if remembered:
            request = {**request, **remembered}
        for output in super().process(request):
            report = output.value if isinstance(output, pvalue.TaggedOutput) and output.tag == REPORTS else None
            if report and report["status"] != "error":
                memory.write({k: report.get(k) for k in ("fetch_url", "etag", "last_modified")})
            yield output


class PollFeeds(beam.PTransform):
    """Every `interval` seconds (until `duration` runs out, if given), poll each feed: entries,
    `errors` and `reports`, each stamped with the time of its poll."""

    def __init__(self, requests: list[dict], interval: float, duration: float | None, run_id: str, fetch_config):
        super().__init__()
        self.requests, self.interval, self.duration = requests, interval, duration
        self.run_id, self.fetch_config = run_id, fetch_config

    def expand(self, pbegin):
        requests = self.requests
        start = Timestamp.now()
        stop = start + self.duration if self.duration else MAX_TIMESTAMP
        return (
            pbegin
            | "Every" >> PeriodicImpulse(start_timestamp=start, stop_timestamp=stop, fire_interval=self.interval)
            | "EachFeed" >> beam.FlatMap(lambda _: [(r["feed_url"], r) for r in requests])
            | "Poll" >> beam.ParDo(_PollWithMemoryFn(self.run_id, self.fetch_config))
            .with_outputs(ERRORS, REPORTS, main="entries")
        )


class _FirstSightingFn(beam.DoFn):
    """Passes an article's entry the first time it is seen; later sightings are duplicates."""

    SEEN = ReadModifyWriteStateSpec("seen", PickleCoder())

    def __init__(self, output: str):
        self.output = output

    def setup(self):
        # What earlier runs ingested counts as seen, so a restart writes nothing twice.
        self.ingested = ingested_article_ids(self.output)

    def process(self, keyed, seen=beam.DoFn.StateParam(SEEN)):
        key, entry = keyed
        if seen.read() or key in self.ingested:
            progress.count("duplicates")
            yield pvalue.TaggedOutput(DUPLICATES, entry)
            return
        seen.write(True)
        yield {**entry, "article_id": key}


class DropSeenBefore(beam.PTransform):
    """Entries -> entries of articles never seen before (in this stream or the dataset), `duplicates`
    and `errors`; the streaming counterpart of DropDuplicates, with state instead of a GroupByKey."""

    def __init__(self, run_id: str, output: str):
        super().__init__()
        self.run_id, self.output = run_id, output

    def expand(self, entries):
        keyed = entries | "KeyByArticle" >> beam.ParDo(_KeyEntryFn(self.run_id)).with_outputs(ERRORS, main="keyed")
        fresh = keyed.keyed | "FirstSighting" >> beam.ParDo(_FirstSightingFn(self.output)).with_outputs(
            DUPLICATES, main="new")
        return {"new": fresh.new, DUPLICATES: fresh[DUPLICATES], ERRORS: keyed[ERRORS]}
