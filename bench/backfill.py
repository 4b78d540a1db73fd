"""Backfill throughput: the pipeline reading a web archive of real article pages, against a plain loop.

Writes a WARC (gzip per record) of the 181 pages of ../shared/data/extraction/aeb repeated to
--records records under distinct URLs, then in the same run times:

  loops         one process, a plain loop: warcio over the file, then trafilatura's full call with the
                project's settings (the issue's baseline), or newsbeam's own extraction (fast first)
  pipeline xN   `newsbeam run --warc` (pipelines.batch.run) on the DirectRunner with N workers

and prints records/s with the ratio pipeline/baseline, best of --repeat with the repeats interleaved
(only ratios against the same run's baseline mean anything on a shared machine), the stored-text F1 of the first copy of each page, and how fast
warcio and fastwarc (when installed) walk the same file. With --memory, it also runs the pipeline
over 1,000 and 10,000 records (or the sizes given), each in its own process, and prints the peak
RSS of each and its ratio to the first.

    .venv/bin/python bench/backfill.py [--records 1810] [--workers 1 2] [--repeat N] [--readers] [--memory [N ...]]
                                       [--commit_every N]

Exits 0 with a message when ../shared is not beside the repository.
"""

import argparse
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path[:0] = [REPO, HERE]

import throughput  # noqa: E402  (the AEB pages, scoring and quiet logging are shared with it)

TARGET_RATIO = {1: 1.0, 2: 1.8}
TARGET_F1 = 0.965


def copy_url(url: str, copy: int) -> str:
    if copy == 0:
        return url
    parts = urlsplit(url)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(parts._replace(query=f"{query}newsbeam_copy={copy}"))


def write_warc(path: str, pages, records: int) -> dict[str, str]:
    """The archive of `records` captures; returns {url: page id}."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    urls = {}
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for n in range(records):
            page = pages[n % len(pages)]
            url = copy_url(page.url, n // len(pages))
            urls[url] = page.id
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(gzip.decompress(page.html_gz)),
                                                          http_headers=http))
    return urls


def full_call(html: str, url: str) -> str:
    """trafilatura's full extraction with the project's settings: the loop the issue measured, with
    trafilatura as its users get it (without newsbeam's speed-ups)."""
    import trafilatura

    from transforms.extraction.articles import EXTRACT_SETTINGS
    from transforms.extraction.trafilatura_speedups import stock_trafilatura
    with stock_trafilatura():
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **EXTRACT_SETTINGS)
    return (doc.text or "").strip() if doc is not None else ""


def project_call(html: str, url: str) -> str:
    """The pipeline's own extraction (fast first, in full where the fast result looks wrong)."""
    from transforms.extraction.articles import NoBody, extract_article
    try:
        return extract_article(html, url)["text"]
    except NoBody:
        return ""


BASELINES = {"loop, trafilatura full": full_call, "loop, newsbeam's extraction": project_call}


def baseline(path: str, extract) -> dict[str, str]:
    """The plain loop: each HTML response of the archive (warcio), decoded, then `extract(html, url)`."""
    from warcio.archiveiterator import ArchiveIterator

    from transforms.extraction.articles import decode_html

    texts = {}
    with open(path, "rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            html = decode_html(record.content_stream().read(), record.http_headers.get_header("Content-Type"))
            texts[url] = extract(html, url)
    return texts


def run_pipeline(path: str, workers: int, output: str, commit_every: int | None = None) -> dict:
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch
    args = [f"--output={output}", "--default_sdk_harness_log_level=ERROR"]
    if commit_every is not None:
        args.append(f"--commit_every={commit_every}")
    if workers > 1:
        args += [f"--direct_num_workers={workers}", "--direct_running_mode=multi_processing"]
    return batch.run(PipelineOptions(args), [], archives=[path])


def stored_texts(output: str) -> dict[str, str]:
    from pipelines.query import connect
    return dict(connect(output).execute("SELECT url, text FROM articles").fetchall())


def reader_speed(path: str) -> list[tuple[str, float]]:
    """(reader, ms per record) for walking every record and reading its payload."""
    from warcio.archiveiterator import ArchiveIterator

    def with_warcio():
        with open(path, "rb") as f:
            return sum(len(r.content_stream().read()) > 0 for r in ArchiveIterator(f))

    readers = [("warcio", with_warcio)]
    try:
        from fastwarc.warc import ArchiveIterator as FastIterator, WarcRecordType

        def with_fastwarc():
            with open(path, "rb") as f:
                return sum(len(r.reader.read()) > 0 for r in FastIterator(f, record_types=WarcRecordType.response))
        readers.append(("fastwarc", with_fastwarc))
    except ImportError:
        pass
    results = []
    for name, read in readers:
        started = time.perf_counter()
        count = read()
        results.append((name, (time.perf_counter() - started) * 1000 / count))
    return results


def memory_run(records: int) -> None:
    """One pipeline run over `records` captures in this process; prints its peak RSS (MB) as JSON."""
    throughput.quiet_logging()
    pages = throughput.load_pages(throughput.AEB)
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, "bench.warc.gz")
        write_warc(path, pages, records)
        manifest = run_pipeline(path, 1, os.path.join(root, "out"))
    print(json.dumps({"records": records, "articles": manifest["totals"]["articles"],
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1810)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="best of N timings, the repeats interleaved")
    parser.add_argument("--readers", action="store_true", help="also time warcio against fastwarc")
    parser.add_argument("--memory", type=int, nargs="*", help="also peak RSS at these sizes (1,000 and 10,000)")
    parser.add_argument("--commit_every", type=int, help="the pipeline's --commit_every (default: its own default)")
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_run:
        memory_run(args.memory_run)
        return 0
    if not os.path.isdir(throughput.AEB):
        print(f"skipped: {throughput.AEB} not found (the gold pages live beside the repository)")
        return 0
    throughput.quiet_logging()
    pages = throughput.load_pages(throughput.AEB)
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, "bench.warc.gz")
        urls = write_warc(path, pages, args.records)
        print(f"archive: {args.records} records of {len(pages)} pages, {os.path.getsize(path) / 1e6:.1f} MB")
        first_copy = {url: pid for url, pid in urls.items() if "newsbeam_copy=" not in url}
        # Warm-up outside the timings: the first extraction of a process loads lazily imported
        # modules and compiles patterns, which would otherwise fall on whichever contender runs first.
        for extract in BASELINES.values():
            for page in pages[:5]:
                extract(gzip.decompress(page.html_gz).decode("utf-8", "replace"), page.url)
        # The same for the pipeline: a 5-record run imports the runner and the graph's modules.
        write_warc(os.path.join(root, "warm-up.warc.gz"), pages, 5)
        run_pipeline(os.path.join(root, "warm-up.warc.gz"), 1, os.path.join(root, "warm-up"))
        # Best of --repeat for every contender, the repeats interleaved so that a burst of load on
        # the shared machine hits each of them alike.
        loops, runs = {}, {}
        for repeat in range(args.repeat):
            for n, (name, extract) in enumerate(BASELINES.items()):
                seconds, texts = throughput.timed(baseline, path, extract)
                if repeat == 0:
                    quality = throughput.score({pid: texts.get(url, "") for url, pid in first_copy.items()}, root,
                                               f"loop{n}")
                    loops[name] = (seconds, quality)
                loops[name] = (min(seconds, loops[name][0]), loops[name][1])
            for workers in args.workers:
                output = os.path.join(root, f"out{workers}-{repeat}")
                seconds, manifest = throughput.timed(run_pipeline, path, workers, output, args.commit_every)
                if repeat == 0:
                    stored = stored_texts(output)
                    quality = throughput.score({pid: stored.get(url, "") for url, pid in first_copy.items()}, root,
                                               f"x{workers}")
                    runs[workers] = (seconds, quality, manifest)
                runs[workers] = (min(seconds, runs[workers][0]), *runs[workers][1:])
        for name, (seconds, quality) in loops.items():
            print(f"{name:30s} {seconds:7.2f}s  {args.records / seconds:6.1f} records/s  {throughput.fmt_score(quality)}")
        base_seconds = loops["loop, trafilatura full"][0]
        for workers, (seconds, quality, manifest) in runs.items():
            ratio = base_seconds / seconds
            own = loops["loop, newsbeam's extraction"][0] / seconds
            print(f"{'pipeline x' + str(workers):30s} {seconds:7.2f}s  {args.records / seconds:6.1f} records/s  "
                  f"{ratio:.2f}x the full loop (target >= {TARGET_RATIO.get(workers, 1.0)}x: "
                  f"{throughput.verdict(ratio >= TARGET_RATIO.get(workers, 1.0))}), {own:.2f}x newsbeam's loop; "
                  f"articles {manifest['totals']['articles']}, errors {manifest['totals']['errors']}, "
                  f"commits {len(manifest.get('commits', [manifest['run_id']]))}")
            print(f"  stored text      {throughput.fmt_score(quality)} "
                  f"(target >= {TARGET_F1}: {throughput.verdict(quality['f1'] >= TARGET_F1)})")
        if args.readers:
            for name, ms in reader_speed(path):
                print(f"reader {name:9s}  {ms:.3f} ms/record")
    if args.memory is not None:
        sizes, peaks = args.memory or [1000, 10000], {}
        for records in sizes:
            out = subprocess.run([sys.executable, __file__, "--memory-run", str(records)], capture_output=True,
                                 text=True, check=True)
            peaks[records] = json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"]
            print(f"memory: {records} records, peak RSS {peaks[records]:.0f} MB, "
                  f"{peaks[records] / peaks[sizes[0]]:.2f}x the peak at {sizes[0]} (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
