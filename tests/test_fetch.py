"""Fetcher.get against a real local HTTP server: statuses, limits, encodings, redirects."""

import gzip
import socket
import time
import tracemalloc
import zlib

import pytest

from pipelines.site import serve
from tests.conftest import FIXTURE_SITE
from transforms.fetching.fetch import USER_AGENT, FetchConfig, Fetcher, FetchError
from transforms.fetching.retry import RetryPolicy

FAST = FetchConfig(connect_timeout=1.0, read_timeout=0.5, total_timeout=5.0, max_bytes=64 * 1024, max_redirects=3,
                   allow_private_hosts=True, per_host_delay=0, retry=RetryPolicy(max_attempts=1))
ARTICLE = b"<html><body><p>Lighthouse keeper retires.</p></body></html>"


def _gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MiB of zeros gzip-compressed (about 1000:1), built without holding it all."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([comp.compress(block) for _ in range(megabytes)] + [comp.flush()])


BOMB = _gzip_bomb(32)


def _ok(h):
    h.reply(200, ARTICLE, "text/html; charset=utf-8", {"X-Test": "yes"})


def _echo_ua(h):
    h.reply(200, h.headers.get("User-Agent", "").encode(), "text/plain")


def _sleep_before_headers(h):
    time.sleep(1.2)
    h.reply(200, b"late", "text/plain")


def _stall_mid_body(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "2000")
    h.end_headers()
    h.wfile.write(b"<p>" + b"a" * 100)
    h.wfile.flush()
    time.sleep(1.2)


TRICKLE_CHUNKS = 12  # 1.2 s in all


def _trickle(h):
    # each chunk arrives well inside the read timeout, but the whole body takes too long
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(TRICKLE_CHUNKS * 200))
    h.end_headers()
    try:
        for _ in range(TRICKLE_CHUNKS):
            h.wfile.write(b"x" * 200)
            h.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def _redirect(to, status=302):
    return lambda h: h.reply(status, b"", "text/plain", {"Location": to})


ROUTES = {
    "/ok": _ok,
    "/ua": _echo_ua,
    "/missing": lambda h: h.reply(404, b"not here", "text/plain"),
    "/broken": lambda h: h.reply(500, b"oops", "text/plain"),
    "/slow": _sleep_before_headers,
    "/stall": _stall_mid_body,
    "/trickle": _trickle,
    "/big": lambda h: h.reply(200, b"x" * (FAST.max_bytes + 1), "text/html"),
    "/exact": lambda h: h.reply(200, b"y" * FAST.max_bytes, "text/html"),
    "/gzip": lambda h: h.reply(200, gzip.compress(ARTICLE), "text/html", {"Content-Encoding": "gzip"}),
    "/bomb": lambda h: h.reply(200, BOMB, "text/html", {"Content-Encoding": "gzip"}),
    "/not-gzip": lambda h: h.reply(200, b"this is not gzip data at all", "text/html", {"Content-Encoding": "gzip"}),
    "/moved": _redirect("/ok", 301),
    "/loop-a": _redirect("/loop-b"),
    "/loop-b": _redirect("/loop-a"),
    "/self": _redirect("/self", 307),
    "/no-location": lambda h: h.reply(302, b"", "text/plain"),
    "/to-ftp": _redirect("ftp://files.example/feed.xml"),
    "/to-file": _redirect("file:///etc/passwd"),
}
# a chain /hop/0 -> /hop/1 -> ... -> /hop/N -> /ok
for _i in range(6):
    ROUTES[f"/hop/{_i}"] = _redirect(f"/hop/{_i + 1}")
ROUTES["/hop/6"] = _redirect("/ok")


@pytest.fixture(scope="module")
def server():
    # one server for the module: stopping a server costs ~0.5 s (serve_forever's poll interval)
    with serve(FIXTURE_SITE, ROUTES) as running:
        running.routes["/moved-abs"] = _redirect(running.base + "/ok", 308)
        yield running


@pytest.fixture
def fetcher():
    return Fetcher(FAST)


def fetch_error(fetcher, url) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url)
    return info.value


def test_get_returns_body_status_and_lowercased_headers(server, fetcher):
    resp = fetcher.get(server.base + "/ok")
    assert resp.status == 200
    assert resp.body == ARTICLE
    assert resp.url == resp.final_url == server.base + "/ok"
    assert resp.content_type == "text/html; charset=utf-8"
    assert resp.headers["x-test"] == "yes"
    assert resp.elapsed >= 0


def test_get_serves_fixture_site_files(site, fetcher):
    resp = fetcher.get(site.base + "/feeds/local.xml")
    assert resp.body.startswith(b"<?xml")
    assert site.base.encode() in resp.body  # {{BASE}} templated by the server
    assert site.count("/feeds/local.xml") == 1


def test_get_sends_the_newsbeam_user_agent(server, fetcher):
    assert fetcher.get(server.base + "/ua").body.decode() == USER_AGENT


@pytest.mark.parametrize("path,status", [("/missing", 404), ("/broken", 500)])
def test_http_error_status_becomes_http_kind_with_status(server, fetcher, path, status):
    err = fetch_error(fetcher, server.base + path)
    assert err.kind == f"http_{status}"
    assert err.status == status
    assert err.url == server.base + path


def test_fixture_site_missing_page_is_http_404(site, fetcher):
    assert fetch_error(fetcher, site.base + "/news/nope.html").kind == "http_404"


def test_server_slower_than_read_timeout_is_timeout(server, fetcher):
    started = time.monotonic()
    err = fetch_error(fetcher, server.base + "/slow")
    assert err.kind == "timeout"
    assert time.monotonic() - started < 1.1  # gave up at the read timeout, didn't wait for the reply


def test_body_stalling_mid_transfer_is_timeout(server, fetcher):
    err = fetch_error(fetcher, server.base + "/stall")
    assert err.kind == "timeout"
    assert err.status == 200


def test_body_slower_than_total_timeout_is_timeout(server):
    # a slow-drip body: no single read waits past read_timeout, so only total_timeout can stop it
    fetcher = Fetcher(FetchConfig(read_timeout=0.5, total_timeout=0.3, allow_private_hosts=True, per_host_delay=0,
                                  retry=RetryPolicy(max_attempts=1)))
    started = time.monotonic()
    err = fetch_error(fetcher, server.base + "/trickle")
    assert err.kind == "timeout"
    assert time.monotonic() - started < 0.9  # the whole body takes 1.2 s


def test_body_over_max_bytes_is_too_large(server, fetcher):
    err = fetch_error(fetcher, server.base + "/big")
    assert err.kind == "too_large"
    assert err.status == 200


def test_body_of_exactly_max_bytes_is_accepted(server, fetcher):
    assert len(fetcher.get(server.base + "/exact").body) == FAST.max_bytes


def test_gzip_body_is_decoded(server, fetcher):
    resp = fetcher.get(server.base + "/gzip")
    assert resp.body == ARTICLE
    assert resp.headers["content-encoding"] == "gzip"


def test_gzip_bomb_is_too_large_without_buffering_it(server, fetcher):
    assert len(BOMB) < FAST.max_bytes  # small on the wire ...
    tracemalloc.start()
    try:
        err = fetch_error(fetcher, server.base + "/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.kind == "too_large"
    assert peak < 16 * 1024 * 1024  # ... 32 MiB when inflated, and never held in memory


def test_body_claiming_gzip_that_is_not_is_bad_encoding(server, fetcher):
    assert fetch_error(fetcher, server.base + "/not-gzip").kind == "bad_encoding"


@pytest.mark.parametrize("path", ["/moved", "/moved-abs"])
def test_redirect_is_followed_and_final_url_recorded(server, fetcher, path):
    resp = fetcher.get(server.base + path)
    assert resp.status == 200
    assert resp.body == ARTICLE
    assert resp.url == server.base + path
    assert resp.final_url == server.base + "/ok"


def test_redirects_up_to_the_limit_are_followed(server, fetcher):
    # /hop/3 -> /hop/4 -> /hop/5 -> /hop/6 -> /ok is 4 redirects; from /hop/4 it is 3 == max_redirects
    resp = fetcher.get(server.base + "/hop/4")
    assert resp.final_url == server.base + "/ok"


def test_more_redirects_than_the_limit_is_too_many_redirects(server, fetcher):
    ok_before, hops_before = server.count("/ok"), server.count("/hop/")
    err = fetch_error(fetcher, server.base + "/hop/3")
    assert err.kind == "too_many_redirects"
    assert err.url == server.base + "/hop/3"
    assert server.count("/ok") == ok_before
    assert server.count("/hop/") - hops_before == FAST.max_redirects + 1


def test_redirect_loop_is_detected(server, fetcher):
    before = server.count("/loop-")
    err = fetch_error(fetcher, server.base + "/loop-a")
    assert err.kind == "redirect_loop"
    assert err.url == server.base + "/loop-a"
    assert server.count("/loop-") - before == 2  # stopped at the first repeat


def test_redirect_to_itself_is_a_loop(server, fetcher):
    assert fetch_error(fetcher, server.base + "/self").kind == "redirect_loop"


def test_redirect_without_location_is_bad_redirect(server, fetcher):
    err = fetch_error(fetcher, server.base + "/no-location")
    assert err.kind == "bad_redirect"
    assert err.status == 302


@pytest.mark.parametrize("url", ["ftp://files.example/feed.xml", "file:///etc/passwd", "mailto:news@example.com",
                                 "http:///no-host", "not a url"])
def test_non_http_url_is_invalid_url(fetcher, url):
    assert fetch_error(fetcher, url).kind == "invalid_url"


@pytest.mark.parametrize("path", ["/to-ftp", "/to-file"])
def test_redirect_to_non_http_scheme_is_invalid_url(server, fetcher, path):
    assert fetch_error(fetcher, server.base + path).kind == "invalid_url"


def test_connection_refused_is_connection_error(fetcher):
    with socket.socket() as sock:  # a port that was free a moment ago and now has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    err = fetch_error(fetcher, f"http://127.0.0.1:{port}/feed.xml")
    assert err.kind == "connection_error"
    assert err.status is None


def test_fetcher_is_reusable_after_an_error(server, fetcher):
    with pytest.raises(FetchError):
        fetcher.get(server.base + "/big")
    assert fetcher.get(server.base + "/ok").body == ARTICLE
