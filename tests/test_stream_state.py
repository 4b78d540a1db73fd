"""Continuous mode's memory of what it has seen: forgotten after --state_ttl, while articles the
dataset holds stay known. A TestStream on Beam's streaming DirectRunner drives event time."""

import datetime as dt

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
