"""Sitemaps to entries: a `<sitemapindex>` names child sitemaps, a `<urlset>` names pages with their
`lastmod`, and a Google News sitemap adds each page's publication date, title and language.

Pure functions over bytes; fetching the children, each as its own element, is transforms.sources.polling's.
Every decompression is capped (gunzip's max_bytes: the fetch's, so a .xml.gz holds no more than a plain body).
"""

import gzip
import io
import zlib

from lxml import etree

from transforms.sources.feeds import FeedError, absolute_link
from transforms.records import utc_iso

MAX_DEPTH = 3          # an index of indexes of urlsets is the deepest that real sites nest
MAX_SITEMAPS = 1000    # sitemap files read for one source, per poll (each index shares its budget among its children)
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def gunzip(body: bytes, max_bytes: int) -> bytes:
    """A gzip-compressed body (`.xml.gz`) decompressed, refusing more than `max_bytes` (a bomb)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    out, size = io.BytesIO(), 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise FeedError("too_large", f"sitemap exceeds {max_bytes} bytes once decompressed")
                out.write(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise FeedError("malformed_sitemap", f"broken gzip: {exc}") from None
    return out.getvalue()


def is_sitemap(body: bytes) -> bool:
    """True when the document's root element is <urlset> or <sitemapindex>."""
    head = body[:4096].lstrip()
    for tag in (b"<urlset", b"<sitemapindex"):
        position = head.find(tag)
        if position >= 0 and b"<rss" not in head[:position] and b"<feed" not in head[:position]:
            return True
    return False


def parse_sitemap(body: bytes, sitemap_url: str, source_url: str) -> tuple[list[str], list[dict]]:
    """(child sitemap URLs, entries) of one sitemap document; FeedError when it is not readable.
    Entries carry `source_url` (what the user gave) as their feed_url, like feed entries."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError("malformed_sitemap", f"not a readable sitemap: {exc}"[:300]) from None
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        children = [absolute_link(sitemap_url, loc) for loc in _texts(root, "sitemap", "loc")]
        return list(dict.fromkeys(children)), []
    if kind != "urlset":
        raise FeedError("malformed_sitemap", f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    entries = []
    for url in root:
        if not isinstance(url.tag, str) or etree.QName(url).localname != "url":
            continue
        loc = _child_text(url, "loc")
        if not loc:
            continue
        news = next((n for n in url.iter(f"{_NEWS}news")), None)
        published = _child_text(news, f"{_NEWS}publication_date") if news is not None else None
        keywords = _child_text(news, f"{_NEWS}keywords") if news is not None else None
        entries.append({
            "link": absolute_link(sitemap_url, loc), "guid": None,
            "title": _child_text(news, f"{_NEWS}title") if news is not None else None,
            "summary": None, "content": None,
            "published_at": utc_iso(published) or utc_iso(_child_text(url, "lastmod")),  # W3C Datetime
            "authors": [], "tags": [k.strip() for k in (keywords or "").split(",") if k.strip()],
            "feed_url": source_url, "feed_title": None,
        })
    return [], entries


def robots_sitemaps(robots_txt: str, origin: str) -> list[str]:
    """The sitemaps a robots.txt names in its `Sitemap:` lines."""
    found = []
    for line in robots_txt.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(absolute_link(origin + "/", value.strip()))
    return list(dict.fromkeys(found))


def _texts(root, *path: str) -> list[str]:
    found = []
    for element in root:
        if isinstance(element.tag, str) and etree.QName(element).localname == path[0]:
            text = _child_text(element, path[1])
            if text:
                found.append(text)
    return found


def _child_text(element, name: str) -> str | None:
    if element is None:
        return None
    for child in element:
        if isinstance(child.tag, str) and (child.tag == name or etree.QName(child).localname == name):
            return (child.text or "").strip() or None
    return None
