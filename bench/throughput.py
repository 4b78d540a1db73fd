"""Throughput and body quality of the batch pipeline on 181 real article pages, against a plain loop.

Serves the pages of ../shared/data/extraction/aeb from a local HTTP server under their original
paths, with an RSS 2.0 feed that links to them, then in the same run times:

  baseline      one process, a plain loop: HTTP GET + the pipeline's trafilatura call, page by page
  pipeline xN   `pipelines.batch.run` on the DirectRunner with N workers, into a fresh output dir

and prints pages/s for each with the ratio pipeline/baseline (the machine may be shared and noisy,
so only ratios against the same run's baseline mean anything). It also scores the bodies stored in
`articles.text` and the baseline's bodies with ../shared/eval/score_extraction.py, lists the pages
that ended as error rows, and compares trafilatura settings on the same pages (extract only).

    .venv/bin/python bench/throughput.py [--repeat N] [--workers 1 2] [--copies K] [--skip-settings]

Exits 0 with a message when ../shared is not beside the repository.
"""

import argparse
import contextlib
import gzip
import json
import logging
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
AEB = os.path.join(SHARED, "data", "extraction", "aeb")
GOLD = os.path.join(AEB, "ground-truth.json")
SCORER = os.path.join(SHARED, "eval", "score_extraction.py")
FEED_PATH = "/_bench/feed.xml"
ONE_PAGE_FEED_PATH = "/_bench/one.xml"   # the fixed cost of a run: the same pipeline on one page
# The guard stays on, as in a user's run: the local server's address is the one private network allowed.
LOCAL_FETCH_ARGS = ["--allow_private_network=127.0.0.1/32", "--per_host_delay=0"]

# Targets from the issue: pipeline pages/s over the baseline's, by worker count, and stored-body F1.
TARGET_RATIO = {1: 0.8, 2: 1.5}
TARGET_F1 = 0.955

# The settings compared in the extract-only table; EXTRACT_SETTINGS is shown beside them.
SETTINGS = {
    "default": {},
    "comments off": {"include_comments": False},
    "comments off + favor_precision": {"include_comments": False, "favor_precision": True},
    "comments off, fast (no fallback extractors)": {"include_comments": False, "include_tables": True, "fast": True},
}


@dataclass
class Page:
    id: str
    url: str            # the original URL (gold)
    local_path: str     # path + query it is served under
    html_gz: bytes      # the saved page, gzip-compressed as on disk


def load_pages(aeb_dir: str) -> list[Page]:
    """The gold pages, each with the local path it is served under: the original path + query,
    prefixed with the original host when two pages would otherwise share it."""
    with open(os.path.join(aeb_dir, "ground-truth.json"), encoding="utf-8") as f:
        gold = json.load(f)
    pages, taken = [], set()
    for page_id, item in sorted(gold.items()):
        parts = urlsplit(item["url"])
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path in taken:
            path = f"/{parts.hostname}{path}"
        taken.add(path)
        with open(os.path.join(aeb_dir, "html", f"{page_id}.html.gz"), "rb") as f:
            pages.append(Page(page_id, item["url"], path, f.read()))
    return pages


def copies(pages: list[Page], k: int) -> list[Page]:
    """The corpus k times over; copy i > 0 lives under /copy<i>/ (a different URL, the same gold)."""
    return pages + [Page(p.id, p.url, f"/copy{i}{p.local_path}", p.html_gz) for i in range(1, k) for p in pages]


def rss_feed(base: str, pages: list[Page]) -> bytes:
    """An RSS 2.0 feed linking to every page; titles and links only, so the pipeline's
    feed-content fallback can't add text that the page extraction didn't find."""
    items = "".join(
        f"<item><title>AEB page {p.id[:12]}</title><link>{escape(base + p.local_path)}</link>"
        f"<guid isPermaLink=\"false\">{p.id}</guid></item>\n"
        for p in pages)
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
            f"<title>AEB bench</title><link>{base}/</link><description>bench corpus</description>\n"
            f"{items}</channel></rss>\n").encode("utf-8")


@contextlib.contextmanager
def serve_pages(pages: list[Page], own_process: bool = True):
    """Serve the pages (gzip-encoded, as news sites do, to clients that accept it) and the feed
    on 127.0.0.1, and a one-page feed. Yields (feed_url, one_page_feed_url, {local url: page id}).

    The server runs in a process of its own, as a publisher's server is not inside the crawler:
    in-process, its Python request handling would take turns on the GIL with whatever it serves."""
    if not own_process:
        with _serving(pages) as base:
            yield _urls(base, pages)
        return
    fork = multiprocessing.get_context("fork")   # the child needs the pages, not a pickled copy of them
    ours, theirs = fork.Pipe()

    def server_process():
        with _serving(pages) as base:
            theirs.send(base)
            theirs.recv()   # until told to stop

    child = fork.Process(target=server_process, name="newsbeam-bench-site", daemon=True)
    child.start()
    theirs.close()   # so that ours.recv() fails, rather than waits, if the child dies
    try:
        yield _urls(ours.recv(), pages)
    finally:
        ours.send("stop")
        child.join(timeout=10)


def _urls(base: str, pages: list[Page]):
    return base + FEED_PATH, base + ONE_PAGE_FEED_PATH, {base + p.local_path: p.id for p in pages}


@contextlib.contextmanager
def _serving(pages: list[Page]):
    """The site in this process, for the duration of the block; yields its base URL."""
    from pipelines.site import serve

    by_request = {p.local_path: p for p in pages}
    feed = {}

    def page(handler):
        found = by_request.get(handler.path)
        if found is None:
            return handler.reply(404, b"not found", "text/plain")
        if "gzip" in handler.headers.get("Accept-Encoding", ""):
            return handler.reply(200, found.html_gz, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        handler.reply(200, gzip.decompress(found.html_gz), "text/html; charset=utf-8")

    def rss(handler):
        handler.reply(200, feed[handler.path], "application/rss+xml")

    # The server routes on the path alone; `page` tells pages apart by their query too.
    routes = {p.local_path.split("?", 1)[0]: page for p in pages}
    routes[FEED_PATH] = routes[ONE_PAGE_FEED_PATH] = rss
    with tempfile.TemporaryDirectory(prefix="newsbeam-bench-site-") as empty_root:
        with serve(empty_root, routes) as site:
            feed[FEED_PATH] = rss_feed(site.base, pages)
            feed[ONE_PAGE_FEED_PATH] = rss_feed(site.base, pages[:1])
            yield site.base


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def baseline(urls: dict[str, str], fetch_config) -> dict[str, str]:  # {local url: page id}
    """The plain loop: GET each page, decode it and make the pipeline's trafilatura call.
    Returns {page id: text} (empty when trafilatura found nothing or the fetch failed)."""
    import trafilatura

    from transforms.extraction.articles import EXTRACT_SETTINGS, decode_html
    from transforms.fetching.fetch import FetchError, Fetcher
    from transforms.extraction.trafilatura_speedups import stock_trafilatura

    fetcher, texts = Fetcher(fetch_config), {}
    for url, page_id in urls.items():
        try:
            response = fetcher.get(url)
        except FetchError:
            texts[page_id] = ""
            continue
        html = decode_html(response.body, response.content_type)
        with stock_trafilatura():   # trafilatura as its users get it, without newsbeam's speed-ups
            doc = trafilatura.bare_extraction(html, url=response.final_url, with_metadata=True, **EXTRACT_SETTINGS)
        texts[page_id] = (doc.text or "").strip() if doc is not None else ""
    return texts


def pipeline_options(workers: int = 1, output: str | None = None):
    """The run's PipelineOptions. All 126 sites share one local server, so the per-host politeness
    delay (meant for one publisher) is off, and loopback must be allowed past the SSRF guard."""
    from apache_beam.options.pipeline_options import PipelineOptions

    args = [*LOCAL_FETCH_ARGS, "--default_sdk_harness_log_level=ERROR"]
    if output:
        args.append(f"--output={output}")
    if workers > 1:
        args += [f"--direct_num_workers={workers}", "--direct_running_mode=multi_processing"]
    return PipelineOptions(args)


def run_pipeline(feed_url: str, workers: int, output: str) -> dict:
    """One batch run into `output`; returns its manifest."""
    from pipelines import batch
    return batch.run(pipeline_options(workers, output), [feed_url])


def stored_texts(output: str, ids_by_article: dict[str, str]) -> dict[str, str]:
    """{page id: articles.text} read back from the Parquet dataset with DuckDB."""
    import duckdb

    pattern = os.path.join(output, "articles", "*", "*.parquet")
    rows = duckdb.sql(f"SELECT article_id, text FROM read_parquet('{pattern}', hive_partitioning = true)").fetchall()
    return {ids_by_article[a]: text for a, text in rows if a in ids_by_article}


def error_summary(output: str) -> list[tuple]:
    """(stage, error_kind, count, an example message) of the run's error rows."""
    import duckdb

    if not os.path.isdir(os.path.join(output, "errors")):
        return []
    pattern = os.path.join(output, "errors", "*", "*.parquet")
    return duckdb.sql(f"SELECT stage, error_kind, count(*) AS n, any_value(message) "
                      f"FROM read_parquet('{pattern}', hive_partitioning = true) "
                      f"GROUP BY ALL ORDER BY n DESC").fetchall()


def score(texts: dict[str, str], workdir: str, name: str) -> dict:
    """The extraction scorer's result for {page id: text}; pages not in `texts` count as empty."""
    pred = os.path.join(workdir, f"{name}.jsonl")
    with open(pred, "w", encoding="utf-8") as f:
        for page_id, text in texts.items():
            f.write(json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n")
    out = subprocess.run([sys.executable, SCORER, GOLD, pred, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def compare_settings(pages: list[Page], workdir: str) -> list[tuple[str, dict, float]]:
    """(name, score, ms/page) for each trafilatura setting: extract only, from memory, original URLs.
    The settings take turns page by page, so a noisy neighbour slows them all alike."""
    import trafilatura

    from transforms.extraction.articles import decode_html
    from transforms.extraction.trafilatura_speedups import stock_trafilatura
    texts = {name: {} for name in SETTINGS}
    seconds = dict.fromkeys(SETTINGS, 0.0)
    for page in pages:
        html = decode_html(gzip.decompress(page.html_gz), "text/html; charset=utf-8")
        for name, settings in SETTINGS.items():
            with stock_trafilatura():
                elapsed, doc = timed(trafilatura.bare_extraction, html, url=page.url, with_metadata=True, **settings)
            seconds[name] += elapsed
            texts[name][page.id] = (doc.text or "").strip() if doc is not None else ""
    return [(name, score(texts[name], workdir, f"settings-{n}"), seconds[name] * 1000 / len(pages))
            for n, name in enumerate(SETTINGS)]


def fmt_score(s: dict) -> str:
    return f"F1 {s['f1']:.4f} (P {s['precision']:.3f} R {s['recall']:.3f}, empty {s['empty']})"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().addFilter(lambda record: "apitools" not in record.getMessage())
    for name in ("apache_beam", "trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from pipelines.cli import quiet_worker_processes
    quiet_worker_processes()   # as `newsbeam run` does: worker processes' start-up lines stay hidden


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="take the best of N timings (default 1)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="pipeline worker counts to run (default: 1 2; >1 uses multi_processing)")
    parser.add_argument("--skip-settings", action="store_true", help="skip the trafilatura settings comparison")
    parser.add_argument("--copies", type=int, default=1,
                        help="serve each page K times under different paths, so fixed start-up costs "
                             "(worker processes importing Beam) weigh as they do in a real run")
    parser.add_argument("--server-in-process", action="store_true",
                        help="run the local site on a thread of this process rather than in its own process")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.copies < 1 or any(w < 1 for w in args.workers):
        parser.error("--repeat, --copies and --workers must be >= 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.path.isfile(GOLD) or not os.path.isfile(SCORER):
        print(f"bench/throughput.py: skipped: needs ../shared beside the repository ({SHARED} not found)")
        return 0
    sys.path.insert(0, REPO)
    quiet_logging()
    # Import both contenders' libraries before any timing, so neither pays for imports.
    import trafilatura  # noqa: F401

    from pipelines import batch  # noqa: F401
    from pipelines.options import NewsbeamOptions
    from transforms.extraction.articles import EXTRACT_SETTINGS
    from transforms.urls import article_id, canonical_url
    fetch_config = pipeline_options().view_as(NewsbeamOptions).fetch_config()

    pages = copies(load_pages(AEB), args.copies)
    n = len(pages)
    print(f"corpus: {n} pages from {AEB}" + (f" ({args.copies} copies of each)" if args.copies > 1 else ""))
    hosts = len({urlsplit(p.url).hostname for p in pages})
    print(f"EXTRACT_SETTINGS: {EXTRACT_SETTINGS}; cores: {os.cpu_count()}; repeat: {args.repeat}")
    where = "this process" if args.server_in_process else "a process of its own"
    print(f"one local server, in {where}, for {hosts} sites; fetch options for pipeline and baseline: {' '.join(LOCAL_FETCH_ARGS)}")
    with tempfile.TemporaryDirectory(prefix="newsbeam-bench-") as workdir, \
            serve_pages(pages, not args.server_in_process) as (feed_url, one_page_url, urls):
        ids_by_article = {article_id(canonical_url(url)): page_id for url, page_id in urls.items()}
        best = {"baseline": None, **{w: None for w in args.workers}}
        fixed = dict.fromkeys(args.workers, float("inf"))
        # Interleave the repeats so a noisy neighbour hits every contender alike.
        for attempt in range(args.repeat):
            seconds, texts = timed(baseline, urls, fetch_config)
            if best["baseline"] is None or seconds < best["baseline"][0]:
                best["baseline"] = (seconds, texts)
            for workers in args.workers:
                output = os.path.join(workdir, f"out-{workers}w-{attempt}")
                seconds, manifest = timed(run_pipeline, feed_url, workers, output)
                print(f"  run {attempt + 1}/{args.repeat}: pipeline x{workers} {seconds:.1f}s "
                      f"({manifest['totals']['articles']} articles, {manifest['totals']['errors']} errors)")
                if best[workers] is None or seconds < best[workers][0]:
                    best[workers] = (seconds, output)
                seconds, _ = timed(run_pipeline, one_page_url, workers, output + "-one-page")
                fixed[workers] = min(fixed[workers], seconds)

        base_seconds, base_texts = best["baseline"]
        base_rate = n / base_seconds
        print(f"\nthroughput ({n} pages, best of {args.repeat}):")
        print(f"  baseline loop     {base_seconds:7.2f}s  {base_rate:6.2f} pages/s")
        ok = True
        for workers in args.workers:
            seconds, output = best[workers]
            ratio = (n / seconds) / base_rate
            target = TARGET_RATIO.get(workers)
            note = f"  target >= {target}x: {verdict(ratio >= target)}" if target else ""
            ok &= target is None or ratio >= target
            print(f"  pipeline x{workers:<2}      {seconds:7.2f}s  {n / seconds:6.2f} pages/s  "
                  f"{ratio:.2f}x baseline{note}")
        print("fixed cost of a run (the same pipeline on a one-page feed), and the best ratio it leaves: the "
              "baseline's work split perfectly over N workers at no cost of its own, plus that fixed cost")
        for workers in args.workers:
            ceiling = base_seconds / (fixed[workers] + base_seconds / workers)
            print(f"  pipeline x{workers:<2}      {fixed[workers]:7.2f}s fixed  ceiling {ceiling:.2f}x baseline")

        base_score = score(base_texts, workdir, "baseline")
        print(f"\nbody quality (score_extraction.py, {n} pages):")
        print(f"  baseline (trafilatura alone)  {fmt_score(base_score)}")
        for workers in args.workers:
            output = best[workers][1]
            stored = score(stored_texts(output, ids_by_article), workdir, f"pipeline-{workers}")
            good = stored["f1"] >= TARGET_F1 and stored["f1"] >= base_score["f1"] - 1e-9
            ok &= good
            print(f"  pipeline x{workers} articles.text  {fmt_score(stored)}  "
                  f"({stored['f1'] - base_score['f1']:+.4f} vs baseline; target >= {TARGET_F1} "
                  f"and no loss: {verdict(good)})")
            errors = error_summary(output)
            lost = sum(e[2] for e in errors)
            print(f"    error rows: {lost}" + ("" if errors else " (none)"))
            for stage, kind, count, message in errors:
                print(f"      {count:3d}  {stage}/{kind}: {message}")

        if not args.skip_settings:
            print("\ntrafilatura settings (extract only, no HTTP, original URLs, with_metadata=True):")
            for name, result, ms in compare_settings(pages, workdir):
                print(f"  {name:32s} {fmt_score(result)}  {ms:6.1f} ms/page")
    print(f"\nall targets met: {'yes' if ok else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
