"""What the commands share: usage and failure errors, argument parsing that shows defaults and takes
newsbeam's option names with hyphens or underscores, Beam's pipeline options, and a pipeline run
with live progress.

Exit codes: 0 done (per-item errors are data, not failures), 1 a command that could not complete,
2 a usage error (one line on stderr says what to fix).
"""

import argparse
import contextlib
import datetime as dt
import io
import logging
import os
import re
import socket
import sys

from pipelines.spelling import flag_spelling, option_names


class UsageError(Exception):
    """A user mistake: reported as one line, exit code 2."""


class Failed(Exception):
    """The command could not complete: reported as one line, exit code 1."""


# ---------------------------------------------------------------------------------------------
# Parsing


class DefaultsFormatter(argparse.HelpFormatter):
    """Help that shows each option's default, unless its text already says it or there is none."""

    def _get_help_string(self, action):
        text = action.help or ""
        if action.default in (None, False, [], argparse.SUPPRESS) or "default" in text or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class ArgParser(argparse.ArgumentParser):
    """argparse for newsbeam's commands: a mistake is a UsageError, defaults are shown, and option
    names take hyphens or underscores (the help shows the underscores: Beam's spelling)."""

    def __init__(self, **kwargs):
        super().__init__(formatter_class=DefaultsFormatter, allow_abbrev=False, **kwargs)

    def error(self, message):
        raise UsageError(message)

    def parse_args(self, args=None, namespace=None):
        return super().parse_args(flag_spelling(list(args or []), option_names(self)), namespace)


def add_dataset(parser: argparse.ArgumentParser, *aliases: str, positional: bool = False,
                help: str = "the dataset directory") -> None:
    """--dataset DIR, newsbeam's one name for the dataset directory (and, for the commands that
    took it so, DIR as a positional argument or the old flag names)."""
    parser.add_argument("--dataset", *aliases, dest="dataset", metavar="DIR", help=help)
    if positional:
        parser.add_argument("dataset_given", nargs="?", metavar="DIR", help="the same, as an argument")


def dataset_of(args) -> str:
    flag, positional = args.dataset, getattr(args, "dataset_given", None)
    if flag and positional and flag != positional:
        raise UsageError(f"two dataset directories given: {positional} and --dataset {flag}")
    if not (flag or positional):
        raise UsageError("--dataset DIR is required: the dataset directory")
    return flag or positional


@contextlib.contextmanager
def option_errors_as_usage_errors():
    """Beam parses options with argparse, which answers a bad value ("--fetch_threads x") with the
    usage of every Beam option (150 lines) and exits: keep its last line, which says what was wrong."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stderr(printed):
            yield
    except SystemExit:
        lines = printed.getvalue().strip().splitlines() or ["invalid options"]
        raise UsageError(lines[-1].split(" error: ", 1)[-1]) from None


def pipeline_options(argv: list[str], command: str):
    """Beam's PipelineOptions of argv (newsbeam's own options in either spelling) and the view of
    newsbeam's; unknown flags and values out of range are usage errors."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.options import NewsbeamOptions, newsbeam_spelling, out_of_range, unknown_options

    argv = newsbeam_spelling(argv)
    with option_errors_as_usage_errors():
        unknown = unknown_options(argv)
    if unknown:
        raise UsageError(f"unknown option {unknown[0]} (see `newsbeam {command} --help`)")
    quiet_worker_processes("--verbose" not in argv)
    if "--verbose" not in argv:
        if not any(a.startswith("--default_sdk_harness_log_level") for a in argv):
            argv = [*argv, "--default_sdk_harness_log_level=ERROR"]  # worker processes log INFO otherwise
        if not any(a.startswith("--prism_log_level") for a in argv):
            argv = [*argv, "--prism_log_level=error"]   # Prism prints its INFO lines to the terminal otherwise
    options = PipelineOptions(argv)
    with option_errors_as_usage_errors():
        nb = options.view_as(NewsbeamOptions)
    problem = out_of_range(options)
    if problem:
        raise UsageError(problem)
    return options, nb


def print_pipeline_help(prog: str, synopsis: str, description: str, *option_classes, epilog: str = "",
                        example: str = "") -> None:
    if example:   # a short example first: what most people came to --help for
        print(f"example:\n  {example}\n")
    parser = ArgParser(prog=prog, usage=f"{prog} {synopsis}", description=description,
                       epilog=(epilog + " " if epilog else "") + "Any standard Beam pipeline option also passes "
                       "through, e.g. --runner, --direct_num_workers, --direct_running_mode. newsbeam's own "
                       "options also take hyphens (--allow-private-hosts).")
    for options in option_classes:
        options._add_argparse_args(parser)
    parser.print_help()


# ---------------------------------------------------------------------------------------------
# Output and logging


def quiet_logging(verbose: bool) -> None:
    # Configure the root logger before apache_beam is imported: its import logs through the
    # root logger, which would otherwise install a handler and swallow our configuration.
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, force=True,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not verbose:
        logging.getLogger().addFilter(lambda record: "apitools" not in record.getMessage())
        # A failed run is summarised in one message; Beam's own tracebacks need --verbose.
        logging.getLogger("apache_beam").setLevel(logging.CRITICAL)
        for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
            logging.getLogger(name).setLevel(logging.ERROR)


def quiet_worker_processes(quiet: bool = True) -> None:
    """Worker processes (--direct_running_mode=multi_processing) inherit our environment: put
    quiet_worker/sitecustomize.py on their path, or take it off for --verbose, so that their own
    output stays off the terminal or reaches it."""
    directory = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "quiet_worker")
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != directory]
    os.environ["PYTHONPATH"] = os.pathsep.join([directory, *paths] if quiet else paths)


def one_line(exc: BaseException) -> str:
    """An exception as one line a user can act on: its type and the last line of its message
    (Beam wraps worker errors in long multi-line messages)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1]}" if lines else type(exc).__name__


def interrupted(exc: BaseException | None) -> bool:
    """Ctrl-C during a run: Beam re-raises it wrapped ("RuntimeError: KeyboardInterrupt [while running ...]")."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt) or str(exc).startswith("KeyboardInterrupt"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def busy(exc: BaseException | None) -> str | None:
    """What to say when a failure is another writer holding the dataset's lease, else None."""
    from transforms.storage.lease import DatasetBusy
    while exc is not None:
        if isinstance(exc, DatasetBusy):
            return name_the_holder(str(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def name_the_holder(message: str) -> str:
    """The lease's holder (host:pid-namespace:pid:token, or host:pid:token before v4) said as a person
    would: the process, its host, and, on this host, since when it runs."""
    def holder(match):
        host, pid = match.group(1), int(match.group(3))
        started = process_started(pid) if host == socket.gethostname() else None
        since = f", running since {started:%Y-%m-%d %H:%M:%S} UTC" if started else ""
        return f"(PID {pid} on {host}{since})"
    return re.sub(r"\(([^():\s]+):(\d+:)?(\d+):[0-9a-f]+\)", holder, message)


def process_started(pid: int) -> dt.datetime | None:
    """When process `pid` of this machine started (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])   # field 22, starttime: clock ticks after boot
        with open("/proc/stat") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith("btime "))
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return dt.datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), dt.timezone.utc)


# ---------------------------------------------------------------------------------------------
# What the pipeline commands check before a run


def check_output(output: str) -> None:
    if "://" in output:  # a remote filesystem: the runner's workers check it
        return
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create --dataset {output}: {exc.strerror}") from None


def check_run_id(nb) -> None:
    from transforms.storage.layout import InvalidRunId, check_run_id as check
    if nb.run_id:
        try:
            check(nb.output, nb.run_id)
        except InvalidRunId as exc:
            raise UsageError(str(exc)) from None


def read_feeds(nb) -> list[str]:
    from pipelines.sources import SourceError, read_sources
    try:
        return read_sources(nb.feeds)
    except SourceError as exc:
        raise UsageError(str(exc)) from None


def read_archives(nb) -> list[str]:
    from pipelines.sources import SourceError, read_archives as read
    from transforms.fetching.fetch import Fetcher
    if not nb.warc and not nb.cc_news:
        return []
    try:
        return read(nb.warc, nb.cc_news, nb.archive_base, Fetcher(nb.fetch_config()))
    except SourceError as exc:
        raise UsageError(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# Running a pipeline


LOCAL_RUNNERS = {"DirectRunner", "SwitchingDirectRunner", "BundleBasedDirectRunner", "FnApiRunner"}


def workers_here(options) -> bool:
    """Whether the runner's workers run on this machine as our children or threads (they then
    report live progress); a cluster runner's workers do not."""
    from apache_beam.options.pipeline_options import PortableOptions, StandardOptions
    runner = (options.view_as(StandardOptions).runner or "DirectRunner").split(".")[-1]
    environment = (options.view_as(PortableOptions).environment_type or "").upper()
    if runner in LOCAL_RUNNERS:
        return True
    return environment in ("LOOPBACK", "PROCESS") or (runner == "PrismRunner" and not environment)


def with_progress(options, plan_fields: dict, run):
    """run() under a live progress display on stderr (none with --quiet)."""
    from pipelines.display import LiveProgress, Plan
    from pipelines.options import NewsbeamOptions
    nb = options.view_as(NewsbeamOptions)
    if nb.quiet:
        return run()
    plan = Plan(**plan_fields, workers_here=workers_here(options), flink_master=flink_master(options))
    with LiveProgress(plan, interval=nb.progress_interval):
        return run()


def flink_master(options) -> str | None:
    """The Flink cluster's REST address when the run goes to one (its counts are read from there)."""
    from apache_beam.options.pipeline_options import FlinkRunnerOptions, StandardOptions
    runner = (options.view_as(StandardOptions).runner or "").split(".")[-1]
    master = options.view_as(FlinkRunnerOptions).flink_master
    if runner != "FlinkRunner" or workers_here(options) or not master or master.startswith("["):
        return None   # [local] and [auto] start a cluster inside the job server: no address to ask
    return master


def run_pipeline(options, run, what: str = "the run"):
    """run() (a pipeline), its failure turned into one line: Failed, or KeyboardInterrupt."""
    from pipelines.options import NewsbeamOptions
    try:
        return run()
    except Exception as exc:
        if interrupted(exc):
            raise KeyboardInterrupt from None
        held = busy(exc)
        if held:
            raise Failed(held) from None
        verbose = options.view_as(NewsbeamOptions).verbose
        if verbose:
            logging.getLogger("newsbeam").error("%s failed", what, exc_info=True)
        raise Failed(f"{what} could not complete: {one_line(exc)}"
                     + ("" if verbose else "\n(rerun with --verbose for the full log)")) from None


def invocation() -> str:
    """How to run newsbeam again from a shell here, for the commands newsbeam prints: `newsbeam` when
    that is this program on the PATH, else the path it was started by (.venv/bin/newsbeam), or
    `python -m pipelines.cli` with this interpreter."""
    import shlex
    import shutil
    program = sys.argv[0] if sys.argv else ""
    if os.path.basename(program) == "newsbeam":
        on_path = shutil.which("newsbeam")
        if on_path and os.path.realpath(on_path) == os.path.realpath(program):
            return "newsbeam"
        return shlex.quote(_shortest(program))
    return f"{shlex.quote(_shortest(sys.executable))} -m pipelines.cli"


def _shortest(path: str) -> str:
    """`path` relative to the working directory when it lies under it (.venv/bin/newsbeam), else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return relative if not relative.startswith("..") else absolute
