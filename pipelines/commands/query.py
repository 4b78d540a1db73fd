"""newsbeam query: SQL over a dataset with DuckDB."""

import os

from pipelines.commands.common import ArgParser, UsageError, add_dataset, dataset_of

SUMMARY = ('--dataset DIR [--format table|csv|json] "SQL"',
           'query DIR with DuckDB (views: articles, quotes, figures, errors, runs)')


def main(argv: list[str]) -> int:
    from pipelines.query import is_dataset, print_result, run_query
    parser = ArgParser(prog="newsbeam query", description="Query a dataset directory with DuckDB.")
    add_dataset(parser, "--data", help="the dataset directory written by `newsbeam run`")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="how rows are printed")
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    parser.add_argument("sql", help="SQL over the views articles, quotes, figures, errors, runs")
    args = parser.parse_args(argv)
    directory = dataset_of(args)
    if "://" not in directory and not os.path.isdir(directory):
        raise UsageError(f"--dataset {directory!r} is not a directory")
    if not is_dataset(directory):
        raise UsageError(f"--dataset {directory!r} is not a newsbeam dataset (no _runs/ or table folders in it)")
    import duckdb
    try:
        columns, rows = run_query(directory, args.sql)
    except duckdb.Error as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    print_result(columns, rows, args.format)
    return 0
