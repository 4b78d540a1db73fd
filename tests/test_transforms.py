"""Each composite transform on its own, with Beam's TestPipeline and assert_that."""

import os

import apache_beam as beam
import duckdb
import pytest
from apache_beam.testing import test_pipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import PARTITION_COLUMN
from tests.conftest import FIXTURE_SITE, LOCAL_FETCH
from transforms.storage.commit import CommitRun
from transforms.storage.files import WriteDataset, write_data_file
from transforms.storage.views import connect
from transforms.storage.runs import manifest
from transforms.enrich import ExtractFigures, ExtractQuotes
from transforms.ingest import DropDuplicates, ExtractArticles, FetchPages
from transforms.sources.polling import FetchFeeds, feed_request
from transforms.urls import article_id

RUN = "testrun"


def _page(name: str) -> bytes:
    with open(os.path.join(FIXTURE_SITE, "news", name), "rb") as f:
        return f.read()


def test_fetch_feeds_emits_entries_reports_and_error_rows(site):
    feeds = [f"{site.base}/feeds/local.xml", f"{site.base}/feeds/malformed.xml", f"{site.base}/feeds/absent.xml"]
    with test_pipeline.TestPipeline() as p:
        out = p | beam.Create([feed_request(f) for f in feeds]) | FetchFeeds(RUN, LOCAL_FETCH)
        assert_that(out.entries | "Titles" >> beam.Map(lambda e: e["title"]), equal_to([
            "Council approves new ferry terminal", "Library reopens after flood repairs",
            "Bakery closes after forty years", "Harbour festival draws record crowd",
            "Storm warning for the coast", "Café owner wins regional award"]), label="entries")
        assert_that(out.errors | "Kinds" >> beam.Map(lambda e: (e["stage"], e["error_kind"], e["http_status"])),
                    equal_to([("parse_feed", "malformed_feed", 200), ("fetch_feed", "http_404", 404)]),
                    label="errors")
        assert_that(out.reports | "Counts" >> beam.Map(lambda r: (r["feed_url"].rsplit("/", 1)[1], r["entries"])),
                    equal_to([("local.xml", 6), ("malformed.xml", 0), ("absent.xml", 0)]), label="reports")


def _entry(link: str, feed: str = "http://feeds.test/a.xml") -> dict:
    return {"link": link, "title": "t", "feed_url": feed, "content": None, "summary": None}


def test_drop_duplicates_keeps_one_entry_per_canonical_url(tmp_path):
    entries = [
        _entry("https://news.test/story?utm_source=rss", feed="http://feeds.test/b.xml"),
        _entry("https://NEWS.test:443/story#top", feed="http://feeds.test/a.xml"),
        _entry("https://news.test/other"),
        _entry("mailto:editor@news.test"),
    ]
    with test_pipeline.TestPipeline() as p:
        out = p | beam.Create(entries) | DropDuplicates(RUN, str(tmp_path))
        assert_that(out["new"] | "New" >> beam.Map(lambda e: (e["feed_url"], e["canonical_url"], e["article_id"])),
                    equal_to([("http://feeds.test/a.xml", "https://news.test/story", article_id("https://news.test/story")),
                              ("http://feeds.test/a.xml", "https://news.test/other", article_id("https://news.test/other"))]),
                    label="new")
        assert_that(out["duplicates"] | "Dup" >> beam.Map(lambda e: e["feed_url"]),
                    equal_to(["http://feeds.test/b.xml"]), label="duplicates")
        assert_that(out["errors"] | "Err" >> beam.Map(lambda e: e["error_kind"]), equal_to(["no_link"]), label="errors")


def _fetched(name: str, link: str, **entry) -> dict:
    return {"entry": {**_entry(link), "article_id": article_id(link), "canonical_url": link,
                      "published_at": "2026-11-17T09:30:00+00:00", **entry},
            "fetched_at": "2026-11-24T10:00:00+00:00", "status": 200, "final_url": link,
            "content_type": "text/html", "body": _page(name)}


def test_extract_articles_uses_the_page_then_the_feed_then_gives_up():
    long_feed_text = "<p>" + "The festival drew a record crowd of visitors to the harbour. " * 8 + "</p>"
    pages = [
        _fetched("ferry-terminal.html", "http://news.test/ferry"),
        _fetched("festival-video.html", "http://news.test/festival", content=long_feed_text),
        _fetched("no-body.html", "http://news.test/empty", summary="Teaser."),
        {**_fetched("ferry-terminal.html", "http://news.test/gone"), "status": 404, "body": None,
         "failure": {"stage": "fetch_page", "kind": "http_404", "message": "HTTP 404"}},
    ]
    with test_pipeline.TestPipeline() as p:
        out = p | beam.Create(pages) | ExtractArticles(RUN)
        assert_that(out.articles | "Src" >> beam.Map(lambda a: (a["url"], a["body_source"], a[PARTITION_COLUMN])),
                    equal_to([("http://news.test/ferry", "page", "2026-11-17"),
                              ("http://news.test/festival", "feed", "2026-11-17")]), label="articles")
        assert_that(out.errors | "Err" >> beam.Map(lambda e: (e["url"], e["stage"], e["error_kind"])),
                    equal_to([("http://news.test/empty", "extract", "no_body"),
                              ("http://news.test/gone", "fetch_page", "http_404")]), label="errors")


def _article(text: str) -> dict:
    return {"article_id": "a1", "url": "http://news.test/a", "feed_url": "http://feeds.test/a.xml",
            "text": text, PARTITION_COLUMN: "2026-11-20"}


def _offsets_hold(rows, raw_key):
    text = ARTICLE_TEXT
    assert rows, "expected rows"
    for row in rows:
        assert text[row["start"]:row["end"]] == row[raw_key]
        assert row["article_id"] == "a1" and row[PARTITION_COLUMN] == "2026-11-20"


ARTICLE_TEXT = ('"We will rebuild the pier by spring," Mayor Helen Draycott said on Monday. '
                'The repairs will cost $4.5 million and employ more than 120 workers.')


def test_extract_quotes_and_figures_stamp_ids_and_keep_offsets():
    with test_pipeline.TestPipeline() as p:
        articles = p | beam.Create([_article(ARTICLE_TEXT)])
        quotes = articles | ExtractQuotes(RUN)
        figures = articles | ExtractFigures(RUN)
        assert_that(quotes.quotes | "QList" >> beam.combiners.ToList(),
                    lambda lists: _offsets_hold(lists[0], "text"), label="quotes")
        assert_that(figures.figures | "FList" >> beam.combiners.ToList(),
                    lambda lists: _offsets_hold(lists[0], "raw"), label="figures")
        assert_that(quotes.quotes | "Speakers" >> beam.Map(lambda q: q["speaker"]),
                    equal_to(["Helen Draycott"]), label="speaker")


@pytest.mark.parametrize("spans, expected", [("clause", 'the pier was "in ruins"'), ("quoted", '"in ruins"')])
def test_extract_quotes_spans_mixed_quotes_as_the_options_say(spans, expected):
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.options import NewsbeamOptions
    options = PipelineOptions([f"--mixed_quote_spans={spans}"]).view_as(NewsbeamOptions)
    text = 'Mayor Helen Draycott toured the harbour.\nDraycott said the pier was "in ruins"'
    with test_pipeline.TestPipeline() as p:
        quotes = (p | beam.Create([_article(text)])
                  | ExtractQuotes(RUN, options.min_quote_confidence, options.mixed_quote_spans))
        assert_that(quotes.quotes | beam.Map(lambda q: (q["text"], q["kind"], q["speaker"])),
                    equal_to([(expected, "mixed", "Helen Draycott")]))


def test_write_dataset_round_trips_through_hive_partitioned_parquet(tmp_path):
    rows = [{"error_id": str(i), "run_id": RUN, "stage": "fetch_page", "url": f"http://x.test/{i}",
             "error_kind": "http_404", "message": "gone", "http_status": 404,
             "occurred_at": f"2026-11-2{i % 2}T10:00:00+00:00", PARTITION_COLUMN: f"2026-11-2{i % 2}"}
            for i in range(6)]
    with test_pipeline.TestPipeline() as p:
        files = p | beam.Create(rows) | WriteDataset(str(tmp_path), "errors", RUN)
        assert_that(files | beam.Map(lambda f: (f["table"], f["rows"])), equal_to([("errors", 3), ("errors", 3)]))
    con = duckdb.connect()
    got = con.execute(f"SELECT date::VARCHAR, count(*), min(http_status) FROM read_parquet('{tmp_path}/errors/*/*.parquet', "
                      "hive_partitioning=true) GROUP BY 1 ORDER BY 1").fetchall()
    assert got == [("2026-11-20", 3, 404), ("2026-11-21", 3, 404)]
    leftovers = [n for _, _, names in os.walk(tmp_path) for n in names if not n.endswith(".parquet")]
    assert leftovers == []


def test_fetch_pages_keeps_bodies_and_failures_for_the_fallback(site):
    entries = [{**_entry(f"{site.base}/news/ferry-terminal.html"), "article_id": "a"},
               {**_entry(f"{site.base}/news/missing-story.html"), "article_id": "b"}]
    with test_pipeline.TestPipeline() as p:
        pages = p | beam.Create(entries) | FetchPages(LOCAL_FETCH)
        assert_that(pages | beam.Map(lambda pg: (pg["entry"]["article_id"], pg["status"],
                                                 b"ferry terminal" in (pg.get("body") or b""),
                                                 (pg.get("failure") or {}).get("kind"))),
                    equal_to([("a", 200, True, None), ("b", 404, False, "http_404")]))


def test_commit_run_counts_each_feed_and_commits_the_files_with_the_manifest(tmp_path):
    rows = [{"error_id": str(i), "run_id": RUN, "stage": "fetch_page", "url": f"http://x.test/{i}",
             "occurred_at": "2026-11-20T10:00:00+00:00"} for i in range(2)]
    written = write_data_file(str(tmp_path), "errors", "2026-11-20", RUN, rows)
    facts = [
        {"fact": "feed", "feed_url": "f1", "http_status": 200, "status": "ok", "error_kind": None, "entries": 3},
        {"fact": "feed", "feed_url": "f2", "http_status": 404, "status": "error", "error_kind": "http_404",
         "entries": 0},
        {"fact": "outcome", "feed_url": "f1", "outcome": "articles", "count": 2},
        {"fact": "outcome", "feed_url": "f1", "outcome": "errors", "count": 1},
        {"fact": "file", **written},
    ]
    header = {"run_id": RUN, "started_at": "2026-11-24T10:00:00+00:00"}
    with test_pipeline.TestPipeline() as p:
        manifests = p | beam.Create(facts) | CommitRun(str(tmp_path), RUN, header)
        assert_that(manifests | beam.Map(lambda m: (m["totals"]["entries"], m["totals"]["articles"],
                                                    m["totals"]["errors"], m["totals"]["feed_errors"],
                                                    m["rows"]["errors"])),
                    equal_to([(3, 2, 1, 1, 2)]))
    committed = manifest(str(tmp_path), RUN)
    assert [(f["feed_url"], f["articles"], f["errors"], f["error_kind"]) for f in committed["feeds"]] == [
        ("f1", 2, 1, None), ("f2", 0, 0, "http_404")]
    con = connect(str(tmp_path))
    assert con.execute("SELECT count(*), min(url) FROM errors").fetchone() == (2, "http://x.test/0")
    assert con.execute("SELECT run_id, entries, feed_errors FROM runs").fetchall() == [(RUN, 3, 1)]


def test_extract_quotes_and_figures_skip_articles_in_a_language_without_rules():
    from transforms.enrich import NOT_ANALYSED
    swedish = {**_article("Kommunen öppnar en ny färjelinje i vår. Färjan kostar 25 miljoner kronor och ska ta "
                          "300 passagerare per tur, sa kommunalrådet Erik Holm."), "article_id": "sv1", "language": "sv"}
    german = {**_article("Der Stadtrat hat am Montag 40.000 Euro für die Planung der neuen Brücke freigegeben."),
              "article_id": "de1", "language": "de"}
    unknown = {**_article("Up 4%."), "article_id": "x1", "language": None}
    english = {**_article(ARTICLE_TEXT), "language": None}   # no language: detected as English
    with test_pipeline.TestPipeline() as p:
        articles = p | beam.Create([swedish, german, unknown, english])
        quotes = articles | ExtractQuotes(RUN)
        figures = articles | ExtractFigures(RUN)
        assert_that(figures.figures | "Values" >> beam.Map(lambda f: (f["article_id"], f["value"], f["unit"]))
                    | "German" >> beam.Filter(lambda f: f[0] == "de1"), equal_to([("de1", 40000, "EUR")]),
                    label="german")
        assert_that(quotes.quotes | "QArticles" >> beam.Map(lambda q: q["article_id"]), equal_to(["a1"]),
                    label="quotes")
        skipped = (quotes[NOT_ANALYSED], figures[NOT_ANALYSED]) | beam.Flatten()
        assert_that(skipped | beam.Map(lambda f: (f["task"], f["language"], f["article_id"])), equal_to([
            ("quotes", "sv", "sv1"), ("figures", "sv", "sv1"), ("quotes", "unknown", "x1"),
            ("figures", "unknown", "x1")]), label="not_analysed")


@pytest.mark.parametrize("stable", [True, False])
def test_a_commit_on_checkpointed_facts_asks_the_runner_for_stable_input(tmp_path, stable):
    """Flink streams commit a window only from facts a completed checkpoint holds (issue 32): the
    commit step's ParDo says so in the pipeline proto, and the pipeline lists the requirement."""
    from apache_beam.portability import common_urns
    from apache_beam.portability.api import beam_runner_api_pb2
    from transforms.storage.commit import CommitRun
    p = beam.Pipeline()
    _ = p | beam.Create([]) | "CommitRun" >> CommitRun(str(tmp_path), "r", {}, stable=stable)
    proto = p.to_runner_api()
    (commit,) = [t for t in proto.components.transforms.values() if t.unique_name == "CommitRun/Commit"]
    payload = beam_runner_api_pb2.ParDoPayload.FromString(commit.spec.payload)
    assert payload.requires_stable_input is stable
    assert (common_urns.requirements.REQUIRES_STABLE_INPUT.urn in proto.requirements) is stable


def test_stream_commits_wait_for_checkpoints_only_on_flink_with_checkpoints():
    from apache_beam.options.pipeline_options import PipelineOptions
    from pipelines.stream import stable_commits
    assert stable_commits(PipelineOptions(["--runner=FlinkRunner", "--checkpointing_interval=3000"]))
    assert not stable_commits(PipelineOptions(["--runner=FlinkRunner", "--checkpointing_interval=-1"]))
    assert not stable_commits(PipelineOptions(["--runner=PrismRunner", "--checkpointing_interval=3000"]))
