"""HTTP GET with the limits a crawler needs: timeouts, a body-size cap, redirect checks.

Failures raise FetchError with a short machine-readable `kind` (timeout, http_404,
too_large, ...) that becomes the error row's `error_kind`.
"""

import dataclasses
import time
from urllib.parse import urljoin, urlsplit

import urllib3

USER_AGENT = "newsbeam/0.1 (+https://github.com/newsbeam/newsbeam)"
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclasses.dataclass(frozen=True)
class FetchConfig:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024   # after decompression
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclasses.dataclass
class Response:
    url: str            # what was asked for
    final_url: str      # after redirects
    status: int
    headers: dict       # lower-cased names
    body: bytes
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class FetchError(Exception):
    def __init__(self, kind: str, message: str, url: str, status: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.url = url
        self.status = status


class Fetcher:
    """One connection pool per worker; `get` is safe to call from several threads."""

    def __init__(self, config: FetchConfig = FetchConfig()):
        self.config = config
        self._pool = urllib3.PoolManager(
            num_pools=64, maxsize=8, retries=False,
            timeout=urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout),
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def get(self, url: str, headers: dict | None = None) -> Response:
        try:
            return self._follow(url, headers)
        except FetchError as exc:
            exc.url = url  # the URL asked for, whatever hop failed: it is what a retry needs
            raise

    def _follow(self, url: str, headers: dict | None) -> Response:
        started = time.monotonic()
        current, seen = url, {url}
        for _ in range(self.config.max_redirects + 1):
            _check_scheme(current)
            response = self._request(current, headers, started)
            if response.status not in _REDIRECTS:
                response.url = url
                response.elapsed = time.monotonic() - started
                if response.status >= 400:
                    raise FetchError(f"http_{response.status}", f"HTTP {response.status} for {current}",
                                     url, response.status)
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError("bad_redirect", f"HTTP {response.status} without Location", url, response.status)
            current = urljoin(current, location)
            if current in seen:
                raise FetchError("redirect_loop", f"redirect loop at {current}", url, response.status)
            seen.add(current)
        raise FetchError("too_many_redirects", f"more than {self.config.max_redirects} redirects", url)

    def _request(self, url: str, headers: dict | None, started: float) -> Response:
        try:
            raw = self._pool.request("GET", url, headers=headers, redirect=False, preload_content=False)
        except urllib3.exceptions.NewConnectionError as exc:  # a subclass of TimeoutError in urllib3 2
            raise FetchError("connection_error", _reason(exc), url) from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError("timeout", f"timed out connecting: {exc}", url) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError("connection_error", _reason(exc), url) from exc
        try:
            body = self._read_capped(raw, url, started)
        finally:
            raw.release_conn()
        return Response(url, url, raw.status, {k.lower(): v for k, v in raw.headers.items()}, body)

    def _read_capped(self, raw, url: str, started: float) -> bytes:
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
                if time.monotonic() - started > self.config.total_timeout:
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


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("invalid_url", f"not an http(s) URL: {url!r}", url)


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason)[:300]
