"""The stages that differ in continuous mode: polling on a timer, and remembering what was seen.

Both keep per-key state in the global window, so what a feed answered and which articles were
taken survive from one poll to the next; everything downstream is windowed and committed per window.
"""

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.coders import PickleCoder
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import MAX_TIMESTAMP, Timestamp

from transforms import progress
from transforms.ingest import DUPLICATES, KNOWN, DropKnownFn, _all_known, _KeyEntryFn
from transforms.records import ERRORS, REPORTS
from transforms.sources.polling import FetchFeedFn


class _PollWithMemoryFn(FetchFeedFn):
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
    """Passes an article's entry the first time it is seen; later sightings are duplicates. What
    was seen is forgotten `ttl` seconds (event time) after the first sighting, so state holds the
    articles of the recent past only; DropKnownFn upstream still drops those committed since."""

    SEEN = ReadModifyWriteStateSpec("seen", PickleCoder())
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, ttl: float):
        self.ttl = ttl

    def process(self, keyed, seen=beam.DoFn.StateParam(SEEN), expiry=beam.DoFn.TimerParam(EXPIRY),
                timestamp=beam.DoFn.TimestampParam):
        key, entry = keyed
        if seen.read():
            progress.count("duplicates")
            yield pvalue.TaggedOutput(DUPLICATES, entry)
            return
        seen.write(True)
        expiry.set(timestamp + self.ttl)
        yield {**entry, "article_id": key}

    @on_timer(EXPIRY)
    def forget(self, seen=beam.DoFn.StateParam(SEEN)):
        seen.clear()


class DropSeenBefore(beam.PTransform):
    """Entries -> entries of articles never seen before (in this stream or the dataset), `duplicates`
    and `errors`; the streaming counterpart of DropDuplicates, with state instead of a GroupByKey."""

    def __init__(self, run_id: str, output: str, ttl: float):
        super().__init__()
        self.run_id, self.output, self.ttl = run_id, output, ttl

    def expand(self, entries):
        keyed = entries | "KeyByArticle" >> beam.ParDo(_KeyEntryFn(self.run_id)).with_outputs(ERRORS, main="keyed")
        checked = (
            keyed.keyed
            | "DropIngested" >> beam.ParDo(DropKnownFn(self.output)).with_outputs(KNOWN, main="fresh")
        )
        ingested = checked[KNOWN] | "IngestedBefore" >> beam.FlatMap(lambda entry: _all_known([entry]))
        fresh = checked.fresh | "FirstSighting" >> beam.ParDo(_FirstSightingFn(self.ttl)).with_outputs(
            DUPLICATES, main="new")
        duplicates = (fresh[DUPLICATES], ingested) | "AllDuplicates" >> beam.Flatten()
        return {"new": fresh.new, DUPLICATES: duplicates, ERRORS: keyed[ERRORS]}
