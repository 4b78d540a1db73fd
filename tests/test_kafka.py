"""`newsbeam publish` against a real Kafka broker (KRaft, deploy/kafka/kafka.sh): each committed row is
seen once by a read_committed consumer, also when the publisher is SIGKILLed in the middle of a
transaction and started again, and commits made after a restart arrive.

Runs in `make test-cluster` (deploy/kafka/kafka.sh with ... sets KAFKA_BOOTSTRAP); skipped without it."""

import json
import os
import secrets
import signal
import subprocess
import sys
import time

import pytest

from tests.test_compact import plan, quote_rows
from tests.test_events import a_commit
from transforms.events.kafka import STALL_AFTER
from transforms.storage.commit import commit

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.environ.get("KAFKA_BOOTSTRAP"),
                                 reason="KAFKA_BOOTSTRAP is not set: run under `deploy/kafka/kafka.sh with ...` "
                                        "(make test-cluster) or after `make kafka-up`")]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP", "")
TABLES = ("articles", "quotes", "figures", "errors")
PER_COMMIT = 3 + 6 + 3 + 2        # a_commit's rows: articles, quotes, figures, errors


@pytest.fixture
def prefix():
    return f"t{secrets.token_hex(4)}."   # topics of their own for each test


def publish(dataset, prefix, *extra, env=None, **kwargs):
    return [sys.executable, "-m", "pipelines.cli", "publish", "--dataset", str(dataset), "--kafka", BOOTSTRAP,
            "--topic_prefix", prefix, *extra]


def run_publish(dataset, prefix, *extra, env=None):
    done = subprocess.run(publish(dataset, prefix, *extra), cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done


def consume(prefix, isolation="read_committed", tables=TABLES, timeout=90):
    """Every message of the table topics, read to their end (for read_committed: the last stable offset)."""
    from confluent_kafka import Consumer, KafkaError, TopicPartition
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"test-{secrets.token_hex(4)}",
                         "isolation.level": isolation, "enable.partition.eof": True, "enable.auto.commit": False,
                         "log_level": 0})
    try:
        consumer.assign([TopicPartition(f"{prefix}{t}", 0, 0) for t in tables])
        at_end, messages, deadline = set(), [], time.monotonic() + timeout
        while len(at_end) < len(tables):
            assert time.monotonic() < deadline, f"topics not read to their end in {timeout}s"
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(message.topic())
                    continue
                if message.error().code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    at_end.add(message.topic())
                    continue
                raise AssertionError(message.error().str())
            at_end.discard(message.topic())
            messages.append(message)
        return messages
    finally:
        consumer.close()


def events_of(messages) -> list[dict]:
    return [json.loads(m.value()) for m in messages]


def once_each(events) -> bool:
    keys = [(e["table"], e["key"]) for e in events]
    return len(keys) == len(set(keys))


def test_a_read_committed_consumer_sees_each_committed_row_once(tmp_path, prefix):
    for n in range(3):
        a_commit(tmp_path, f"r{n}", n)
    run_publish(tmp_path, prefix)
    messages = consume(prefix)
    events = events_of(messages)
    assert len(events) == 3 * PER_COMMIT and once_each(events)
    tail = subprocess.run([sys.executable, "-m", "pipelines.cli", "tail", "--dataset", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    expected = [json.loads(line) for line in tail.stdout.splitlines()]
    for table in TABLES:   # the same events as `newsbeam tail`, in the same order, one topic per table
        assert [e for e in events if e["table"] == table] == [e for e in expected if e["table"] == table]
    for m in messages:
        event = json.loads(m.value())
        assert m.topic() == f"{prefix}{event['table']}" and m.key().decode() == event["key"]
        assert dict(m.headers())["newsbeam.commit_id"].decode() == event["commit_id"]
    # Published again: nothing new (the position was committed with the events).
    run_publish(tmp_path, prefix)
    assert len(consume(prefix)) == len(messages)


def test_a_publisher_killed_mid_transaction_and_restarted_delivers_each_event_exactly_once(tmp_path, prefix):
    a_commit(tmp_path, "small", 0)
    big = 20_000
    commit(str(tmp_path), plan(tmp_path, "big", {"quotes": {"2026-11-22": quote_rows("big", 100_000, big)}}))
    # The first publisher stops, as if slow, inside the transaction of the big commit after 5,000 of its
    # events reached the broker; then it is SIGKILLed there.
    first = subprocess.Popen(publish(tmp_path, prefix, "--batch_events", "100"), cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, STALL_AFTER: "5000"})
    try:
        line = first.stderr.readline()
        assert "stalled after 5000 events in an open transaction" in line, line + first.stderr.read()
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        first.kill()
    assert first.returncode == -signal.SIGKILL
    # The killed transaction's events are on the broker, not committed.
    raw_quotes = len(consume(prefix, "read_uncommitted", tables=("quotes",)))
    assert raw_quotes >= 6 + 5000

    run_publish(tmp_path, prefix, "--batch_events", "100")   # restarted: aborts the open transaction, resumes
    events = events_of(consume(prefix))
    assert once_each(events)
    assert len(events) == PER_COMMIT + big
    assert sum(e["commit_id"] == "big" for e in events) == big
    # the aborted attempt is still in the log, and read_committed skipped it
    assert len(consume(prefix, "read_uncommitted", tables=("quotes",))) >= 6 + big + 5000

    # Started again, following: commits made now arrive, once.
    follower = subprocess.Popen(publish(tmp_path, prefix, "--follow", "--interval", "0.2"), cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        a_commit(tmp_path, "after", 5)
        deadline = time.monotonic() + 120
        while True:
            events = events_of(consume(prefix))
            if sum(e["commit_id"] == "after" for e in events) == PER_COMMIT or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        follower.send_signal(signal.SIGTERM)
        _, err = follower.communicate(timeout=60)
    finally:
        follower.kill()
    assert follower.returncode == 0, err
    assert once_each(events) and len(events) == 2 * PER_COMMIT + big
    assert [e["commit_id"] for e in events if e["table"] == "quotes"][-6:] == ["after"] * 6
