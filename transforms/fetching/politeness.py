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


class RobotsRules:
    """robots.txt per site, fetched once per worker through `fetch(url) -> (status, text)`.

    As crawlers commonly do: a missing robots.txt (4xx) allows everything, 401/403 forbid
    everything, and an unreachable one (5xx, network) allows, so one flaky file doesn't stop a run.
    """

    def __init__(self, fetch, user_agent: str):
        self.fetch, self.user_agent = fetch, user_agent
        self._lock = threading.Lock()
        self._parsers: dict[str, urllib.robotparser.RobotFileParser | bool] = {}
        self._loading: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._parsers.get(origin)
        if rules is None:
            with self._lock:
                loading = self._loading.setdefault(origin, threading.Lock())
            with loading:  # one fetch per origin: threads reaching a new site together wait for it
                rules = self._parsers.get(origin)
                if rules is None:
                    rules = self._parsers[origin] = self._load(origin)
        return rules if isinstance(rules, bool) else rules.can_fetch(self.user_agent, url)

    def _load(self, origin: str):
        status, text = self.fetch(origin + "/robots.txt")
        if status in (401, 403):
            return False
        if status != 200:
            return True
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        return parser
