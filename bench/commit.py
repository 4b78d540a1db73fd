"""What the Delta tables cost: the commit's share of a run, and a run's set-up on a large dataset.

    .venv/bin/python bench/commit.py overhead [--pages 1810] [--repeat 2]
    .venv/bin/python bench/commit.py startup [--ids 1000000] [--files 10000]

overhead: `pipelines.batch.run` on a generated site of --pages small articles (tests/chaos.py's
article pages and feed, served on 127.0.0.1), into a fresh directory each time, twice per repeat and
interleaved: once as it is (the Delta commit of every table, the feed state and the run's row),
once with the commit step replaced by nothing, i.e. the same Parquet files written without any
log. Prints the best wall time of each, the ratio (target <= 1.05), and the time of the commit
step itself (noise-free, unlike the ratio of two whole runs on a shared machine).

startup: builds a dataset of --ids article ids in --files committed files (100 commits, then a
checkpoint, as `newsbeam compact` leaves the log), then, in a fresh process, times what a new run
does before its pipeline starts and the incremental check of one batch: check_run_id, recover,
load_feed_state, the list of committed article files, and known_article_ids over all of them for
a batch of 10,000 feed entries (half of them already ingested). Prints the seconds and the peak RSS
of that process (targets <= 5 s and <= 1 GB).

Writes only into temp dirs. Needs no ../shared. Exit code 0 (it is a measurement).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def overhead(pages: int, repeat: int) -> None:
    from apache_beam.options.pipeline_options import PipelineOptions

    import transforms.storage.commit as commit_module
    from pipelines import batch
    from pipelines.site import serve
    from tests.chaos import article_html, many_feed
    routes = {f"/many/{i}.html": (lambda h, i=i: h.reply(200, article_html(1000 + i).encode(),
                                                          "text/html; charset=utf-8")) for i in range(pages)}
    routes["/feed.xml"] = lambda h: h.reply(200, many_feed(h.server.site.base, pages), "application/rss+xml")
    real_apply = commit_module.apply_plan
    commit_seconds = []

    def timed_apply(output, plan):
        started = time.perf_counter()
        real_apply(output, plan)
        commit_seconds.append(time.perf_counter() - started)

    best = {"delta": float("inf"), "files only": float("inf")}
    work = tempfile.mkdtemp(prefix="newsbeam-commit-bench-")
    try:
        with serve(work, routes) as site:
            feed = f"{site.base}/feed.xml"
            for r in range(repeat):
                for mode in best:
                    out = os.path.join(work, f"{mode.replace(' ', '-')}-{r}")
                    commit_module.apply_plan = timed_apply if mode == "delta" else (lambda output, plan: None)
                    options = PipelineOptions(["--output", out, "--allow_private_hosts", "--per_host_delay=0",
                                               "--fetch_threads=32"])
                    started = time.perf_counter()
                    manifest = batch.run(options, [feed])   # None without the log: no run row to read
                    seconds = time.perf_counter() - started
                    if mode == "delta":
                        assert manifest["totals"]["articles"] == pages, manifest["totals"]
                    best[mode] = min(best[mode], seconds)
                    print(f"  {mode:10s} run {r + 1}: {seconds:.2f}s", flush=True)
    finally:
        commit_module.apply_plan = real_apply
        shutil.rmtree(work, ignore_errors=True)
    print(f"{pages} pages, best of {repeat}: with the Delta commit {best['delta']:.2f}s, files only "
          f"{best['files only']:.2f}s, ratio {best['delta'] / best['files only']:.3f} (target <= 1.05); "
          f"the commit step itself (all tables, feed state, run row) took {min(commit_seconds):.2f}s "
          f"to {max(commit_seconds):.2f}s")


def build_large(out: str, ids: int, files: int, commits: int = 100) -> None:
    from transforms.storage.commit import commit_files
    from transforms.storage.layout import open_table
    from transforms.storage.files import write_data_file
    per_file, n = ids // files, 0
    for c in range(commits):
        written = []
        for f in range(files // commits):
            rows = [{"article_id": f"{i:016x}", "url": f"https://news.example/{i}", "title": "t", "text": "x",
                     "run_id": f"r{c}"} for i in range(n, n + per_file)]
            written.append(write_data_file(out, "articles", f"2026-{1 + c % 12:02d}-01", f"r{c}", rows))
            n += per_file
        commit_files(out, "articles", f"r{c}", written)
    open_table(out, "articles").create_checkpoint()


STARTUP = """
import json, random, resource, sys, time
started = time.perf_counter()
from transforms.storage.layout import article_files, check_run_id, known_article_ids
from transforms.storage.runs import load_feed_state
from transforms.storage.commit import recover
imported = time.perf_counter()
out, ids = sys.argv[1], int(sys.argv[2])
check_run_id(out, "benchrun")
recover(out)
load_feed_state(out)
files = article_files(out)
listed = time.perf_counter()
rng = random.Random(3)
batch = [f"{rng.randrange(ids):016x}" for _ in range(5000)] + [f"{ids + i:016x}" for i in range(5000)]
known = known_article_ids(files, batch)
done = time.perf_counter()
print(json.dumps({"files": len(files), "known": len(known), "import_s": imported - started,
                  "setup_s": listed - imported, "check_s": done - listed,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def startup(ids: int, files: int) -> None:
    work = tempfile.mkdtemp(prefix="newsbeam-startup-bench-")
    try:
        started = time.perf_counter()
        build_large(work, ids, files)
        print(f"built {ids:,} ids in {files:,} files (100 commits + checkpoint) in {time.perf_counter() - started:.0f}s",
              flush=True)
        result = json.loads(subprocess.run([sys.executable, "-c", STARTUP, work, str(ids)], cwd=ROOT, check=True,
                                           capture_output=True, text=True).stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = result["setup_s"] + result["check_s"]
    print(f"set-up (run id, recover, feed state, file list of {result['files']:,}) {result['setup_s']:.2f}s, "
          f"incremental check of 10,000 entries {result['check_s']:.2f}s ({result['known']:,} known): "
          f"{total:.2f}s (target <= 5 s); peak RSS {result['peak_rss_mb']:.0f} MB (target <= 1024); "
          f"imports {result['import_s']:.2f}s not counted")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("overhead", "startup"))
    parser.add_argument("--pages", type=int, default=1810)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--ids", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.what == "overhead":
        overhead(args.pages, args.repeat)
    else:
        startup(args.ids, args.files)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
