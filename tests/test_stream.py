"""Continuous mode on Prism, against live feeds that grow while the stream runs.

The short test runs in `make test` whenever a Prism binary is there (NEWSBEAM_PRISM, `make prism`'s
cache, or `go env GOPATH`/bin): a stream of a few seconds, checked by counts only. The slow one
(`make test-cluster`) adds entries while it runs and restarts it. Newsroom, the publishing site,
also serves tests/test_flink_stream.py and bench/stream.py.
"""

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest

from pipelines.site import serve
from tests.conftest import FIXTURE_SITE
from tests.test_pipeline import LOCAL
from transforms.storage.views import connect
from transforms.storage.runs import manifests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEAM_VERSION = "2.77.0"


def prism_binary() -> str | None:
    """The Prism runner binary: $NEWSBEAM_PRISM, `make prism`'s cache, or where `go install` put it."""
    cache = os.environ.get("NEWSBEAM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsbeam")
    candidates = [os.environ.get("NEWSBEAM_PRISM"), os.path.join(cache, f"prism-v{BEAM_VERSION}", "prism")]
    try:
        gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True, timeout=30).stdout.strip()
        candidates.append(os.path.join(gopath, "bin", "prism"))
    except (OSError, subprocess.SubprocessError):
        pass
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


PRISM = prism_binary()
needs_prism = pytest.mark.skipif(PRISM is None, reason="needs the Prism binary (make prism)")

PAGES = ["ferry-terminal.html", "library-reopens.html", "cafe-latin1.html"]


class GrowingFeed:
    """An RSS feed route whose items can be added while a stream polls it."""

    def __init__(self):
        self.items, self.lock = [], threading.Lock()

    def add(self, page: str):
        with self.lock:
            self.items.append(page)

    def __call__(self, handler):
        base = handler.server.site.base
        with self.lock:
            items = "".join(f"<item><title>{p}</title><link>{base}/news/{p}</link><guid>{p}</guid>"
                            f"<pubDate>Tue, 17 Nov 2026 09:30:00 +0000</pubDate></item>" for p in self.items)
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>{items}</channel></rss>'
        handler.reply(200, body.encode(), "application/rss+xml")


class Newsroom:
    """A news site that publishes generated articles while a stream runs: /live.xml lists those
    published so far (newest first), /live/<n>.html is article n (a quote and figures in it).
    `published[n]` is when article n entered the feed (time.time())."""

    FEED = "/live.xml"

    def __init__(self, count: int):
        self.count, self.published, self.lock = count, {}, threading.Lock()
        self.feed_requests: list[float] = []

    def routes(self) -> dict:
        return {self.FEED: self._feed, **{self.path(n): self._page(n) for n in range(self.count)}}

    @staticmethod
    def path(n: int) -> str:
        return f"/live/{n}.html"

    def publish(self, n: int | None = None) -> int:
        with self.lock:
            n = len(self.published) if n is None else n
            self.published[n] = time.time()
        return n

    def publish_all(self):
        for n in range(self.count):
            self.publish(n)

    def publish_every(self, seconds: float, stop: threading.Event) -> threading.Thread:
        """Publish the next article every `seconds` (in a thread) until all are out or `stop` is set."""
        def loop():
            while len(self.published) < self.count and not stop.wait(seconds):
                self.publish()
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread

    def urls(self, base: str) -> set[str]:
        with self.lock:
            return {base + self.path(n) for n in self.published}

    def _feed(self, handler):
        base = handler.server.site.base
        with self.lock:
            self.feed_requests.append(time.time())
            items = "".join(f"<item><title>Harbour story {n}</title><link>{base}{self.path(n)}</link>"
                            f"<guid>live-{n}</guid><pubDate>Tue, 17 Nov 2026 09:30:00 +0000</pubDate></item>"
                            for n in sorted(self.published, reverse=True))
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>{items}</channel></rss>'
        handler.reply(200, body.encode(), "application/rss+xml")

    def _page(self, n: int):
        def page(handler):
            base = handler.server.site.base
            body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour story {n} | Millbrook Courier</title>
<link rel="canonical" href="{base}{self.path(n)}">
<meta property="article:published_time" content="2026-11-17T09:30:00Z"></head><body><main><article>
<h1>Harbour story {n}</h1>
<p>Millbrook council on Monday approved plan number {n} for the east quay, after a dispute that has run for most of the decade and divided the town.</p>
<p>The work will cost an estimated ${n + 3} million and is expected to bring more than {100 + n} jobs to the harbour when it is finished next year.</p>
<p>"This is the most important decision this council has taken on plan {n}," Mayor Helen Draycott told reporters after the vote. "The harbour is open for business."</p>
<p>Opponents said the project would double traffic on Quay Road, and some {20 + n} residents signed a petition against it last month.</p>
</article></main></body></html>"""
            handler.reply(200, body.encode(), "text/html; charset=utf-8")
        return page


def articles(output) -> list[tuple]:
    """The committed articles (the stream's windows commit while it runs)."""
    return connect(str(output)).execute("SELECT article_id, title FROM articles").fetchall()


def start_stream(feed_url: str, output, duration: float, *options, poll_interval=1, window=2) -> subprocess.Popen:
    """`newsbeam stream` on Prism in its own process, as a user runs it (Prism needs the main thread)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "stream", "--feeds", feed_url, "--output", str(output), *LOCAL,
         f"--prism_location={PRISM}", f"--poll_interval={poll_interval}", f"--window={window}",
         f"--duration={duration}", *options],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process: subprocess.Popen, timeout: float = 180) -> str:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        out, err = process.communicate()
        pytest.fail(f"the stream did not stop within {timeout}s\n{err[-3000:]}")
    assert process.returncode == 0, f"exit {process.returncode}\n{out}\n{err[-5000:]}"
    return out


@needs_prism
def test_a_short_stream_on_prism_commits_each_article_once_in_ordered_windows(tmp_path):
    """`make test`'s stream: 3 articles, polled about 6 times in 6 s: each page fetched and each
    article committed once, every window's counts add up, and the runs rows carry their windows."""
    room = Newsroom(3)
    room.publish_all()
    output = tmp_path / "short"
    with serve(FIXTURE_SITE, room.routes()) as site:
        out = finish(start_stream(site.base + room.FEED, output, 6))
        pages = {path: site.count(path) for path in map(room.path, range(3))}
        urls = room.urls(site.base)
    assert "window commit(s)" in out
    assert pages == {room.path(n): 1 for n in range(3)}, pages
    with connect(str(output)) as con:
        rows = con.execute("SELECT url, count(*) FROM articles GROUP BY url").fetchall()
        quotes = con.execute("SELECT count(*), count(DISTINCT quote_id) FROM quotes").fetchone()
        windows = con.execute("SELECT run_id, kind, window_start, window_end, entries, articles, duplicates, errors "
                              "FROM runs ORDER BY window_start").fetchall()
    assert {url for url, _ in rows} == urls and all(count == 1 for _, count in rows), rows
    assert quotes[0] == quotes[1] >= 3
    assert 2 <= len(room.feed_requests) <= 6 / 1 + 2      # one poll a second, not a burst
    assert windows and all(kind == "window" for _, kind, *_ in windows)
    assert sum(w[5] for w in windows) == 3 and sum(w[4] for w in windows) == sum(w[5] + w[6] + w[7] for w in windows)
    for (run_id, _, start, end, *_), following in zip(windows, windows[1:] + [None]):
        assert end - start == dt.timedelta(seconds=2) and run_id.endswith(f"w{int(start.timestamp())}")
        assert following is None or following[2] >= end


@pytest.mark.slow
@needs_prism
def test_entries_added_while_streaming_land_within_a_window_and_a_restart_writes_nothing_twice(tmp_path):
    feed = GrowingFeed()
    feed.add(PAGES[0])
    output = tmp_path / "live"
    with serve(FIXTURE_SITE, {"/live.xml": feed}) as site:
        runner = start_stream(f"{site.base}/live.xml", output, 24)
        deadline = time.monotonic() + 90
        while len(articles(output)) < 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(articles(output)) == 1, "the first article never landed"
        feed.add(PAGES[1])
        added_at = time.monotonic()
        while len(articles(output)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        landed_after = time.monotonic() - added_at
        out = finish(runner, 120)
        assert "window commit(s)" in out
        assert len(articles(output)) == 2
        assert landed_after < 1 + 2 + 8  # a poll, a window, and room for a loaded machine

        pages_before = site.count("/news/")
        feed.add(PAGES[2])
        finish(start_stream(f"{site.base}/live.xml", output, 5), 120)  # state comes from the dataset
        fetched_again = site.count("/news/") - pages_before

    rows = articles(output)
    assert len(rows) == 3 and len({r[0] for r in rows}) == 3
    assert fetched_again == 1  # only the new page
    windows = manifests(str(output))
    assert windows and all(m["run_id"].startswith(m["stream_run_id"] + "w") for m in windows)
    for manifest in windows:
        totals = manifest["totals"]
        assert totals["articles"] + totals["duplicates"] + totals["errors"] == totals["entries"]
