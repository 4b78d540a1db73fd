"""Fetch concurrency against its physical bound, and memory against the number of articles.

    .venv/bin/python bench/fetch.py [--pages 500] [--latency 0.1] [--memory 1000 10000]

1. Fetch: N generated pages behind a local server that waits `--latency` seconds before each
   response. The pipeline's FetchPages stage fetches them with politeness limits raised for the
   test host (per-host concurrency = fetch threads, no delay). The fetch wall time is measured at
   the server, from the first page request to the last response, and printed against the bound
   N x latency / concurrency (target: <= 1.5x the bound).
2. Memory: the whole batch pipeline on the DirectRunner over 1,000 and 10,000 generated articles
   (feeds of 100 entries each), each run in its own process; prints peak RSS of each and their
   ratio (target: <= 1.2).
Needs nothing from ../shared: the pages are generated.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

PARAGRAPH = ("<p>The harbour board met on {day} to discuss plan {n}. \"We expect about {n} visitors a week,\" "
             "said board member Ines Varga. Officials said the works would cost ${n}.5 million and take "
             "{m} months, and that some {n}0 residents had written in support.</p>")


def article_html(n: int) -> bytes:
    body = "".join(PARAGRAPH.format(n=n, m=n % 12 + 1, day=("Monday", "Tuesday")[i % 2]) for i in range(4))
    return (f"<!doctype html><html lang='en'><head><title>Plan {n}</title></head><body><nav>Home News</nav>"
            f"<article><h1>Plan {n} debated</h1>{body}</article><footer>Harbour Ledger</footer></body></html>"
            ).encode()


FEED_SIZE = 100  # entries per feed, as on a busy news site


def feed_xml(base: str, first: int, count: int) -> bytes:
    items = "".join(f"<item><title>Plan {n}</title><link>{base}/a/{n}.html</link>"
                    f"<pubDate>Tue, 17 Nov 2026 09:30:00 +0000</pubDate></item>" for n in range(first, first + count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'.encode()


class TimedSite:
    """Routes for the generated site; records when page requests start and finish."""

    def __init__(self, count: int, latency: float):
        self.count, self.latency = count, latency
        self.lock, self.first, self.last = threading.Lock(), None, None

    def page(self, handler):
        started = time.monotonic()
        with self.lock:
            self.first = started if self.first is None else min(self.first, started)
        time.sleep(self.latency)
        n = int(handler.path.rsplit("/", 1)[1].split(".")[0])
        handler.reply(200, article_html(n), "text/html; charset=utf-8")
        with self.lock:
            self.last = time.monotonic() if self.last is None else max(self.last, time.monotonic())

    def routes(self) -> dict:
        return {f"/a/{n}.html": self.page for n in range(self.count)}


def fetch_bench(pages: int, latency: float, threads: int) -> None:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.site import serve
    from transforms.fetching.fetch import FetchConfig
    from transforms.ingest import FetchPages
    from transforms.fetching.retry import RetryPolicy

    site = TimedSite(pages, latency)
    config = FetchConfig(allowed_networks=("127.0.0.1/32",), per_host_concurrency=threads, per_host_delay=0,
                         retry=RetryPolicy(max_attempts=1))
    with tempfile.TemporaryDirectory() as root, serve(root, site.routes()) as server:
        entries = [{"link": f"{server.base}/a/{n}.html", "feed_url": "bench", "article_id": str(n)}
                   for n in range(pages)]
        with beam.Pipeline(options=PipelineOptions([])) as p:
            (p | beam.Create(entries) | FetchPages(config, threads=threads)
             | beam.Filter(lambda page: "failure" in page) | beam.Map(lambda page: sys.exit(f"failed: {page}")))
    wall = site.last - site.first
    bound = pages * latency / threads
    print(f"fetch: {pages} pages x {latency * 1000:.0f} ms latency, {threads} threads: {wall:.2f}s "
          f"at the server; bound {bound:.2f}s; {wall / bound:.2f}x the bound (target <= 1.5x)")


def memory_run(count: int) -> None:
    """One full pipeline run over `count` generated articles; prints its peak RSS in MB as JSON."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch
    from pipelines.site import serve

    def feed(handler):
        first = int(handler.path.rsplit("/", 1)[1].split(".")[0])
        handler.reply(200, feed_xml(handler.server.site.base, first, FEED_SIZE), "application/rss+xml")

    feeds = [f"/feeds/{first}.xml" for first in range(0, count, FEED_SIZE)]
    routes = {**TimedSite(count, 0).routes(), **{path: feed for path in feeds}}
    with tempfile.TemporaryDirectory() as root, serve(root, routes) as server:
        options = PipelineOptions(["--output", os.path.join(root, "out"), "--per_host_delay=0",
                                   "--allow_private_network=127.0.0.1/32", "--per_host_concurrency=16"])
        manifest = batch.run(options, [server.base + path for path in feeds])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"articles": manifest["totals"]["articles"], "peak_rss_mb": peak_mb}))


def memory_bench(counts: list[int]) -> None:
    results = []
    for count in counts:
        started = time.monotonic()
        out = subprocess.run([sys.executable, __file__, "--memory-run", str(count)], capture_output=True,
                             text=True, check=True, cwd=REPO)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"memory: {result['articles']:6d} articles: peak RSS {result['peak_rss_mb']:7.1f} MB "
              f"({time.monotonic() - started:.0f}s)")
    if len(results) >= 2:
        ratio = results[-1]["peak_rss_mb"] / results[0]["peak_rss_mb"]
        grew = results[-1]["articles"] / max(1, results[0]["articles"])
        print(f"memory: {grew:.0f}x the articles -> {ratio:.2f}x the peak RSS (target <= 1.2x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--memory", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    import logging
    logging.getLogger("apache_beam").setLevel(logging.ERROR)
    if args.memory_run:
        memory_run(args.memory_run)
        return 0
    fetch_bench(args.pages, args.latency, args.threads)
    if args.memory:
        memory_bench(args.memory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
