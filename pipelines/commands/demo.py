"""newsbeam demo: serve the bundled demo news site on 127.0.0.1, ingest it, query it, write its report."""

import os
import shlex
import socket
import sys

from pipelines.commands.common import ArgParser, UsageError, check_output, invocation, pipeline_options
from pipelines.commands.run import ingest, summary

SUMMARY = ("[--dataset DIR] [--port N] [Beam options]",
           "run on the bundled demo site (no internet), then write its report")

DEMO_FEEDS = ("feeds/world.xml", "feeds/business.xml", "feeds/science.xml")
DEMO_PORT = 8642
DEMO_DATASET = "newsbeam-demo"

DEMO_QUERIES = [
    ("Who said what, newest first:",
     "SELECT q.speaker, left(q.text, 60) AS quote, a.title FROM quotes q JOIN articles a USING (article_id) "
     "ORDER BY a.published_at DESC LIMIT 8"),
    ("Errors, by stage and kind:",
     "SELECT stage, error_kind, count(*) AS n, any_value(url) AS example FROM errors GROUP BY ALL ORDER BY n DESC"),
]


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(f"usage: newsbeam demo [--dataset DIR] [--port N] [Beam options]\n\nServes the bundled demo news "
              f"site on 127.0.0.1:N (default {DEMO_PORT}, or a free port when that one is busy), ingests its feeds "
              f"into DIR (default ./{DEMO_DATASET}), shows what was written and writes DIR/report.html. "
              "`newsbeam run --help` lists the other options.")
        return 0
    from pipelines.query import print_result, run_query
    from pipelines.report import write_report
    from pipelines.site import demo_site_dir, serve
    argv, wanted_port = demo_port(argv)
    options, nb = pipeline_options(demo_defaults(argv), "demo")   # checked before the site starts
    check_output(nb.output)
    # The same port each time gives the same article URLs, so a rerun into one directory is incremental.
    port = wanted_port if port_is_free(wanted_port) else 0
    with serve(demo_site_dir(), port=port) as site:
        feeds = [f"{site.base}/{path}" for path in DEMO_FEEDS]
        print(f"demo site on {site.base}: ingesting {len(feeds)} feeds into {nb.output}", file=sys.stderr)
        if not port:
            print(f"(port {wanted_port} is busy, so the article URLs differ from other demo runs: rerunning into "
                  f"{nb.output} adds the articles again under the new URLs)", file=sys.stderr)
        print(summary(ingest(options, feeds)))
    program = invocation()   # as this shell can run it: newsbeam is not on the PATH outside the venv
    for title, sql in DEMO_QUERIES:
        print(f"\n{title}\n  {program} query --dataset {shlex.quote(nb.output)} {shlex.quote(sql)}")
        print_result(*run_query(nb.output, sql))
    report = write_report(nb.output, os.path.join(nb.output, "report.html"))
    print(f"\nReport: {report}  (open it in a browser)")
    return 0


def demo_defaults(argv: list[str]) -> list[str]:
    """argv plus the demo's defaults the user didn't set: its dataset directory, no politeness
    delay, and the SSRF guard kept on with only the demo server's address allowed."""
    given = {a.split("=", 1)[0][2:].replace("-", "_") for a in argv if a.startswith("--")}
    defaults = []
    if not given & {"dataset", "output"}:
        defaults += ["--dataset", DEMO_DATASET]
    if "per_host_delay" not in given:
        defaults += ["--per_host_delay", "0"]
    if not given & {"allow_private_hosts", "allow_private_network"}:
        defaults += ["--allow_private_network", "127.0.0.1/32"]
    return argv + defaults


def demo_port(argv: list[str]) -> tuple[list[str], int]:
    """argv without --port N, and N (DEMO_PORT when not given)."""
    parser = ArgParser(prog="newsbeam demo", add_help=False)
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    known, rest = parser.parse_known_args(argv)
    if not 0 < known.port < 65536:
        raise UsageError(f"--port must be a TCP port number (1-65535), not {known.port}")
    return rest, known.port


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the server will
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
