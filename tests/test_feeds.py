"""parse_feed over RSS 2.0, Atom, RSS 1.0 and the ways a feed URL goes wrong; html_to_text."""

import os

import pytest

from transforms.sources.feeds import FeedError, html_to_text, parse_feed

UNIT = os.path.join(os.path.dirname(__file__), "fixtures", "unit")
FEED_URL = "https://gazette.example/feed.xml"


def fixture(name: str) -> bytes:
    with open(os.path.join(UNIT, name), "rb") as f:
        return f.read()


def kind_of(body: bytes, content_type: str = "") -> str:
    with pytest.raises(FeedError) as info:
        parse_feed(body, FEED_URL, content_type)
    return info.value.kind


# --- the three feed formats -------------------------------------------------------------

def test_rss2_entries_carry_link_guid_title_and_feed_identity():
    entries = parse_feed(fixture("rss2.xml"), FEED_URL, "application/rss+xml")
    assert [e["title"] for e in entries] == ["Tram line extension opens", "Harbour dredging delayed"]
    first = entries[0]
    assert first["link"] == "https://gazette.example/tram-extension?utm_source=rss"
    assert first["guid"] == "gazette-1001"
    assert first["feed_url"] == FEED_URL
    assert first["feed_title"] == "Harlow Gazette"


def test_rss2_pubdate_is_normalised_to_utc_iso():
    first = parse_feed(fixture("rss2.xml"), FEED_URL)[0]
    # 08:15 at +01:00 is 07:15 UTC
    assert first["published_at"] == "2026-11-16T07:15:00+00:00"


def test_an_unreadable_pubdate_gives_no_date_and_no_deprecation_warning(recwarn):
    body = (b'<rss version="2.0"><channel><title>G</title><item><title>Tram</title>'
            b'<link>https://gazette.example/tram</link><pubDate>sometime last week</pubDate></item></channel></rss>')
    assert parse_feed(body, FEED_URL)[0]["published_at"] is None
    assert [str(w.message) for w in recwarn if issubclass(w.category, DeprecationWarning)] == []


def test_rss2_dc_creator_and_categories_become_authors_and_tags():
    first = parse_feed(fixture("rss2.xml"), FEED_URL)[0]
    assert first["authors"] == ["Mira Castell"]
    assert first["tags"] == ["Transport", "City"]


def test_rss2_content_encoded_is_kept_apart_from_the_summary():
    first = parse_feed(fixture("rss2.xml"), FEED_URL)[0]
    assert "It opened on Monday." in first["content"]
    assert "It opened on Monday." not in first["summary"]
    assert "four stops" in first["summary"]


def test_rss2_entry_without_date_author_or_content_has_empty_values():
    second = parse_feed(fixture("rss2.xml"), FEED_URL)[1]
    assert second["published_at"] is None
    assert second["authors"] == []
    assert second["tags"] == []
    assert second["content"] is None
    assert second["summary"] == "Work now starts in spring."


def test_atom_entry_fields():
    (entry,) = parse_feed(fixture("atom.xml"), FEED_URL, "application/atom+xml")
    assert entry["link"] == "https://northfield.example/school-roof"
    assert entry["guid"] == "urn:northfield:school-roof"
    assert entry["feed_title"] == "Northfield Weekly"
    assert entry["authors"] == ["Jon Adeyemi", "Lena Vos"]
    assert entry["tags"] == ["Education"]
    assert "two weeks early" in entry["content"]
    assert entry["summary"] == "The repair finished two weeks early."


def test_atom_published_wins_over_updated_and_is_in_utc():
    (entry,) = parse_feed(fixture("atom.xml"), FEED_URL)
    assert entry["published_at"] == "2026-11-18T07:30:00+00:00"


def test_rss1_rdf_feed_is_parsed():
    (entry,) = parse_feed(fixture("rdf.xml"), FEED_URL, "application/rdf+xml")
    assert entry["link"] == "https://valley.example/orchard-harvest"
    assert entry["title"] == "Orchard harvest best in a decade"
    assert entry["feed_title"] == "Valley Herald"
    assert entry["authors"] == ["Priya Holm"]
    assert entry["published_at"] == "2026-10-02T07:00:00+00:00"


def test_feed_declared_latin1_decodes_accented_titles():
    body = ('<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9 Post</title>'
            '<item><title>Cr\xe8me br\xfbl\xe9e record</title><link>https://cafe.example/1</link></item>'
            '</channel></rss>').encode("latin-1")
    (entry,) = parse_feed(body, FEED_URL)
    assert entry["title"] == "Crème brûlée record"
    assert entry["feed_title"] == "Café Post"


def test_relative_entry_link_is_resolved_against_the_feed_url():
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Rel</title>'
            b'<item><title>A</title><link>/news/a.html</link></item></channel></rss>')
    (entry,) = parse_feed(body, FEED_URL)
    # a relative link can't be fetched on its own; the feed's URL is its base
    assert entry["link"] == "https://gazette.example/news/a.html"


def test_entry_link_whitespace_is_stripped():
    body = (b'<rss version="2.0"><channel><title>T</title>'
            b'<item><title>A</title><link>\n   https://ws.example/a   \n</link></item></channel></rss>')
    (entry,) = parse_feed(body, FEED_URL)
    assert entry["link"] == "https://ws.example/a"


# --- what isn't a usable feed ------------------------------------------------------------

def test_empty_body_is_empty_response():
    assert kind_of(b"") == "empty_response"
    assert kind_of(b"  \r\n\t ") == "empty_response"


def test_valid_feed_without_items_is_empty_feed():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert kind_of(body) == "empty_feed"


def test_atom_feed_without_entries_is_empty_feed():
    body = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Nothing yet</title></feed>'
    assert kind_of(body) == "empty_feed"


def test_broken_xml_with_no_readable_entry_is_malformed_feed():
    body = b'<rss version="2.0"><channel><title>T</title><item><title>A</item></channel>'
    assert kind_of(body) == "malformed_feed"


def test_xml_that_is_not_a_feed_is_malformed_feed():
    body = b'<?xml version="1.0"?><invoice><total>12</total></invoice>'
    with pytest.raises(FeedError) as info:
        parse_feed(body, FEED_URL, "application/xml")
    assert info.value.kind == "malformed_feed"
    assert info.value.message  # says why


def test_garbage_bytes_are_malformed_feed():
    assert kind_of(bytes(range(256)) * 16, "application/octet-stream") == "malformed_feed"


def test_html_page_with_doctype_is_not_a_feed():
    body = (b"<!DOCTYPE html>\n<html><head><title>Home</title></head>"
            b"<body><h1>Welcome</h1><p>Latest news<br></p></body></html>")
    assert kind_of(body, "text/html") == "not_a_feed"


def test_html_page_served_as_text_html_is_not_a_feed():
    body = b"<html><head><title>Home</title></head><body><p>No feed here.</p></body></html>"
    assert kind_of(body, "text/html") == "not_a_feed"


def test_well_formed_html_page_without_content_type_is_not_a_feed():
    # XHTML-clean markup parses as XML, so feedparser sets no bozo flag when no text/html
    # Content-Type says otherwise; it is still a home page, not a broken feed
    body = b"<html><head><title>Home</title></head><body><p>No feed here.</p></body></html>"
    assert kind_of(body, "") == "not_a_feed"
    assert kind_of(body, "application/xml") == "not_a_feed"


def test_feed_error_carries_kind_and_message():
    err = FeedError("empty_feed", "nothing there")
    assert err.kind == "empty_feed" and err.message == "nothing there" and str(err) == "nothing there"


# --- html_to_text ---------------------------------------------------------------------------

def test_html_to_text_puts_each_paragraph_on_its_own_line_and_collapses_spaces():
    assert html_to_text("<p>First   line\n here.</p><p>Second.</p>") == "First line here.\nSecond."


def test_html_to_text_drops_scripts_and_styles():
    text = html_to_text("<div><p>Visible.</p><script>var x = 1;</script><style>p{}</style></div>")
    assert text == "Visible."


def test_html_to_text_reads_list_items_and_headings():
    assert html_to_text("<h2>Key points</h2><ul><li>One</li><li>Two</li></ul>") == "Key points\nOne\nTwo"


def test_html_to_text_without_block_elements_uses_all_text():
    assert html_to_text("<span>Just</span> <b>inline</b>") == "Just inline"


def test_html_to_text_returns_plain_text_unchanged_but_stripped():
    assert html_to_text("  no markup at all  ") == "no markup at all"


def test_html_to_text_of_nothing_is_empty():
    assert html_to_text(None) == ""
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""


def test_html_to_text_decodes_entities():
    assert html_to_text("<p>Fish &amp; chips &lt;3</p>") == "Fish & chips <3"
