"""The stages that differ in continuous mode: polling on a timer, and remembering what was seen.

Both keep per-key state in the global window, so what a feed answered and which articles were
taken survive from one poll to the next (and, on Flink with checkpointing, a lost worker: the state
is restored from the last checkpoint); everything downstream is windowed and committed per window.

The already-ingested check does not rescan the dataset: each worker holds a compact index of the
article ids the dataset holds (KnownIds: 8 bytes an id, loaded once) and brings it up to date by
reading only the Delta commits added since it last looked, so a window's cost does not grow with
the dataset (bench/stream.py).
"""

import json
import logging
import threading
import time
import typing
import urllib.parse

import apache_beam as beam
import numpy as np
import pyarrow.dataset as pads
from apache_beam import pvalue
from apache_beam.coders import PickleCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import MAX_TIMESTAMP, Timestamp

from transforms import progress
from transforms.ingest import DUPLICATES, KNOWN, _all_known, _KeyEntryFn
from transforms.records import ERRORS, REPORTS
from transforms.sources.polling import FetchFeedFn
from transforms.storage.layout import filesystem, join, native_paths, open_table, table_uri

log = logging.getLogger(__name__)


def should_poll(last_polled: float | None, now: float, interval: float) -> bool:
    """Whether a feed last polled at `last_polled` is polled again at `now`: not within half an
    interval of its last poll. PeriodicImpulse emits at once every impulse it missed (a job that
    restarts from a checkpoint, or from nothing, or that fell behind): those all arrive within
    moments, and only the first of them polls. Impulses late by any amount but spaced out still
    poll, each one."""
    return last_polled is None or now - last_polled >= interval / 2


def _each_feed(impulse, requests: list[dict]):
    for request in requests:
        yield request["feed_url"], request


def _id_numbers(ids) -> np.ndarray:
    """Article ids (16 hex digits, transforms.urls.article_id) as unsigned 64-bit integers."""
    return np.array([int(i, 16) for i in ids], dtype=np.uint64)


class KnownIds:
    """The article ids DIR's articles table holds, as a sorted array of 64-bit numbers (8 bytes an
    id: a million ids are 8 MB), loaded once from the table's files and then kept current by
    reading only the commits that came after (their `add` actions in DIR/articles/_delta_log).

    A compaction's adds (dataChange false) re-add rows already there and are skipped; a log that
    cannot be followed (its next entry gone while later ones exist) is loaded again whole."""

    MERGE_AT = 50_000   # recent ids wait in a set; merged into the array when they reach this many

    def __init__(self, output: str):
        self.output = output
        self.version = -1
        self.ids = np.empty(0, dtype=np.uint64)
        self.recent: set[int] = set()
        self.loads = 0          # whole loads (1 unless the log could not be followed)
        self.commits_read = 0   # commits read one by one since
        self.lock = threading.Lock()

    def __len__(self):
        return len(self.ids) + len(self.recent)

    def nbytes(self) -> int:
        return self.ids.nbytes + 48 * len(self.recent)

    def refresh(self) -> None:
        with self.lock:
            if self.version < 0:
                self._load()
            else:
                self._follow()

    def known(self, article_ids: list[str]) -> list[bool]:
        numbers = _id_numbers(article_ids)
        at = np.searchsorted(self.ids, numbers)
        found = (at < len(self.ids)) & (self.ids[np.minimum(at, max(len(self.ids) - 1, 0))] == numbers) \
            if len(self.ids) else np.zeros(len(numbers), dtype=bool)
        return [bool(f) or int(n) in self.recent for f, n in zip(found, numbers)]

    def _load(self) -> None:
        table = open_table(self.output, "articles")
        if table is None:   # no article yet: looked at again at the next refresh
            return
        self.version = table.version()
        files = table.file_uris()
        ids = set()
        if files:
            ids = {int(i, 16) for i in _all_ids(files)}
        self.ids = np.array(sorted(ids), dtype=np.uint64)
        self.recent = set()
        self.loads += 1

    def _follow(self) -> None:
        log_dir = join(table_uri(self.output, "articles"), "_delta_log")
        fs, root = filesystem(log_dir)
        while True:
            path = f"{root}/{self.version + 1:020d}.json"
            try:
                with fs.open_input_stream(path) as stream:
                    actions = [json.loads(line) for line in stream.read().decode("utf-8").splitlines() if line]
            except (FileNotFoundError, OSError):
                if self.version >= 0 and _later_commits(fs, root, self.version):
                    log.warning("the articles log of %s moved past version %d: loading the ids again",
                                self.output, self.version)
                    self.version = -1
                    self._load()
                return
            added = [urllib.parse.unquote(a["add"]["path"]) for a in actions
                     if "add" in a and a["add"].get("dataChange", True)]
            if added:
                base = table_uri(self.output, "articles")
                self.recent.update(int(i, 16) for i in _all_ids([join(base, p) for p in added]))
            self.version += 1
            self.commits_read += 1
            if len(self.recent) >= self.MERGE_AT:
                self.ids = np.union1d(self.ids, np.fromiter(self.recent, dtype=np.uint64, count=len(self.recent)))
                self.recent = set()


def _later_commits(fs, root: str, version: int) -> bool:
    import pyarrow.fs as pafs
    for info in fs.get_file_info(pafs.FileSelector(root, allow_not_found=True)):
        name = info.base_name
        if name.endswith(".json") and name[:20].isdigit() and int(name[:20]) > version + 1:
            return True
    return False


def _all_ids(files: list[str]) -> list[str]:
    """Every article id in the given article files (local paths, file:// or object-store URIs):
    local files read by DuckDB (bench/commit.py: twice as fast as pyarrow over many small files)."""
    fs, paths = native_paths(files)
    if fs is None:
        import duckdb
        with duckdb.connect() as con:
            return [r[0] for r in con.execute("SELECT DISTINCT article_id FROM read_parquet($files)",
                                              {"files": paths}).fetchall()]
    return pads.dataset(paths, format="parquet", filesystem=fs).to_table(
        columns=["article_id"]).column("article_id").unique().to_pylist()


_INDEXES: dict[str, KnownIds] = {}
_INDEXES_LOCK = threading.Lock()


def known_ids(output: str) -> KnownIds:
    """The one index of `output` in this worker process, shared by every DoFn instance here."""
    with _INDEXES_LOCK:
        if output not in _INDEXES:
            _INDEXES[output] = KnownIds(output)
        return _INDEXES[output]


class _PollWithMemoryFn(FetchFeedFn):
    """A feed poll that sends the validators and URL the previous poll of this feed left behind,
    and skips an impulse that comes within half an interval of the feed's last poll (should_poll;
    counted as newsbeam/coalesced_polls). Both live in the feed's keyed state, checkpointed on Flink."""

    MEMORY = ReadModifyWriteStateSpec("feed", PickleCoder())
    VALIDATORS = ("fetch_url", "etag", "last_modified")

    def __init__(self, run_id: str, fetch_config, interval: float):
        super().__init__(run_id, fetch_config)
        self.interval = interval

    def process(self, keyed, memory=beam.DoFn.StateParam(MEMORY)):
        _, request = keyed
        remembered = memory.read() or {}
        now = time.time()
        if not should_poll(remembered.get("polled_at"), now, self.interval):
            Metrics.counter("newsbeam", "coalesced_polls").inc()
            return
        request = {**request, **{k: v for k, v in remembered.items() if k in self.VALIDATORS}}
        memory.write({**remembered, "polled_at": now})
        for output in super().process(request):
            report = output.value if isinstance(output, pvalue.TaggedOutput) and output.tag == REPORTS else None
            if report and report["status"] != "error":
                memory.write({**{k: report.get(k) for k in self.VALIDATORS}, "polled_at": now})
            yield output


class PollFeeds(beam.PTransform):
    """Every `interval` seconds (until `duration` runs out, if given), poll each feed: entries,
    `errors` and `reports`, each stamped with the time of its poll. A job catching up (a restart,
    a stall) polls once, not once per impulse it missed (_PollWithMemoryFn)."""

    def __init__(self, requests: list[dict], interval: float, duration: float | None, run_id: str, fetch_config):
        super().__init__()
        self.requests, self.interval, self.duration = requests, interval, duration
        self.run_id, self.fetch_config = run_id, fetch_config

    def expand(self, pbegin):
        start = Timestamp.now()
        stop = start + self.duration if self.duration else MAX_TIMESTAMP
        return (
            pbegin
            | "Every" >> PeriodicImpulse(start_timestamp=start, stop_timestamp=stop, fire_interval=self.interval)
            | "EachFeed" >> beam.FlatMap(_each_feed, self.requests)
            | "Poll" >> beam.ParDo(_PollWithMemoryFn(self.run_id, self.fetch_config, self.interval))
            .with_outputs(ERRORS, REPORTS, main="entries")
        )


@beam.typehints.with_output_types(tuple[str, typing.Any])   # keyed for the stateful DoFn that follows
class _DropCommittedFn(beam.DoFn):
    """(article_id, entry) -> itself when the dataset doesn't hold the article, else `known` entry.

    Checked against the worker's KnownIds index, brought up to date once per bundle by reading the
    commits added since (none, most of the time: one missing-file check)."""

    def __init__(self, output: str | None):
        self.output = output

    def setup(self):
        self.index = known_ids(self.output) if self.output else None

    def start_bundle(self):
        self.fresh = False

    def process(self, element):
        key, entry = element
        if self.index is not None:
            if not self.fresh:
                self.index.refresh()
                self.fresh = True
            if self.index.known([key])[0]:
                yield pvalue.TaggedOutput(KNOWN, entry)
                return
        yield key, entry


class _FirstSightingFn(beam.DoFn):
    """Passes an article's entry the first time it is seen; later sightings are duplicates. What
    was seen is forgotten `ttl` seconds (event time) after the first sighting, so state holds the
    articles of the recent past only; the KnownIds check upstream still drops those committed since."""

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
            | "DropIngested" >> beam.ParDo(_DropCommittedFn(self.output)).with_outputs(KNOWN, main="fresh")
        )
        ingested = checked[KNOWN] | "IngestedBefore" >> beam.FlatMap(lambda entry: _all_known([entry]))
        fresh = checked.fresh | "FirstSighting" >> beam.ParDo(_FirstSightingFn(self.ttl)).with_outputs(
            DUPLICATES, main="new")
        duplicates = (fresh[DUPLICATES], ingested) | "AllDuplicates" >> beam.Flatten()
        return {"new": fresh.new, DUPLICATES: duplicates, ERRORS: keyed[ERRORS]}
