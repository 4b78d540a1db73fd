"""newsbeam compact: merge small files, checkpoint, delete unused files."""

from pipelines.commands.common import ArgParser, Failed, UsageError, add_dataset, dataset_of, name_the_holder

SUMMARY = ("--dataset DIR [--retention_hours H]",
           "merge small files, checkpoint, delete unused files")


def main(argv: list[str]) -> int:
    from pipelines.housekeeping import DEFAULT_RETENTION_HOURS, format_stats, run_compact
    from transforms.storage.lease import DatasetBusy
    from transforms.storage.layout import is_dataset
    parser = ArgParser(prog="newsbeam compact", description="Merge each table's small files (Delta optimize), "
                       "write a checkpoint and delete files no longer used (vacuum). Readers see every row once "
                       "throughout.")
    add_dataset(parser, positional=True)
    parser.add_argument("--retention_hours", type=float, default=DEFAULT_RETENTION_HOURS,
                        help="delete files unused for this long (a week by default: time travel and slow readers "
                             "keep working that far back)")
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    args = parser.parse_args(argv)
    directory = dataset_of(args)
    if args.retention_hours < 0:
        raise UsageError("--retention_hours must be >= 0")
    if not is_dataset(directory):
        raise UsageError(f"{directory!r} is not a newsbeam dataset")
    try:
        stats = run_compact(directory, args.retention_hours)
    except DatasetBusy as exc:
        raise Failed(name_the_holder(str(exc))) from None
    print(format_stats(stats))
    return 0
