"""newsbeam report: one self-contained HTML dashboard of a dataset."""

import datetime as dt

from pipelines.commands.common import ArgParser, UsageError, add_dataset, dataset_of

SUMMARY = ("--dataset DIR [--since DATE] [--output FILE]",
           "an HTML dashboard of DIR: one file that opens offline")


def main(argv: list[str]) -> int:
    from pipelines.report import write_report
    from transforms.storage.layout import is_dataset
    parser = ArgParser(prog="newsbeam report", description="Write one self-contained HTML file (styles and charts "
                       "inline, no script, nothing fetched when opened) from a dataset: a section index, articles per "
                       "day and source, the most quoted speakers and each one's quotes, the latest quotes, the "
                       "largest figures, an index of the articles, feed health, and errors (each URL once across "
                       "runs).")
    add_dataset(parser, positional=True)
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only articles published (or fetched) on or after "
                        "this day, and errors since then")
    parser.add_argument("--output", default="report.html", metavar="FILE", help="the HTML file to write")
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    args = parser.parse_args(argv)
    directory = dataset_of(args)
    if not is_dataset(directory):
        raise UsageError(f"{directory!r} is not a newsbeam dataset")
    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since takes a day as YYYY-MM-DD, not {args.since!r}") from None
    try:
        path = write_report(directory, args.output, since)
    except OSError as exc:
        raise UsageError(f"cannot write --output {args.output}: {exc.strerror}") from None
    print(f"report of {directory} -> {path}")
    return 0
