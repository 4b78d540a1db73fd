"""The `newsbeam` command: dispatches to one module per command (pipelines/commands/).

Exit codes: 0 done (per-item errors are data, not failures), 1 the command could not complete,
2 a usage error, 3 a run that completed but ingested nothing because every source (or every page)
failed: committed, and still not a success for a scheduler; each failure is one line on stderr that
says what to fix. 130 when interrupted (Ctrl-C).
"""

import atexit
import importlib
import os
import sys

from pipelines.commands import COMMANDS
from pipelines.commands.common import Failed, UsageError, pipeline_options, quiet_logging
from pipelines.commands.common import quiet_worker_processes  # noqa: F401  (bench/throughput.py uses it)


def usage() -> str:
    summaries = {name: importlib.import_module(f"pipelines.commands.{name}").SUMMARY for name in COMMANDS}
    lines = [f"  {name:<8} {synopsis}\n  {'':<8} {what}" for name, (synopsis, what) in summaries.items()]
    return ("usage: newsbeam COMMAND [...]\n\ncommands:\n" + "\n".join(lines)
            + "\n\n`newsbeam COMMAND --help` for details and defaults. Options take hyphens or underscores "
              "(--allow-private-hosts, --allow_private_hosts).")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage(), file=sys.stdout if argv else sys.stderr)   # asked for: stdout; a mistake: stderr
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"newsbeam: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    quiet_logging("--verbose" in rest)
    try:
        return importlib.import_module(f"pipelines.commands.{command}").main(rest)
    except UsageError as exc:
        print(f"newsbeam {command}: {exc}", file=sys.stderr)
        return 2
    except Failed as exc:
        print(f"newsbeam {command}: {exc}", file=sys.stderr)
        return 1
    except SystemExit as exc:   # argparse after --help
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        kept = " (its commits are kept: the same command goes on from there)" if command == "run" else ""
        print(f"newsbeam {command}: interrupted{kept}", file=sys.stderr)
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
    """`newsbeam run`'s options of argv (tests/test_deploy.py checks what workers are given)."""
    return pipeline_options(argv, "run")


if __name__ == "__main__":
    sys.exit(main())
