"""Memory of a big sitemap index: peak RSS of the batch pipeline reading one index of many large children.

    .venv/bin/python bench/sitemaps.py [--children 200] [--mb 5] [--baseline] [--baseline-children 20]
                                       [--baseline-limit-gb 6]

A local server (in this process) serves /index.xml naming `--children` child sitemaps of `--mb` MB each
(about 10,000 <url> a MB, generated per request, so the server holds none of them). The whole batch
pipeline (DirectRunner) runs in a child process over the index, with --since/--until set so that one
page per child is in the date range (its page answers 404: an error row) and the rest are counted as
outside_dates; the child's peak RSS (ru_maxrss) is printed. Target: <= 1 GB.

--baseline runs the same pipeline reading the index the former way (reproduced here: poll_feed fetched
every child of a level, then parsed them all, in one worker) on `--baseline-children` children, under an address
space limit of `--baseline-limit-gb` so the machine is not exhausted; it prints its peak RSS, or
that it hit the limit.
Needs nothing from ../shared: the sitemaps are generated.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

URL_BYTES = 100  # one <url> line, about


def child_sitemap(base: str, child: int, size: int) -> bytes:
    lines = [b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
             f"<url><loc>{base}/news/{child}/today.html</loc><lastmod>2026-11-20</lastmod></url>\n".encode()]
    line = f"<url><loc>{base}/archive/{child}/story-%07d.html</loc><lastmod>2019-01-01</lastmod></url>\n"
    n = max(1, size // len(line))
    lines.append("".join(line % i for i in range(n)).encode())
    lines.append(b"</urlset>\n")
    return b"".join(lines)


def index(base: str, children: int) -> bytes:
    locs = "".join(f"<sitemap><loc>{base}/sitemaps/{i}.xml</loc></sitemap>\n" for i in range(children))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{locs}</sitemapindex>\n").encode()


def _former_poll_feed(fetcher, request, window, children=None):
    """poll_feed for a sitemap index as it was before child sitemaps became elements (the baseline)."""
    from transforms.sources.polling import gunzip, parse_sitemap
    response = fetcher.get(request["fetch_url"])
    report = {**request, "http_status": response.status, "status": "ok", "error_kind": None, "entries": 0,
              "failures": []}
    body = gunzip(response.body, fetcher.config.max_bytes)
    entries = _former_sitemap_entries(fetcher, request["feed_url"], [(response.final_url, body)], report["failures"])
    dated = [entry for entry in entries if window.holds(entry["published_at"])]
    report.update(entries=len(dated), outside_dates=len(entries) - len(dated), etag=None, last_modified=None)
    return report, dated


def _former_sitemap_entries(fetcher, source_url, documents, failures):
    """The former polling._sitemap_entries, verbatim but for its limits check: a level's bodies all fetched,
    then all parsed, in one worker."""
    from transforms.sources.polling import FeedError, FetchError, gunzip, parse_sitemap
    entries, seen, level = [], {url for url, _ in documents}, 0
    while documents:
        children = []
        for url, body in documents:
            found_children, found = parse_sitemap(body, url, source_url)
            entries.extend(found)
            children.extend(c for c in found_children if c not in seen)
            seen.update(found_children)
        level += 1
        if level > 3:
            break
        documents = []
        for child in children:
            try:
                response = fetcher.get(child)
                body = gunzip(response.body, fetcher.config.max_bytes)
            except (FetchError, FeedError) as exc:
                failures.append({"url": child, "kind": exc.kind, "message": exc.message, "status": exc.status})
                continue
            documents.append((response.final_url, body))
    return entries


def worker(base: str, output: str, baseline: bool) -> None:
    """In the child process: one batch run over the index; prints the manifest's feed record."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch
    if baseline:  # the former reading of an index: every child body of a level, then parsed, in one worker
        from apache_beam import ParDo

        from transforms.records import ERRORS, REPORTS
        from transforms.sources import polling
        polling.poll_feed = _former_poll_feed
        batch.FetchFeeds = lambda run_id, config, window: ParDo(
            polling.FetchFeedFn(run_id, config, window)).with_outputs(ERRORS, REPORTS, main="entries")
    options = PipelineOptions(["--output", output, "--allow_private_hosts", "--per_host_delay=0",
                               "--since", "2026-11-01", "--until", "2026-11-30", "--max_attempts=1"])
    manifest = batch.run(options, [base + "/index.xml"])
    [feed] = manifest["feeds"]
    print(json.dumps({k: feed[k] for k in ("entries", "outside_dates", "errors", "status", "error_kind")}))


def measure(base: str, baseline: bool, limit_gb: float | None) -> dict:
    with tempfile.TemporaryDirectory() as output:
        def limit():
            if limit_gb:
                cap = int(limit_gb * (1 << 30))
                resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        started = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", base, output]
                              + (["--as-baseline"] if baseline else []),
                              capture_output=True, text=True, preexec_fn=limit, cwd=REPO)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = {"seconds": round(time.monotonic() - started, 1), "returncode": done.returncode,
                  "peak_rss_mb": round(max(peak, before) / 1024)}  # ru_maxrss: KiB, the largest child so far
        if done.returncode == 0:
            result["feed"] = json.loads(done.stdout.strip().splitlines()[-1])
        else:
            result["failure"] = (done.stderr.strip().splitlines() or ["?"])[-1][:300]
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=200)
    parser.add_argument("--mb", type=float, default=5)
    parser.add_argument("--baseline", action="store_true", help="also run the committed code, for comparison")
    parser.add_argument("--baseline-children", type=int, default=20)
    parser.add_argument("--baseline-limit-gb", type=float, default=6)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--as-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, args.as_baseline)
        return

    from pipelines.site import serve
    size = int(args.mb * (1 << 20))

    def run(children: int, baseline: bool, limit_gb: float | None) -> dict:
        with tempfile.TemporaryDirectory() as empty, serve(empty) as site:
            routes = site.routes
            routes["/index.xml"] = lambda h: h.reply(200, index(site.base, children), "application/xml")
            for i in range(children):
                routes[f"/sitemaps/{i}.xml"] = (lambda i: lambda h: h.reply(
                    200, child_sitemap(site.base, i, size), "application/xml"))(i)
            return measure(site.base, baseline, limit_gb)

    # Run first: RUSAGE_CHILDREN's ru_maxrss is the largest child so far, so the smaller run goes first.
    print(f"sitemap index of {args.children} children x {args.mb} MB, batch pipeline (DirectRunner):", flush=True)
    now = run(args.children, False, None)
    print(f"  now:      peak RSS {now['peak_rss_mb']} MB in {now['seconds']} s  "
          f"{now.get('feed') or now.get('failure')}  (target <= 1024 MB)", flush=True)
    if args.baseline:
        print(f"baseline (former in-worker index reading), {args.baseline_children} children x {args.mb} MB, "
              f"address space capped at {args.baseline_limit_gb} GB:", flush=True)
        old = run(args.baseline_children, True, args.baseline_limit_gb)
        note = old.get("feed") or f"FAILED (rc {old['returncode']}): {old.get('failure')}"
        peak = (f"peak RSS {old['peak_rss_mb']} MB" if old["peak_rss_mb"] > now["peak_rss_mb"]
                else "peak RSS <= the run above")
        print(f"  baseline: {peak} in {old['seconds']} s  {note}", flush=True)


if __name__ == "__main__":
    main()
