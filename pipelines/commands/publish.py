"""newsbeam publish: the dataset's committed rows as events to Kafka, exactly once, in transactions."""

import re

from pipelines.commands.common import ArgParser, Failed, UsageError
from pipelines.commands.tail import Stop, add_follow_options, checked_dataset, tables_of

SUMMARY = ("--dataset DIR --kafka HOST:PORT [--topic_prefix P] [--tables T,...] [--follow]",
           "publish committed rows as events to Kafka, exactly once")


def main(argv: list[str]) -> int:
    parser = ArgParser(prog="newsbeam publish", description="Publish the dataset's committed rows as events "
                       "(schema newsbeam.event/1, docs/events.md) to Kafka: one topic per table (<prefix><table>), "
                       "keyed by the row key, in Kafka transactions that also write the position reached "
                       "(<prefix>positions), so a consumer with isolation.level=read_committed sees each event "
                       "exactly once, even across a killed and restarted publisher. A restart resumes after the "
                       "last committed transaction.")
    add_follow_options(parser, "publishing")
    parser.add_argument("--kafka", metavar="HOST:PORT[,HOST:PORT...]", help="the Kafka bootstrap servers")
    parser.add_argument("--topic_prefix", default="newsbeam.", help="topic names: <prefix>articles, ..., "
                        "<prefix>positions")
    parser.add_argument("--from", dest="start", choices=("start", "now"), default="start",
                        help="where a destination that has published nothing of this dataset begins: every "
                             "committed row (start) or new commits only (now); a destination with a position "
                             "always resumes after it")
    parser.add_argument("--partitions", type=int, default=1, help="partitions of each table topic it creates "
                        "(1 keeps each table's events in commit order; more: in order per key only)")
    parser.add_argument("--batch_events", type=int, default=5000, help="events per Kafka transaction, about "
                        "(a commit's events are never split between transactions)")
    args = parser.parse_args(argv)
    directory = checked_dataset(args)
    tables = tables_of(args.tables)
    if not args.kafka:
        raise UsageError("--kafka HOST:PORT is required: the Kafka bootstrap servers")
    if not re.fullmatch(r"[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*", args.kafka):
        raise UsageError(f"--kafka takes HOST:PORT (several: comma-separated): {args.kafka!r}")
    if not re.fullmatch(r"[A-Za-z0-9._-]{0,200}", args.topic_prefix):
        raise UsageError(f"--topic_prefix may hold only letters, digits, '.', '_' and '-': {args.topic_prefix!r}")
    if args.partitions < 1 or args.batch_events < 1:
        raise UsageError("--partitions and --batch_events must be >= 1")

    from transforms.events import LogGap
    from transforms.events.kafka import Publisher, PublishError
    # librdkafka logs every failed connection attempt to stderr: with --verbose only
    quiet = {} if args.verbose else {"log_level": 0}
    publisher = Publisher(directory, args.kafka, args.topic_prefix, tables, args.start, args.partitions,
                          args.batch_events, quiet)
    try:
        publisher.connect()
        with Stop() as stop:
            while not stop.asked:
                publisher.publish_available(lambda: stop.asked)
                if not args.follow:
                    break
                stop.sleep(args.interval)
    except (PublishError, LogGap) as exc:
        raise Failed(str(exc)) from None
    finally:
        publisher.close()
    return 0
