"""newsbeam query: SQL over a dataset with DuckDB."""

import os

from pipelines.commands.common import ArgParser, UsageError, add_dataset, dataset_of

# The views a query can use (transforms/storage/views.py makes them; tests/test_query.py checks the list).
VIEWS = ("articles", "quotes", "figures", "errors", "runs", "speakers")
SUMMARY = ('--dataset DIR [--format table|csv|json|jsonl] "SQL"',
           f'query DIR with DuckDB (views: {", ".join(VIEWS)})')


def main(argv: list[str]) -> int:
    from pipelines.query import is_dataset, print_result, run_query
    parser = ArgParser(prog="newsbeam query", description="Query a dataset directory with DuckDB.")
    add_dataset(parser, "--data", help="the dataset directory written by `newsbeam run`")
    parser.add_argument("--format", choices=("table", "csv", "json", "jsonl"), default="table",
                        help="json: one array; jsonl: a line each")
    parser.add_argument("--verbose", action="store_true", help="log what happens")
    parser.add_argument("sql", help=f"SQL over the views {', '.join(VIEWS)}")
    args = parser.parse_args(argv)
    directory = dataset_of(args)
    if "://" not in directory and not os.path.isdir(directory):
        raise UsageError(f"--dataset {directory!r} is not a directory")
    if not is_dataset(directory):
        raise UsageError(f"--dataset {directory!r} is not a newsbeam dataset (no _runs/ or table folders in it)")
    import duckdb
    try:
        columns, rows = run_query(directory, args.sql)
    except duckdb.Error as exc:   # DuckDB's whole message: its candidates and the LINE 1: caret help most
        raise UsageError(str(exc).rstrip()) from None
    print_result(columns, rows, args.format)
    return 0
