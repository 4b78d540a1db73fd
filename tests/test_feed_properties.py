"""Property tests: whatever bytes a feed URL returns, parsing either yields well-formed entries or
raises FeedError, never anything else (random bytes, and RSS/Atom skeletons with random text,
entities, nesting and truncation)."""

import codecs
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from transforms.extraction.articles import NoBody, article_from_entry, decode_html
from transforms.sources.feeds import FeedError, discover_feed_links, html_to_text, parse_feed
from transforms.fetching.fetch import FetchConfig, FetchError, Response
from transforms.ingest import BadLink, key_entry
from transforms.sources.polling import feed_request, poll_feed
from transforms.records import partition_date, utc_iso

FEED_URL = "https://herald.example/feeds/news.xml"
ENTRY_KEYS = {"link", "guid", "title", "summary", "content", "published_at", "authors", "tags", "feed_url",
              "feed_title"}
# No shrinking: a failure is reported as found, so even a failing run stays within seconds.
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate], report_multiple_bugs=False)
# Numeric character references that are not characters: too large, a surrogate, beyond a C int.
BAD_CHARREFS = ["&#2000000;", "&#xD800;", "&#2200000000;"]


def charref_feed(ref: str) -> bytes:
    return (f'<rss version="2.0"><channel><title>Herald</title><link>https://herald.example/</link>'
            f'<item><title>Tram {ref} line</title><link>https://herald.example/a/1</link></item>'
            f'</channel></rss>').encode()


def check_entries(entries) -> None:
    assert isinstance(entries, list) and entries
    for entry in entries:
        assert set(entry) == ENTRY_KEYS
        assert isinstance(entry["link"], str)
        assert entry["link"] == "" or entry["link"].startswith(("http://", "https://", "/")) or ":" in entry["link"]
        for key in ("guid", "title", "summary", "content", "feed_title"):
            assert entry[key] is None or isinstance(entry[key], str), key
        assert isinstance(entry["authors"], list) and all(isinstance(a, str) and a for a in entry["authors"])
        assert isinstance(entry["tags"], list) and all(isinstance(t, str) and t for t in entry["tags"])
        if entry["published_at"] is not None:
            assert dt.datetime.fromisoformat(entry["published_at"]).utcoffset() == dt.timedelta(0)
        assert entry["feed_url"] == FEED_URL
        # what the pipeline does next with an entry must not blow up either: a link it can't use is a BadLink
        try:
            key_entry(entry)
        except BadLink as exc:
            assert exc.kind in {"no_link", "invalid_url"}, exc.kind
        try:
            article_from_entry(entry)
        except NoBody:
            pass


def parse_or_feed_error(body: bytes, content_type: str = ""):
    try:
        entries = parse_feed(body, FEED_URL, content_type)
    except FeedError as exc:
        assert exc.kind in {"empty_response", "not_a_feed", "malformed_feed", "empty_feed"}, exc.kind
        assert isinstance(exc.message, str)
        return None
    check_entries(entries)
    return entries


CONTENT_TYPES = st.sampled_from(["", "application/rss+xml", "application/atom+xml", "text/xml; charset=utf-8",
                                 "text/html", "application/octet-stream", "text/xml; charset=latin-1",
                                 "text/xml; charset=bogus-42"])


@SETTINGS
@given(body=st.binary(max_size=3000), content_type=CONTENT_TYPES)
def test_random_bytes_parse_to_entries_or_raise_feed_error(body, content_type):
    parse_or_feed_error(body, content_type)


# --- feed-shaped XML ----------------------------------------------------------------------------------

ENTITIES = st.sampled_from([
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#233;", "&#xE9;", "&#x1F600;", "&#0;", "&#xD800;",
    "&#1114112;", "&#99999999999;", "&nbsp;", "&eacute;", "&undefined;", "&", "&#;", "&#x;", "&lol;",
    "<![CDATA[ <p>in cdata</p> ]]>", "<!-- a comment -->", "<?pi target?>", "]]>", "\x00", "\x0b", "\ufffe",
])
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
TEXT = st.lists(st.one_of(WORDS, ENTITIES), max_size=6).map("".join)
TAGS = st.sampled_from(["p", "b", "div", "item", "entry", "title", "link", "channel", "feed", "x:y", "content",
                        "description", "summary", "script", "a"])
DATES = st.one_of(st.sampled_from([
    "Tue, 03 Mar 2026 09:30:00 +0000", "2026-03-03T09:30:00Z", "2026-02-30T25:61:00+14:00",
    "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 -1200", "yesterday", "", "0", "-1e308",
    "2026-03-03T09:30:00.123456789+05:45", "Sun, 06 Nov 1994 08:49:37 GMT"]), TEXT)
LINKS = st.one_of(st.sampled_from([
    "https://herald.example/a/1", "/relative/path", "relative", "javascript:alert(1)", "mailto:x@y",
    "http://[::1", "http://%zz/", "https://herald.example/a?b=1&amp;c=2", "  https://herald.example/s  ",
    "file:///etc/passwd", "//other.example/x", ""]), TEXT)


@st.composite
def nested(draw, depth=0):
    """Random text with random (possibly unbalanced) elements inside."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.integers(0, 3 if depth < 3 else 1))
        if choice <= 1:
            parts.append(draw(TEXT))
        elif choice == 2:
            tag = draw(TAGS)
            inner = draw(nested(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</wrong>"]))
            parts.append(f"<{tag}>{inner}{close}")
        else:
            parts.append(f"<{draw(TAGS)}/>")
    return "".join(parts)


@st.composite
def rss_items(draw):
    items = []
    for _ in range(draw(st.integers(0, 4))):
        fields = [
            f"<title>{draw(nested())}</title>",
            f"<link>{draw(LINKS)}</link>",
            f"<guid>{draw(TEXT)}</guid>",
            f"<pubDate>{draw(DATES)}</pubDate>",
            f"<description>{draw(nested())}</description>",
            f"<content:encoded>{draw(nested())}</content:encoded>",
            f"<dc:creator>{draw(TEXT)}</dc:creator>",
            f"<category>{draw(TEXT)}</category>",
            f"<enclosure url=\"{draw(LINKS)}\" type=\"audio/mpeg\"/>",
        ]
        chosen = draw(st.lists(st.sampled_from(fields), max_size=len(fields)))
        items.append("<item>" + "".join(chosen) + "</item>")
    return "".join(items)


@st.composite
def atom_entries(draw):
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        fields = [
            f"<title type=\"{draw(st.sampled_from(['text', 'html', 'xhtml', 'bogus']))}\">{draw(nested())}</title>",
            f"<link href=\"{draw(LINKS)}\" rel=\"{draw(st.sampled_from(['alternate', 'self', 'enclosure', '']))}\"/>",
            f"<id>{draw(TEXT)}</id>",
            f"<updated>{draw(DATES)}</updated>",
            f"<published>{draw(DATES)}</published>",
            f"<summary>{draw(nested())}</summary>",
            f"<content type=\"html\">{draw(nested())}</content>",
            f"<author><name>{draw(TEXT)}</name></author>",
            f"<category term=\"{draw(TEXT)}\"/>",
        ]
        chosen = draw(st.lists(st.sampled_from(fields), max_size=len(fields)))
        entries.append("<entry>" + "".join(chosen) + "</entry>")
    return "".join(entries)


PROLOGS = st.sampled_from([
    "", '<?xml version="1.0" encoding="utf-8"?>\n', '<?xml version="1.0" encoding="iso-8859-1"?>\n',
    '<?xml version="1.0" encoding="utf-16"?>\n', '<?xml version="1.0" encoding="made-up"?>\n',
    '<?xml version="1.1"?>', '\ufeff<?xml version="1.0"?>',
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/hostname">]>',
    '<!DOCTYPE html>',
])


@st.composite
def feed_documents(draw):
    prolog = draw(PROLOGS)
    if draw(st.booleans()):
        doc = (f'{prolog}<rss version="{draw(st.sampled_from(["2.0", "0.91", "0.92", "9"]))}" '
               f'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
               f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{draw(TEXT)}</title>'
               f'<link>{draw(LINKS)}</link>{draw(nested())}{draw(rss_items())}</channel></rss>')
    else:
        doc = (f'{prolog}<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(TEXT)}</title>'
               f'<link href="{draw(LINKS)}"/>{draw(nested())}{draw(atom_entries())}</feed>')
    if draw(st.booleans()):
        doc = doc.replace("&lol2;", "").replace("</channel>", "&lol2;&ext;</channel>")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16", "cp1252"]))
    body = doc.encode(encoding, errors="replace")
    if draw(st.booleans()):  # truncated at a random point
        body = body[:draw(st.integers(0, len(body)))]
    return body


@pytest.mark.parametrize("ref", BAD_CHARREFS)
def test_numeric_character_reference_that_is_no_character_gives_entries_or_feed_error(ref):
    parse_or_feed_error(charref_feed(ref))


@SETTINGS
@given(body=feed_documents(), content_type=CONTENT_TYPES)
def test_feed_shaped_xml_parses_to_well_formed_entries_or_raises_feed_error(body, content_type):
    parse_or_feed_error(body, content_type)


@settings(SETTINGS, max_examples=40)
@given(body=feed_documents())
def test_file_entities_are_never_expanded_into_entries(body):
    with open("/etc/hostname") as f:
        hostname = f.read().strip()
    entries = parse_or_feed_error(body) or []
    if hostname:
        for entry in entries:
            for key in ("title", "summary", "content", "feed_title"):
                assert hostname not in (entry[key] or "").replace("herald.example", ""), key


# --- one level up: a poll, discovery and the HTML helpers -------------------------------------------------

class FakeFetcher:
    """Answers every URL with the same body (a page, then whatever it links to)."""

    config = FetchConfig()

    def __init__(self, body: bytes, content_type: str, status: int = 200):
        self.body, self.content_type, self.status = body, content_type, status

    def get(self, url, headers=None):
        if self.status >= 400:
            raise FetchError(f"http_{self.status}", "no", url, self.status)
        return Response(url, url, self.status, {"content-type": self.content_type, "etag": '"x"'}, self.body)


@SETTINGS
@given(body=st.one_of(feed_documents(), st.binary(max_size=2000)), content_type=CONTENT_TYPES,
       status=st.sampled_from([200, 200, 200, 304, 404]))
def test_poll_feed_returns_a_report_or_raises_fetch_or_feed_error(body, content_type, status):
    try:
        report, entries = poll_feed(FakeFetcher(body, content_type, status), feed_request(FEED_URL))
    except (FeedError, FetchError):
        return
    assert report["entries"] == len(entries)
    assert report["status"] in ("ok", "not_modified")
    if report["status"] == "not_modified":
        assert entries == []
    else:
        check_entries(entries)


@SETTINGS
@given(body=st.one_of(st.binary(max_size=2000), nested().map(lambda s: s.encode("utf-8", "replace"))))
def test_feed_discovery_and_html_to_text_never_raise(body):
    links = discover_feed_links(body, "https://herald.example/")
    assert isinstance(links, list) and len(links) <= 3
    text = html_to_text(body.decode("utf-8", "replace"))
    assert isinstance(text, str)


_OFFSETS = st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23, minutes=59))
_TIMESTAMPS = st.builds(lambda when, offset: when.replace(tzinfo=dt.timezone(offset)).isoformat(),
                        st.datetimes(), _OFFSETS)


@example("0001-01-01T00:00:00+05:00")
@example("9999-12-31T23:59:59-12:00")
@given(st.one_of(_TIMESTAMPS, st.datetimes().map(dt.datetime.isoformat), st.dates().map(str), DATES))
def test_any_date_is_read_as_a_utc_timestamp_or_none_and_always_gives_a_partition(value):
    """Feeds, sitemaps, pages and archives all give dates as strings: the edges of the calendar,
    where moving to UTC leaves the years datetime holds, are unreadable, never a crash."""
    iso = utc_iso(value)
    if iso is not None:
        assert dt.datetime.fromisoformat(iso).utcoffset() == dt.timedelta(0)
        assert iso[:10] == partition_date(value)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", partition_date(value, "2026-11-20T10:00:00+00:00"))


_LABELS = st.one_of(st.sampled_from(["utf-8", "UTF8", "iso-8859-1", "windows-1252", "shift_jis", "utf-16", "utf-32",
                                     "idna", "punycode", "utf-7", "unicode_escape", "base64", "rot13", "zlib",
                                     "x-user-defined", "koi8-r", "gb18030", "", "\x00", "utf-8\"; q=1"]), TEXT)


@given(st.binary(max_size=2000), _LABELS, st.sampled_from(["http", "meta", "both"]))
def test_any_page_bytes_under_any_charset_label_decode_to_text(body, label, where):
    """Pages arrive with every label and none, right or wrong: decoding gives text, and bytes that
    are valid UTF-8 (without a BOM) read as UTF-8 whatever the label says."""
    content_type = f"text/html; charset={label}" if where in ("http", "both") else "text/html"
    if where in ("meta", "both"):
        body = f'<meta charset="{label}">'.encode("utf-8", "replace") + body
    text = decode_html(body, content_type)
    assert isinstance(text, str)
    try:
        as_utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None   # not UTF-8: any reading is fine, as long as it is text
    if as_utf8 is not None and not body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        assert text == as_utf8
