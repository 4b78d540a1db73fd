"""The Kafka publisher: events in Kafka transactions, each with the position it reaches.

One topic per table (<prefix>articles, ...), each event keyed by its row key; and a compacted
topic <prefix>positions holding, per dataset and table (the record key "<dataset URI>|<table>"),
the last Delta version published, with the table's Delta id (a table deleted and created again
starts over). Both kinds of record of a batch go in one Kafka transaction:

  begin; events of versions (p, q] of some tables; their positions q; commit

so the events and the position that says they were sent become visible together or not at all.

Exactly once, for a consumer with isolation.level=read_committed: the transactional.id is derived
from the dataset and the destination (cluster id and topic prefix), so a restarted publisher, or a
second one, has the same id; its init_transactions() aborts the transaction the old one left open
(SIGKILL mid-batch) and fences the old producer, which can commit nothing after that. Only then
does it read the positions topic (read_committed: aborted positions are not seen) and resume after
them. A committed transaction's events are never sent again (its position is committed with
them), an aborted one's are never seen, so each event is seen once. Per table, events are in
commit order in a topic of one partition (the default; with --partitions N, per key only).
"""

import hashlib
import json
import logging
import os
import sys
import time

from transforms.events.follower import Follower
from transforms.storage.layout import absolute, open_table

log = logging.getLogger(__name__)

POSITION_SCHEMA = "newsbeam.kafka-position/1"
STALL_AFTER = "NEWSBEAM_TEST_PUBLISH_STALL_AFTER"   # tests: stop in an open transaction after N events
MAX_BATCH_EVENTS = 5000


class PublishError(Exception):
    """Kafka refused or failed in a way a retry does not mend (one line for the user)."""


def transactional_id(dataset: str, cluster_id: str, prefix: str) -> str:
    digest = hashlib.sha256(f"{dataset}\n{cluster_id}\n{prefix}".encode("utf-8")).hexdigest()[:24]
    return f"newsbeam-publish-{digest}"


def position_key(dataset: str, table: str) -> str:
    return f"{dataset}|{table}"


def position_record(dataset: str, table: str, version: int, table_id: str | None) -> dict:
    return {"schema": POSITION_SCHEMA, "dataset": dataset, "table": table, "version": version,
            "table_id": table_id, "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


class Publisher:
    """Publishes DIR's events to the Kafka cluster at `bootstrap`."""

    def __init__(self, output: str, bootstrap: str, prefix: str = "newsbeam.", tables=None, start="start",
                 partitions: int = 1, max_batch_events: int = MAX_BATCH_EVENTS, config: dict | None = None):
        from transforms.storage.layout import COMMIT_ORDER
        self.output, self.dataset = output, absolute(output)
        self.bootstrap, self.prefix = bootstrap, prefix
        self.tables = [t for t in COMMIT_ORDER if t in (tables or COMMIT_ORDER)]
        self.start, self.partitions, self.max_batch_events = start, partitions, max_batch_events
        self.config = dict(config or {})
        self.topics = {t: f"{prefix}{t}" for t in self.tables}
        self.positions_topic = f"{prefix}positions"
        self.producer = self.follower = None
        self.committed: dict[str, int] = {}
        self.published = 0
        stall = os.environ.get(STALL_AFTER)
        self._stall_after = int(stall) if stall else None

    # -- start
    def connect(self, timeout: float = 30.0) -> None:
        from confluent_kafka import KafkaException, Producer
        from confluent_kafka.admin import AdminClient
        admin = AdminClient({"bootstrap.servers": self.bootstrap, **self.config})
        try:
            metadata = admin.list_topics(timeout=min(timeout, 10.0))
        except KafkaException as exc:
            raise PublishError(f"cannot reach Kafka at {self.bootstrap}: {exc.args[0].str()}") from None
        self._create_topics(admin, metadata, timeout)
        self.transactional_id = transactional_id(self.dataset, metadata.cluster_id or self.bootstrap, self.prefix)
        self.producer = Producer({
            "bootstrap.servers": self.bootstrap, "transactional.id": self.transactional_id,
            "enable.idempotence": True, "acks": "all", "linger.ms": 20, "compression.type": "lz4",
            "transaction.timeout.ms": 120_000, **self.config})
        try:
            # Aborts what an earlier publisher with this id left open, and fences it.
            self.producer.init_transactions(timeout)
        except KafkaException as exc:
            raise PublishError(f"Kafka at {self.bootstrap} refused transactions: {exc.args[0].str()}") from None
        self.table_ids = {t: self._table_id(t) for t in self.tables}
        stored = self.read_positions(timeout)
        positions = {}
        for table in self.tables:
            version, table_id = stored.get(table, (None, None))
            if version is not None and table_id not in (None, self.table_ids[table]):
                log.warning("%s: the table was created again since it was published (Delta id %s, was %s): "
                            "publishing it from its start", table, self.table_ids[table], table_id)
                version = -1
            if version is not None:
                positions[table] = version
        self.follower = Follower(self.output, self.tables, positions, self.start)
        self.committed = dict(self.follower.positions)

    def _table_id(self, table: str) -> str | None:
        delta = open_table(self.output, table)
        return None if delta is None else delta.metadata().id

    def _create_topics(self, admin, metadata, timeout: float) -> None:
        from confluent_kafka import KafkaError, KafkaException
        from confluent_kafka.admin import NewTopic
        wanted = [NewTopic(topic, num_partitions=self.partitions, replication_factor=-1)
                  for topic in self.topics.values() if topic not in metadata.topics]
        if self.positions_topic not in metadata.topics:
            wanted.append(NewTopic(self.positions_topic, num_partitions=1, replication_factor=-1,
                                   config={"cleanup.policy": "compact"}))
        for topic, future in (admin.create_topics(wanted, operation_timeout=timeout).items() if wanted else []):
            try:
                future.result()
            except KafkaException as exc:
                if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                    raise PublishError(f"cannot create topic {topic}: {exc.args[0].str()}") from None

    def read_positions(self, timeout: float = 30.0) -> dict[str, tuple[int, str | None]]:
        """{table: (version, Delta table id)} of this dataset, as committed in the positions topic."""
        from confluent_kafka import Consumer, KafkaError, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": f"{self.transactional_id}-positions",
                             "isolation.level": "read_committed", "enable.auto.commit": False,
                             "enable.partition.eof": True, **self.config})
        try:
            # Read to the end: for read_committed, the last stable offset (nothing is left open by
            # this publisher's id: init_transactions has closed it).
            # And at least to the high watermark: another dataset's open transaction holds the last
            # stable offset back, and a position of ours may follow it.
            _, end = self._high_watermark(timeout)
            found, deadline = {}, time.monotonic() + timeout
            if end <= 0:
                return found
            consumer.assign([TopicPartition(self.positions_topic, 0, 0)])
            while True:
                if time.monotonic() > deadline:
                    raise PublishError(f"could not read {self.positions_topic} to its end within {timeout:g}s")
                message = consumer.poll(0.5)
                if message is None:
                    continue
                if message.error():
                    if message.error().code() == KafkaError._PARTITION_EOF:
                        if message.offset() >= end:
                            return found
                        continue
                    raise PublishError(f"cannot read {self.positions_topic}: {message.error().str()}")
                key = (message.key() or b"").decode("utf-8", "replace")
                dataset, _, table = key.rpartition("|")
                if dataset == self.dataset and table in self.tables and message.value():
                    record = json.loads(message.value())
                    found[table] = (int(record["version"]), record.get("table_id"))
        finally:
            consumer.close()

    def _high_watermark(self, timeout: float) -> tuple[int, int]:
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": f"{self.transactional_id}-watermark",
                             "isolation.level": "read_uncommitted", **self.config})
        try:
            return consumer.get_watermark_offsets(TopicPartition(self.positions_topic, 0), timeout=timeout,
                                                  cached=False)
        finally:
            consumer.close()

    # -- publishing
    def publish_available(self, stop=lambda: False) -> int:
        """Publish every batch available now, in transactions of about max_batch_events events,
        until stop() says so (asked between transactions); returns the number of events published."""
        sent = 0
        while True:
            pending, events = [], 0
            for batch in self.follower.poll():
                if pending and events + len(batch.events) > self.max_batch_events:
                    sent += self._transaction(pending)   # a version is never split: a large one goes alone
                    pending, events = [], 0
                    if stop():   # the batch in hand is not sent: the follower goes back to what is
                        self.follower.positions.update(self.committed)
                        return sent
                pending.append(batch)
                events += len(batch.events)
            if not pending:   # a look reads a bounded number of versions: look until nothing is left
                return sent
            sent += self._transaction(pending)
            if stop():
                return sent

    def _transaction(self, batches) -> int:
        """One Kafka transaction: the batches' events and the positions they reach. A commit that
        fails retriably is committed again (it may have gone through: aborting then would send it
        twice); one that needs an abort is aborted and sent again; a fatal error (fenced: another
        publisher of this dataset and destination took over) ends the publisher."""
        from confluent_kafka import KafkaException
        for attempt in range(1, 6):
            try:
                produced, positions = self._produce_batches(batches)
                self._commit()
            except KafkaException as exc:
                error = exc.args[0]
                if error.fatal() or attempt == 5 or not error.txn_requires_abort():
                    raise PublishError(f"Kafka transaction failed: {error.str()}"
                                       + (" (another publisher of this dataset took over)" if error.fatal() else "")
                                       ) from None
                log.warning("Kafka transaction failed (%s): aborting it and sending it again", error.str())
                self.producer.abort_transaction(60)
                time.sleep(min(0.2 * 2 ** attempt, 5))
                continue
            self.committed.update(positions)
            self.published += produced
            return produced

    def _commit(self) -> None:
        from confluent_kafka import KafkaException
        for attempt in range(1, 11):
            try:
                self.producer.commit_transaction(120)
                return
            except KafkaException as exc:
                error = exc.args[0]
                if not error.retriable() or error.txn_requires_abort() or attempt == 10:
                    raise
                log.warning("committing the Kafka transaction failed (%s): trying again", error.str())
                time.sleep(min(0.2 * 2 ** attempt, 5))

    def _produce_batches(self, batches) -> tuple[int, dict]:
        positions, produced = {}, 0
        self.producer.begin_transaction()
        for batch in batches:
            topic = self.topics[batch.table]
            for event in batch.events:
                self._produce(topic, event["key"], json.dumps(event, ensure_ascii=False).encode("utf-8"),
                              [("newsbeam.schema", event["schema"].encode()),
                               ("newsbeam.commit_id", event["commit_id"].encode()),
                               ("newsbeam.version", str(event["version"]).encode())])
                produced += 1
                if self._stall_after is not None and produced >= self._stall_after:
                    self._stall(produced)
            positions[batch.table] = batch.version
        for table, version in positions.items():
            if self.table_ids.get(table) is None:
                self.table_ids[table] = self._table_id(table)
            record = position_record(self.dataset, table, version, self.table_ids[table])
            self._produce(self.positions_topic, position_key(self.dataset, table), json.dumps(record).encode())
        return produced, positions

    def _produce(self, topic: str, key: str | None, value: bytes, headers=None) -> None:
        while True:
            try:
                self.producer.produce(topic, value=value, key=None if key is None else key.encode("utf-8"),
                                      headers=headers)
                break
            except BufferError:   # the local queue is full: let it drain
                self.producer.poll(0.2)
        self.producer.poll(0)

    def _stall(self, produced: int) -> None:
        self.producer.flush(30)   # on the broker, in the open transaction
        print(f"newsbeam publish: stalled after {produced} events in an open transaction ({STALL_AFTER})",
              file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)

    def close(self) -> None:
        if self.producer is not None:
            self.producer.flush(10)
