"""A misbehaving news site on 127.0.0.1 for the chaos tests.

Built on `pipelines.site.serve`: every path below is a route `fn(handler)`. The site serves

* `/feeds/chaos.xml`: one RSS entry per misbehaving page (`PAGES`), plus a few control entries;
* misbehaving feeds (`/feeds/truncated.xml`, `/feeds/laughs.xml`, ...), see `FEED_ROUTES`;
* `/feeds/many-<n>.xml`: a feed of n small, well-behaved generated articles (`/many/<i>.html`);
* `/robots.txt` disallowing `/pages/robots-private`.

`ChaosSite.hits(path)` counts the requests for exactly one path, `ChaosSite.headers(path)` lists
the request headers each of them sent. Fixture content is generated here, nothing is copied.
"""

import contextlib
import email.utils
import os
import socket
import struct
import tempfile
import threading
import time
import zlib
from xml.sax.saxutils import escape

from pipelines.site import serve

# --- content ------------------------------------------------------------------------------

_TOPICS = ["harbour", "tram depot", "library", "ferry", "bakery", "orchard", "observatory", "market hall",
           "lighthouse", "river path", "wind farm", "school roof", "bridge", "museum", "reservoir"]
_NAMES = ["Alma Voss", "Teodor Brandt", "Ines Calloway", "Piet Oduya", "Mara Lindqvist", "Bram Okello"]
PUBLISHED = "Tue, 03 Mar 2026 09:30:00 +0000"


def article_paragraphs(n: int, extra: str = "") -> list[str]:
    """A few paragraphs of plain, varied news prose (well over 40 words), unique per `n`."""
    topic = _TOPICS[n % len(_TOPICS)]
    name = _NAMES[n % len(_NAMES)]
    return [
        f"The {topic} in Kestrel Bay will reopen next spring after a repair programme that began "
        f"{n % 11 + 2} months ago, the town council confirmed on Tuesday evening.{extra}",
        f"\u201cWe have waited long enough, and the work on the {topic} is finally paying off,\u201d said "
        f"{name}, who chairs the council's works committee. Residents had complained about the delays.",
        f"The council spent {n % 9 + 1}.{n % 7} million euros on the project, and {n % 40 + 12} local firms "
        f"took part in the work, according to figures published with the decision (story number {n}).",
        f"Opposition members asked for a full audit of the {topic} budget before any further spending, "
        f"and the committee agreed to publish its accounts within six weeks of the reopening.",
    ]


def article_html(n: int, title: str | None = None, extra: str = "", meta_charset: str | None = None) -> str:
    title = title or f"Kestrel Bay story {n}"
    paragraphs = "\n".join(f"      <p>{escape(p)}</p>" for p in article_paragraphs(n, extra))
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    return f"""<!doctype html>
<html lang="en">
  <head>{meta}<title>{escape(title)}</title>
    <meta name="author" content="Nell Harrow"></head>
  <body>
    <header><nav><a href="/">Kestrel Bay Herald</a></nav></header>
    <article>
      <h1>{escape(title)}</h1>
{paragraphs}
    </article>
    <footer>Kestrel Bay Herald</footer>
  </body>
</html>
"""


def full_text_html(n: int) -> str:
    """An entry's <content:encoded>: the whole article, enough for the feed-content fallback."""
    return "".join(f"<p>{escape(p)}</p>" for p in article_paragraphs(n, " (from the feed)"))


def rss(base: str, items: list[dict], title: str = "Kestrel Bay Herald") -> bytes:
    """RSS 2.0 with content:encoded; item keys: link (absolute or path), title, content (HTML or None)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n'
             f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
             f"<channel><title>{escape(title)}</title><link>{base}/</link>"
             f"<description>chaos</description>\n"]
    for item in items:
        link = item["link"] if "://" in item["link"] else base + item["link"]
        parts.append(f"<item><title>{escape(item['title'])}</title><link>{escape(link)}</link>"
                     f"<guid>{escape(link)}</guid><pubDate>{item.get('published', PUBLISHED)}</pubDate>")
        if item.get("summary"):
            parts.append(f"<description>{escape(item['summary'])}</description>")
        if item.get("content"):
            parts.append(f"<content:encoded>{escape(item['content'])}</content:encoded>")
        parts.append("</item>\n")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode("utf-8")


# --- raw misbehaviour ---------------------------------------------------------------------------

def _quietly(write):
    """Run `write()`, ignoring a client that went away (it is supposed to, in these tests)."""
    try:
        write()
    except (OSError, ValueError):
        pass


def reset_connection(handler) -> None:
    """Abort the TCP connection with an RST (SO_LINGER 0, then close the descriptor for real)."""
    sock = handler.connection
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        os.close(sock.detach())
    handler.close_connection = True
    handler.wfile = _Sink()
    handler.rfile = _Sink()


class _Sink:
    closed = False

    def write(self, data):
        return len(data)

    def flush(self):
        pass

    def close(self):
        pass

    def readline(self, *args):
        return b""


def send_head(handler, status: int, content_type: str, length: int | None, headers: dict | None = None):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.flush()


def gzip_bomb(gibibytes: float = 1.0) -> bytes:
    """`gibibytes` GiB of zeros as concatenated gzip members (each 1 MiB -> ~1 KiB); about 1000:1.

    One deflate stream can't beat ~1032:1, so 1 GiB is ~1 MiB on the wire; the client must give up
    after reading a few KiB of it."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = comp.compress(b"\0" * (1 << 20)) + comp.flush()
    return member * int(gibibytes * 1024)


BOMB = gzip_bomb(1.0)
BOMB_DECODED = 1 << 30
HUGE = 50 * 1024 * 1024
SLOW_SECONDS = 2.0     # past --read_timeout=0.5 before any byte of the response


# --- the site ---------------------------------------------------------------------------------------

class ChaosSite:
    def __init__(self):
        self.lock = threading.Lock()
        self.log: list[tuple[str, dict]] = []       # (path, request headers)
        self.counters: dict[str, int] = {}
        self.site = None
        self.many_routes_for: set[int] = set()

    @property
    def base(self) -> str:
        return self.site.base

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.log if p == path)

    def headers(self, path: str) -> list[dict]:
        with self.lock:
            return [h for p, h in self.log if p == path]

    def mark(self) -> int:
        """A position in the request log, for `paths_since`."""
        with self.lock:
            return len(self.log)

    def paths_since(self, mark: int) -> list[str]:
        with self.lock:
            return [p for p, _ in self.log[mark:]]

    def _next(self, path: str) -> int:
        with self.lock:
            self.counters[path] = self.counters.get(path, 0) + 1
            return self.counters[path]

    def _logged(self, fn):
        def route(handler):
            path = handler.path.split("?", 1)[0]
            with self.lock:
                self.log.append((path, {k.lower(): v for k, v in handler.headers.items()}))
            return fn(handler)
        return route

    def routes(self) -> dict:
        routes = {}
        routes.update(self._page_routes())
        routes.update(self._feed_routes())
        routes["/robots.txt"] = lambda h: h.reply(200, ROBOTS_TXT.encode(), "text/plain")
        for n in range(0, 1200):
            routes[f"/many/{n}.html"] = (
                lambda h, n=n: h.reply(200, article_html(1000 + n).encode(), "text/html; charset=utf-8"))
        for n in MANY_SIZES:
            routes[f"/feeds/many-{n}.xml"] = lambda h, n=n: h.reply(200, many_feed(h.server.site.base, n),
                                                                    "application/rss+xml")
        return {path: self._logged(fn) for path, fn in routes.items()}

    # pages ------------------------------------------------------------------------------------

    def _page_routes(self) -> dict:
        def html(n, **kw):
            return lambda h: h.reply(200, article_html(n, **kw).encode("utf-8"), "text/html; charset=utf-8")

        def slow(h):
            time.sleep(SLOW_SECONDS)
            _quietly(lambda: h.reply(200, article_html(2).encode(), "text/html; charset=utf-8"))

        def reset_mid_body(h):
            body = article_html(3).encode()
            send_head(h, 200, "text/html; charset=utf-8", len(body) + 20_000)
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            time.sleep(0.05)
            reset_connection(h)

        def too_many_then_ok(h):
            if self._next("/pages/429-once") == 1:
                return h.reply(429, b"slow down", "text/plain", {"Retry-After": "1"})
            h.reply(200, article_html(4).encode(), "text/html; charset=utf-8")

        def always_503(h):
            h.reply(503, b"maintenance", "text/plain", {"Retry-After": "1"})

        def redirect(to, status=302):
            return lambda h: h.reply(status, b"", "text/plain", {"Location": to})

        def gzip_bomb_page(h):
            send_head(h, 200, "text/html; charset=utf-8", len(BOMB), {"Content-Encoding": "gzip"})
            _quietly(lambda: h.wfile.write(BOMB))

        def huge_page(h):
            block = b"<p>" + b"word " * 13106 + b"</p>\n"  # 65,538 bytes
            send_head(h, 200, "text/html; charset=utf-8", HUGE)

            def write():
                sent = 0
                while sent < HUGE:
                    piece = block[: HUGE - sent]
                    h.wfile.write(piece)
                    sent += len(piece)
            _quietly(write)

        def octet(h):
            h.reply(200, article_html(5).encode(), "application/octet-stream")

        def invalid_utf8(h):
            body = article_html(6, title="Caf\u00e9 owners meet", extra=" The caf\u00e9 stays open.").encode()
            # stray bytes that are not UTF-8, in the middle of the text
            body = body.replace(b"repair programme", b"repair \xff\xfe programme").replace(
                b"Residents", b"Resi\xc3\x28dents")
            h.reply(200, body, "text/html; charset=utf-8")

        def latin1_as_utf8(h):
            body = article_html(7, title="Caf\u00e9 de la Plage sold", extra=" The caf\u00e9 was sold.")
            h.reply(200, body.encode("latin-1", "replace"), "text/html; charset=utf-8")

        def utf8_as_latin1(h):
            body = article_html(8, title="Caf\u00e9 Nord extends hours", extra=" The caf\u00e9 opens at six.")
            h.reply(200, body.encode("utf-8"), "text/html; charset=iso-8859-1")

        def empty(h):
            h.reply(200, b"", "text/html; charset=utf-8")

        routes = {
            "/pages/ok": html(1),
            "/pages/slow": slow,
            "/pages/reset": reset_mid_body,
            "/pages/429-once": too_many_then_ok,
            "/pages/503": always_503,
            "/pages/500": lambda h: h.reply(500, b"internal error", "text/plain"),
            "/pages/404": lambda h: h.reply(404, b"not found", "text/plain"),
            "/pages/410": lambda h: h.reply(410, b"gone", "text/plain"),
            "/pages/loop-a": redirect("/pages/loop-b"),
            "/pages/loop-b": redirect("/pages/loop-a"),
            "/pages/gzip-bomb": gzip_bomb_page,
            "/pages/huge": huge_page,
            "/pages/octet-stream": octet,
            "/pages/invalid-utf8": invalid_utf8,
            "/pages/latin1-as-utf8": latin1_as_utf8,
            "/pages/utf8-as-latin1": utf8_as_latin1,
            "/pages/empty": empty,
            "/pages/empty-with-feed-text": empty,
            "/pages/robots-private": html(9),
            "/pages/robots-private-with-feed-text": html(10),
            "/pages/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
            # the same address spelled as IPv6: NAT64 (64:ff9b::/96), 6to4 (2002::/16), IPv4-mapped
            "/pages/to-metadata-nat64": redirect("http://[64:ff9b::a9fe:a9fe]/latest/meta-data/"),
            "/pages/to-metadata-6to4": redirect("http://[2002:a9fe:a9fe::1]/latest/meta-data/"),
            "/pages/to-metadata-mapped": redirect("http://[::ffff:169.254.169.254]/latest/meta-data/"),
        }
        for i in range(CHAIN_LENGTH):
            routes[f"/pages/chain/{i}"] = redirect(f"/pages/chain/{i + 1}")
        routes[f"/pages/chain/{CHAIN_LENGTH}"] = html(11)
        return routes

    # feeds ------------------------------------------------------------------------------------

    def _feed_routes(self) -> dict:
        def chaos_feed(h):
            h.reply(200, rss(h.server.site.base, CHAOS_ENTRIES), "application/rss+xml")

        def etag_feed(h):
            if h.headers.get("If-None-Match") == ETAG:
                return h.reply(304, b"", "application/rss+xml", {"ETag": ETAG})
            h.reply(200, rss(h.server.site.base, ETAG_ENTRIES), "application/rss+xml", {"ETag": ETAG})

        def discover_page(h):
            page = ('<!doctype html><html><head><title>Kestrel Bay Herald</title>'
                    '<link rel="alternate" type="application/rss+xml" title="News" href="/feeds/discovered.xml">'
                    '</head><body><h1>Kestrel Bay Herald</h1><p>Welcome.</p></body></html>')
            h.reply(200, page.encode(), "text/html; charset=utf-8",
                    {"ETag": PAGE_ETAG, "Last-Modified": email.utils.formatdate(usegmt=True)})

        def discovered_feed(h):
            if h.headers.get("If-None-Match") == DISCOVERED_ETAG:
                return h.reply(304, b"", "application/rss+xml", {"ETag": DISCOVERED_ETAG})
            h.reply(200, rss(h.server.site.base, DISCOVERED_ENTRIES), "application/rss+xml",
                    {"ETag": DISCOVERED_ETAG})

        def static(body_fn, content_type="application/rss+xml"):
            return lambda h: h.reply(200, body_fn(h.server.site.base), content_type)

        return {
            "/feeds/chaos.xml": chaos_feed,
            "/feeds/robots-ignored.xml": static(lambda base: rss(base, [CHAOS_BY_PATH["/pages/robots-private"]])),
            "/feeds/truncated.xml": static(truncated_feed),
            "/feeds/empty.xml": static(lambda base: b""),
            "/feeds/not-a-feed.html": static(lambda base: NOT_A_FEED, "text/html; charset=utf-8"),
            "/feeds/discover.html": discover_page,
            "/feeds/discovered.xml": discovered_feed,
            "/feeds/laughs.xml": static(lambda base: billion_laughs(base)),
            "/feeds/xxe.xml": static(lambda base: xxe_feed(base)),
            "/feeds/big.xml": static(lambda base: big_feed(base)),
            "/feeds/etag.xml": etag_feed,
            "/feeds/moved.xml": lambda h: h.reply(301, b"", "text/plain", {"Location": "/feeds/moved-here.xml"}),
            "/feeds/moved-here.xml": static(lambda base: rss(base, MOVED_ENTRIES)),
            "/feeds/bad-charref.xml": static(lambda base: rss(base, [_entry("/feed-pages/112.html",
                                                                            "Tram &#2000000; line")]).replace(
                b"&amp;#2000000;", b"&#2000000;")),
            "/feeds/ssrf-probe.xml": static(lambda base: rss(base, [CHAOS_BY_PATH["/pages/ok"]])),
            **{f"/feed-pages/{n}.html": (lambda h, n=n: h.reply(200, article_html(n).encode(),
                                                                 "text/html; charset=utf-8"))
               for n in range(100, 120)},
            **{f"/big/{n}.html": (lambda h: h.reply(404, b"not found", "text/plain")) for n in range(BIG_UNIQUE)},
        }


CHAIN_LENGTH = 8   # > FetchConfig.max_redirects (5)
ROBOTS_TXT = "User-agent: *\nDisallow: /pages/robots-private\n"
ETAG = '"etag-feed-v1"'
PAGE_ETAG = '"front-page-v1"'
DISCOVERED_ETAG = '"discovered-v1"'


def _entry(path: str, title: str, feed_text: bool = False, n: int = 0) -> dict:
    return {"link": path, "title": title, "content": full_text_html(n) if feed_text else None,
            "summary": "A short teaser."}


# One entry per misbehaving page, with what the run must make of it: an error kind, or "article".
PAGES = [
    # path, expected outcome, full text in the feed entry
    ("/pages/ok", "article", False),
    ("/pages/slow", "timeout", False),
    ("/pages/reset", "connection_error", False),
    ("/pages/429-once", "article", False),
    ("/pages/503", "http_503", False),
    ("/pages/500", "http_500", False),
    ("/pages/404", "http_404", False),
    ("/pages/410", "http_410", False),
    ("/pages/loop-a", "redirect_loop", False),
    ("/pages/chain/0", "too_many_redirects", False),
    ("/pages/gzip-bomb", "too_large", False),
    ("/pages/huge", "too_large", False),
    ("/pages/octet-stream", "article", False),
    ("/pages/invalid-utf8", "article", False),
    ("/pages/latin1-as-utf8", "article", False),
    ("/pages/utf8-as-latin1", "article", False),
    ("/pages/empty", "no_body", False),
    ("/pages/empty-with-feed-text", "article", True),
    ("/pages/robots-private", "robots_disallowed", False),
    ("/pages/robots-private-with-feed-text", "article", True),
]
CHAOS_ENTRIES = [_entry(path, f"Chaos case {path}", feed_text, n=200 + i)
                 for i, (path, _, feed_text) in enumerate(PAGES)]
CHAOS_BY_PATH = {e["link"]: e for e in CHAOS_ENTRIES}

ETAG_ENTRIES = [_entry(f"/feed-pages/{n}.html", f"Etag story {n}") for n in (100, 101)]
MOVED_ENTRIES = [_entry(f"/feed-pages/{n}.html", f"Moved story {n}") for n in (102, 103)]
DISCOVERED_ENTRIES = [_entry(f"/feed-pages/{n}.html", f"Discovered story {n}") for n in (104, 105, 106)]
XXE_ENTRY_PATH = "/feed-pages/107.html"

NOT_A_FEED = (b"<!doctype html><html><head><title>Oops</title></head><body><h1>Our new website</h1>"
              b"<p>The feed has moved somewhere; no link here.</p></body></html>")

BIG_ENTRIES = 1000
BIG_UNIQUE = 900     # the other 100 entries repeat earlier links: duplicates within the feed


def big_feed(base: str) -> bytes:
    """1,000 entries: 900 distinct pages (all 404), every other one with full text in the feed;
    the last 100 entries repeat links of the first 100."""
    items = []
    for i in range(BIG_ENTRIES):
        n = i if i < BIG_UNIQUE else i - BIG_UNIQUE
        items.append({"link": f"/big/{n}.html", "title": f"Big feed story {i}",
                      "content": full_text_html(n) if n % 2 == 0 else None})
    return rss(base, items, title="Big feed")


def truncated_feed(base: str) -> bytes:
    whole = rss(base, [_entry("/feed-pages/110.html", "Truncated story one", True, 110),
                       _entry("/feed-pages/111.html", "Truncated story two", True, 111)])
    cut = whole.index(b"<item>") + len(b"<item><title>Trunc")  # inside the first entry, before its link
    return whole[:cut]


def billion_laughs(base: str) -> bytes:
    """The classic: ten levels of ten references each, 10^9 "lol"s if anyone expands them."""
    decl = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(decl) + '\n]>\n'
            f'<rss version="2.0"><channel><title>Laughs &lol9;</title><link>{base}/</link>'
            f'<item><title>Laughing &lol9;</title><link>{base}/feed-pages/108.html</link>'
            f'<description>&lol9;</description></item></channel></rss>\n').encode()


SECRET_FILE_MARKER = "root:x:0:0"


def xxe_feed(base: str) -> bytes:
    content = escape("".join(f"<p>{p}</p>" for p in article_paragraphs(107)))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f'<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
            f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f'<title>XXE &xxe;</title><link>{base}/</link>'
            f'<item><title>Secrets &xxe;</title><link>{base}/pages/empty-xxe</link>'
            f'<description>Leak: &xxe;</description>'
            f'<content:encoded>{content} &amp;xxe; &xxe;</content:encoded></item>'
            f'</channel></rss>\n').encode()


MANY_SIZES = (600,)


def many_feed(base: str, n: int) -> bytes:
    return rss(base, [{"link": f"/many/{i}.html", "title": f"Many story {i}", "content": None}
                      for i in range(n)], title=f"Many ({n})")


@contextlib.contextmanager
def serve_chaos():
    """The chaos site on a free port of 127.0.0.1, for the duration of the block."""
    chaos = ChaosSite()
    with tempfile.TemporaryDirectory(prefix="newsbeam-chaos-") as root:
        routes = chaos.routes()
        routes["/pages/empty-xxe"] = chaos._logged(lambda h: h.reply(200, b"", "text/html"))
        with serve(root, routes) as site:
            chaos.site = site
            yield chaos
