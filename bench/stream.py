"""What continuous mode costs over weeks, how fast a new article shows, and how fast it ingests.

    .venv/bin/python bench/stream.py [--ids 1000000] [--files 10000] [--windows 1000]
    .venv/bin/python bench/stream.py --latency [--runner prism|flink|both] [--seconds 120]
    .venv/bin/python bench/stream.py --throughput [--pages 400]

flat cost (the default): builds a dataset of --ids article ids in --files committed files (as
bench/commit.py's startup does: 100 Delta commits of files/100 files, then a checkpoint; a stream
committing once a window makes one articles file per window, so 10,000 files are 10,000 windows'
worth), then simulates --windows windows of a running stream, each: one real Delta commit of a file
of 10 new articles (a checkpoint every 100, as the stream's housekeeping leaves it), then the
already-ingested check of one poll's bundle of 50 entries (40 committed, 10 new) by the stream's
KnownIds index (transforms/continuous.py): its refresh reads the commits since the last one, the
lookup is a binary search. Prints the median cost of the first and the last 100 windows' checks and
their ratio (target <= 1.2), the one-time load of the index, the index's size and the process RSS
at the first and last window (flat), and for contrast one check the old way (DropKnownFn: a read of
every committed articles file per bundle).

--latency: a local site publishes an article every --every seconds while `newsbeam stream
--poll_interval 10 --window 10` runs (Prism, Flink or both, one after the other); a reader polls
DuckDB (newsbeam's `connect`) every 0.5 s. Prints p50/p95 of (row visible) - (entry in the feed);
target p95 <= 10 + 10 + 5 s.

--throughput: the same --pages generated articles, one feed, `newsbeam run` once on the DirectRunner
with 2 workers (multi_processing) and once on the local Flink cluster with parallelism 2, one after
the other in this run; prints articles/s of each (articles / wall time of the command, job
submission included, and / the Flink job's own duration).

Flink needs the cluster up and NEWSBEAM_FLINK_* set (`bash deploy/flink/flink.sh with python
bench/stream.py ...`, or `make flink-up` and `eval "$(bash deploy/flink/flink.sh env)"`); Prism needs
NEWSBEAM_PRISM or `make prism`. Writes only into temp dirs. Exit code 0 (it is a measurement).
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def flat_cost(ids: int, files: int, windows: int) -> None:
    from commit import build_large

    from transforms.continuous import KnownIds
    from transforms.storage.commit import commit_files
    from transforms.storage.files import write_data_file
    from transforms.storage.layout import article_files, known_article_ids, open_table
    work = tempfile.mkdtemp(prefix="newsbeam-stream-bench-")
    try:
        started = time.perf_counter()
        build_large(work, ids, files)
        print(f"built {ids:,} ids in {files:,} files (100 commits + checkpoint) in "
              f"{time.perf_counter() - started:.0f}s")
        index = KnownIds(work)
        started = time.perf_counter()
        index.refresh()
        print(f"index loaded once: {time.perf_counter() - started:.2f}s, {len(index):,} ids, "
              f"{index.nbytes() / 1e6:.1f} MB; process RSS {rss_mb():.0f} MB")
        costs, memory, next_id = [], [], ids
        for w in range(windows):
            rows = [{"article_id": f"{next_id + i:016x}", "url": f"https://news.example/{next_id + i}",
                     "title": "t", "text": "x", "run_id": f"s1w{w}"} for i in range(10)]
            commit_files(work, "articles", f"s1w{w}",
                         [write_data_file(work, "articles", "2026-12-01", f"s1w{w}", rows)])
            if (w + 1) % 100 == 0:
                open_table(work, "articles").create_checkpoint()
            bundle = [f"{(next_id - 1 - 37 * k) % next_id:016x}" for k in range(40)] + \
                     [f"{next_id + 10 + k:016x}" for k in range(10)]
            next_id += 10
            started = time.perf_counter()
            index.refresh()
            known = index.known(bundle)
            costs.append(time.perf_counter() - started)
            assert sum(known) == 40, sum(known)
            memory.append(rss_mb())
        first, last = statistics.median(costs[:100]), statistics.median(costs[-100:])
        print(f"{windows} windows: check of a 50-entry bundle, median of the first 100 {first * 1000:.2f} ms, "
              f"of the last 100 {last * 1000:.2f} ms: ratio {last / first:.2f} (target <= 1.2)")
        print(f"memory: RSS {memory[0]:.0f} MB at the first window, {memory[-1]:.0f} MB at the last; index "
              f"{index.nbytes() / 1e6:.1f} MB ({len(index):,} ids); whole loads {index.loads}, "
              f"commits read one by one {index.commits_read}")
        started = time.perf_counter()
        old = known_article_ids(article_files(work), bundle)
        print(f"the old check (DropKnownFn, every file read per bundle): {time.perf_counter() - started:.2f}s "
              f"for one bundle over {len(article_files(work)):,} files ({len(old)} known)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------- latency

def flink_options(parallelism: int = 2) -> list[str]:
    env = {k: os.environ.get(f"NEWSBEAM_FLINK_{k.upper()}") for k in ("master", "version", "job_server_jar",
                                                                       "worker_pool")}
    if not all(env.values()):
        raise SystemExit("Flink: NEWSBEAM_FLINK_* unset (bash deploy/flink/flink.sh with ...)")
    return ["--runner=FlinkRunner", f"--flink_master={env['master']}", f"--flink_version={env['version']}",
            f"--flink_job_server_jar={env['job_server_jar']}", "--environment_type=EXTERNAL",
            f"--environment_config={env['worker_pool']}", f"--parallelism={parallelism}"]


def latency(runner: str, seconds: float, every: float) -> dict:
    from pipelines.site import serve
    from tests.conftest import FIXTURE_SITE
    from tests.test_stream import Newsroom, prism_binary
    from transforms.storage.views import connect
    if runner == "prism":
        prism = prism_binary()
        if not prism:
            raise SystemExit("Prism: no binary (make prism, or NEWSBEAM_PRISM)")
        options = [f"--prism_location={prism}"]
    else:
        options = flink_options()
    count = int(seconds / every)
    room = Newsroom(count)
    work = tempfile.mkdtemp(prefix="newsbeam-latency-")
    output = os.path.join(work, "out")
    visible, stop = {}, threading.Event()
    with serve(FIXTURE_SITE, room.routes()) as site:
        room.publish()
        duration = seconds + 90 if runner == "flink" else seconds + 30
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "stream", "--feeds", site.base + room.FEED, "--output", output,
             "--allow_private_hosts", "--per_host_delay=0", "--poll_interval=10", "--window=10",
             f"--duration={duration}", *options],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        while not room.feed_requests and process.poll() is None:   # the stream is polling: start publishing
            time.sleep(0.2)
        room.published[0] = time.time()
        room.publish_every(every, stop)
        paths = {site.base + room.path(n): n for n in range(count)}
        while process.poll() is None:
            try:
                with connect(output) as con:
                    for (url,) in con.execute("SELECT url FROM articles").fetchall():
                        visible.setdefault(paths[url], time.time())
            except Exception:
                pass
            if len(visible) == count:
                break
            time.sleep(0.5)
        stop.set()
        published = dict(room.published)
    try:
        process.wait(timeout=duration + 300)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    delays = sorted(visible[n] - published[n] for n in visible)
    result = {"runner": runner, "published": len(published), "visible": len(visible)}
    if delays:
        result.update(p50=statistics.median(delays), p95=delays[max(0, int(round(0.95 * len(delays))) - 1)],
                      max=delays[-1])
    print(json.dumps(result))
    if delays:
        print(f"{runner}: {len(delays)}/{len(published)} articles visible; feed -> DuckDB p50 {result['p50']:.1f}s, "
              f"p95 {result['p95']:.1f}s, max {result['max']:.1f}s (target p95 <= 25 s)")
    return result


# ---------------------------------------------------------------------------------- throughput

def throughput(pages: int) -> None:
    from pipelines.site import serve
    from tests.conftest import FIXTURE_SITE
    from tests.test_stream import Newsroom
    from transforms.storage.runs import manifests
    room = Newsroom(pages)
    room.publish_all()
    runs = {"DirectRunner, 2 workers": ["--direct_num_workers=2", "--direct_running_mode=multi_processing"],
            "Flink, parallelism 2": flink_options(2)}
    with serve(FIXTURE_SITE, room.routes()) as site:
        for name, options in runs.items():
            work = tempfile.mkdtemp(prefix="newsbeam-throughput-")
            output = os.path.join(work, "out")
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", site.base + room.FEED,
                                   "--output", output, "--allow_private_hosts", "--per_host_delay=0", *options],
                                  cwd=ROOT, capture_output=True, text=True, timeout=1800)
            wall = time.perf_counter() - started
            if done.returncode:
                print(f"{name}: failed\n{done.stderr[-2000:]}")
                continue
            manifest = manifests(output)[-1]
            articles = manifest["totals"]["articles"]
            job = ""
            if "Flink" in name:
                job_seconds = _last_flink_job_seconds()
                job = f", {articles / job_seconds:.1f} articles/s of the job's own {job_seconds:.0f}s" \
                    if job_seconds else ""
            print(f"{name}: {articles} articles in {wall:.0f}s: {articles / wall:.1f} articles/s{job}")
            shutil.rmtree(work, ignore_errors=True)


def _last_flink_job_seconds() -> float | None:
    import urllib.request
    master = os.environ.get("NEWSBEAM_FLINK_MASTER")
    with urllib.request.urlopen(f"http://{master}/jobs/overview", timeout=10) as response:
        jobs = json.load(response)["jobs"]
    finished = [j for j in jobs if j["state"] == "FINISHED"]
    return max(finished, key=lambda j: j["end-time"])["duration"] / 1000 if finished else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ids", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--windows", type=int, default=1000)
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--runner", choices=("prism", "flink", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=120, help="--latency: seconds of publishing")
    parser.add_argument("--every", type=float, default=2.0, help="--latency: seconds between two articles")
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--pages", type=int, default=400)
    args = parser.parse_args()
    if args.latency:
        for runner in (("prism", "flink") if args.runner == "both" else (args.runner,)):
            latency(runner, args.seconds, args.every)
    elif args.throughput:
        throughput(args.pages)
    else:
        flat_cost(args.ids, args.files, args.windows)


if __name__ == "__main__":
    main()
