"""The default configuration on a web like the real one: HTTPS under DNS names, certificates from a
CA, keep-alive, redirects, proxies, and the SSRF guard ON.

The sites run on this machine: 127.0.0.2 stands for a public server (trusted with
--allow_private_network 127.0.0.2/32, as a user would trust an intranet site) and 127.0.0.1 for
an internal service the guard must keep the crawler away from. Names resolve through --resolve
pins (curl's option), so the address checks, TLS, SNI and Host headers run exactly as for a
user's run; the certificates come from a test CA given with --ca_bundle.
"""

import os
import pathlib
import ssl
import subprocess
import sys
import threading
import time

import tempfile
from xml.sax.saxutils import escape

import apache_beam as beam
import pytest
import trustme
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline as BeamPipeline
from apache_beam.testing.util import assert_that, equal_to
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipelines import batch
from pipelines.query import connect
from pipelines.site import serve
from tests.conftest import FIXTURE_SITE
from tests.proxy import serve_proxy
from transforms.analysis.speakers import speaker_id
from transforms.storage.runs import manifests
from transforms.fetching.fetch import FetchConfig, Fetcher, FetchError
from transforms.fetching.fetch import robots_txt_getter
from transforms.ingest import BadLink, key_entry
from transforms.sources.polling import FetchFeeds
from transforms.fetching.politeness import RobotsRules
from transforms.fetching.retry import RetryPolicy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLIC, DEAD, PRIVATE = "127.0.0.2", "127.0.0.3", "127.0.0.1"
TRUSTED = (f"{PUBLIC}/32", f"{DEAD}/32")
PINS = (f"news.example:*:{PUBLIC}", f"multi.example:*:{DEAD},{PUBLIC}", f"mixed.example:*:{PRIVATE},{PUBLIC}",
        f"internal.example:*:{PRIVATE}", f"rogue.example:*:{PUBLIC}")
NAMES = ["news.example", "multi.example", "mixed.example"]


def _atom(web) -> bytes:
    """A feed whose links are relative (resolved against where the feed was found, after the
    http -> https redirect) and hostile (each must end as one error row)."""
    links = ["/news/ferry-terminal.html", "../news/library-reopens.html",
             f"http://internal.example:{web.internal_port}/secret", "/to-internal",
             f"https://rogue.example:{web.rogue_port}/news/ferry-terminal.html",
             "http://127.0.0.1:99999/x", f"http://{'a' * 70}.example/x", "javascript:alert(1)",
             "mailto:desk@news.example", "http://[::1/x"]
    entries = "".join(f"<entry><title>Item {i}</title><id>urn:item:{i}</id><updated>2026-11-2{i % 9}T10:00:00Z"
                      f"</updated><link href=\"{link.replace('&', '&amp;')}\"/></entry>"
                      for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>News</title><id>urn:feed</id><updated>2026-11-29T10:00:00Z</updated>{entries}</feed>").encode()


# A page whose publisher left the quote marks of its headline unescaped in og:title (the attribute ends at
# the first of them), and a feed that links it.
_QUOTED_PAGE = ('<!doctype html><html lang="en"><head><title>Marathon won as crowds hail "royal visit" | Courier'
                '</title><meta property="og:title" content="Marathon won as crowds hail "royal visit"">'
                '<meta property="article:published_time" content="2026-11-20T09:00:00Z"></head><body><article>'
                '<h1>Marathon won as crowds hail "royal visit"</h1>'
                + "".join(f"<p>The city marathon drew runners from every district on a cold morning, part {i}, "
                          "and the organisers said the course would stay the same next year.</p>" for i in range(6))
                + "</article></body></html>").encode()
_QUOTED_FEED = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
                '<id>urn:quoted</id><updated>2026-11-20T10:00:00Z</updated><entry><title>Marathon</title>'
                '<id>urn:quoted:1</id><updated>2026-11-20T10:00:00Z</updated><link href="/news/royal-visit.html"/>'
                '</entry></feed>').encode()


# A French and a Spanish article (tests/fixtures/lang) in one feed: quotes in the language of each page.
_LANG_NEWS = pathlib.Path(__file__).parent / "fixtures" / "lang" / "news"
_LANG_PAGES = {f"/news/{name}": (_LANG_NEWS / name).read_bytes() for name in ("fr_tramway.html", "es_puente.html",
                                                                               "de_stadtwerke.html")}
_LANG_FEED = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Monde</title>'
              '<id>urn:lang</id><updated>2026-11-16T16:00:00Z</updated>'
              + "".join(f'<entry><title>{i}</title><id>urn:lang:{i}</id><updated>2026-11-16T16:00:00Z</updated>'
                        f'<link href="{path}"/></entry>' for i, path in enumerate(_LANG_PAGES))
              + "</feed>").encode()


class Web:
    """The sites of these tests, and the fetch settings a user would give for them."""

    def config(self, **overrides) -> FetchConfig:
        settings = dict(resolve=PINS, allowed_networks=TRUSTED, ca_bundle=self.ca_file, per_host_delay=0,
                        retry=RetryPolicy(max_attempts=2, base_delay=0.01))
        return FetchConfig(**{**settings, **overrides})

    def options(self) -> list[str]:
        return [*(f"--resolve={pin}" for pin in PINS), *(f"--allow_private_network={n}" for n in TRUSTED),
                f"--ca_bundle={self.ca_file}", "--per_host_delay=0", "--retry_base_delay=0.01"]

    def run(self, feed: str, out) -> subprocess.CompletedProcess:
        """`newsbeam run` on `feed` into `out` with default options and only these sites' settings; it must
        exit 0."""
        result = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", feed, "--output", str(out),
                                 *self.options()], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        return result


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    web = Web()
    ca, other_ca = trustme.CA(), trustme.CA()
    web.ca_file = str(tmp_path_factory.mktemp("ca") / "ca.pem")
    ca.cert_pem.write_to_path(web.ca_file)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*NAMES).configure_cert(server_context)
    rogue_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    other_ca.issue_cert("rogue.example").configure_cert(rogue_context)

    def redirect_to_https(handler):
        handler.reply(301, b"", "text/plain", {"Location": web.https.base + handler.path})

    routes = {"/feeds/web.atom": lambda h: h.reply(200, _atom(web), "application/atom+xml"),
              "/feeds/mess.atom": lambda h: h.reply(200, web.mess, "application/atom+xml"),
              "/feeds/quoted.atom": lambda h: h.reply(200, _QUOTED_FEED, "application/atom+xml"),
              "/news/royal-visit.html": lambda h: h.reply(200, _QUOTED_PAGE, "text/html; charset=utf-8"),
              "/feeds/lang.atom": lambda h: h.reply(200, _LANG_FEED, "application/atom+xml"),
              **{path: (lambda page: lambda h: h.reply(200, page, "text/html; charset=utf-8"))(page)
                 for path, page in _LANG_PAGES.items()},
              "/to-internal": lambda h: h.reply(302, b"", "text/plain",
                                                {"Location": f"http://{PRIVATE}:{web.internal_port}/secret"})}
    with serve(FIXTURE_SITE, {"/secret": lambda h: h.reply(200, b"internal", "text/plain")}) as internal, \
            serve(FIXTURE_SITE, routes, host=PUBLIC, name="news.example", tls=server_context, keep_alive=True) as https, \
            serve(FIXTURE_SITE, {"/feeds/web.atom": redirect_to_https}, host=PUBLIC, name="news.example",
                  keep_alive=True) as http, \
            serve(FIXTURE_SITE, host=PUBLIC, name="rogue.example", tls=rogue_context) as rogue:
        web.internal, web.https, web.http, web.rogue = internal, https, http, rogue
        web.internal_port = int(internal.base.rsplit(":", 1)[1])
        web.rogue_port = int(rogue.base.rsplit(":", 1)[1])
        web.https_port = int(https.base.rsplit(":", 1)[1])
        yield web


def _requests_to(site, path: str) -> list[dict]:
    with site.lock:
        return [entry for entry in site.log if entry["path"] == path]


def test_https_by_name_verifies_the_name_and_sends_it_as_sni_and_host_on_every_kept_alive_request(web):
    fetcher = Fetcher(web.config())
    bodies = [fetcher.get(f"{web.https.base}/news/ferry-terminal.html").body for _ in range(3)]
    assert all(b"<html" in body.lower() for body in bodies)
    seen = _requests_to(web.https, "/news/ferry-terminal.html")
    assert len(seen) == 3
    assert {entry["host"] for entry in seen} == {f"news.example:{web.https_port}"}
    assert {entry["sni"] for entry in seen} == {"news.example"}
    assert len({entry["connection"] for entry in seen}) == 1  # one kept-alive connection


def test_plain_http_keeps_the_host_name_in_host_on_every_kept_alive_request(web):
    fetcher = Fetcher(web.config())
    for _ in range(3):
        assert b"<html" in fetcher.get(f"{web.http.base}/news/library-reopens.html").body.lower()
    seen = _requests_to(web.http, "/news/library-reopens.html")
    assert len(seen) == 3 and len({entry["connection"] for entry in seen}) == 1
    assert {entry["host"] for entry in seen} == {web.http.base.removeprefix("http://")}


def test_http_to_https_permanent_redirect_is_followed_and_remembered(web):
    response = Fetcher(web.config()).get(f"{web.http.base}/feeds/web.atom")
    assert response.status == 200 and response.final_url == f"{web.https.base}/feeds/web.atom"
    assert response.permanent_url == f"{web.https.base}/feeds/web.atom"


def test_a_certificate_from_an_untrusted_ca_is_a_tls_error_and_is_not_retried(web):
    with pytest.raises(FetchError) as failure:
        Fetcher(web.config()).get(f"{web.rogue.base}/news/ferry-terminal.html")
    assert failure.value.kind == "tls_error" and "certificate verify failed" in failure.value.message
    assert failure.value.attempts == 1
    assert web.rogue.count("/news/") == 0


def test_the_system_trust_store_alone_refuses_a_private_ca_and_ssl_cert_file_adds_it(web, monkeypatch):
    with pytest.raises(FetchError) as failure:
        Fetcher(web.config(ca_bundle=None)).get(f"{web.https.base}/news/ferry-terminal.html")
    assert failure.value.kind == "tls_error"
    monkeypatch.setenv("SSL_CERT_FILE", web.ca_file)  # what a user behind a TLS-inspecting proxy sets
    assert Fetcher(web.config(ca_bundle=None)).get(f"{web.https.base}/news/ferry-terminal.html").status == 200


def test_a_name_that_resolves_to_a_private_address_is_refused_before_any_request(web):
    before = web.internal.count("/secret")
    with pytest.raises(FetchError) as failure:
        Fetcher(web.config()).get(f"http://internal.example:{web.internal_port}/secret")
    assert failure.value.kind == "blocked_address" and PRIVATE in failure.value.message
    assert web.internal.count("/secret") == before


def test_a_public_site_that_redirects_to_a_private_address_is_refused(web):
    before = web.internal.count("/secret")
    with pytest.raises(FetchError) as failure:
        Fetcher(web.config()).get(f"{web.https.base}/to-internal")
    assert failure.value.kind == "blocked_address"
    assert web.internal.count("/secret") == before


def test_a_name_whose_first_address_is_dead_connects_to_the_next(web):
    response = Fetcher(web.config()).get(f"https://multi.example:{web.https_port}/news/ferry-terminal.html")
    assert response.status == 200
    assert _requests_to(web.https, "/news/ferry-terminal.html")[-1]["sni"] == "multi.example"


def test_a_name_with_a_private_and_a_public_address_dials_only_the_public_one(web):
    before = web.internal.count("/")
    url = f"http://mixed.example:{web.http.base.rsplit(':', 1)[1]}/news/ferry-terminal.html"
    assert Fetcher(web.config()).get(url).status == 200
    assert web.internal.count("/") == before


def test_https_proxy_from_the_environment_tunnels_by_name_and_no_proxy_bypasses_it(web, monkeypatch):
    with serve_proxy({"news.example": PUBLIC}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "multi.example")
        fetcher = Fetcher(web.config())
        assert fetcher.get(f"{web.https.base}/news/ferry-terminal.html").status == 200
        assert proxy.targets == [("CONNECT", f"news.example:{web.https_port}")]
        assert _requests_to(web.https, "/news/ferry-terminal.html")[-1]["sni"] == "news.example"
        assert fetcher.get(f"https://multi.example:{web.https_port}/news/ferry-terminal.html").status == 200
        assert len(proxy.targets) == 1  # NO_PROXY: straight to the site


def test_http_proxy_from_the_environment_forwards_the_request(web, monkeypatch):
    with serve_proxy({"news.example": PUBLIC}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        url = f"{web.http.base}/news/library-reopens.html"
        assert b"<html" in Fetcher(web.config()).get(url).body.lower()
        assert proxy.targets == [("GET", url)]


def test_behind_a_proxy_a_target_that_resolves_to_a_private_address_never_reaches_the_proxy(web, monkeypatch):
    with serve_proxy({}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        for url in (f"http://internal.example:{web.internal_port}/secret", f"http://{PRIVATE}:{web.internal_port}/"):
            with pytest.raises(FetchError) as failure:
                Fetcher(web.config()).get(url)
            assert failure.value.kind == "blocked_address"
        assert proxy.targets == []


def test_robots_txt_is_fetched_once_per_site_when_many_threads_reach_it_together(web):
    fetcher = Fetcher(web.config(per_host_concurrency=8))
    rules = RobotsRules(robots_txt_getter(fetcher), "newsbeam")
    before = web.https.count("/robots.txt")
    start = threading.Barrier(8)

    def ask():
        start.wait()
        rules.allowed(f"{web.https.base}/news/ferry-terminal.html")

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert web.https.count("/robots.txt") - before == 1


def test_total_timeout_counts_from_the_request_not_the_wait_for_a_slot(tmp_path):
    def slow(handler):
        time.sleep(0.4)
        handler.reply(200, b"<p>late but fine</p>", "text/html")

    with serve(FIXTURE_SITE, {"/slow": slow}) as site:
        # One request at a time to the host: the fourth waits ~1.2 s for its slot, longer than the
        # 0.9 s total timeout, yet each response takes 0.4 s once asked for.
        config = FetchConfig(allow_private_hosts=True, per_host_concurrency=1, per_host_delay=0,
                             total_timeout=0.9, retry=RetryPolicy(max_attempts=1))
        fetcher = Fetcher(config)
        results = []
        threads = [threading.Thread(target=lambda: results.append(fetcher.get(f"{site.base}/slow").status))
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [200] * 4


def test_default_run_over_https_host_names_ingests_and_gives_one_error_row_per_hostile_link(web, tmp_path):
    out = tmp_path / "out"
    feed = f"{web.http.base}/feeds/web.atom"  # http: the site moves it to https with a 301
    result = web.run(feed, out)
    assert "Traceback" not in result.stderr
    con = connect(str(out))
    authors = dict(con.execute("SELECT url, authors FROM articles").fetchall())
    assert set(authors) == {f"{web.https.base}/news/ferry-terminal.html", f"{web.https.base}/news/library-reopens.html"}
    # One page names its author in a meta tag, the other only in its byline (found by page_author).
    assert [list(a) for a in authors.values()] == [["Ruth Okafor"], ["Ruth Okafor"]]
    errors = sorted(con.execute("SELECT error_kind, stage FROM errors").fetchall())
    assert errors == sorted([("blocked_address", "fetch_page"), ("blocked_address", "fetch_page"),
                             ("tls_error", "fetch_page"), ("invalid_url", "parse_feed"),
                             ("invalid_url", "parse_feed"), ("no_link", "parse_feed"),
                             ("no_link", "parse_feed"), ("no_link", "parse_feed")])  # "http://[::1/x" has no link
    [manifest] = manifests(str(out))
    [report] = manifest["feeds"]
    assert (report["entries"], report["articles"], report["duplicates"], report["errors"]) == (10, 2, 0, 8)
    assert web.internal.count("/secret") == 0


def test_default_run_over_https_keeps_a_headline_whose_og_title_the_page_cut_at_a_quote_mark(web, tmp_path):
    out = tmp_path / "out"
    web.run(f"{web.https.base}/feeds/quoted.atom", out)
    titles = connect(str(out)).execute("SELECT url, title FROM articles").fetchall()
    assert titles == [(f"{web.https.base}/news/royal-visit.html", 'Marathon won as crowds hail "royal visit"')]


def test_default_run_over_https_names_the_speakers_of_french_and_spanish_quotes(web, tmp_path):
    out = tmp_path / "out"
    web.run(f"{web.https.base}/feeds/lang.atom", out)
    rows = connect(str(out)).execute("SELECT a.language, q.speaker FROM quotes q JOIN articles a USING (article_id) "
                                     "ORDER BY a.language, q.start").fetchall()
    assert [r for r in rows if r[0] != "de"] == [
        ("es", "el alcalde, Javier Ortega"), ("es", "el alcalde, Javier Ortega"),
        ("fr", "la maire, Hélène Moreau"), ("fr", "elle"), ("fr", "L'opposition")]


def test_default_run_over_https_names_german_speakers_you_can_trust(web, tmp_path):
    out = tmp_path / "out"
    web.run(f"{web.https.base}/feeds/lang.atom", out)
    rows = connect(str(out)).execute(
        "SELECT q.kind, q.text, q.speaker, q.speaker_title, q.speaker_org, q.speaker_id IS NOT NULL, q.speaker_id, "
        "q.speaker_kind FROM quotes q JOIN articles a USING (article_id) WHERE a.language = 'de' "
        "ORDER BY q.start, q.kind").fetchall()
    by_text = {text: (speaker, title, org, has_id) for kind, text, speaker, title, org, has_id, *_ in rows}
    ids = {text: (speaker, sid, skind) for kind, text, speaker, _, _, _, sid, skind in rows}
    # the name in apposition speaks, its role kept as title; "nach eigenen Angaben" is the subject's own
    # account; the man asked to do something in a passive is not the speaker; a naming verb after the quotation
    assert by_text["„Ohne höhere Preise können wir die Leitungen nicht erneuern.“"] == (
        "Jan Kowalski (parteilos)", "Sprecher", "Stadtwerke", True)
    assert {speaker for kind, text, speaker, *_ in rows if kind == "indirect" and "Verlust" in text} == {
        "Die Stadtwerke Lindenau"}
    assert by_text["„die Erhöhung noch einmal zu prüfen“"][0] is None
    assert by_text["„kaum zu vermitteln“"][0] == "Die Verbraucherzentrale"
    assert not any(speaker and speaker.split()[0].lower() in ("eigenen", "nach", "in") for _, _, speaker, *_ in rows)
    # the surname later is the same person (one speaker_id), not "Kowalski der Deutschen Presse-Agentur"; the
    # police's account is the police's
    first = ids["„Ohne höhere Preise können wir die Leitungen nicht erneuern.“"]
    later = ids["„Wir haben jeden Posten zweimal geprüft“"]
    assert later[0] == "Kowalski" and later[1] == first[1] == speaker_id("Jan Kowalski")
    assert ids["blieb eine Kundgebung vor dem Rathaus friedlich"] == (
        "Angaben der Polizei", speaker_id("Polizei"), "organisation")
    # a noun alone is no person (German capitalises every noun); a sentence adverb before the verb is no subject
    registered = [v for text, v in ids.items() if "412 Mitglieder" in text]
    assert registered and all(v == ("Registerauszug", None, "description") for v in registered)
    assert ids["die Genossenschaft wolle weiter wachsen"] == ("Kowalski", speaker_id("Jan Kowalski"), "person")
    # a quotation in brackets after a name is hers; of a list before a colon the last one speaks; a quotation in
    # the clause a verb of saying reports is its subject's, not the sentence's closing "so X"
    assert ids["„Wir tragen das mit.“"][:2] == ("Anna Keller", speaker_id("Anna Keller"))
    assert ids["„Die Zahlen stimmen.“"][:2] == ("der Kämmerer Paul Brandt", speaker_id("Paul Brandt"))
    assert ids["„aufgebraucht“"][:2] == ("der Prüfer Ralf Sommer", speaker_id("Ralf Sommer"))
    assert len(rows) >= 12


# --- The world's mess: arbitrary entry links and feed oddities through the real ingest graph. ---
# Hosts are only ever the pinned test names, names under .invalid (never resolvable), non-public
# IP literals or garbage, so no generated link can reach a machine outside this one.
_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40)
_HOSTS = st.one_of(
    st.sampled_from(["news.example", "internal.example", "rogue.example", "mixed.example", "127.0.0.1",
                     "127.0.0.2", "10.1.2.3", "169.254.169.254", "[::1]", "[fe80::1%25eth0]", "0", "a..b.invalid",
                     "xn--zz.invalid", "-bad-.invalid", "bücher.invalid", "☃.invalid", "", "[::1"]),
    st.integers(64, 300).map(lambda n: "a" * n + ".invalid"),
    _TEXT.map(lambda t: f"{t}.invalid"),
)
_PORTS = st.one_of(st.just(""), st.integers(0, 100_000).map(lambda p: f":{p}"), _TEXT.map(lambda t: f":{t}"))


@st.composite
def _links(draw):
    kind = draw(st.sampled_from(["page", "absolute", "scheme", "text", "long"]))
    if kind == "page":
        return draw(st.sampled_from(["/news/ferry-terminal.html", "../news/library-reopens.html",
                                     "/news/no-body.html", "/missing", "/to-internal", "//news.example/x"]))
    if kind == "absolute":
        scheme = draw(st.sampled_from(["http", "https", "HTTPS", "ftp", "file"]))
        return f"{scheme}://{draw(_HOSTS)}{draw(_PORTS)}/{draw(_TEXT)}?{draw(_TEXT)}#{draw(_TEXT)}"
    if kind == "scheme":
        return draw(st.sampled_from(["javascript:alert(1)", "mailto:desk@news.example", "data:text/html,<p>x",
                                     "tel:+15550100", "about:blank", "http:", "https://", "http:///path"]))
    if kind == "long":
        return f"https://news.example/{'x' * draw(st.integers(2000, 70_000))}"
    return draw(_TEXT)


_DATES = st.one_of(st.just("2026-11-20T10:00:00Z"), st.just("Tue, 31 Feb 2026 25:61:00 +9900"),
                   st.just("yesterday"), st.just("0000-00-00"), st.just("99999-01-01T00:00:00Z"), _TEXT)


@st.composite
def _entries(draw):
    parts = [f"<title>{escape(draw(_TEXT))}</title>"]
    if draw(st.booleans()):
        parts.append(f"<id>{escape(draw(_TEXT))}</id>")  # entries without guid too
    parts.append(f"<updated>{escape(draw(_DATES))}</updated>")
    for _ in range(draw(st.integers(0, 2))):  # no link, one, or a list of them
        parts.append(f'<link href="{escape(draw(_links()), {chr(34): "&quot;"})}"/>')
    return "<entry>" + "".join(parts) + "</entry>"


def _feed(entries: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Mess</title>'
            f"<id>urn:mess</id>{''.join(entries)}</feed>").encode("utf-8", "surrogatepass")


def _xml_safe(text: str) -> bool:
    return all(c in "\t\n\r" or 0x20 <= ord(c) < 0xD800 or 0xE000 <= ord(c) < 0xFFFE or ord(c) > 0xFFFF
               for c in text)


KNOWN_KINDS = {"no_link", "invalid_url", "blocked_address", "tls_error", "dns_error", "connection_error",
               "http_404", "no_body", "timeout", "robots_disallowed", "robots_unreachable"}


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(entries=st.lists(_entries(), min_size=1, max_size=12))
def test_any_entry_link_ends_as_one_article_duplicate_or_error_row_and_the_run_completes(web, entries):
    body = _feed([e for e in entries if _xml_safe(e)] or ["<entry><title>only</title></entry>"])
    web.mess = body
    with tempfile.TemporaryDirectory() as out:
        options = PipelineOptions(["--output", out, *web.options(), "--max_attempts=1"])
        manifest = batch.run(options, [f"{web.https.base}/feeds/mess.atom"])
        [feed] = manifest["feeds"]
        assert feed["error_kind"] is None, feed
        assert feed["articles"] + feed["duplicates"] + feed["errors"] == feed["entries"], feed
        kinds = {row[0] for row in connect(out).execute("SELECT error_kind FROM errors").fetchall()}
        assert kinds <= KNOWN_KINDS, kinds  # every failure foreseen: no internal_error


@settings(max_examples=300, deadline=None)
@given(link=st.one_of(_links(), _TEXT.map(lambda t: "http://" + t), st.text(max_size=300)))
def test_key_entry_keys_any_link_or_says_why_it_cannot(link):
    try:
        key, entry = key_entry({"link": link, "title": "t", "feed_url": "https://news.example/feed"})
    except BadLink as exc:
        assert exc.kind in {"no_link", "invalid_url"}
    else:
        assert len(key) == 16 and entry["canonical_url"].startswith(("http://", "https://"))


def test_an_unforeseen_failure_is_an_internal_error_row_with_its_traceback(web):
    # A feed request whose fetch URL is not text: no stage expects it, so only the catch-all can save it.
    request = {"feed_url": "https://news.example/feed", "fetch_url": 17, "etag": None, "last_modified": None}
    with BeamPipeline() as p:
        polled = p | beam.Create([request]) | FetchFeeds("r1", web.config())
        assert_that(polled.errors | beam.Map(lambda row: (row["error_kind"], row["url"],
                                                          "Traceback" in (row["traceback"] or ""))),
                    equal_to([("internal_error", "https://news.example/feed", True)]), label="ErrorRow")
        assert_that(polled.reports | beam.Map(lambda r: (r["status"], r["error_kind"])),
                    equal_to([("error", "internal_error")]), label="Report")
