"""Feed sources as a user gives them (URLs, text files of URLs, OPML) to a list of feed URLs."""

import os
import pathlib
import re

import lxml.etree

# A comment starts a line or follows whitespace, so a URL's own #fragment survives.
_COMMENT = re.compile(r"(^|\s)#.*$")


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class SourceError(ValueError):
    """A source that is neither an http(s) URL nor a readable list of feeds."""


ACCEPTED = ("a source is an http(s) URL (a feed, a sitemap or a page that advertises feeds), a text file of "
            "such URLs one a line, an OPML file, or a local RSS/Atom feed file")


def read_sources(sources: list[str]) -> list[str]:
    """Feed URLs from SOURCES, in order, without repeats. A local RSS/Atom file is a feed of its own,
    given as its file:// URL (read by poll_feed where the run's workers are: this machine's runners)."""
    urls = []
    for source in sources:
        urls.extend(_read_one(source))
    if not urls:
        raise SourceError("no feed URLs found in " + " ".join(sources))
    return list(dict.fromkeys(urls))


def _read_one(source: str) -> list[str]:
    if _is_url(source):
        return [source]
    if source.lower().startswith("file://"):
        from transforms.sources.polling import local_path
        source = local_path(source)
    if not os.path.isfile(source):
        raise SourceError(f"{source!r} is neither an http(s) URL nor a readable file ({ACCEPTED})")
    with open(source, "rb") as f:
        data = f.read()
    head = data[:1024].lower()
    if b"<opml" in head:
        return _read_opml(source, data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return [_read_feed_file(source, data)]
    urls = []
    for number, line in enumerate(data.decode("utf-8-sig", "replace").splitlines(), 1):
        line = _COMMENT.sub("", line).strip()
        if not line:
            continue
        if not _is_url(line):
            raise SourceError(f"{source}:{number}: {line[:100]!r} is not an http(s) URL ({ACCEPTED})")
        urls.append(line)
    return urls


def _read_feed_file(source: str, data: bytes) -> str:
    """A markup file: its file:// URL when it is an RSS or Atom feed with entries, else why it is refused."""
    from transforms.sources.feeds import FeedError, parse_feed
    url = pathlib.Path(os.path.abspath(source)).as_uri()
    try:
        parse_feed(data, url)
    except FeedError as exc:
        what = "an HTML page" if exc.kind == "not_a_feed" else f"not a readable feed ({exc.message})"
        raise SourceError(f"{source}: {what}; {ACCEPTED}") from None
    return url


def _read_opml(source: str, data: bytes) -> list[str]:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise SourceError(f"{source}: not valid OPML: {exc}") from None
    return [o.get("xmlUrl").strip() for o in root.iter("outline") if o.get("xmlUrl")]


def read_archives(warc: list[str], cc_news: str | None, archive_base: str, fetcher) -> list[str]:
    """Web archive files from --warc (paths, globs, Beam filesystem or http(s) URLs) and --cc_news
    (months of Common Crawl's news archive, listed from `archive_base`), in order, without repeats."""
    from apache_beam.io.filesystems import FileSystems

    from transforms.sources.archives import archive_paths, cc_news_listing, cc_news_months
    from transforms.fetching.fetch import FetchError

    paths = []
    for pattern in warc or ():
        if _is_url(pattern):
            paths.append(pattern)
            continue
        try:
            matched = sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)
        except Exception as exc:  # each filesystem raises its own kinds
            raise SourceError(f"--warc {pattern}: cannot list it ({type(exc).__name__}: {exc})") from None
        if not matched:
            raise SourceError(f"--warc {pattern}: no such archive file")
        paths.extend(matched)
    for month in cc_news_months(cc_news) if cc_news else ():
        listing = f"{archive_base.rstrip('/')}/{cc_news_listing(month)}"
        try:
            if _is_url(listing):
                data = fetcher.get(listing).body
            else:
                with FileSystems.open(listing, compression_type="uncompressed") as f:
                    data = f.read()
            paths.extend(archive_paths(data, archive_base))
        except (OSError, FetchError, ValueError, EOFError) as exc:
            raise SourceError(f"--cc_news {month}: cannot read its file list {listing} ({exc})") from None
    return list(dict.fromkeys(paths))
