"""Events latency: from a commit becoming visible to its event on `newsbeam tail` and on Kafka.

    .venv/bin/python bench/events.py [--commits 40] [--every 0.5] [--interval 1.0] [--rows 50]
    deploy/kafka/kafka.sh with .venv/bin/python bench/events.py      # with Kafka too

Makes a dataset in a temp dir, starts `newsbeam tail --follow` and (when KAFKA_BOOTSTRAP is set)
`newsbeam publish --follow` beside it, both looking at the log every --interval seconds, then makes
--commits commits, one every --every seconds (each --rows quotes plus an article, through the real
commit protocol of storage.commit). For each commit it takes the time its row in _runs was written
(the moment readers see it) and the time its first event arrived: a line from tail, a message on
newsbeam.quotes for a read_committed consumer. Prints p50/p95/max per destination. The latency of a
stream's entry from its feed to its event adds this to the feed-to-row latency of the stream
(poll interval + window + commit): bench the two apart, add them up.

Writes only into temp dirs. Exit code 0 (it is a measurement).
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.test_compact import article_rows, plan, quote_rows  # noqa: E402
from transforms.storage.commit import commit  # noqa: E402


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=40)
    parser.add_argument("--every", type=float, default=0.5)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--rows", type=int, default=50)
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP")
    with tempfile.TemporaryDirectory() as directory:
        commit(directory, plan(directory, "warmup", {"articles": {"2026-11-20": article_rows("warmup", ["w"])}}))
        arrived = {"tail": {}, "kafka": {}}
        processes = []
        tail = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "tail", "--dataset", directory, "--tables",
                                 "quotes", "--from", "now", "--follow", "--interval", str(args.interval)],
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
        processes.append(tail)

        def read_tail():
            for line in tail.stdout:
                arrived["tail"].setdefault(json.loads(line)["commit_id"], time.time())

        threading.Thread(target=read_tail, daemon=True).start()
        stop = threading.Event()
        if bootstrap:
            prefix = f"bench{secrets.token_hex(3)}."
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "pipelines.cli", "publish", "--dataset", directory, "--kafka", bootstrap,
                 "--topic_prefix", prefix, "--tables", "quotes", "--follow", "--interval", str(args.interval)],
                cwd=ROOT))

            def read_kafka():
                from confluent_kafka import Consumer
                consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": prefix, "log_level": 0,
                                     "isolation.level": "read_committed", "auto.offset.reset": "earliest"})
                consumer.subscribe([f"{prefix}quotes"])
                while not stop.is_set():
                    message = consumer.poll(0.2)
                    if message is not None and not message.error():
                        arrived["kafka"].setdefault(json.loads(message.value())["commit_id"], time.time())
                consumer.close()

            threading.Thread(target=read_kafka, daemon=True).start()
        time.sleep(3)   # both up and at the end of the log
        visible = {}
        for n in range(args.commits):
            run_id = f"c{n:04d}"
            done = plan(directory, run_id, {"articles": {"2026-11-20": article_rows(run_id, [f"a{n}"])},
                                            "quotes": {"2026-11-20": quote_rows(run_id, n * args.rows, args.rows)}})
            commit(directory, done)
            visible[run_id] = time.time()   # its _runs row is written: readers see it now
            time.sleep(args.every)
        deadline = time.time() + 30 + 2 * args.interval
        destinations = ["tail"] + (["kafka"] if bootstrap else [])
        while time.time() < deadline and any(len(arrived[d]) < args.commits for d in destinations):
            time.sleep(0.2)
        stop.set()
        for process in processes:
            process.terminate()
            process.wait(30)
        print(f"events latency, commit visible -> first event of the commit ({args.commits} commits of "
              f"{args.rows} quotes every {args.every}s, --interval {args.interval}s)")
        for destination in destinations:
            lags = [arrived[destination][c] - visible[c] for c in visible if c in arrived[destination]]
            if not lags:
                print(f"  {destination:<6} no events arrived")
                continue
            print(f"  {destination:<6} p50 {statistics.median(lags):.2f}s  p95 {percentile(lags, 95):.2f}s  "
                  f"max {max(lags):.2f}s  ({len(lags)}/{args.commits} commits)")
        if not bootstrap:
            print("  kafka  skipped: KAFKA_BOOTSTRAP is not set (run under deploy/kafka/kafka.sh with ...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
