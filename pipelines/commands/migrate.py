"""newsbeam migrate: convert a dataset of the layout before Delta tables, in place."""

from pipelines.commands.common import ArgParser, Failed, UsageError, add_dataset, dataset_of, name_the_holder

SUMMARY = ("--dataset DIR",
           "convert a dataset of the layout before Delta tables")


def main(argv: list[str]) -> int:
    from pipelines.housekeeping import run_migrate
    from transforms.storage.lease import DatasetBusy
    from transforms.storage.layout import is_dataset
    parser = ArgParser(prog="newsbeam migrate", description="Convert a dataset written before Delta tables "
                       "(part files and _runs/*.json manifests) in place; files of crashed runs are deleted.")
    add_dataset(parser, positional=True)
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    args = parser.parse_args(argv)
    directory = dataset_of(args)
    if not is_dataset(directory):
        raise UsageError(f"{directory!r} is not a newsbeam dataset")
    try:
        done = run_migrate(directory)
    except DatasetBusy as exc:
        raise Failed(name_the_holder(str(exc))) from None
    print(f"migrate {directory}: tables converted: {', '.join(done['converted']) or 'none'}; "
          f"{done['runs']} run manifest(s) moved into _runs; {done['deleted']} file(s) of crashed runs deleted")
    return 0
