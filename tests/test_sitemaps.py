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
    articles = con.execute("SELECT url, title, CAST(published_at AS VARCHAR) FROM articles ORDER BY url").fetchall()
    base = sitemap_site.base
    assert [(url, published[:10]) for url, _, published in articles] == [
        (f"{base}/news/ferry-terminal.html", "2026-11-20"), (f"{base}/news/library-reopens.html", "2026-11-21")]
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
