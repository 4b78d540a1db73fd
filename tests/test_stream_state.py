"""Continuous mode's memory of what it has seen: forgotten after --state_ttl, while articles the
dataset holds stay known. A TestStream on Beam's streaming DirectRunner drives event time."""

import datetime as dt
import time

import pytest

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.testing import test_stream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import TimestampedValue

from transforms.continuous import DropSeenBefore
from transforms.storage.runs import build_manifest
from transforms.storage.commit import commit
from transforms.storage.files import write_data_file
from transforms.urls import article_id, canonical_url

TTL = 100


def entry(link: str) -> dict:
    return {"link": link, "feed_url": "https://harbour.example/feed.xml", "title": link}


def committed_article(output: str, link: str) -> None:
    row = {"article_id": article_id(canonical_url(link)), "url": link, "run_id": "earlier"}
    files = [{"fact": "file", **write_data_file(output, "articles", "2026-11-20", "earlier", [row])}]
    manifest = build_manifest({"run_id": "earlier", "started_at": dt.datetime.now(dt.timezone.utc).isoformat()},
                              files)
    commit(output, {"commit_id": "earlier", "files": files, "feed_states": [], "manifest": manifest})


def test_a_seen_article_is_forgotten_after_the_ttl_and_a_committed_one_stays_known(tmp_path):
    output = str(tmp_path)
    fresh, old = "https://harbour.example/news/ferry", "https://harbour.example/news/pier"
    committed_article(output, old)
    sightings = (test_stream.TestStream()
                 .add_elements([TimestampedValue(entry(fresh), 0), TimestampedValue(entry(old), 0)])
                 .advance_watermark_to(50)
                 .add_elements([TimestampedValue(entry(fresh), 60)])        # within the TTL: a duplicate
                 .advance_watermark_to(TTL + 10)                             # the first sighting expires
                 .add_elements([TimestampedValue(entry(fresh), TTL + 20)])  # forgotten: new again
                 .advance_watermark_to_infinity())
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with beam.Pipeline(options=options) as p:
        unique = p | sightings | DropSeenBefore("streamrun", output, TTL)
        assert_that(unique["new"] | "NewLinks" >> beam.Map(lambda e: e["link"]), equal_to([fresh, fresh]),
                    label="New")
        assert_that(unique["duplicates"] | "DupLinks" >> beam.Map(lambda e: e["link"]), equal_to([old, fresh]),
                    label="Duplicates")


# ------------------------------------------------------------------ the already-ingested index

def test_the_known_ids_index_is_loaded_once_then_follows_only_new_commits(tmp_path):
    """The index reads the dataset's ids once; after that, a refresh reads only the commits made
    since (a compaction's re-adds are not new ids), never the whole table again."""
    from transforms.continuous import KnownIds
    from transforms.storage.housekeeping import compact
    output = str(tmp_path)
    links = [f"https://harbour.example/news/{n}" for n in range(6)]
    ids = [article_id(canonical_url(link)) for link in links]
    committed_article(output, links[0])
    index = KnownIds(output)
    index.refresh()
    assert index.known(ids[:2]) == [True, False] and index.loads == 1
    for n in (1, 2, 3):
        commit_one(output, f"later{n}", links[n])
    index.refresh()
    assert index.known(ids) == [True, True, True, True, False, False]
    assert (index.loads, index.commits_read) == (1, 3)
    compact(output, retention_hours=0)   # rewrites the files: their ids are not added again
    index.refresh()
    commit_one(output, "later4", links[4])
    index.refresh()
    assert index.known(ids) == [True, True, True, True, True, False]
    assert index.loads == 1 and len(index) == 5


def commit_one(output: str, commit_id: str, link: str) -> None:
    row = {"article_id": article_id(canonical_url(link)), "url": link, "run_id": commit_id}
    files = [{"fact": "file", **write_data_file(output, "articles", "2026-11-21", commit_id, [row])}]
    manifest = build_manifest({"run_id": commit_id, "started_at": dt.datetime.now(dt.timezone.utc).isoformat()},
                              files)
    commit(output, {"commit_id": commit_id, "files": files, "feed_states": [], "manifest": manifest})


def test_impulses_missed_and_replayed_at_once_poll_once_and_late_but_spaced_ones_each_poll(tmp_path):
    """After a restart (from a checkpoint or from nothing) PeriodicImpulse emits every impulse it
    missed at once: the feed is polled once. Impulses that all arrive late but one interval apart
    (a job that lags) each poll. The poll step itself, its state held by a TestStream pipeline."""
    import threading

    from pipelines.site import serve
    from tests.conftest import FIXTURE_SITE
    from tests.test_stream import Newsroom
    from transforms.continuous import _PollWithMemoryFn
    from transforms.fetching.fetch import FetchConfig
    from transforms.sources.polling import feed_request

    room = Newsroom(1)
    room.publish_all()
    with serve(FIXTURE_SITE, room.routes()) as site:
        request = feed_request(site.base + room.FEED, None)
        replayed = test_stream.TestStream().add_elements([(request["feed_url"], request)] * 10)
        options = PipelineOptions()
        options.view_as(StandardOptions).streaming = True
        config = FetchConfig(allow_private_hosts=True, per_host_delay=0)
        with beam.Pipeline(options=options) as p:
            _ = p | replayed | beam.ParDo(_PollWithMemoryFn("r", config, 3600)).with_outputs("errors", "reports")
        assert len(room.feed_requests) == 1, room.feed_requests
        with beam.Pipeline(options=options) as p:   # one interval (0.3 s) apart, in one key's state
            spaced = test_stream.TestStream()
            for _ in range(3):
                spaced = spaced.add_elements([(request["feed_url"], request)]).advance_processing_time(1)
            _ = p | spaced | beam.Map(lambda kv: (time.sleep(0.35), kv)[1]) \
                | beam.ParDo(_PollWithMemoryFn("r", config, 0.3)).with_outputs("errors", "reports")
        assert len(room.feed_requests) == 1 + 3, room.feed_requests


# ------------------------------------------------------------------ housekeeping while streaming

def stream_windows(output: str, windows: int, every: int, check_every: int = 10) -> dict:
    """`windows` window commits of one stream through the commit step itself (_CommitFn), one
    article each, holding the lease and renewing it every window (a file each); readers are
    checked every `check_every` windows: every row exactly once. Returns the files per table."""
    import os

    from apache_beam.transforms.window import IntervalWindow

    from transforms.storage.commit import _CommitFn
    from transforms.storage.layout import LEASE_TABLE, RUNS_TABLE, STATE_TABLE, open_table, table_uri
    from transforms.storage.lease import Lease
    from transforms.storage.views import connect

    feed = "https://harbour.example/feed.xml"
    started = dt.datetime.now(dt.timezone.utc).isoformat()
    header = {"run_id": "s1", "started_at": started, "mode": "stream", "housekeeping_every": every,
              "vacuum_retention_hours": 0}
    # Renewed by this loop alone, once a window: Lease's own renewal thread would race it (two
    # overwrites of one snapshot: the second fails, as it must between two writers).
    lease = Lease(output, "stream")
    lease.acquire()
    try:
        step = _CommitFn(output, "s1", header, lease.fence)
        for n in range(windows):
            window = IntervalWindow(1_800_000_000 + 10 * n, 1_800_000_000 + 10 * (n + 1))
            link = f"https://harbour.example/news/{n}"
            row = {"article_id": article_id(canonical_url(link)), "url": link, "run_id": "s1"}
            facts = [{"fact": "file", **write_data_file(output, "articles", "2026-11-21", f"s1w{int(window.start)}",
                                                        [row])},
                     {"fact": "feed", "feed_url": feed, "fetch_url": feed, "http_status": 200, "status": "ok",
                      "error_kind": None, "entries": 1, "outside_dates": 0, "etag": f'"{n}"', "last_modified": None},
                     {"fact": "outcome", "feed_url": feed, "outcome": "articles", "count": 1}]
            list(step.process(facts, window=window))
            lease.renew()
            if (n + 1) % check_every == 0:
                with connect(output) as con:
                    seen = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
                    runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
                assert seen == (n + 1, n + 1) and runs == n + 1, (n, seen, runs)
    finally:
        lease.release()
    files = {}
    for name in ("articles", STATE_TABLE, RUNS_TABLE, LEASE_TABLE):
        root = table_uri(output, name)
        on_disk = sum(1 for parent, _, names in os.walk(root) if "_delta_log" not in parent
                      for f in names if f.endswith(".parquet"))
        log_entries = sum(1 for f in os.listdir(os.path.join(root, "_delta_log")) if f.endswith(".json"))
        files[name] = {"active": len(open_table(output, name).file_uris()), "on_disk": on_disk, "log": log_entries}
    return files


def test_the_stream_housekeeps_its_tables_every_n_windows_and_readers_see_each_row_once(tmp_path, monkeypatch):
    """40 windows, housekeeping every 10: the files of every table (the lease's too) stay bounded
    by N, and readers see every row exactly once at every check (the slow variant: 500 windows)."""
    import transforms.storage.housekeeping as housekeeping
    monkeypatch.setattr(housekeeping, "LEASE_RETENTION_HOURS", 0)   # the renewals' files are all recent here
    files = stream_windows(str(tmp_path), 40, every=10)
    for name, counts in files.items():
        assert counts["active"] <= 10 and counts["on_disk"] <= 12, (name, counts)


@pytest.mark.slow
def test_a_long_stream_keeps_files_per_table_bounded(tmp_path, monkeypatch):
    """500 window commits with the default --housekeeping_every (100): files per table bounded."""
    import transforms.storage.housekeeping as housekeeping
    monkeypatch.setattr(housekeeping, "LEASE_RETENTION_HOURS", 0)
    files = stream_windows(str(tmp_path), 500, every=100, check_every=50)
    print(files)
    for name, counts in files.items():
        assert counts["active"] <= 100 and counts["on_disk"] <= 102, (name, counts)
