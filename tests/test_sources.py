"""read_sources: feed URLs from URLs, text files and OPML, with errors that point at the line."""

import pytest

from pipelines.sources import SourceError, read_sources


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Local">
      <outline text="Harlow Gazette" type="rss" xmlUrl="https://gazette.example/feed.xml"/>
      <outline text="Northfield" type="rss" xmlUrl="  https://northfield.example/atom.xml  "/>
    </outline>
    <outline text="A folder with no feed"/>
    <outline text="Valley Herald" type="rss" xmlUrl="http://valley.example/rss"/>
  </body>
</opml>
"""


def test_urls_given_directly_are_returned_in_order():
    assert read_sources(["https://b.example/feed", "http://a.example/rss"]) == \
        ["https://b.example/feed", "http://a.example/rss"]


def test_text_file_skips_comments_and_blank_lines(tmp_path):
    path = write(tmp_path, "feeds.txt", "# my feeds\n\nhttps://a.example/feed.xml   # the main one\n"
                                        "   http://b.example/rss   \n\n# end\n")
    assert read_sources([path]) == ["https://a.example/feed.xml", "http://b.example/rss"]


def test_text_file_with_windows_line_endings(tmp_path):
    path = write(tmp_path, "feeds.txt", b"https://a.example/feed.xml\r\nhttps://b.example/feed.xml\r\n")
    assert read_sources([path]) == ["https://a.example/feed.xml", "https://b.example/feed.xml"]


def test_repeats_are_dropped_keeping_first_position(tmp_path):
    path = write(tmp_path, "feeds.txt", "https://b.example/f\nhttps://a.example/f\nhttps://b.example/f\n")
    assert read_sources(["https://a.example/f", path]) == ["https://a.example/f", "https://b.example/f"]


def test_sources_of_several_kinds_are_combined_in_order(tmp_path):
    txt = write(tmp_path, "feeds.txt", "https://t.example/feed\n")
    opml = write(tmp_path, "feeds.opml", OPML)
    assert read_sources(["https://u.example/feed", txt, opml]) == [
        "https://u.example/feed", "https://t.example/feed", "https://gazette.example/feed.xml",
        "https://northfield.example/atom.xml", "http://valley.example/rss"]


def test_opml_outlines_give_their_xml_urls_nested_or_not(tmp_path):
    path = write(tmp_path, "subscriptions.xml", OPML)  # recognised by content, not by extension
    assert read_sources([path]) == ["https://gazette.example/feed.xml", "https://northfield.example/atom.xml",
                                    "http://valley.example/rss"]


def test_invalid_opml_is_a_source_error_naming_the_file(tmp_path):
    path = write(tmp_path, "broken.opml", '<opml version="2.0"><body><outline xmlUrl="https://a.example/f">')
    with pytest.raises(SourceError, match="broken.opml"):
        read_sources([path])


def test_opml_does_not_expand_external_entities(tmp_path):
    secret = write(tmp_path, "secret.txt", "https://leaked.example/")
    path = write(tmp_path, "evil.opml",
                 f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>'
                 '<opml version="2.0"><body><outline xmlUrl="&x;feed"/>'
                 '<outline xmlUrl="https://ok.example/feed"/></body></opml>')
    try:
        urls = read_sources([path])
    except SourceError:
        return  # refusing the file is fine too
    assert not any("leaked.example" in u for u in urls)


def test_bad_line_error_names_file_and_line_number(tmp_path):
    path = write(tmp_path, "feeds.txt", "# header\nhttps://a.example/feed\n\nwww.b.example/feed\n")
    with pytest.raises(SourceError) as info:
        read_sources([path])
    assert f"{path}:4:" in str(info.value)
    assert "www.b.example/feed" in str(info.value)


def test_non_http_scheme_in_file_is_rejected(tmp_path):
    path = write(tmp_path, "feeds.txt", "ftp://files.example/feed.xml\n")
    with pytest.raises(SourceError, match=":1:"):
        read_sources([path])


def test_missing_file_is_a_source_error(tmp_path):
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(SourceError, match="nope.txt"):
        read_sources([missing])


def test_directory_is_not_a_source(tmp_path):
    with pytest.raises(SourceError):
        read_sources([str(tmp_path)])


def test_non_http_url_argument_is_a_source_error():
    with pytest.raises(SourceError, match="ftp://files.example/feed"):
        read_sources(["ftp://files.example/feed"])


def test_file_with_only_comments_gives_no_feeds_error(tmp_path):
    path = write(tmp_path, "feeds.txt", "# nothing yet\n\n")
    with pytest.raises(SourceError, match="no feed URLs"):
        read_sources([path])


def test_opml_without_feeds_gives_no_feeds_error(tmp_path):
    path = write(tmp_path, "empty.opml", '<opml version="2.0"><body><outline text="folder"/></body></opml>')
    with pytest.raises(SourceError, match="no feed URLs"):
        read_sources([path])


def test_source_error_is_a_value_error():
    assert issubclass(SourceError, ValueError)


def test_text_file_saved_with_a_utf8_bom(tmp_path):
    # Notepad and PowerShell write a BOM; the first URL must not be rejected because of it
    path = write(tmp_path, "feeds.txt", b"\xef\xbb\xbfhttps://a.example/feed\nhttps://b.example/feed\n")
    assert read_sources([path]) == ["https://a.example/feed", "https://b.example/feed"]


def test_sources_file_served_by_the_fixture_site_lists_its_feeds(site, tmp_path):
    import urllib.request
    with urllib.request.urlopen(site.base + "/feeds/sources.txt", timeout=5) as response:
        path = write(tmp_path, "sources.txt", response.read())
    assert read_sources([path]) == [site.base + "/feeds/local.xml", site.base + "/feeds/regional.atom"]
