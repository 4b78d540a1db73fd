"""HTTP GET the way a crawler should: timeouts, a streamed size cap, checked redirects, retries
with backoff, per-host politeness and an SSRF guard.

Failures raise FetchError with a short machine-readable `kind` (timeout, http_404, too_large,
blocked_address, ...) that becomes the error row's `error_kind`.
"""

import contextlib
import dataclasses
import functools
import ipaddress
import os
import ssl
import time
import urllib.request
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.util import make_headers
from urllib3.util.request import ACCEPT_ENCODING

from transforms.fetching.netguard import BlockedAddress, DialPolicy, pool_classes
from transforms.fetching.politeness import shared_limiter
from transforms.fetching.retry import RetryPolicy, retry_after_seconds, with_retries

CONTACT_URL = "https://github.com/newsbeam/newsbeam"


def user_agent(contact_url: str = CONTACT_URL) -> str:
    """A User-Agent that says who crawls and where a publisher can reach them."""
    return f"newsbeam/0.1 (news ingestion; +{contact_url})"


USER_AGENT = user_agent()
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT = (301, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_RETRY_KINDS = {"timeout", "connection_error", "http_429", "http_500", "http_502", "http_503", "http_504"}


@dataclasses.dataclass(frozen=True)
class FetchConfig:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024   # after decompression
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    retry: RetryPolicy = RetryPolicy()
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5         # seconds between request starts to one host
    allow_private_hosts: bool = False   # the SSRF guard is on unless a user runs on local sources
    allowed_networks: tuple[str, ...] = ()   # private networks dialled all the same (CIDR)
    resolve: tuple[str, ...] = ()       # HOST:PORT:ADDRESS[,...] pins that replace DNS, as curl's --resolve
    ca_bundle: str | None = None        # extra trusted CAs (PEM), on top of the system's

    @property
    def dial_policy(self) -> DialPolicy:
        return DialPolicy(guard=not self.allow_private_hosts, allowed_networks=self.allowed_networks,
                          pins=self.resolve)


@dataclasses.dataclass
class Response:
    url: str            # what was asked for
    final_url: str      # after redirects
    status: int
    headers: dict       # lower-cased names
    body: bytes
    elapsed: float = 0.0
    permanent_url: str | None = None   # where a 301/308 chain said the resource now lives
    attempts: int = 1

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class FetchError(Exception):
    def __init__(self, kind: str, message: str, url: str, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message)
        self.kind, self.message, self.url, self.status = kind, message, url, status
        self.retry_after = retry_after
        self.attempts = 1


def _retryable(exc: Exception):
    if isinstance(exc, FetchError) and exc.kind in _RETRY_KINDS:
        return True, exc.retry_after
    return False, None


class Fetcher:
    """One connection pool per worker; `get` is safe to call from several threads.

    Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms), as
    `requests` reads them; certificates are verified against the system's CAs (SSL_CERT_FILE
    and SSL_CERT_DIR override them) plus `ca_bundle`."""

    def __init__(self, config: FetchConfig = FetchConfig()):
        self.config = config
        self.policy = config.dial_policy
        self.limiter = shared_limiter(config.per_host_concurrency, config.per_host_delay)
        self._pool_kw = dict(
            num_pools=64, maxsize=max(2, config.per_host_concurrency), block=False, retries=False,
            timeout=urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout),
            headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            ssl_context=_tls_context(config.ca_bundle),
        )
        self._pool = self._manager(urllib3.PoolManager(**self._pool_kw))
        self._proxies = {scheme: url for scheme, url in urllib.request.getproxies().items()
                         if scheme in ("http", "https")}
        self._proxy_managers: dict[str, urllib3.ProxyManager] = {}

    def _manager(self, manager):
        manager.pool_classes_by_scheme = pool_classes(self.policy)
        return manager

    def _manager_for(self, url: str):
        """The direct pool, or the proxy manager the environment names for this URL."""
        parts = urlsplit(url)
        proxy = self._proxies.get(parts.scheme)
        if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
            return self._pool
        manager = self._proxy_managers.get(proxy)
        if manager is None:
            auth = urlsplit(proxy if "://" in proxy else "http://" + proxy)
            credentials = f"{auth.username}:{auth.password or ''}" if auth.username else None
            manager = self._manager(urllib3.ProxyManager(
                proxy, proxy_headers=make_headers(proxy_basic_auth=credentials) if credentials else None,
                **self._pool_kw))
            self._proxy_managers[proxy] = manager
        # The proxy dials, so check the target here, before anything is sent.
        self.policy.check_proxied_host(parts.hostname, parts.port or _DEFAULT_PORTS[parts.scheme])
        return manager

    def get(self, url: str, headers: dict | None = None) -> Response:
        """GET `url`, retrying transient failures; 2xx and 304 return, everything else raises FetchError."""
        try:
            response = with_retries(lambda: self._follow(url, headers), self.config.retry, _retryable)
        except FetchError as exc:
            exc.url = url  # the URL asked for, whatever hop failed: it is what a retry needs
            raise
        return response

    @contextlib.contextmanager
    def stream(self, url: str):
        """The body of a large download (a web archive) as a file-like stream, read as it arrives:
        no size cap, no decoding, no redirects, not retried; FetchError unless the answer is 200."""
        check_url(url)
        raw = self._send(url, decode_content=False)
        raw.auto_close = False  # readers wrapping it (buffers, gzip) read past the end and must see b"", not a closed file
        try:
            if raw.status != 200:
                raise FetchError(f"http_{raw.status}", f"HTTP {raw.status} for {url}", url, raw.status)
            yield raw
        finally:
            raw.release_conn()

    def _follow(self, url: str, headers: dict | None) -> Response:
        current, seen, permanent, still_permanent = url, {url}, None, True
        spent = 0.0  # seconds of the total timeout used by earlier hops, waits for a slot not counted
        for _ in range(self.config.max_redirects + 1):
            check_url(current)
            response = self._request(current, headers, self.config.total_timeout - spent)
            spent += response.elapsed
            if response.status not in _REDIRECTS:
                response.url, response.permanent_url, response.elapsed = url, permanent, spent
                if response.status >= 400:
                    raise FetchError(f"http_{response.status}", f"HTTP {response.status} for {current}", url,
                                     response.status, retry_after_seconds(response.headers.get("retry-after")))
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError("bad_redirect", f"HTTP {response.status} without Location", url, response.status)
            try:
                current = urljoin(current, location)
            except ValueError as exc:
                raise FetchError("bad_redirect", f"unusable Location {location[:200]!r}: {exc}", url,
                                 response.status) from exc
            # Only an unbroken chain of permanent redirects from the start moves the source for good.
            still_permanent = still_permanent and response.status in _PERMANENT
            if still_permanent:
                permanent = current
            if current in seen:
                raise FetchError("redirect_loop", f"redirect loop at {current}", url, response.status)
            seen.add(current)
        raise FetchError("too_many_redirects", f"more than {self.config.max_redirects} redirects", url)

    def _request(self, url: str, headers: dict | None, budget: float) -> Response:
        with self.limiter.slot(urlsplit(url).netloc.lower()):
            # The total timeout runs from here: time spent queueing behind the per-host limit is not the server's.
            sent = time.monotonic()
            raw = self._send(url, headers=headers)
            try:
                body = self._read_capped(raw, url, sent + budget)
            finally:
                raw.release_conn()
        return Response(url, url, raw.status, {k.lower(): v for k, v in raw.headers.items()}, body,
                        elapsed=time.monotonic() - sent)

    def _send(self, url: str, **kwargs):
        """GET `url` once, not following redirects, the body not yet read; failures as FetchError."""
        try:
            return self._manager_for(url).request("GET", url, redirect=False, preload_content=False, **kwargs)
        except BlockedAddress as exc:
            raise FetchError("blocked_address", str(exc), url) from exc
        except urllib3.exceptions.NameResolutionError as exc:
            raise FetchError("dns_error", _reason(exc), url) from exc
        except urllib3.exceptions.SSLError as exc:  # a bad certificate is an error row, never data
            raise FetchError("tls_error", _reason(exc), url) from exc
        except urllib3.exceptions.ProxyError as exc:
            raise FetchError("proxy_error", _reason(exc), url) from exc
        except urllib3.exceptions.NewConnectionError as exc:  # a subclass of TimeoutError in urllib3 2
            raise FetchError("connection_error", _reason(exc), url) from exc
        except urllib3.exceptions.TimeoutError as exc:  # connecting, or waiting for the headers
            raise FetchError("timeout", f"timed out: {_reason(exc)}", url) from exc
        except urllib3.exceptions.LocationParseError as exc:
            raise FetchError("invalid_url", _reason(exc), url) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError("connection_error", _reason(exc), url) from exc

    def _read_capped(self, raw, url: str, deadline: float) -> bytes:
        # Stream and count decoded bytes, so neither a huge body nor a gzip bomb is buffered.
        chunks, size = [], 0
        try:
            while True:
                # read1 returns what has arrived, so a server dripping bytes still meets the deadline.
                chunk = raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.config.max_bytes:
                    raise FetchError("too_large", f"body exceeds {self.config.max_bytes} bytes", url, raw.status)
                if time.monotonic() > deadline:
                    raise FetchError("timeout", f"exceeded total timeout of {self.config.total_timeout}s",
                                     url, raw.status)
                chunks.append(chunk)
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError("timeout", f"read timed out: {exc}", url, raw.status) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise FetchError("bad_encoding", f"could not decompress body: {exc}", url, raw.status) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError("connection_error", _reason(exc), url, raw.status) from exc
        return b"".join(chunks)


def _tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """Verification always on: the system's CAs (or SSL_CERT_FILE/SSL_CERT_DIR), plus `ca_bundle`."""
    return _shared_tls_context(ca_bundle, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=8)
def _shared_tls_context(ca_bundle: str | None, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """One context per process for the same certificates: loading the system's CAs costs 60 ms, and
    every DoFn of every worker makes a Fetcher (a context is not changed once made: pools share it)."""
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


def check_url(url: str) -> None:
    """FetchError("invalid_url") unless `url` is an http(s) URL that a request can be made for:
    a host that encodes to DNS labels, a port in range, no spaces or control characters."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise FetchError("invalid_url", f"URL contains a space or control character: {url[:200]!r}", url)
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError when out of range or not a number
        host = parts.hostname
        if parts.scheme not in ("http", "https") or not host:
            raise ValueError("not an http(s) URL with a host")
        if not _is_ip_literal(host):
            host.encode("idna")  # UnicodeError for an empty or over-long label, or a disallowed character
    except (ValueError, UnicodeError) as exc:
        raise FetchError("invalid_url", f"{exc}: {url[:200]!r}", url) from None


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason)[:300]


# Failures of a robots.txt fetch that are the host's, not the moment's: the page's own fetch from the
# same origin fails the same way before any request is sent, and its error row says why.
_REFUSED_HOST_KINDS = {"blocked_address", "invalid_url", "tls_error", "dns_error", "proxy_error"}


def robots_txt_getter(fetcher: Fetcher):
    """A robots.txt reader for RobotsRules: url -> (status, text); 0 when nothing answered (a timeout,
    a refused connection: RFC 9309's "unreachable"), -1 when the origin can't be asked at all (see
    _REFUSED_HOST_KINDS)."""
    def fetch(url: str) -> tuple[int, str]:
        try:
            response = fetcher.get(url)
        except FetchError as exc:
            if exc.status is None and exc.kind in _REFUSED_HOST_KINDS:
                return -1, ""
            return exc.status or 0, ""
        return response.status, response.body.decode("utf-8", "replace")
    return fetch
