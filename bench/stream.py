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
DuckDB (newsbeam's `connect`) every 0.5 s. With KAFKA_BOOTSTRAP set (a real broker: `bash
deploy/kafka/kafka.sh with ...`), `newsbeam publish --follow --interval 0.5` runs beside the stream
(started once the first window's commit has made the dataset) and a read_committed consumer reads
the articles topic. Prints, per runner, p50/p95/max of (row visible in DuckDB) - (entry in the
feed), of (event received) - (entry in the feed), and of (event received) - (the articles Delta
commit holding the row); target p95 <= 10 + 10 + 5 s. Without KAFKA_BOOTSTRAP the Kafka columns
are skipped, saying so.

--throughput: the same --pages generated articles, one feed, `newsbeam run` once on the DirectRunner
with 2 workers (multi_processing) and once on the local Flink cluster with parallelism 2, one after
the other in this run; prints articles/s of each (articles / wall time of the command, job
submission included, and / the Flink job's own duration).

Flink needs the cluster up and NEWSBEAM_FLINK_* set (`bash deploy/flink/flink.sh with python
bench/stream.py ...`, or `make flink-up` and `eval "$(bash deploy/flink/flink.sh env)"`); Prism needs
NEWSBEAM_PRISM or `make prism`. Writes only into temp dirs (and Kafka topics bench<pid>t<time>.*).
Exit code 0 (it is a measurement).
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


def percentiles(delays: list[float]) -> dict:
    """p50, p95 (nearest rank) and max of `delays`; {} for none."""
    if not delays:
        return {}
    ordered = sorted(delays)
    return {"p50": statistics.median(ordered), "p95": ordered[max(0, int(round(0.95 * len(ordered))) - 1)],
            "max": ordered[-1]}


def delays(seen: dict, since: dict) -> list[float]:
    """seen[n] - since[n] for every n in both."""
    return [seen[n] - since[n] for n in seen if n in since]


def column(name: str, seen: dict, since: dict, of: int) -> str:
    measured = delays(seen, since)
    stats = percentiles(measured)
    if not stats:
        return f"{name} 0/{of}"
    return f"{name} {len(measured)}/{of} p50 {stats['p50']:.1f}s p95 {stats['p95']:.1f}s max {stats['max']:.1f}s"


def commit_seconds(output: str, table: str, version: int) -> float | None:
    """When `table`'s Delta `version` was committed (its commitInfo; epoch seconds)."""
    from transforms.events.follower import parse_actions, timestamp_of
    try:
        with open(os.path.join(output, table, "_delta_log", f"{version:020d}.json"), encoding="utf-8") as f:
            millis = timestamp_of(parse_actions(f.read()))
    except OSError:
        return None
    return millis / 1000 if millis else None


class KafkaArticles:
    """A read_committed consumer of <prefix>articles in a thread, as a downstream service would read
    it: when each article's event arrived, and when the articles commit that holds its row was made."""

    def __init__(self, bootstrap: str, prefix: str, output: str, numbers: dict):
        self.bootstrap, self.prefix, self.topic = bootstrap, prefix, f"{prefix}articles"
        self.output, self.numbers = output, numbers
        self.arrived, self.committed, self.duplicates = {}, {}, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._consume, daemon=True)

    def _consume(self) -> None:
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": f"bench-{self.topic}",
                             "isolation.level": "read_committed", "enable.auto.commit": False, "log_level": 0})
        try:
            while not self.stop.is_set():   # the publisher creates the topic once the dataset exists
                topic = consumer.list_topics(self.topic, timeout=2).topics.get(self.topic)
                if topic is not None and topic.error is None and topic.partitions:
                    break
                self.stop.wait(0.2)
            consumer.assign([TopicPartition(self.topic, 0, 0)])
            while not self.stop.is_set():
                message = consumer.poll(0.2)
                if message is None or message.error():
                    continue
                now, event = time.time(), json.loads(message.value())
                n = self.numbers.get(event["row"]["url"])
                if n is None:
                    continue
                if n in self.arrived:
                    self.duplicates += 1
                    continue
                self.arrived[n] = now
                committed = commit_seconds(self.output, "articles", event["version"])
                if committed is not None:
                    self.committed[n] = committed
        finally:
            consumer.close()


def latency(runner: str, seconds: float, every: float, bootstrap: str | None) -> dict:
    from pipelines.site import serve
    from tests.conftest import FIXTURE_SITE
    from tests.test_stream import Newsroom, prism_binary
    from transforms.storage.layout import is_dataset
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
    visible, stop, kafka, publisher = {}, threading.Event(), None, None
    # Output to files: a pipe nobody reads fills up and stalls the writer.
    logs = {name: open(os.path.join(work, f"{name}.log"), "w+") for name in ("stream", "publish")}
    with serve(FIXTURE_SITE, room.routes()) as site:
        numbers = {site.base + room.path(n): n for n in range(count)}
        if bootstrap:
            kafka = KafkaArticles(bootstrap, f"bench{os.getpid()}t{int(time.time())}.", output, numbers)
            kafka.thread.start()
        room.publish()
        duration = seconds + 90 if runner == "flink" else seconds + 30
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "stream", "--feeds", site.base + room.FEED, "--output", output,
             "--allow_private_hosts", "--per_host_delay=0", "--poll_interval=10", "--window=10",
             f"--duration={duration}", *options],
            cwd=ROOT, stdout=logs["stream"], stderr=subprocess.STDOUT, text=True, start_new_session=True)
        while not room.feed_requests and process.poll() is None:   # the stream is polling: start publishing
            time.sleep(0.2)
        room.published[0] = time.time()
        room.publish_every(every, stop)
        ended = None
        while True:
            if process.poll() is not None:
                ended = ended or time.monotonic()
            if kafka and publisher is None and is_dataset(output):
                # `newsbeam publish` needs a dataset: it starts when the stream's first commit made one.
                publisher = subprocess.Popen(
                    [sys.executable, "-m", "pipelines.cli", "publish", "--dataset", output, "--kafka", bootstrap,
                     "--topic_prefix", kafka.prefix, "--follow", "--interval", "0.5"],
                    cwd=ROOT, stdout=logs["publish"], stderr=subprocess.STDOUT, text=True, start_new_session=True)
            if ended is None:
                try:
                    with connect(output) as con:
                        for (url,) in con.execute("SELECT url FROM articles").fetchall():
                            visible.setdefault(numbers[url], time.time())
                except Exception:
                    pass
            kafka_done = kafka is None or len(kafka.arrived) == count
            # after the stream: a little while for the publisher to send its last window
            if (len(visible) == count and kafka_done) or (ended and (kafka_done or time.monotonic() - ended > 30)):
                break
            time.sleep(0.5)
        stop.set()
        published = dict(room.published)
    try:
        process.wait(timeout=duration + 300)
    finally:
        if publisher is not None:
            publisher.terminate()   # SIGTERM: it stops between transactions
            try:
                publisher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                publisher.kill()
                publisher.wait()
        if kafka:
            kafka.stop.set()
            kafka.thread.join(timeout=30)
        tails = {}
        for name, f in logs.items():
            f.seek(0)
            tails[name] = f.read()[-2000:]
            f.close()
        shutil.rmtree(work, ignore_errors=True)
    result = {"runner": runner, "published": len(published), "visible": len(visible),
              "duckdb": percentiles(delays(visible, published))}
    line = f"{runner}: {column('feed -> DuckDB', visible, published, len(published))}"
    if kafka:
        result.update(kafka_events=len(kafka.arrived), kafka_duplicates=kafka.duplicates,
                      kafka=percentiles(delays(kafka.arrived, published)),
                      commit_to_kafka=percentiles(delays(kafka.arrived, kafka.committed)))
        line += (f" | {column('feed -> Kafka event', kafka.arrived, published, len(published))}"
                 f" | {column('articles commit -> event', kafka.arrived, kafka.committed, len(published))}")
        if publisher is not None and publisher.returncode not in (0, None):
            print(f"{runner}: newsbeam publish exited with {publisher.returncode}:\n{tails['publish']}")
    else:
        line += (" | feed -> Kafka event: skipped (KAFKA_BOOTSTRAP unset: run under "
                 "`bash deploy/kafka/kafka.sh with ...`)")
    if process.returncode:
        print(f"{runner}: the stream exited with {process.returncode}:\n{tails['stream']}")
    print(json.dumps(result))
    print(line + " (target p95 <= 10 + 10 + 5 = 25 s)")
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
            latency(runner, args.seconds, args.every, os.environ.get("KAFKA_BOOTSTRAP"))
    elif args.throughput:
        throughput(args.pages)
    else:
        flat_cost(args.ids, args.files, args.windows)


if __name__ == "__main__":
    main()
