"""newsbeam tail: the dataset's committed rows as events (JSON lines), as commits land."""

import os
import signal
import sys
import time

from pipelines.commands.common import ArgParser, Failed, UsageError, add_dataset, dataset_of

SUMMARY = ("--dataset DIR [--tables T,...] [--from VERSION|now|start] [--follow] [--consumer NAME]",
           "print committed rows as events (JSON lines), as commits land")
TABLE_NAMES = ("articles", "quotes", "figures", "errors")


def add_follow_options(parser, what: str) -> None:
    """The options tail and publish share."""
    add_dataset(parser, help="the dataset directory")
    parser.add_argument("--tables", default=",".join(TABLE_NAMES),
                        help="the tables to follow, comma-separated")
    parser.add_argument("--follow", action="store_true", help=f"keep {what} as new commits land (stop: Ctrl-C "
                        "or SIGTERM, between batches)")
    parser.add_argument("--interval", type=float, default=1.0, help="with --follow, seconds between looks at the log")
    parser.add_argument("--verbose", action="store_true", help="log what happens")


def tables_of(value: str) -> list[str]:
    tables = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in tables if t not in TABLE_NAMES]
    if unknown or not tables:
        raise UsageError(f"--tables takes a comma-separated list of {', '.join(TABLE_NAMES)}: "
                         f"{unknown[0] if unknown else value!r} is not one")
    return tables


def start_of(value: str):
    """--from: start, now, or a Delta version (>= 0)."""
    if value in ("start", "now"):
        return value
    if value.isdigit():
        return int(value)
    raise UsageError(f"--from takes a Delta version (0 or more), now or start: {value!r}")


def checked_dataset(args) -> str:
    from transforms.storage.layout import is_dataset
    directory = dataset_of(args)
    if "://" not in directory and not os.path.isdir(directory):
        raise UsageError(f"--dataset {directory!r} is not a directory")
    if not is_dataset(directory):
        raise UsageError(f"--dataset {directory!r} is not a newsbeam dataset (no _runs/ or table folders in it)")
    if args.interval <= 0:
        raise UsageError("--interval must be > 0")
    return directory


class Stop:
    """SIGTERM (and, with --follow, Ctrl-C) ask to stop between batches: nothing is printed twice."""

    def __init__(self):
        self.asked = False

    def __enter__(self):
        self._old = {s: signal.signal(s, self._ask) for s in (signal.SIGTERM, signal.SIGINT)}
        return self

    def _ask(self, signum, frame):
        if self.asked:   # asked twice: leave now
            raise KeyboardInterrupt
        self.asked = True

    def __exit__(self, *exc):
        for s, handler in self._old.items():
            signal.signal(s, handler)

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.asked and time.monotonic() < deadline:
            time.sleep(min(0.1, deadline - time.monotonic()))


def main(argv: list[str]) -> int:
    import json

    from transforms.events import Follower, LogGap
    from transforms.events.consumers import BadConsumer, check_name, load_positions, save_positions
    parser = ArgParser(prog="newsbeam tail", description="Print the dataset's committed rows as events, one JSON "
                       "object a line (schema newsbeam.event/1, docs/events.md), in commit order per table, each "
                       "only after its commit is complete. With --consumer NAME the position is kept in "
                       "DIR/_events/NAME.json after each batch is printed, so NAME resumes where it stopped "
                       "(at-least-once: a kill between a batch's output and its position write repeats that batch).")
    add_follow_options(parser, "printing")
    parser.add_argument("--from", dest="start", default="start", metavar="VERSION|now|start",
                        help="where to begin: the first version (start), after what is committed now (now), or "
                             "Delta version VERSION of each table; for a --consumer seen before, it resets the "
                             "consumer's position (without it, the consumer resumes)")
    parser.add_argument("--consumer", metavar="NAME", help="keep this consumer's position in DIR/_events/NAME.json")
    args = parser.parse_args(argv)
    directory = checked_dataset(args)
    tables = tables_of(args.tables)
    start = start_of(args.start)
    explicit_start = any(a == "--from" or a.startswith("--from=") for a in argv)
    saved = None
    if args.consumer:
        try:
            check_name(args.consumer)
            saved = load_positions(directory, args.consumer)
        except BadConsumer as exc:
            raise UsageError(str(exc)) from None
    positions = None if explicit_start else saved
    try:
        follower = Follower(directory, tables, positions, start)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    state = {**(saved or {}), **follower.positions}
    if args.consumer and state != saved:
        save_positions(directory, args.consumer, state)
    out = sys.stdout
    with Stop() as stop:
        while not stop.asked:
            looked = False
            try:
                for batch in follower.poll():
                    looked = True
                    if batch.events:
                        out.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in batch.events))
                        out.flush()
                    state[batch.table] = batch.version
                    if args.consumer and batch.events:
                        save_positions(directory, args.consumer, state)
                        saved = dict(state)
                    if stop.asked:
                        break
            except LogGap as exc:
                raise Failed(str(exc)) from None
            if args.consumer and state != saved:   # versions that published nothing: saved once per look
                save_positions(directory, args.consumer, state)
                saved = dict(state)
            if looked:   # more may be there already (a look reads a bounded number of versions)
                continue
            if not args.follow:
                break
            stop.sleep(args.interval)
    return 0
