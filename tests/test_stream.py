"""Continuous mode on Prism, against a live feed that grows while the stream runs."""

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


def prism_binary() -> str | None:
    """The Prism runner binary: $NEWSBEAM_PRISM, or where `make prism` / `go install` put it."""
    candidates = [os.environ.get("NEWSBEAM_PRISM")]
    try:
        gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True, timeout=30).stdout.strip()
        candidates.append(os.path.join(gopath, "bin", "prism"))
    except (OSError, subprocess.SubprocessError):
        pass
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


PRISM = prism_binary()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytestmark = [pytest.mark.slow, pytest.mark.skipif(PRISM is None, reason="needs the Prism binary (make prism)")]

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


def articles(output) -> list[tuple]:
    """The committed articles (the stream's windows commit while it runs)."""
    return connect(str(output)).execute("SELECT article_id, title FROM articles").fetchall()


def start_stream(feed_url: str, output, duration: float) -> subprocess.Popen:
    """`newsbeam stream` in its own process, as a user runs it (Prism needs the main thread)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "stream", "--feeds", feed_url, "--output", str(output), *LOCAL,
         f"--prism_location={PRISM}", "--poll_interval=1", "--window=2", f"--duration={duration}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


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
        out, err = runner.communicate(timeout=120)
        assert runner.returncode == 0, err
        assert "window commit(s)" in out
        assert len(articles(output)) == 2
        assert landed_after < 1 + 2 + 8  # a poll, a window, and room for a loaded machine

        pages_before = site.count("/news/")
        feed.add(PAGES[2])
        restart = start_stream(f"{site.base}/live.xml", output, 5)  # state comes from the dataset
        assert restart.wait(timeout=120) == 0
        fetched_again = site.count("/news/") - pages_before

    rows = articles(output)
    assert len(rows) == 3 and len({r[0] for r in rows}) == 3
    assert fetched_again == 1  # only the new page
    windows = manifests(str(output))
    assert windows and all(m["run_id"].startswith(m["stream_run_id"] + "w") for m in windows)
    for manifest in windows:
        totals = manifest["totals"]
        assert totals["articles"] + totals["duplicates"] + totals["errors"] == totals["entries"]
