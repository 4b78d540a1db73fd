"""Fault injection: the real batch pipeline against a misbehaving local site (tests/chaos.py).

One pipeline run covers the misbehaving pages (one feed, one entry per case), two runs on one
dataset cover the misbehaving feeds and what a second poll remembers (ETag, 301), and one run
without --allow_private_hosts covers the SSRF guard. Results are read back with DuckDB.
"""

import collections
import glob
import json
import os
import resource
import socket
import subprocess
import sys
import textwrap
import time
import tracemalloc

import duckdb
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import batch
from tests import chaos as site_
from tests.chaos import PAGES
from transforms.fetching import netguard
from transforms.fetching.fetch import FetchConfig, Fetcher, FetchError
from transforms.sources.polling import feed_request, poll_feed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = ["--allow_private_hosts", "--per_host_delay=0", "--retry_base_delay=0.05"]
MAX_ATTEMPTS = 3


# --- helpers -------------------------------------------------------------------------------------

def rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def run_pipeline(output, feeds, *extra):
    started, rss_before = time.monotonic(), rss_kib()
    manifest = batch.run(PipelineOptions(["--output", str(output), *extra]), feeds)
    return {"manifest": manifest, "output": str(output), "seconds": time.monotonic() - started,
            "rss_growth_bytes": (rss_kib() - rss_before) * 1024}


def connect(output) -> duckdb.DuckDBPyConnection:
    """DuckDB with a view per table that has files (an absent table is an empty view)."""
    con = duckdb.connect()
    for table in ("articles", "quotes", "figures", "errors"):
        if glob.glob(f"{output}/{table}/*/*.parquet"):
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM "
                        f"read_parquet('{output}/{table}/*/*.parquet', hive_partitioning=true, union_by_name=true)")
        else:
            con.execute(f"CREATE VIEW {table} AS SELECT NULL::VARCHAR AS run_id, NULL::VARCHAR AS url, "
                        "NULL::VARCHAR AS article_id WHERE false")
    return con


def assert_accounted(manifest: dict) -> None:
    """Every entry is exactly one of article, duplicate, error: in total and per feed."""
    t = manifest["totals"]
    assert t["entries"] == t["articles"] + t["duplicates"] + t["errors"], t
    for feed in manifest["feeds"]:
        assert feed["entries"] == feed["articles"] + feed["duplicates"] + feed["errors"], feed
    assert sum(f["entries"] for f in manifest["feeds"]) == t["entries"]


def assert_parquet_agrees_with_manifest(run) -> None:
    manifest, con = run["manifest"], connect(run["output"])
    run_id = manifest["run_id"]
    articles, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles WHERE run_id = ?",
                                     [run_id]).fetchone()
    assert articles == distinct == manifest["totals"]["articles"]
    entry_errors = con.execute("SELECT count(*) FROM errors WHERE run_id = ? AND stage IN ('fetch_page', 'extract') "
                               "OR (run_id = ? AND stage = 'parse_feed' AND error_kind = 'no_link')",
                               [run_id, run_id]).fetchone()[0]
    assert entry_errors == manifest["totals"]["errors"]


def feed_record(manifest: dict, url: str) -> dict:
    [record] = [f for f in manifest["feeds"] if f["feed_url"] == url]
    return record


# --- the chaos site and the runs -------------------------------------------------------------------

@pytest.fixture(scope="module")
def page_run(chaos, tmp_path_factory):
    """One run over /feeds/chaos.xml: one entry per misbehaving page."""
    output = tmp_path_factory.mktemp("pages")
    mark = chaos.mark()
    run = run_pipeline(output, [chaos.url("/feeds/chaos.xml")], *LOCAL, "--read_timeout=0.5",
                       f"--max_attempts={MAX_ATTEMPTS}")
    run["requests"] = collections.Counter(chaos.paths_since(mark))
    run["con"] = connect(output)
    return run


FEED_CASES = ["/feeds/truncated.xml", "/feeds/empty.xml", "/feeds/not-a-feed.html", "/feeds/discover.html",
              "/feeds/laughs.xml", "/feeds/xxe.xml", "/feeds/big.xml", "/feeds/etag.xml", "/feeds/moved.xml",
              "/feeds/robots-ignored.xml"]


@pytest.fixture(scope="module")
def feed_runs(chaos, tmp_path_factory):
    """Two runs over the misbehaving feeds on one dataset directory: the second is the next poll.
    With --ignore_robots, so the robots.txt-disallowed page of /feeds/robots-ignored.xml is fetched."""
    output = tmp_path_factory.mktemp("feeds")
    feeds = [chaos.url(path) for path in FEED_CASES]
    options = [*LOCAL, "--per_host_concurrency=8", "--ignore_robots"]
    runs = []
    for _ in range(2):
        mark = chaos.mark()
        run = run_pipeline(output, feeds, *options)
        run["requests"] = collections.Counter(chaos.paths_since(mark))
        run["mark"] = mark
        runs.append(run)
    return runs


def page_error(run, path):
    rows = run["con"].execute("SELECT stage, error_kind, http_status, feed_url FROM errors WHERE url = ?",
                              [site_url(run, path)]).fetchall()
    return rows


def page_article(run, path):
    return run["con"].execute("SELECT title, text, body_source, http_status FROM articles WHERE url = ?",
                              [site_url(run, path)]).fetchall()


def site_url(run, path):
    return run["manifest"]["feeds"][0]["feed_url"].split("/feeds/", 1)[0] + path


# --- pages -----------------------------------------------------------------------------------------

def test_page_run_finishes_and_accounts_for_every_entry(page_run):
    manifest = page_run["manifest"]
    assert manifest["totals"]["entries"] == len(PAGES)
    assert feed_record(manifest, manifest["feeds_requested"][0])["error_kind"] is None
    assert_accounted(manifest)
    assert_parquet_agrees_with_manifest(page_run)


@pytest.mark.parametrize("path,expected", [(p, e) for p, e, _ in PAGES], ids=[p for p, _, _ in PAGES])
def test_each_misbehaving_page_ends_as_its_expected_article_or_error_kind(page_run, path, expected):
    errors, articles = page_error(page_run, path), page_article(page_run, path)
    if expected == "article":
        assert errors == [] and len(articles) == 1, (errors, articles)
    else:
        assert articles == [] and len(errors) == 1, (errors, articles)
        stage, kind, _, feed_url = errors[0]
        assert kind == expected
        assert feed_url.endswith("/feeds/chaos.xml")


def test_timeouts_and_resets_are_retried_max_attempts_times(page_run):
    assert page_run["requests"]["/pages/slow"] == MAX_ATTEMPTS
    assert page_run["requests"]["/pages/reset"] == MAX_ATTEMPTS


def test_429_with_retry_after_is_retried_and_the_second_answer_becomes_an_article(page_run):
    assert page_run["requests"]["/pages/429-once"] == 2
    [(title, text, body_source, status)] = page_article(page_run, "/pages/429-once")
    assert body_source == "page" and status == 200 and "bakery" in text


def test_503_with_retry_after_is_tried_max_attempts_times_then_recorded_with_its_status(page_run):
    assert page_run["requests"]["/pages/503"] == MAX_ATTEMPTS
    assert page_error(page_run, "/pages/503")[0][1:3] == ("http_503", 503)


def test_500_is_retried_and_recorded_with_its_status(page_run):
    assert page_run["requests"]["/pages/500"] == MAX_ATTEMPTS
    assert page_error(page_run, "/pages/500")[0][1:3] == ("http_500", 500)


@pytest.mark.parametrize("path,status", [("/pages/404", 404), ("/pages/410", 410)])
def test_404_and_410_are_asked_once_never_retried(page_run, path, status):
    assert page_run["requests"][path] == 1
    assert page_error(page_run, path)[0][:3] == ("fetch_page", f"http_{status}", status)


def test_redirect_loop_and_overlong_chain_stop_at_the_limit(page_run):
    assert page_run["requests"]["/pages/loop-a"] == 1 and page_run["requests"]["/pages/loop-b"] == 1
    hops = sum(n for path, n in page_run["requests"].items() if path.startswith("/pages/chain/"))
    assert hops == FetchConfig().max_redirects + 1
    assert page_run["requests"][f"/pages/chain/{site_.CHAIN_LENGTH}"] == 0


def test_gzip_bomb_and_50mb_body_leave_peak_memory_far_below_their_size(page_run):
    # Both are in this run (too_large, checked above); the whole run's peak RSS grows far less than the bomb.
    assert page_run["rss_growth_bytes"] < site_.BOMB_DECODED // 4, page_run["rss_growth_bytes"]


def test_fetching_a_gzip_bomb_or_a_50mb_body_alone_stays_under_the_body_cap_in_memory(chaos):
    """The same two pages through a Fetcher in a fresh process, where ru_maxrss isn't masked by Beam."""
    script = textwrap.dedent(f"""
        import json, resource
        from transforms.fetching.fetch import FetchConfig, Fetcher, FetchError
        fetcher = Fetcher(FetchConfig(allow_private_hosts=True, per_host_delay=0))
        fetcher.get({chaos.url('/pages/ok')!r})
        out = {{}}
        for path in ("/pages/gzip-bomb", "/pages/huge"):
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            try:
                fetcher.get({chaos.base!r} + path)
                kind = None
            except FetchError as exc:
                kind = exc.kind
            out[path] = (kind, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
        print(json.dumps(out))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    cap = FetchConfig().max_bytes
    for path, (kind, growth) in result.items():
        assert kind == "too_large", path
        assert growth < 3 * cap, (path, growth)   # ~1 cap of chunks, never the 50 MB / 1 GiB body


def test_article_served_as_octet_stream_is_still_an_article(page_run):
    [(title, text, body_source, status)] = page_article(page_run, "/pages/octet-stream")
    assert body_source == "page" and "orchard" in text


def test_invalid_utf8_in_a_utf8_page_gives_valid_text_and_keeps_the_good_characters(page_run):
    [(title, text, _, _)] = page_article(page_run, "/pages/invalid-utf8")
    text.encode("utf-8")  # valid UTF-8 (a lone surrogate would raise)
    assert "observatory" in text and "programme" in text
    # two stray bytes must not turn the rest of a UTF-8 page into mojibake
    assert "café" in text and title == "Café owners meet", (title, text[:120])


def test_latin1_page_labelled_utf8_is_stored_as_the_right_characters(page_run):
    [(title, text, _, _)] = page_article(page_run, "/pages/latin1-as-utf8")
    assert title == "Café de la Plage sold" and "The café was sold." in text


def test_utf8_page_labelled_latin1_is_stored_as_the_right_characters(page_run):
    [(title, text, _, _)] = page_article(page_run, "/pages/utf8-as-latin1")
    assert "Ã" not in text, text[:120]
    assert title == "Café Nord extends hours" and "The café opens at six." in text


def test_empty_page_is_no_body_unless_the_entry_has_full_text(page_run):
    assert page_error(page_run, "/pages/empty")[0][:3] == ("extract", "no_body", 200)
    [(_, text, body_source, _)] = page_article(page_run, "/pages/empty-with-feed-text")
    assert body_source == "feed" and "(from the feed)" in text


def test_robots_disallowed_pages_are_never_requested(page_run):
    assert page_run["requests"]["/robots.txt"] == 1  # once, however many fetch threads reach the site together
    assert page_run["requests"]["/pages/robots-private"] == 0
    assert page_run["requests"]["/pages/robots-private-with-feed-text"] == 0
    assert page_error(page_run, "/pages/robots-private")[0][:2] == ("fetch_page", "robots_disallowed")
    [(_, _, body_source, _)] = page_article(page_run, "/pages/robots-private-with-feed-text")
    assert body_source == "feed"


def test_quote_and_figure_ids_are_unique(page_run):
    con = page_run["con"]
    for table, key in (("quotes", "quote_id"), ("figures", "figure_id")):
        total, distinct = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {table}").fetchone()
        assert total == distinct and total > 0, table


def test_ignore_robots_fetches_the_disallowed_page(feed_runs, chaos):
    # The feed runs use --ignore_robots; their /feeds/robots-ignored.xml holds the disallowed entry.
    first = feed_runs[0]
    assert first["requests"]["/pages/robots-private"] == 1
    record = feed_record(first["manifest"], chaos.url("/feeds/robots-ignored.xml"))
    assert (record["entries"], record["articles"]) == (1, 1)
    rows = connect(first["output"]).execute("SELECT body_source FROM articles WHERE url = ?",
                                            [chaos.url("/pages/robots-private")]).fetchall()
    assert rows == [("page",)]


# --- SSRF guard --------------------------------------------------------------------------------------

def test_without_allow_private_hosts_a_loopback_feed_is_blocked_before_any_request(chaos, tmp_path):
    mark = chaos.mark()
    url = chaos.url("/feeds/ssrf-probe.xml")
    run = run_pipeline(tmp_path / "ssrf", [url], "--per_host_delay=0", "--retry_base_delay=0.05")
    assert chaos.paths_since(mark) == []
    record = feed_record(run["manifest"], url)
    assert (record["status"], record["error_kind"], record["entries"]) == ("error", "blocked_address", 0)
    assert_accounted(run["manifest"])
    rows = connect(run["output"]).execute("SELECT stage, error_kind, url FROM errors").fetchall()
    assert rows == [("fetch_feed", "blocked_address", url)]


@pytest.mark.parametrize("address,public", [
    ("169.254.169.254", False), ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False),
    ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False), ("fe80::1%eth0", False),
    ("::ffff:169.254.169.254", False), ("fd00::1", False), ("224.0.0.1", False),
    ("93.184.215.14", True), ("2606:4700::1111", True),
])
def test_is_public_refuses_metadata_loopback_private_and_link_local(address, public):
    assert netguard.is_public(address) is public


@pytest.fixture
def connect_spy(monkeypatch):
    """Records every outgoing connect() and refuses any not to 127.0.0.1, so nothing leaves the host."""
    attempts = []
    real_connect = socket.socket.connect

    def spy(self, address):
        attempts.append(address)
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError(f"test refused a connection to {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return attempts


def test_metadata_address_is_refused_before_connecting(connect_spy):
    fetcher = Fetcher(FetchConfig(allow_private_hosts=False, per_host_delay=0))
    with pytest.raises(FetchError) as info:
        fetcher.get("http://169.254.169.254/latest/meta-data/")
    assert info.value.kind == "blocked_address"
    assert connect_spy == []


@pytest.mark.parametrize("path", ["/pages/to-metadata", "/pages/to-metadata-nat64", "/pages/to-metadata-6to4",
                                  "/pages/to-metadata-mapped"])
def test_redirect_to_the_metadata_address_is_refused_before_connecting(chaos, connect_spy, path):
    # The guard stays on; only the chaos server's own 127.0.0.1 is let through, as --allow_private_network
    # does for an intranet site. Its redirect to the metadata address, in any spelling, is refused.
    fetcher = Fetcher(FetchConfig(allow_private_hosts=False, allowed_networks=("127.0.0.1/32",), per_host_delay=0))
    before = chaos.mark()
    with pytest.raises(FetchError) as info:
        fetcher.get(chaos.url(path))
    assert info.value.kind == "blocked_address"
    assert chaos.paths_since(before) == [path]   # the redirect itself was fetched, from the real server
    assert [a[0] for a in connect_spy] == ["127.0.0.1"]


# --- feeds -------------------------------------------------------------------------------------------

def test_feed_runs_finish_and_account_for_every_entry_per_feed(feed_runs):
    for run in feed_runs:
        assert_accounted(run["manifest"])
        assert_parquet_agrees_with_manifest(run)
        assert run["seconds"] < 60


@pytest.mark.parametrize("path,kind", [("/feeds/truncated.xml", "malformed_feed"),
                                       ("/feeds/empty.xml", "empty_response"),
                                       ("/feeds/not-a-feed.html", "not_a_feed")])
def test_broken_feed_is_an_error_row_and_a_failed_feed_in_the_manifest(feed_runs, chaos, path, kind):
    run = feed_runs[0]
    url = chaos.url(path)
    record = feed_record(run["manifest"], url)
    assert (record["status"], record["error_kind"], record["entries"], record["http_status"]) == \
        ("error", kind, 0, 200)
    rows = connect(run["output"]).execute("SELECT stage, error_kind, http_status FROM errors "
                                          "WHERE url = ? AND run_id = ?", [url, run["manifest"]["run_id"]]).fetchall()
    assert rows == [("parse_feed", kind, 200)]


def test_html_page_linking_a_feed_is_followed_and_its_entries_ingested(feed_runs, chaos):
    run = feed_runs[0]
    url = chaos.url("/feeds/discover.html")
    record = feed_record(run["manifest"], url)
    assert record["error_kind"] is None and record["entries"] == len(site_.DISCOVERED_ENTRIES)
    assert record["articles"] == len(site_.DISCOVERED_ENTRIES)
    assert record["fetch_url"] == chaos.url("/feeds/discovered.xml")
    titles = {r[0] for r in connect(run["output"]).execute(
        "SELECT title FROM articles WHERE feed_url = ?", [url]).fetchall()}
    assert len(titles) == len(site_.DISCOVERED_ENTRIES)


def test_discovered_feed_is_polled_conditionally_with_its_own_etag(feed_runs, chaos):
    second = feed_runs[1]
    sent = [h.get("if-none-match") for h in chaos.headers("/feeds/discovered.xml")][-1]
    assert sent == site_.DISCOVERED_ETAG, f"the second poll sent If-None-Match {sent!r}"
    assert second["requests"]["/feeds/discover.html"] == 0
    record = feed_record(second["manifest"], chaos.url("/feeds/discover.html"))
    assert (record["status"], record["entries"]) == ("not_modified", 0)


def test_billion_laughs_feed_is_read_without_expanding_its_entities_in_bounded_time_and_memory(feed_runs, chaos):
    # The one right outcome: the feed is read (its one item, titled with the reference unexpanded), and
    # its page ingested; nothing anywhere holds the expansion.
    run = feed_runs[0]
    record = feed_record(run["manifest"], chaos.url("/feeds/laughs.xml"))
    assert (record["status"], record["error_kind"], record["entries"], record["articles"]) == ("ok", None, 1, 1)
    con = connect(run["output"])
    [(title, text)] = con.execute("SELECT title, text FROM articles WHERE feed_url = ?",
                                  [chaos.url("/feeds/laughs.xml")]).fetchall()
    assert "lollol" not in (title or "") + (text or "")
    assert "lollol" not in json.dumps(con.execute("SELECT * FROM errors").fetchall(), default=str)
    # Measured here, on one poll of the feed alone: expanded, it would be 3 GB and minutes.
    fetcher = Fetcher(FetchConfig(allow_private_hosts=True, per_host_delay=0))
    tracemalloc.start()
    started = time.monotonic()
    try:
        report, entries = poll_feed(fetcher, feed_request(chaos.url("/feeds/laughs.xml")))
        seconds, peak = time.monotonic() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (report["status"], len(entries)) == ("ok", 1)
    assert "lollol" not in json.dumps(entries)
    assert seconds < 5 and peak < 32 * 1024 * 1024, (seconds, peak)


def test_external_entity_file_content_is_never_stored(feed_runs, chaos):
    with open("/etc/passwd") as f:
        secrets = [line.strip() for line in f if line.strip()][:3]
    assert secrets
    for run in feed_runs:
        con = connect(run["output"])
        stored = json.dumps([con.execute(f"SELECT * FROM {t}").fetchall() for t in ("articles", "errors")],
                            default=str, ensure_ascii=False)
        for secret in secrets:
            assert secret not in stored
        assert site_.SECRET_FILE_MARKER not in stored
    # the entry itself was read (its full text is in the feed), it just didn't pull in the file
    record = feed_record(feed_runs[0]["manifest"], chaos.url("/feeds/xxe.xml"))
    assert record["entries"] == 1 and record["articles"] == 1


def test_feed_of_a_thousand_entries_is_fully_accounted_for(feed_runs, chaos):
    run = feed_runs[0]
    record = feed_record(run["manifest"], chaos.url("/feeds/big.xml"))
    assert record["entries"] == site_.BIG_ENTRIES
    assert record["duplicates"] == site_.BIG_ENTRIES - site_.BIG_UNIQUE
    assert record["articles"] == site_.BIG_UNIQUE // 2           # full text in the feed, page 404
    assert record["errors"] == site_.BIG_UNIQUE // 2             # no full text, page 404
    con = connect(run["output"])
    assert con.execute("SELECT count(DISTINCT url) FROM errors WHERE feed_url = ? AND run_id = ? "
                       "AND error_kind = 'http_404'", [chaos.url("/feeds/big.xml"),
                                                        run["manifest"]["run_id"]]).fetchone()[0] == 450


def test_second_poll_sends_the_etag_and_a_304_is_recorded_as_not_modified(feed_runs, chaos):
    first, second = feed_runs
    url = chaos.url("/feeds/etag.xml")
    assert feed_record(first["manifest"], url)["entries"] == len(site_.ETAG_ENTRIES)
    assert chaos.headers("/feeds/etag.xml")[-1].get("if-none-match") == site_.ETAG
    record = feed_record(second["manifest"], url)
    assert (record["status"], record["http_status"], record["entries"]) == ("not_modified", 304, 0)
    assert record["articles"] + record["duplicates"] + record["errors"] == 0
    assert second["manifest"]["totals"]["feeds_not_modified"] >= 1


def test_permanently_moved_feed_is_polled_at_its_new_url_next_time(feed_runs, chaos):
    first, second = feed_runs
    url = chaos.url("/feeds/moved.xml")
    assert first["requests"]["/feeds/moved.xml"] == 1
    assert feed_record(first["manifest"], url)["fetch_url"] == chaos.url("/feeds/moved-here.xml")
    assert feed_record(first["manifest"], url)["articles"] == len(site_.MOVED_ENTRIES)
    assert second["requests"]["/feeds/moved.xml"] == 0
    assert second["requests"]["/feeds/moved-here.xml"] == 1
    assert feed_record(second["manifest"], url)["duplicates"] == len(site_.MOVED_ENTRIES)


def test_second_run_writes_no_article_twice(feed_runs):
    con = connect(feed_runs[1]["output"])
    total, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
    assert total == distinct


def test_feed_with_a_character_reference_beyond_unicode_is_an_error_row_not_a_crashed_run(chaos, tmp_path):
    # `&#2000000;` names no character; feedparser's loose parser raises ValueError on it.
    bad, good = chaos.url("/feeds/bad-charref.xml"), chaos.url("/feeds/ssrf-probe.xml")
    run = run_pipeline(tmp_path / "charref", [bad, good], *LOCAL)
    manifest = run["manifest"]
    assert_accounted(manifest)
    assert feed_record(manifest, good)["articles"] == 1
    record = feed_record(manifest, bad)
    # feedparser's strict parser refuses it and its loose one raises ValueError: no entry can be read, so
    # the feed is a malformed_feed error row, and the good feed of the same run is unaffected.
    assert (record["status"], record["error_kind"], record["entries"], record["http_status"]) == \
        ("error", "malformed_feed", 0, 200)
    rows = connect(run["output"]).execute("SELECT stage, error_kind, url FROM errors").fetchall()
    assert rows == [("parse_feed", "malformed_feed", bad)]
