"""Politeness towards publishers: a per-host concurrency cap and request interval, and robots.txt.

Limits hold per worker process (shared by all threads and DoFn instances in it).
"""

import contextlib
import threading
import time
import urllib.robotparser
from urllib.parse import urlsplit


class HostLimiter:
    """At most `concurrency` requests in flight per host, and request starts `min_delay` seconds apart."""

    def __init__(self, concurrency: int, min_delay: float):
        self.concurrency, self.min_delay = max(1, concurrency), max(0.0, min_delay)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextlib.contextmanager
    def slot(self, host: str):
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        with semaphore:
            with self._lock:  # reserve a start time, then wait for it outside the lock
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.min_delay
            if start > now:
                time.sleep(start - now)
            yield


_limiters: dict[tuple, HostLimiter] = {}
_limiters_lock = threading.Lock()


def shared_limiter(concurrency: int, min_delay: float) -> HostLimiter:
    """The process-wide limiter for these settings, so every fetcher in a worker shares the budget."""
    with _limiters_lock:
        return _limiters.setdefault((concurrency, min_delay), HostLimiter(concurrency, min_delay))


ROBOTS_TTL = 24 * 3600          # RFC 9309 2.4: a cached robots.txt is not used for more than 24 hours
UNREACHABLE_RETRY = 300         # seconds before an unreachable robots.txt is asked for again


class RobotsRules:
    """robots.txt per site as RFC 9309 reads it, fetched through `fetch(url) -> (status, text)`
    (status 0: nothing answered; -1: the origin can't be asked at all, e.g. the SSRF guard refuses
    it, so its pages are let through to fail with that reason) and cached per worker.

    2xx: its rules. 4xx (401 and 403 too): "unavailable", everything allowed (2.3.1.3). 5xx or no
    answer: "unreachable", everything disallowed (2.3.1.4), and asked again after `unreachable_retry`
    seconds (a refresh that fails too: the old copy is then past its 24 hours). Rules are
    fetched again after `ttl` (24 h), so a stream that runs for weeks follows a site's changes.
    `clock` is time.monotonic, or a stand-in for tests."""

    def __init__(self, fetch, user_agent: str, ttl: float = ROBOTS_TTL, unreachable_retry: float = UNREACHABLE_RETRY,
                 clock=time.monotonic):
        self.fetch, self.user_agent = fetch, user_agent
        self.ttl, self.unreachable_retry, self.clock = ttl, unreachable_retry, clock
        self._lock = threading.Lock()
        # origin -> (rules: parser | True (allow all) | str (unreachable: why), good until)
        self._rules: dict[str, tuple] = {}
        self._loading: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our user agent fetch `url`. Raises FetchError("robots_unreachable")
        when the site's robots.txt could not be had, so the refusal says why."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._rules.get(origin)
        if cached is None or self.clock() >= cached[1]:
            with self._lock:
                loading = self._loading.setdefault(origin, threading.Lock())
            with loading:  # one fetch per origin: threads reaching a site together wait for it
                cached = self._rules.get(origin)
                if cached is None or self.clock() >= cached[1]:
                    cached = self._rules[origin] = self._load(origin)
        rules = cached[0]
        if isinstance(rules, str):
            from transforms.fetching.fetch import FetchError  # fetch imports this module
            raise FetchError("robots_unreachable", rules, url)
        return rules is True or rules.can_fetch(self.user_agent, url)

    def _load(self, origin: str) -> tuple:
        status, text = self.fetch(origin + "/robots.txt")
        now = self.clock()
        if 200 <= status < 300:
            parser = urllib.robotparser.RobotFileParser()
            parser.parse(text.splitlines())
            return parser, now + self.ttl
        if status < 0:  # the origin can't be asked (a refused address, a bad certificate): its pages fail alike
            return True, now + self.unreachable_retry
        if 300 <= status < 500:  # 4xx "unavailable"; 3xx: more redirects than followed, unavailable too (2.3.1.2)
            return True, now + self.ttl
        answer = f"HTTP {status}" if status else "no answer"
        return (f"robots.txt of {origin} unreachable ({answer}): RFC 9309 says to assume complete disallow; "
                f"asked again after {self.unreachable_retry:g} s"), now + self.unreachable_retry
