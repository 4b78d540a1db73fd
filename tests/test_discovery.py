"""Sources that lead to feeds: a site's home page advertising several feeds gives all of them, and a
local RSS/Atom file is read as a feed (or refused, saying what sources are accepted).

Fixture site: tests/fixtures/discovery/ (written for these tests): a home page advertising three
feeds (RSS, Atom, RSS; one article in two of them; one feed listed twice) and a comments feed, five
article pages, and a section page advertising a missing feed next to a working one."""

import os
import subprocess
import sys

import pytest

from pipelines.commands.run import summary
from pipelines.site import serve
from pipelines.sources import SourceError, read_sources
from tests.conftest import LOCAL_FETCH
from transforms.fetching.fetch import Fetcher
from transforms.sources.feeds import discover_feed_links
from transforms.sources.polling import feed_request, poll_feed
from transforms.storage.runs import manifests
from transforms.storage.views import connect

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DISCOVERY = os.path.join(REPO, "tests", "fixtures", "discovery")
# The fixture site is on 127.0.0.1 and ours: allow it, and don't wait between requests.
LOCAL = ("--allow_private_hosts", "--per_host_delay=0", "--retry_base_delay=0.01")
STORIES = {"harbour-dredging", "school-roof", "rowing-club", "cycling-path", "fish-market"}
LOCAL_STORIES = {"harbour-dredging", "school-roof"}   # feeds/local.rss


@pytest.fixture(scope="module")
def herald():
    with serve(DISCOVERY) as running:
        yield running


def newsbeam_run(output, *sources):
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", *sources,
                             "--dataset", str(output), *LOCAL],
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    return manifests(str(output))[-1]


def stored_slugs(output) -> dict[str, str]:
    rows = connect(str(output)).execute("SELECT url, feed_url FROM articles").fetchall()
    return {url.rsplit("/", 1)[-1].removesuffix(".html"): feed_url for url, feed_url in rows}


def feed_record(manifest, url):
    return next(f for f in manifest["feeds"] if f["feed_url"] == url)


def local_feed(herald, tmp_path, name="local.rss") -> str:
    """feeds/local.rss as a file of this machine, its links pointing at the running site."""
    with open(os.path.join(DISCOVERY, "feeds", name), encoding="utf-8") as f:
        text = f.read().replace("{{BASE}}", herald.base)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- a home page with three feeds, through `newsbeam run` with default options ----------------------

@pytest.fixture(scope="module")
def home_run(herald, tmp_path_factory):
    output = tmp_path_factory.mktemp("home")
    before = herald.count("/comments/")
    manifest = newsbeam_run(output, herald.base + "/")
    return output, manifest, herald.count("/comments/") - before


def test_a_home_page_advertising_three_feeds_gives_the_entries_of_all_three(home_run, herald):
    output, manifest, _ = home_run
    slugs = stored_slugs(output)
    assert set(slugs) == STORIES                                   # not only the first feed's two
    assert set(slugs.values()) == {herald.base + "/"}              # each entry belongs to the source given


def test_the_source_report_counts_every_feed_once_per_entry(home_run, herald):
    _, manifest, _ = home_run
    record = feed_record(manifest, herald.base + "/")
    # 2 (local) + 2 (sport) + 1 (business: its harbour story is local's too): five entries, five articles
    assert (record["error_kind"], record["entries"], record["articles"], record["duplicates"]) == (None, 5, 5, 0)
    assert record["fetch_url"] == herald.base + "/"                # next poll reads the page again, not one feed
    assert [(f["url"].removeprefix(herald.base), f["status"], f["entries"]) for f in record["advertised_feeds"]] == [
        ("/feeds/local.rss", "ok", 2), ("/feeds/sport.atom", "ok", 2), ("/feeds/business.xml", "ok", 1)]
    assert f"    advertised {herald.base}/feeds/sport.atom: read, 2 entries" in summary(manifest).splitlines()


def test_a_comments_feed_is_not_followed(home_run):
    assert home_run[2] == 0


def test_the_poll_report_lists_each_feed_with_its_own_count(herald):
    report, entries = poll_feed(Fetcher(LOCAL_FETCH), feed_request(herald.base + "/"))
    assert [(f["url"].removeprefix(herald.base), f["entries"]) for f in report["feeds"]] == [
        ("/feeds/local.rss", 2), ("/feeds/sport.atom", 2), ("/feeds/business.xml", 1)]
    assert report["entries"] == len(entries) == 5 and len({e["link"] for e in entries}) == 5
    assert report["etag"] is None and report["last_modified"] is None


def test_a_feed_that_fails_is_a_failure_while_the_others_count(herald):
    report, entries = poll_feed(Fetcher(LOCAL_FETCH), feed_request(herald.base + "/sections.html"))
    assert {e["link"].rsplit("/", 1)[-1] for e in entries} == {"fish-market.html", "harbour-dredging.html"}
    assert [(f["url"].removeprefix(herald.base), f["kind"]) for f in report["failures"]] == [
        ("/feeds/gone.xml", "http_404")]


def test_discovery_keeps_page_order_drops_repeats_and_comment_feeds():
    with open(os.path.join(DISCOVERY, "index.html"), "rb") as f:
        body = f.read().replace(b"{{BASE}}", b"https://herald.example")
    assert discover_feed_links(body, "https://herald.example/", limit=20) == [
        "https://herald.example/feeds/local.rss", "https://herald.example/feeds/sport.atom",
        "https://herald.example/feeds/business.xml"]


# --- a local RSS/Atom file -------------------------------------------------------------------------

def test_a_local_rss_file_is_ingested_as_a_feed(herald, tmp_path):
    path = local_feed(herald, tmp_path)
    manifest = newsbeam_run(tmp_path / "out", path)
    slugs = stored_slugs(tmp_path / "out")
    assert set(slugs) == LOCAL_STORIES
    record = feed_record(manifest, f"file://{path}")
    assert (record["error_kind"], record["entries"], record["articles"]) == (None, 2, 2)


def test_a_local_atom_file_is_a_source_with_its_file_url(herald, tmp_path):
    path = local_feed(herald, tmp_path, "sport.atom")
    assert read_sources([path]) == [f"file://{path}"]
    report, entries = poll_feed(Fetcher(LOCAL_FETCH), feed_request(f"file://{path}"))
    links = [e["link"] for e in entries]
    assert links[0] == herald.base + "/news/rowing-club.html"
    assert links[1].endswith("/news/cycling-path.html")   # relative: it leads to no page (an error row of its own)
    assert report["entries"] == 2


@pytest.mark.parametrize("name,content,says", [
    ("page.html", b"<!doctype html><html><body><p>Hello</p></body></html>", "an HTML page"),
    ("broken.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x', "not a readable feed"),
    ("data.json", b'{"feeds": ["https://a.example/feed"]}', "is not an http(s) URL"),
    ("blob.bin", bytes(range(256)) * 4, "is not an http(s) URL"),
])
def test_a_local_file_that_is_no_source_is_refused_in_one_line_naming_what_is_accepted(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        read_sources([str(path)])
    message = str(info.value)
    assert says in message and str(path) in message and "\n" not in message
    assert "a text file of such URLs" in message and "OPML" in message and "RSS/Atom feed file" in message


def test_the_cli_refuses_a_local_html_file_with_exit_code_2(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"<!doctype html><html><body><p>Hello</p></body></html>")
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", str(path),
                             "--dataset", str(tmp_path / "out")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "an HTML page" in lines[0] and "RSS/Atom feed file" in lines[0]
