"""Sitemaps as sources: index -> urlset and Google News sitemaps, gzip, robots.txt `Sitemap:` lines,
--since/--until, and broken files as error rows; end to end on a local server with the guard on."""

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import batch
from pipelines.query import connect
from pipelines.site import serve
from tests.conftest import FIXTURE_SITE
from transforms.sources.feeds import FeedError
from transforms.records import utc_iso
from transforms.sources.sitemaps import gunzip, is_sitemap, parse_sitemap, robots_sitemaps

SOURCE = "https://courier.example/sitemap.xml"
GUARDED_LOCAL = ["--allow_private_network=127.0.0.1/32", "--per_host_delay=0", "--retry_base_delay=0.01"]


def urlset(*urls: str, news: bool = False) -> bytes:
    """A <urlset>; each url is `path|date` (lastmod, or the news publication date with `news`)."""
    items = []
    for spec in urls:
        path, _, date = spec.partition("|")
        extra = ""
        if date and news:
            extra = (f"<news:news><news:publication><news:name>Courier</news:name><news:language>en"
                     f"</news:language></news:publication><news:publication_date>{date}</news:publication_date>"
                     f"<news:title>Title of {path}</news:title><news:keywords>harbour, ferry</news:keywords>"
                     f"</news:news>")
        elif date:
            extra = f"<lastmod>{date}</lastmod>"
        items.append(f"<url><loc>{path}</loc>{extra}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(items) + "</urlset>").encode()


def index(*paths: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{p}</loc></sitemap>" for p in paths) + "</sitemapindex>").encode()


def test_a_news_sitemap_gives_each_page_its_publication_date_title_and_keywords():
    children, entries = parse_sitemap(urlset("/news/a.html|2026-11-20T08:30:00+01:00", news=True),
                                      "https://courier.example/news-sitemap.xml", SOURCE)
    assert children == []
    [entry] = entries
    assert entry["link"] == "https://courier.example/news/a.html" and entry["feed_url"] == SOURCE
    assert entry["published_at"] == "2026-11-20T07:30:00+00:00"
    assert entry["title"] == "Title of /news/a.html" and entry["tags"] == ["harbour", "ferry"]


def test_a_urlset_dates_pages_by_lastmod_and_an_index_lists_its_children():
    _, entries = parse_sitemap(urlset("https://courier.example/a|2026-11-02", "https://courier.example/b"),
                               SOURCE, SOURCE)
    assert [(e["link"], e["published_at"]) for e in entries] == [
        ("https://courier.example/a", "2026-11-02T00:00:00+00:00"), ("https://courier.example/b", None)]
    children, entries = parse_sitemap(index("/s/1.xml", "https://courier.example/s/2.xml.gz", "/s/1.xml"),
                                      SOURCE, SOURCE)
    assert children == ["https://courier.example/s/1.xml", "https://courier.example/s/2.xml.gz"] and entries == []


@pytest.mark.parametrize("body, kind", [
    (b"<urlset><url><loc>https://x.example/a</loc></url>", "malformed_sitemap"),   # truncated
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc>'
     b"</url></urlset>", None),                                                   # an external entity is not read
])
def test_a_broken_or_hostile_sitemap_is_a_feed_error_or_reads_nothing_outside(body, kind):
    if kind:
        with pytest.raises(FeedError) as failure:
            parse_sitemap(body, SOURCE, SOURCE)
        assert failure.value.kind == kind
    else:
        _, entries = parse_sitemap(body, SOURCE, SOURCE)
        assert all("root:" not in e["link"] for e in entries)


def test_gzip_sitemaps_are_read_and_a_gzip_bomb_is_refused():
    assert gunzip(gzip.compress(urlset("/a")), 10_000) == urlset("/a")
    with pytest.raises(FeedError) as failure:
        gunzip(gzip.compress(b" " * 1_000_000), 10_000)
    assert failure.value.kind == "too_large"
    assert is_sitemap(urlset("/a")) and is_sitemap(index("/s.xml")) and not is_sitemap(b"<rss><channel/></rss>")


def test_robots_txt_names_its_sitemaps_and_dates_read_as_w3c_datetimes():
    robots = "User-agent: *\nDisallow: /private\nSitemap: https://courier.example/news.xml\nsitemap: /s.xml.gz\n"
    assert robots_sitemaps(robots, "https://courier.example") == [
        "https://courier.example/news.xml", "https://courier.example/s.xml.gz"]
    assert utc_iso("2026-11-20") == "2026-11-20T00:00:00+00:00"
    assert utc_iso("2026-11-20T10:00Z") == "2026-11-20T10:00:00+00:00"
    assert utc_iso("last Tuesday") is None


@pytest.fixture(scope="module")
def sitemap_site():
    def reply(body, content_type="application/xml"):
        return lambda h: h.reply(200, body, content_type)

    routes = {
        "/robots.txt": reply(b"User-agent: *\nSitemap: /sitemap_index.xml\n", "text/plain"),
        "/": reply(b"<html><head><title>Courier</title></head><body>Front page</body></html>", "text/html"),
        "/sitemap_index.xml": reply(index("/sitemaps/news.xml", "/sitemaps/pages.xml.gz", "/sitemaps/broken.xml",
                                          "/sitemaps/missing.xml")),
        "/sitemaps/news.xml": reply(urlset("/news/ferry-terminal.html|2026-11-20T09:00:00Z",
                                           "/news/cafe-latin1.html|2026-10-01T09:00:00Z", news=True)),
        "/sitemaps/pages.xml.gz": reply(gzip.compress(urlset("/news/library-reopens.html|2026-11-21",
                                                             "/news/ferry-terminal.html|2026-11-20",
                                                             "/news/undated.html")), "application/gzip"),
        "/sitemaps/broken.xml": reply(b"<urlset><url><loc>/news/x"),
    }
    with serve(FIXTURE_SITE, routes) as site:
        yield site


def test_a_sitemap_index_ingests_its_pages_in_the_date_range_and_reports_broken_children(sitemap_site, tmp_path):
    out = str(tmp_path / "out")
    options = PipelineOptions(["--output", out, *GUARDED_LOCAL, "--since", "2026-11-01", "--until", "2026-11-30"])
    manifest = batch.run(options, [sitemap_site.base + "/sitemap_index.xml"])
    con = connect(out)
    articles = con.execute("SELECT url FROM articles ORDER BY url").fetchall()
    base = sitemap_site.base
    # the pages the sitemaps date inside the window (the article's own date is the page's, where it states one)
    assert articles == [(f"{base}/news/ferry-terminal.html",), (f"{base}/news/library-reopens.html",)]
    errors = sorted(con.execute("SELECT stage, error_kind, url FROM errors").fetchall())
    assert errors == [("fetch_sitemap", "http_404", f"{base}/sitemaps/missing.xml"),
                      ("fetch_sitemap", "malformed_sitemap", f"{base}/sitemaps/broken.xml")]
    [feed] = manifest["feeds"]
    # three dated in range (the ferry terminal twice), the October page and the undated one outside
    assert (feed["entries"], feed["articles"], feed["duplicates"], feed["errors"]) == (3, 2, 1, 0)
    assert feed["outside_dates"] == 2
    assert sitemap_site.count("/news/cafe-latin1.html") == 0 and sitemap_site.count("/news/undated.html") == 0


def test_a_site_root_is_read_through_the_sitemaps_its_robots_txt_names(sitemap_site, tmp_path):
    out = str(tmp_path / "out")
    manifest = batch.run(PipelineOptions(["--output", out, *GUARDED_LOCAL]), [sitemap_site.base + "/"])
    [feed] = manifest["feeds"]
    assert feed["entries"] == 5 and feed["articles"] == 3  # undated.html is a 404
    urls = {row[0] for row in connect(out).execute("SELECT url FROM articles").fetchall()}
    assert f"{sitemap_site.base}/news/cafe-latin1.html" in urls


def test_a_sitemap_that_is_broken_itself_is_one_error_row(sitemap_site, tmp_path):
    out = str(tmp_path / "out")
    manifest = batch.run(PipelineOptions(["--output", out, *GUARDED_LOCAL]), [sitemap_site.base + "/sitemaps/broken.xml"])
    [feed] = manifest["feeds"]
    assert feed["error_kind"] == "malformed_sitemap"
    assert connect(out).execute("SELECT stage, error_kind FROM errors").fetchall() == [("parse_feed", "malformed_sitemap")]


@st.composite
def _sitemap_documents(draw):
    text = st.one_of(st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
                     st.sampled_from(["http://[::1/x", "//", "https://x.example:99999/", "\t/a b"]))
    body = draw(st.sampled_from([urlset, index]))(*draw(st.lists(text, max_size=4)))
    if draw(st.booleans()):
        body = body[:draw(st.integers(0, len(body)))]  # truncated
    return gzip.compress(body) if draw(st.booleans()) else body


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(_sitemap_documents(), st.binary(max_size=2000)))
def test_any_sitemap_bytes_give_entries_with_links_or_a_feed_error(body):
    try:
        children, entries = parse_sitemap(gunzip(body, 1_000_000), SOURCE, SOURCE)
    except FeedError as exc:
        assert exc.kind in {"malformed_sitemap", "too_large"}
        return
    assert all(isinstance(c, str) for c in children)
    for entry in entries:
        assert isinstance(entry["link"], str) and entry["feed_url"] == SOURCE
        assert entry["published_at"] is None or entry["published_at"].endswith("+00:00")


# --- child sitemaps as elements: memory of one child, depth and file limits, capped decompression ----------

import tracemalloc  # noqa: E402

import apache_beam as beam  # noqa: E402
from apache_beam.testing import test_pipeline  # noqa: E402

from tests.conftest import LOCAL_FETCH  # noqa: E402
from transforms.fetching.fetch import Fetcher  # noqa: E402
from transforms.records import DateWindow  # noqa: E402
from transforms.sources.polling import FetchFeeds, feed_request, poll_feed, sitemap_requests  # noqa: E402
from transforms.sources.sitemaps import MAX_DEPTH, MAX_SITEMAPS  # noqa: E402

CHILD_URLS = 200
CHILD_PADDING = 2 * 1024 * 1024   # a comment making each child sitemap 2 MB
MANY = 6   # children read for the memory test: holding them all would take 6 times what one takes


def big_child(n: int) -> bytes:
    body = urlset(*(f"/archive/{n}/story-{i}.html|2019-01-01" for i in range(CHILD_URLS)))
    return body.replace(b"</urlset>", b"<!--" + b"padding " * (CHILD_PADDING // 8) + b"--></urlset>")


@pytest.fixture(scope="module")
def big_index_site():
    """/index-N.xml: an index of N child sitemaps of 2 MB, every page dated 2019 (outside the tests' window)."""
    with serve(FIXTURE_SITE, {}) as site:
        for n in range(16):
            site.routes[f"/big/{n}.xml"] = lambda h, n=n: h.reply(200, big_child(n), "application/xml")
        for size in (1, MANY, 16):
            site.routes[f"/index-{size}.xml"] = lambda h, size=size: h.reply(
                200, index(*(f"/big/{n}.xml" for n in range(size))), "application/xml")
        yield site


_COLLECTED: dict[str, list] = {}   # the in-process runner's outputs, by name (a module global: shared)


def _collect(element, name):
    _COLLECTED.setdefault(name, []).append(element)


def _read_in_pipeline(urls, window=DateWindow("2026-11-01", "2026-11-30")):
    """FetchFeeds in a pipeline; (reports, error rows) collected on the side."""
    _COLLECTED.clear()
    with test_pipeline.TestPipeline() as p:
        out = p | beam.Create([feed_request(u) for u in urls]) | FetchFeeds("r1", LOCAL_FETCH, window)
        out.reports | "KeepReports" >> beam.Map(_collect, "reports")
        out.errors | "KeepErrors" >> beam.Map(_collect, "errors")
    return _COLLECTED.get("reports", []), _COLLECTED.get("errors", [])


def test_an_index_leaves_its_children_as_requests_and_fetches_none_of_them_itself(big_index_site):
    children = []
    before = big_index_site.count("/big/")
    report, entries = poll_feed(Fetcher(LOCAL_FETCH), feed_request(big_index_site.base + "/index-16.xml"),
                                children=children)
    assert big_index_site.count("/big/") == before and entries == [] and report["entries"] == 0
    assert [c["sitemap_url"] for c in children] == [f"{big_index_site.base}/big/{n}.xml" for n in range(16)]
    assert {c["level"] for c in children} == {1}
    assert sum(1 + c["budget"] for c in children) == MAX_SITEMAPS


def test_reading_an_index_holds_one_child_sitemap_in_memory_whatever_the_number_of_children(big_index_site):
    """The pipeline reads 6 children of 2 MB in about the memory it reads one in (read in one worker,
    a whole level at a time, it held all the bodies at once)."""
    peaks = {}
    for size in (1, MANY):
        tracemalloc.start()
        try:
            [report], errors = _read_in_pipeline([f"{big_index_site.base}/index-{size}.xml"])
            peaks[size] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert errors == [] and (report["entries"], report["outside_dates"]) == (0, size * CHILD_URLS)
    assert peaks[MANY] < 1.5 * peaks[1], peaks


def test_indexes_nest_to_max_depth_and_a_deeper_level_is_one_sitemap_limit_error_row():
    # /deep/0.xml (the source, level 0) -> 1 -> ... -> MAX_DEPTH are indexes; each also lists a urlset.
    routes = {}
    with serve(FIXTURE_SITE, routes) as site:
        for level in range(MAX_DEPTH + 1):
            site.routes[f"/deep/{level}.xml"] = lambda h, level=level: h.reply(
                200, index(f"/deep/{level + 1}.xml", f"/deep/pages-{level + 1}.xml"), "application/xml")
            site.routes[f"/deep/pages-{level + 1}.xml"] = lambda h, level=level: h.reply(
                200, urlset(f"/news/level-{level + 1}.html|2026-11-20"), "application/xml")
        [report], errors = _read_in_pipeline([site.base + "/deep/0.xml"])
        read = {path for path in site.requests if path.startswith("/deep/")}
    # levels 1..MAX_DEPTH are read; the children of the level-MAX_DEPTH index are not
    assert read == {f"/deep/{n}.xml" for n in range(MAX_DEPTH + 1)} | {f"/deep/pages-{n}.xml"
                                                                       for n in range(1, MAX_DEPTH + 1)}
    assert (report["status"], report["entries"]) == ("ok", MAX_DEPTH)
    assert [(e["stage"], e["error_kind"], e["url"]) for e in errors] == [
        ("fetch_sitemap", "sitemap_limit", f"{site.base}/deep/{MAX_DEPTH}.xml")]


@st.composite
def _sitemap_trees(draw):
    """How many children each index lists, level by level: a function of (level, position)."""
    return draw(st.lists(st.integers(0, 60), min_size=1, max_size=20))


@settings(max_examples=60, deadline=None)
@given(fanouts=_sitemap_trees(), root_children=st.integers(0, 1100))
def test_however_indexes_nest_one_source_reads_at_most_max_sitemaps_files(fanouts, root_children):
    """Every request the budget makes is read, and lists the next fanout's children: the files read stay
    within MAX_SITEMAPS, none is deeper than MAX_DEPTH, and a cut is said."""
    failures = []
    pending = sitemap_requests("s", "s", [f"c{i}" for i in range(root_children)], 1, MAX_SITEMAPS, (), failures)
    read, turn = 0, 0
    while pending:
        request = pending.pop()
        read += 1
        assert 1 <= request["level"] <= MAX_DEPTH
        turn += 1
        listed = [f"{request['sitemap_url']}/{i}" for i in range(fanouts[turn % len(fanouts)])]
        pending.extend(sitemap_requests("s", request["sitemap_url"], listed, request["level"] + 1,
                                        request["budget"], request["ancestors"], failures))
    assert read <= MAX_SITEMAPS
    if root_children > MAX_SITEMAPS:
        assert read == MAX_SITEMAPS and failures
    assert all(f["kind"] == "sitemap_limit" for f in failures)


def test_a_sitemap_listing_itself_is_not_read_again():
    with serve(FIXTURE_SITE, {}) as site:
        site.routes["/loop.xml"] = lambda h: h.reply(200, index("/loop.xml", "/loop-b.xml"), "application/xml")
        site.routes["/loop-b.xml"] = lambda h: h.reply(200, index("/loop.xml", "/loop-b.xml"), "application/xml")
        [report], errors = _read_in_pipeline([site.base + "/loop.xml"])
        assert site.count("/loop.xml") == 1 and site.count("/loop-b.xml") == 1
    assert report["status"] == "ok" and errors == []


def test_a_child_sitemap_that_decompresses_beyond_max_bytes_is_a_too_large_error_row():
    bomb = gzip.compress(b"<urlset>" + b" " * (LOCAL_FETCH.max_bytes + 1) + b"</urlset>")
    with serve(FIXTURE_SITE, {}) as site:
        site.routes["/bomb-index.xml"] = lambda h: h.reply(200, index("/bomb.xml.gz", "/ok.xml"), "application/xml")
        site.routes["/bomb.xml.gz"] = lambda h: h.reply(200, bomb, "application/gzip")
        site.routes["/ok.xml"] = lambda h: h.reply(200, urlset("/news/a.html|2026-11-20"), "application/xml")
        [report], errors = _read_in_pipeline([site.base + "/bomb-index.xml"])
    assert (report["status"], report["entries"]) == ("ok", 1)
    [row] = errors
    assert (row["stage"], row["error_kind"], row["url"]) == ("fetch_sitemap", "too_large", site.base + "/bomb.xml.gz")
    assert f"exceeds {LOCAL_FETCH.max_bytes} bytes once decompressed" in row["message"]
