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


# --- the SSRF guard over every spelling of an address ------------------------------------------------
# The oracle is IANA's IPv4 special-purpose registry, written out here, not the guard's own tables.

import ipaddress  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from transforms.fetching import netguard  # noqa: E402

NON_PUBLIC_V4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/29", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4")]


@st.composite
def non_public_v4(draw):
    network = draw(st.sampled_from(NON_PUBLIC_V4))
    return ipaddress.IPv4Address(int(network.network_address) + draw(st.integers(0, network.num_addresses - 1)))


# 192.0.0.0/24 holds a few global anycast addresses among special ones: left out of both draws.
NOT_DRAWN_V4 = [*NON_PUBLIC_V4, ipaddress.ip_network("192.0.0.0/24")]
public_v4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address).filter(
    lambda ip: not any(ip in n for n in NOT_DRAWN_V4))


def _v6(value: int) -> str:
    return str(ipaddress.IPv6Address(value))


def judged_embeddings(v4: ipaddress.IPv4Address, low: int) -> dict:
    """IPv6 spellings that reach `v4` and are judged by it (`low`: arbitrary bits where the form has any)."""
    x = int(v4)
    return {"mapped": _v6((0xFFFF << 32) | x), "mapped-dotted": f"::ffff:{v4}",
            "nat64": _v6((0x64FF9B << 96) | x), "nat64-dotted": f"64:ff9b::{v4}",
            "6to4": _v6((0x2002 << 112) | (x << 80) | (low & ((1 << 80) - 1)))}


def refused_embeddings(v4: ipaddress.IPv4Address, low: int) -> dict:
    """IPv6 spellings that embed `v4` and are refused whatever it is (see netguard.is_public)."""
    x = int(v4)
    teredo_server = (low >> 64) & 0xFFFFFFFF
    return {"compatible": f"::{v4}", "compatible-hex": _v6(x) if x > 1 else f"::{v4}",
            "siit": _v6((0xFFFF << 48) | x),
            "nat64-local-use": _v6((0x0064FF9B0001 << 80) | (low & ((1 << 80) - 1)) ^ x),
            "teredo": _v6((0x20010000 << 96) | (teredo_server << 64) | (low & 0xFFFF) << 32 | (x ^ 0xFFFFFFFF))}


@settings(max_examples=400, deadline=None)
@given(non_public_v4(), st.integers(0, 2**128 - 1))
def test_every_spelling_of_a_non_public_ipv4_address_is_refused(v4, low):
    assert not netguard.is_public(str(v4))
    for form, address in {**judged_embeddings(v4, low), **refused_embeddings(v4, low)}.items():
        assert not netguard.is_public(address), (form, address)


@settings(max_examples=400, deadline=None)
@given(public_v4, st.integers(0, 2**128 - 1))
def test_a_public_ipv4_address_is_allowed_plain_mapped_nat64_and_6to4_but_not_in_refused_forms(v4, low):
    assert netguard.is_public(str(v4))
    for form, address in judged_embeddings(v4, low).items():
        assert netguard.is_public(address), (form, address)
    for form, address in refused_embeddings(v4, low).items():
        assert not netguard.is_public(address), (form, address)


@st.composite
def in_network(draw, cidr):
    network = ipaddress.ip_network(cidr)
    return str(ipaddress.ip_address(int(network.network_address) + draw(st.integers(0, network.num_addresses - 1))))


NON_PUBLIC_V6 = ["::1/128", "::/128", "fe80::/10", "fc00::/7", "ff00::/8", "fec0::/10", "2001:db8::/32",
                 "100::/64", "2001::/23", "3fff::/20", "4000::/2", "8000::/1", "64:ff9b:1::/48"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NON_PUBLIC_V6).flatmap(in_network))
def test_loopback_link_local_unique_local_multicast_and_unallocated_ipv6_are_refused(address):
    assert not netguard.is_public(address)


@pytest.fixture
def loopback_only(monkeypatch):
    """Every connect() attempted; any not to loopback is refused here, so nothing leaves the host."""
    attempts = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        attempts.append(address)
        if address[0] not in ("127.0.0.1", "::1"):
            raise ConnectionRefusedError(f"test refused a connection to {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


@pytest.mark.parametrize("address", ["64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "2002:a9fe:a9fe::", "::127.0.0.1",
                                     "::ffff:169.254.169.254", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
                                     "64:ff9b:1::a9fe:a9fe", "fd00:ec2::254", "fe80::a9fe:a9fe%1"])
def test_the_guarded_fetcher_refuses_a_name_resolving_to_an_embedded_private_address_without_dialling(
        address, loopback_only):
    # --resolve stands in for DNS: a public-looking name whose only address is one of these spellings.
    fetcher = Fetcher(FetchConfig(allow_private_hosts=False, per_host_delay=0, retry=RetryPolicy(max_attempts=1),
                                  resolve=(f"news.example:80:[{address}]",)))
    with pytest.raises(FetchError) as info:
        fetcher.get("http://news.example/feed.xml")
    assert info.value.kind == "blocked_address"
    assert loopback_only == []


def test_an_allowed_private_network_admits_its_ipv4_mapped_spelling_and_nothing_else():
    policy = netguard.DialPolicy(allowed_networks=("10.0.0.0/8",))
    assert policy.permits("10.1.2.3") and policy.permits("::ffff:10.1.2.3")
    assert not policy.permits("::ffff:192.168.1.1") and not policy.permits("64:ff9b::c0a8:101")


# --- robots.txt as RFC 9309 reads it ---------------------------------------------------------------

from transforms.fetching.fetch import robots_txt_getter  # noqa: E402
from transforms.fetching.politeness import RobotsRules  # noqa: E402
from transforms.ingest import fetch_page  # noqa: E402


class Clock:
    """A stand-in for time.monotonic that moves only when told."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def robots_site():
    """A site whose robots.txt answer a test sets: `site.robots = (status, text)`."""
    with serve(FIXTURE_SITE, {}) as running:
        running.robots = (200, "User-agent: *\nDisallow: /private\n")
        running.routes["/robots.txt"] = lambda h: h.reply(running.robots[0], running.robots[1].encode(), "text/plain")
        running.routes["/news/story"] = _ok
        running.routes["/private/story"] = _ok
        yield running


def _rules(site, clock=None):
    return RobotsRules(robots_txt_getter(Fetcher(FAST)), USER_AGENT, clock=clock or Clock())


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_robots_txt_disallows_everything_and_the_error_row_says_it_was_unreachable(robots_site, status):
    robots_site.robots = (status, "oops")
    before = robots_site.count("/news/story")
    page = fetch_page(Fetcher(FAST), _rules(robots_site), {"link": robots_site.base + "/news/story"})
    assert page["failure"]["kind"] == "robots_unreachable"
    assert "unreachable" in page["failure"]["message"] and f"HTTP {status}" in page["failure"]["message"]
    assert robots_site.count("/news/story") == before  # the page itself was never asked for


def test_a_robots_txt_nobody_answers_for_disallows_everything():
    with socket.socket() as sock:  # a port with no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    rules = RobotsRules(robots_txt_getter(Fetcher(FAST)), USER_AGENT)
    with pytest.raises(FetchError) as info:
        rules.allowed(f"http://127.0.0.1:{port}/news/story")
    assert info.value.kind == "robots_unreachable" and "no answer" in info.value.message


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_4xx_robots_txt_allows_everything(robots_site, status):
    robots_site.robots = (status, "User-agent: *\nDisallow: /\n")  # a 4xx body is not rules
    rules = _rules(robots_site)
    assert rules.allowed(robots_site.base + "/news/story") and rules.allowed(robots_site.base + "/private/story")


def test_an_unreachable_robots_txt_is_asked_again_later_and_then_obeyed(robots_site):
    clock = Clock()
    rules = _rules(robots_site, clock)
    robots_site.robots = (503, "")
    with pytest.raises(FetchError):
        rules.allowed(robots_site.base + "/news/story")
    asked = robots_site.count("/robots.txt")
    with pytest.raises(FetchError):  # within the retry interval: not asked again
        rules.allowed(robots_site.base + "/news/story")
    assert robots_site.count("/robots.txt") == asked
    robots_site.robots = (200, "User-agent: *\nDisallow: /private\n")
    clock.now += rules.unreachable_retry
    assert rules.allowed(robots_site.base + "/news/story")
    assert not rules.allowed(robots_site.base + "/private/story")


def test_robots_rules_are_fetched_again_after_24_hours(robots_site):
    clock = Clock()
    rules = _rules(robots_site, clock)
    assert rules.allowed(robots_site.base + "/news/story")
    robots_site.robots = (200, "User-agent: *\nDisallow: /news\n")
    clock.now += 23 * 3600
    assert rules.allowed(robots_site.base + "/news/story")  # cached: the site's change is not seen yet
    clock.now += 3600
    assert not rules.allowed(robots_site.base + "/news/story")


def test_a_robots_txt_that_fails_on_its_24_hour_refresh_disallows_everything_until_it_answers(robots_site):
    clock = Clock()
    rules = _rules(robots_site, clock)
    assert rules.allowed(robots_site.base + "/news/story")
    robots_site.robots = (502, "")
    clock.now += 24 * 3600
    with pytest.raises(FetchError) as info:
        rules.allowed(robots_site.base + "/news/story")
    assert info.value.kind == "robots_unreachable"
    robots_site.robots = (200, "")
    clock.now += rules.unreachable_retry
    assert rules.allowed(robots_site.base + "/news/story")


def test_a_page_whose_origin_the_guard_refuses_is_a_blocked_address_not_an_unreachable_robots_txt(loopback_only):
    fetcher = Fetcher(FetchConfig(allow_private_hosts=False, per_host_delay=0, retry=RetryPolicy(max_attempts=1),
                                  resolve=("intranet.example:80:10.0.0.1",)))
    rules = RobotsRules(robots_txt_getter(fetcher), USER_AGENT)
    page = fetch_page(fetcher, rules, {"link": "http://intranet.example/news/story"})
    assert page["failure"]["kind"] == "blocked_address"
    assert loopback_only == []
