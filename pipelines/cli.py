"""The `newsbeam` command: run, stream, demo, query, extract, compact, migrate.

Exit codes: 0 success (per-item errors are data, not failures), 1 a run that could not
complete, 2 a usage error (one line on stderr saying what to fix).
"""

import argparse
import atexit
import contextlib
import io
import json
import logging
import os
import socket
import sys

USAGE = """usage: newsbeam COMMAND [...]

commands:
  run      --feeds SOURCE... --output DIR [Beam options]   ingest feeds into DIR
  stream   --feeds SOURCE... --output DIR --poll-interval S [--window S] [--duration S] [Beam options]
                                                            poll continuously, commit once per window
  demo     [--output DIR] [Beam options]                   run on the bundled demo site (no internet)
  query    --data DIR [--format table|csv|json] "SQL"       query DIR with DuckDB (views: articles, quotes, figures, errors, runs)
  extract  --input DOCS.jsonl --output PREDS.jsonl          quotes and figures of plain-text documents
  compact  DIR [--retention_hours H]                        merge small files, checkpoint, delete unused files
  migrate  DIR                                              convert a dataset of the layout before Delta tables

`newsbeam COMMAND --help` for details."""

DEMO_FEEDS = ("feeds/world.xml", "feeds/business.xml", "feeds/science.xml")
DEMO_PORT = 8642


class UsageError(Exception):
    """A user mistake: reported as one line, exit code 2."""


def _quiet_logging(verbose: bool) -> None:
    # Configure the root logger before apache_beam is imported: its import logs through the
    # root logger, which would otherwise install a handler and swallow our configuration.
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, force=True,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not verbose:
        logging.getLogger().addFilter(lambda record: "apitools" not in record.getMessage())
        # A failed run is summarised in one message below; Beam's own tracebacks need --verbose.
        logging.getLogger("apache_beam").setLevel(logging.CRITICAL)
        for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
            logging.getLogger(name).setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, file=sys.stdout if argv else sys.stderr)   # asked for: stdout; a mistake: stderr
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    commands = {"run": cmd_run, "stream": cmd_stream, "demo": cmd_demo, "query": cmd_query,
                "extract": cmd_extract, "compact": cmd_compact, "migrate": cmd_migrate}
    if command not in commands:
        print(f"newsbeam: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    _quiet_logging("--verbose" in rest)
    try:
        return commands[command](rest)
    except UsageError as exc:
        print(f"newsbeam {command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"newsbeam {command}: interrupted", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        # Leave now: fetch threads still waiting on the network would otherwise hold the exit for their
        # timeouts. The exit handlers still run (Beam's stop the Prism job server), the threads' join
        # does not. Nothing is lost: a run's files become visible only when it commits.
        atexit._run_exitfuncs()
        os._exit(130)
    except BrokenPipeError:  # `newsbeam query ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _pipeline_options(argv: list[str]):
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.options import NewsbeamOptions, out_of_range, unknown_options

    with _option_errors_as_usage_errors():
        unknown = unknown_options(argv)
    if unknown:
        raise UsageError(f"unknown option {unknown[0]} (see `newsbeam run --help`)")
    quiet_worker_processes("--verbose" not in argv)
    if "--verbose" not in argv:
        if not any(a.startswith("--default_sdk_harness_log_level") for a in argv):
            argv = [*argv, "--default_sdk_harness_log_level=ERROR"]  # worker processes log INFO otherwise
        if not any(a.startswith("--prism_log_level") for a in argv):
            argv = [*argv, "--prism_log_level=error"]   # Prism prints its INFO lines to the terminal otherwise
    options = PipelineOptions(argv)
    with _option_errors_as_usage_errors():
        nb = options.view_as(NewsbeamOptions)
    problem = out_of_range(options)
    if problem:
        raise UsageError(problem)
    return options, nb


@contextlib.contextmanager
def _option_errors_as_usage_errors():
    """Beam parses options with argparse, which answers a bad value ("--fetch_threads x") with the
    usage of every Beam option (150 lines) and exits: keep its last line, which says what was wrong."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stderr(printed):
            yield
    except SystemExit:
        lines = printed.getvalue().strip().splitlines() or ["invalid options"]
        raise UsageError(lines[-1].split(" error: ", 1)[-1]) from None


def quiet_worker_processes(quiet: bool = True) -> None:
    """Worker processes (--direct_running_mode=multi_processing) inherit our environment: put
    quiet_worker/sitecustomize.py on their path, or take it off for --verbose, so that their own
    output stays off the terminal or reaches it."""
    directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quiet_worker")
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != directory]
    os.environ["PYTHONPATH"] = os.pathsep.join([directory, *paths] if quiet else paths)


def _run_help() -> None:
    from pipelines.options import NewsbeamOptions
    parser = argparse.ArgumentParser(prog="newsbeam run", description="Ingest feeds into a dataset directory.",
                                     epilog="Any standard Beam pipeline option also passes through, e.g. "
                                            "--runner, --direct_num_workers, --direct_running_mode.")
    NewsbeamOptions._add_argparse_args(parser)
    parser.print_help()


def _execute(options, feed_urls: list[str], retry_entries: list[dict], archives: list[str] = ()) -> dict:
    from pipelines import batch
    from pipelines.options import NewsbeamOptions
    os.environ["NEWSBEAM_PROGRESS"] = "1"
    try:
        return batch.run(options, feed_urls, retry_entries, archives)
    except Exception as exc:
        if _interrupted(exc):
            raise KeyboardInterrupt from None
        if options.view_as(NewsbeamOptions).verbose:
            logging.getLogger("newsbeam").error("the run failed", exc_info=True)
        raise RunFailed(_one_line(exc)) from None


def _interrupted(exc: BaseException | None) -> bool:
    """Ctrl-C during a run: Beam re-raises it wrapped ("RuntimeError: KeyboardInterrupt [while running ...]")."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt) or str(exc).startswith("KeyboardInterrupt"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _one_line(exc: Exception) -> str:
    """An exception as one line a user can act on: its type and the last line of its message
    (Beam wraps worker errors in long multi-line messages)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1]}" if lines else type(exc).__name__


def _read_archives(nb) -> list[str]:
    from pipelines.sources import SourceError, read_archives
    from transforms.fetch import Fetcher
    if not nb.warc and not nb.cc_news:
        return []
    try:
        return read_archives(nb.warc, nb.cc_news, nb.archive_base, Fetcher(nb.fetch_config()))
    except SourceError as exc:
        raise UsageError(str(exc)) from None


def _read_feeds(nb) -> list[str]:
    from pipelines.sources import SourceError, read_sources
    try:
        return read_sources(nb.feeds)
    except SourceError as exc:
        raise UsageError(str(exc)) from None


class RunFailed(Exception):
    """The pipeline could not complete: exit code 1."""


def cmd_run(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        _run_help()
        return 0
    options, nb = _pipeline_options(argv)
    if nb.retry_errors and not nb.output:
        nb.output = nb.retry_errors
    if not nb.feeds and not nb.retry_errors and not nb.warc and not nb.cc_news:
        raise UsageError("--feeds is required: feed or sitemap URLs, a text file of URLs, or an OPML file "
                         "(or --warc/--cc_news to read web archives, --retry-errors DIR to retry what earlier "
                         "runs failed on)")
    if not nb.output:
        raise UsageError("--output is required: the dataset directory to write")
    _check_run_id(nb)
    feed_urls, retry_entries = [], []
    if nb.retry_errors:
        feed_urls, retry_entries = _failed_inputs(nb.retry_errors)
    if nb.feeds:
        feed_urls = list(dict.fromkeys(feed_urls + _read_feeds(nb)))
    archives = _read_archives(nb)
    if not feed_urls and not retry_entries and not archives:
        print(f"nothing to retry: no failed feeds or pages in {nb.retry_errors}")
        return 0
    _check_output(nb.output)
    return _run_and_report(options, feed_urls, retry_entries, archives)


def cmd_stream(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        from pipelines.options import NewsbeamOptions, StreamOptions
        parser = argparse.ArgumentParser(prog="newsbeam stream", description="Poll feeds continuously into DIR.",
                                         epilog="Needs a streaming runner: Prism (the default; pass --prism_location "
                                                "when offline, see `make prism`) or --runner=FlinkRunner.")
        StreamOptions._add_argparse_args(parser)
        NewsbeamOptions._add_argparse_args(parser)
        parser.print_help()
        return 0
    from apache_beam.options.pipeline_options import StandardOptions

    options, nb = _pipeline_options(argv)
    if not nb.feeds or not nb.output:
        raise UsageError("--feeds and --output are required")
    feed_urls = _read_feeds(nb)
    _check_run_id(nb)
    _check_output(nb.output)
    standard = options.view_as(StandardOptions)
    if not standard.runner:
        # The FnApiRunner that the DirectRunner falls back to runs a stream as one long batch.
        standard.runner = "PrismRunner"
    os.environ["NEWSBEAM_PROGRESS"] = "1"
    from pipelines import stream
    try:
        run_id = stream.run(options, feed_urls)
    except Exception as exc:
        if _interrupted(exc):
            raise KeyboardInterrupt from None
        print(f"newsbeam: the stream stopped: {_one_line(exc)}\n"
              "(a streaming runner is needed: --prism_location PATH, see `make prism`, or --runner=FlinkRunner)",
              file=sys.stderr)
        return 1
    from transforms.dataset import manifests
    commits = [m for m in manifests(nb.output) if m.get("stream_run_id") == run_id]
    print(f"stream {run_id} stopped after {len(commits)} window commit(s) -> {nb.output}")
    return 0


def _check_run_id(nb) -> None:
    from transforms.dataset import InvalidRunId, check_run_id
    if nb.run_id:
        try:
            check_run_id(nb.output, nb.run_id)
        except InvalidRunId as exc:
            raise UsageError(str(exc)) from None


def _failed_inputs(directory: str) -> tuple[list[str], list[dict]]:
    from transforms.dataset import failed_inputs, is_dataset
    if not is_dataset(directory):
        raise UsageError(f"--retry-errors {directory}: not a newsbeam dataset (no _runs/ in it)")
    feeds, entries = failed_inputs(directory)
    print(f"retrying {len(feeds)} failed feed(s) and {len(entries)} failed page(s) from {directory}", file=sys.stderr)
    return feeds, entries


def _check_output(output: str) -> None:
    if "://" in output:  # a remote filesystem: the runner's workers check it
        return
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create --output {output}: {exc.strerror}") from None


def _run_and_report(options, feed_urls: list[str], retry_entries: list[dict] = (), archives: list[str] = ()) -> int:
    from pipelines.options import NewsbeamOptions
    try:
        manifest = _execute(options, feed_urls, list(retry_entries), list(archives))
    except RunFailed as exc:
        hint = "" if options.view_as(NewsbeamOptions).verbose else "\n(rerun with --verbose for the full log)"
        print(f"newsbeam: the run could not complete: {exc}{hint}", file=sys.stderr)
        return 1
    print(summary(manifest))
    return 0


def summary(manifest: dict) -> str:
    t, rows = manifest["totals"], manifest["rows"]
    lines = [f"run {manifest['run_id']} finished in {manifest['seconds']:.1f}s -> {manifest['output']}",
             f"  feeds {len(manifest['feeds'])} ({t['feed_errors']} failed), entries {t['entries']}: "
             f"{t['articles']} new articles, {t['duplicates']} duplicates, {t['errors']} errors",
             "  rows written: " + ", ".join(f"{k} {v}" for k, v in rows.items())]
    for feed in manifest["feeds"]:
        state = (feed["error_kind"] or (feed["status"] == "not_modified" and "not modified (304)")
                 or (feed["http_status"] and f"HTTP {feed['http_status']}") or (feed["status"] == "ok" and "read")
                 or "not polled, entries retried")
        lines.append(f"  {feed['feed_url']}: {state}, {feed['entries']} entries, {feed['articles']} new, "
                     f"{feed['duplicates']} dup, {feed['errors']} err")
    return "\n".join(lines)


def cmd_demo(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(f"usage: newsbeam demo [--output DIR] [--port N] [Beam options]\n\nServes the bundled demo news site "
              f"on 127.0.0.1:N (default {DEMO_PORT}, or a free port when that one is busy), ingests its feeds into "
              "DIR (default ./newsbeam-demo) and shows what was written.")
        return 0
    from pipelines.query import print_result, run_query
    from pipelines.site import demo_site_dir, serve
    argv, wanted_port = _demo_port(argv)
    # The demo site is our own server on 127.0.0.1: private addresses allowed, no politeness delay.
    argv = _with_defaults(argv, {"--output": "newsbeam-demo", "--per_host_delay": "0"})
    argv = argv if "--allow_private_hosts" in argv else [*argv, "--allow_private_hosts"]
    options, nb = _pipeline_options(argv)   # checked before the site starts (the feeds are passed to the run)
    _check_output(nb.output)
    # The same port each time gives the same article URLs, so a rerun into one directory is incremental.
    port = wanted_port if _port_is_free(wanted_port) else 0
    with serve(demo_site_dir(), port=port) as site:
        feeds = [f"{site.base}/{path}" for path in DEMO_FEEDS]
        print(f"demo site on {site.base}: ingesting {len(feeds)} feeds into {nb.output}", file=sys.stderr)
        if not port:
            print(f"(port {wanted_port} is busy, so the article URLs differ from other demo runs: rerunning into "
                  f"{nb.output} adds the articles again under the new URLs)", file=sys.stderr)
        code = _run_and_report(options, feeds)
    if code == 0:
        for title, sql in DEMO_QUERIES:
            print(f"\n{title}\n  newsbeam query --data {nb.output} \"{sql}\"")
            print_result(*run_query(nb.output, sql))
    return code


def _demo_port(argv: list[str]) -> tuple[list[str], int]:
    """argv without --port N, and N (DEMO_PORT when not given)."""
    parser = _ArgParser(prog="newsbeam demo", add_help=False, allow_abbrev=False)
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    known, rest = parser.parse_known_args(argv)
    if not 0 < known.port < 65536:
        raise UsageError(f"--port must be a TCP port number (1-65535), not {known.port}")
    return rest, known.port


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the server will
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _with_defaults(argv: list[str], defaults: dict) -> list[str]:
    """argv plus `--flag value` for each default the user didn't set."""
    given = {a.split("=", 1)[0] for a in argv if a.startswith("--")}
    return argv + [item for flag, value in defaults.items() if flag not in given for item in (flag, value)]


DEMO_QUERIES = [
    ("Who said what, newest first:",
     "SELECT q.speaker, left(q.text, 60) AS quote, a.title FROM quotes q JOIN articles a USING (article_id) "
     "ORDER BY a.published_at DESC LIMIT 8"),
    ("Errors, by stage and kind:",
     "SELECT stage, error_kind, count(*) AS n, any_value(url) AS example FROM errors GROUP BY ALL ORDER BY n DESC"),
]


def cmd_query(argv: list[str]) -> int:
    from pipelines.query import is_dataset, print_result, run_query
    parser = _ArgParser(prog="newsbeam query", description="Query a dataset directory with DuckDB.")
    parser.add_argument("--data", required=True, help="the dataset directory written by `newsbeam run`")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("sql", help="SQL over the views articles, quotes, figures, errors, runs")
    args = parser.parse_args(argv)
    if "://" not in args.data and not os.path.isdir(args.data):
        raise UsageError(f"--data {args.data!r} is not a directory")
    if not is_dataset(args.data):
        raise UsageError(f"--data {args.data!r} is not a newsbeam dataset (no _runs/ or table folders in it)")
    import duckdb
    try:
        columns, rows = run_query(args.data, args.sql)
    except duckdb.Error as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    print_result(columns, rows, args.format)
    return 0


def cmd_extract(argv: list[str]) -> int:
    from transforms.figures import find_figures
    from transforms.quotes import MIXED_SPANS, find_quotes
    parser = _ArgParser(prog="newsbeam extract",
                        description='Find quotes and figures in plain-text documents ({"id", "text"} per line).')
    parser.add_argument("--input", required=True, help="JSON lines with id and text ('-' for stdin)")
    parser.add_argument("--output", required=True, help="JSON lines of predictions ('-' for stdout)")
    parser.add_argument("--min_quote_confidence", type=float, default=None,
                        help="keep quotes whose construction is at least this precise (default 0.84: "
                             "direct quotes and the most reliable indirect ones)")
    parser.add_argument("--mixed_quote_spans", choices=MIXED_SPANS, default="clause",
                        help="span a mixed quote as its reported clause (default, as PolNeAR annotates it) "
                             "or as the quoted words alone")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    from pipelines.options import confidence_out_of_range
    problem = confidence_out_of_range(args.min_quote_confidence)
    if problem:
        raise UsageError(problem)
    if "-" not in (args.input, args.output) and os.path.realpath(args.input) == os.path.realpath(args.output):
        raise UsageError("--output is the --input file: writing it would erase the documents")
    # Lines are read as bytes and decoded one by one, so that a line that is not UTF-8 is skipped
    # like any other bad line; stdin and stdout are used, not closed.
    try:
        source = contextlib.nullcontext(sys.stdin.buffer) if args.input == "-" else open(args.input, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read --input: {exc.strerror}: {args.input}") from None
    try:
        sink = contextlib.nullcontext(sys.stdout) if args.output == "-" else open(args.output, "w", encoding="utf-8")
    except OSError as exc:
        with source:
            raise UsageError(f"cannot write --output: {exc.strerror}: {args.output}") from None
    settings = {"mixed_spans": args.mixed_quote_spans}
    if args.min_quote_confidence is not None:
        settings["min_confidence"] = args.min_quote_confidence
    done = failed = 0
    with source as lines, sink as out:
        for number, raw in enumerate(lines, 1):
            try:
                line = raw.decode("utf-8-sig")   # a BOM on the first line is not part of the JSON
                if not line.strip():
                    continue
                doc = json.loads(line)
                text = doc["text"]
                if not isinstance(text, str):
                    raise TypeError("'text' is not a string")
                quotes = find_quotes(text, **settings)
                prediction = {"id": doc.get("id"), "quotes": quotes, "figures": find_figures(text)}
            except (ValueError, KeyError, TypeError) as exc:   # UnicodeDecodeError is a ValueError
                failed += 1
                print(f"{args.input}:{number}: skipped: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            out.write(json.dumps(prediction, ensure_ascii=False) + "\n")
            done += 1
    print(f"newsbeam extract: {done} documents, {failed} skipped", file=sys.stderr)
    return 0


def cmd_compact(argv: list[str]) -> int:
    from pipelines.compact import DEFAULT_RETENTION_HOURS, format_stats, run_compact
    from transforms.dataset import DatasetBusy, is_dataset
    parser = _ArgParser(prog="newsbeam compact", description="Merge each table's small files (Delta optimize), "
                        "write a checkpoint and delete files no longer used (vacuum). Readers see every row once "
                        "throughout.")
    parser.add_argument("data", help="the dataset directory")
    parser.add_argument("--retention_hours", type=float, default=DEFAULT_RETENTION_HOURS,
                        help="delete files unused for this long (default a week: time travel and slow readers "
                             "keep working that far back)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.retention_hours < 0:
        raise UsageError("--retention_hours must be >= 0")
    if not is_dataset(args.data):
        raise UsageError(f"{args.data!r} is not a newsbeam dataset")
    try:
        stats = run_compact(args.data, args.retention_hours)
    except DatasetBusy as exc:
        print(f"newsbeam compact: {exc}", file=sys.stderr)
        return 1
    print(format_stats(stats))
    return 0


def cmd_migrate(argv: list[str]) -> int:
    from pipelines.compact import run_migrate
    from transforms.dataset import DatasetBusy, is_dataset
    parser = _ArgParser(prog="newsbeam migrate", description="Convert a dataset written before Delta tables "
                        "(part files and _runs/*.json manifests) in place; files of crashed runs are deleted.")
    parser.add_argument("data", help="the dataset directory")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not is_dataset(args.data):
        raise UsageError(f"{args.data!r} is not a newsbeam dataset")
    try:
        done = run_migrate(args.data)
    except DatasetBusy as exc:
        print(f"newsbeam migrate: {exc}", file=sys.stderr)
        return 1
    print(f"migrate {args.data}: tables converted: {', '.join(done['converted']) or 'none'}; "
          f"{done['runs']} run manifest(s) moved into _runs; {done['deleted']} file(s) of crashed runs deleted")
    return 0


class _ArgParser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


if __name__ == "__main__":
    sys.exit(main())
