"""Feed bytes to entry records (RSS 0.9x/1.0/2.0, Atom), with a clear reason when they aren't a feed."""

import calendar
import datetime as dt
import re
from urllib.parse import urljoin

import feedparser
import lxml.html


class FeedError(Exception):
    def __init__(self, kind: str, message: str, status: int | None = None):
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


def parse_feed(body: bytes, feed_url: str, content_type: str = "", base_url: str | None = None) -> list[dict]:
    """Parse feed bytes (never a URL: feedparser must not fetch on its own) into entries of `feed_url`.
    Relative links resolve against `base_url`, where the feed was found after redirects (default feed_url)."""
    if not body.strip():
        raise FeedError("empty_response", "the feed URL returned an empty body")
    base_url = base_url or feed_url
    # content-location lets feedparser resolve relative links against the feed's own URL.
    headers = {"content-location": base_url, **({"content-type": content_type} if content_type else {})}
    try:
        parsed = feedparser.parse(body, response_headers=headers, resolve_relative_uris=True,
                                  sanitize_html=False)
    except (ValueError, OverflowError, LookupError) as exc:  # e.g. &#2000000; names no character
        raise FeedError("malformed_feed", f"not a parseable feed: {type(exc).__name__}: {exc}"[:300]) from None
    if not parsed.version:
        if _looks_like_html(body):
            raise FeedError("not_a_feed", "the URL returned an HTML page, not an RSS or Atom feed")
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise FeedError("malformed_feed", f"not a parseable feed: {str(reason)[:200]}")
    if _broken(parsed) and not any(e.get("link") for e in parsed.entries):
        # The loose parser salvaged nothing usable from broken XML.
        raise FeedError("malformed_feed", f"broken feed, no readable entries: {str(parsed.bozo_exception)[:200]}")
    if not parsed.entries:
        raise FeedError("empty_feed", "the feed is valid but has no entries")
    feed_title = parsed.feed.get("title")
    return [_entry(e, feed_url, base_url, feed_title) for e in parsed.entries]


def _broken(parsed) -> bool:
    """True for broken XML; a mislabelled Content-Type or charset is only a warning."""
    warnings = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    return bool(parsed.bozo) and not isinstance(parsed.get("bozo_exception"), warnings)


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _entry(e, feed_url: str, base_url: str, feed_title: str | None) -> dict:
    content = max((c.get("value", "") for c in e.get("content", [])), key=len, default="")
    authors = [a.get("name") for a in e.get("authors", []) if a.get("name")]
    if not authors and e.get("author"):
        authors = [e.get("author")]
    return {
        "link": absolute_link(base_url, e.get("link")),
        "guid": e.get("id") or e.get("guid"),
        "title": e.get("title"),
        "summary": e.get("summary"),
        "content": content or None,
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed, with a warning
        "published_at": _iso(dict.get(e, "published_parsed") or dict.get(e, "updated_parsed")),
        "authors": authors,
        "tags": [t.get("term") for t in e.get("tags", []) if t.get("term")],
        "feed_url": feed_url,
        "feed_title": feed_title,
    }


def absolute_link(base_url: str, link) -> str:
    """The entry's link made absolute; as written when it can't be joined (the entry then fails alone)."""
    if not link or not isinstance(link, str):
        return ""
    link = link.strip()
    try:
        return urljoin(base_url, link)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return link


def _iso(struct) -> str | None:
    # feedparser normalises dates to a UTC struct_time.
    if not struct:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.timezone.utc).isoformat()
    except (OverflowError, ValueError):
        return None


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


# A blog's feed of comments (WordPress: "Site » Comments Feed", /comments/feed/) lists replies, not articles.
_COMMENTS_FEED = re.compile(r"\b(comments?|kommentare|commentaires|comentarios|commenti|reacties)\b", re.I)


def discover_feed_links(body: bytes, page_url: str, limit: int = 3) -> list[str]:
    """Feed URLs an HTML page advertises with <link rel="alternate" type="application/rss+xml|atom+xml">,
    in page order without repeats, at most `limit`; feeds of comments are left out."""
    try:
        root = lxml.html.fromstring(body)
    except Exception:  # not HTML at all
        return []
    links = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in _FEED_TYPES or not href:
            continue
        if _COMMENTS_FEED.search(link.get("title") or "") or _COMMENTS_FEED.search(href.split("?")[0].replace("/", " ")):
            continue
        try:
            links.append(urljoin(page_url, href))
        except ValueError:   # e.g. an unclosed IPv6 bracket
            continue
    return list(dict.fromkeys(links))[:limit]


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment (feed summaries and content), one paragraph a line."""
    if not html or not html.strip():
        return ""
    html = _CONTROL_CHARS.sub(" ", html)  # lxml refuses strings holding them
    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fromstring(html)
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        blocks = root.xpath("//p|//li|//h1|//h2|//h3|//h4|//blockquote") or [root]
        lines = [" ".join(b.text_content().split()) for b in blocks]
    except Exception:  # lxml raises several unrelated types on garbage
        return ""
    return "\n".join(line for line in lines if line)
