"""Live progress as a person sees it: one display whose counts are summed across worker processes,
redrawn in place on a terminal (a real pty), a plain line every few seconds elsewhere."""

import base64
import fcntl
import io
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from pipelines.display import USER_COUNTER, LiveProgress, Plan, describe, fit, metric_totals, pages_total
from pipelines.site import BASE_TOKEN, demo_site_dir, serve
from transforms import progress

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWSBEAM = [sys.executable, "-m", "pipelines.cli"]
FEEDS = ("feeds/world.xml", "feeds/business.xml", "feeds/science.xml")
PAGE_DELAY = 0.25   # seconds each article page takes to arrive, so that a run lasts long enough to watch
TWO_WORKERS = ("--direct_num_workers=2", "--direct_running_mode=multi_processing")


@pytest.fixture(scope="module")
def slow_site():
    """The demo site, its article pages served slowly."""
    root = demo_site_dir()

    def slowly(handler):
        time.sleep(PAGE_DELAY)
        with open(os.path.join(root, handler.path.lstrip("/")), "rb") as f:
            body = f.read().replace(BASE_TOKEN, handler.server.site.base.encode())
        handler.reply(200, body, "text/html; charset=utf-8")

    articles = os.path.join(root, "articles")
    routes = {"/" + os.path.relpath(os.path.join(folder, name), root): slowly
              for folder, _, names in os.walk(articles) for name in names}
    with serve(root, routes) as site:
        yield site


def run_args(site, output) -> list[str]:
    return ["run", "--feeds", *(f"{site.base}/{feed}" for feed in FEEDS), "--dataset", str(output),
            "--allow_private_network", "127.0.0.1/32", "--per_host_delay", "0", *TWO_WORKERS]


def test_the_line_says_feeds_and_pages_of_their_totals_and_the_time_left_once_the_total_is_known():
    plan = Plan(feeds=3)
    polling = {"feeds_fetched": 1, "entries": 12}
    assert pages_total(polling, plan) is None
    line = describe(polling, plan, elapsed=4, rate=None)
    assert line.startswith("feeds 1/3 | pages 0 | articles 0") and "left" not in line
    fetching = {"feeds_fetched": 2, "feeds_failed": 1, "entries": 40, "duplicates": 4, "pages_fetched": 15,
                "pages_failed": 3, "articles": 12, "quotes": 80, "figures": 95, "errors": 4}
    assert pages_total(fetching, plan) == 36
    line = describe(fetching, plan, elapsed=75, rate=2.0)
    assert line == ("feeds 3/3 | pages 18/36 | articles 12 | quotes 80 | figures 95 | errors 4 | 2.0 pages/s | "
                    "1:15 elapsed | ~0:09 left")
    # Retried entries come from no feed; a stream has no total, only its --duration.
    assert pages_total({"feeds_fetched": 0, "entries": 0}, Plan(feeds=0, retried=5)) == 5
    assert describe({"feeds_fetched": 7}, Plan(duration=600), elapsed=60, rate=None).startswith("polls 7 |")
    assert describe({"feeds_fetched": 7}, Plan(duration=600), elapsed=60, rate=None).endswith("1:00 elapsed | 9:00 left")
    # Before any worker counts, and once every page is done (no rate, nothing left).
    assert describe({}, plan, elapsed=3, rate=None) == "starting | 0:03 elapsed"
    finished = {**fetching, "pages_fetched": 33}
    assert describe(finished, plan, elapsed=80, rate=2.0).endswith("| errors 4 | 1:20 elapsed")


def test_a_narrow_terminal_keeps_the_feeds_pages_and_time_left():
    line = ("feeds 3/3 | pages 18/36 | articles 12 | quotes 80 | figures 95 | errors 4 | 2.0 pages/s | "
            "1:15 elapsed | ~0:09 left")
    assert fit(line, 200) == line
    assert fit(line, 80) == "feeds 3/3 | pages 18/36 | articles 12 | errors 4 | 1:15 elapsed | ~0:09 left"
    assert fit(line, 60) == "feeds 3/3 | pages 18/36 | 1:15 elapsed | ~0:09 left"
    assert fit(line, 20) == "feeds 3/3 | pages 18"


def test_on_a_cluster_runner_the_launcher_says_what_it_knows():
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.commands.common import workers_here
    flink = PipelineOptions(["--runner=FlinkRunner", "--environment_type=EXTERNAL", "--environment_config=h:50000"])
    assert not workers_here(flink)
    assert workers_here(PipelineOptions([])) and workers_here(PipelineOptions(TWO_WORKERS))
    assert workers_here(PipelineOptions(["--runner=PrismRunner"]))
    assert workers_here(PipelineOptions(["--runner=FlinkRunner", "--environment_type=LOOPBACK"]))
    line = describe({}, Plan(feeds=3, workers_here=False), elapsed=62, rate=None)
    assert line == "1:02 elapsed | the cluster's workers report their counts when the run ends"


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def test_a_flink_jobs_counts_are_read_from_its_beam_metrics_accumulator():
    """Flink keeps Beam's metrics in the accumulator `__metricscontainers` (monitoring infos with
    varint payloads); newsbeam's counters are summed over the steps that count them."""
    def info(name, value, namespace="newsbeam", urn=USER_COUNTER, step="s1"):
        return {"urn": urn, "type": "beam:metrics:sum_int64:v1",
                "payload": base64.b64encode(_varint(value)).decode(),
                "labels": {"NAMESPACE": namespace, "NAME": name, "PTRANSFORM": step}}
    accumulator = json.dumps({"metrics": {"attempted": [
        info("pages_read", 300, step="a"), info("pages_read", 62, step="b"), info("articles", 1_000_000),
        info("pages_read", 5, namespace="somebody_else"),
        info("pages_read", 7, urn="beam:metric:pardo_execution_time:process_bundle_msecs:v1"),
    ], "committed": [info("articles", 1)]}})
    assert metric_totals(accumulator) == {"pages_read": 362, "articles": 1_000_000}
    waiting = describe({}, Plan(feeds=1, workers_here=False, flink_master="127.0.0.1:8081"), elapsed=5, rate=None)
    assert waiting == "0:05 elapsed | the cluster reports counts as its stages finish"


def test_counts_of_several_processes_are_summed_and_a_new_run_starts_from_zero(tmp_path, monkeypatch):
    script = "import sys\nfrom transforms import progress\nprogress.count('articles', int(sys.argv[1]))\n"
    env = {**os.environ, progress.SPOOL_ENV: str(tmp_path / "run1"), "PYTHONPATH": ROOT}
    (tmp_path / "run1").mkdir()
    for n in (1, 2, 4):
        subprocess.run([sys.executable, "-c", script, str(n)], env=env, check=True, timeout=60)
    assert progress.read_totals(str(tmp_path / "run1")) == {"articles": 7}
    # In one process, each run (spool) counts from zero.
    for run, n in (("run2", 3), ("run3", 5)):
        (tmp_path / run).mkdir()
        monkeypatch.setenv(progress.SPOOL_ENV, str(tmp_path / run))
        progress.count("quotes", n)
        progress.flush()
        assert progress.read_totals(str(tmp_path / run)) == {"quotes": n}


def test_elsewhere_a_plain_line_every_interval_and_never_a_control_code(tmp_path):
    out = io.StringIO()
    with LiveProgress(Plan(feeds=2), stream=out, interval=0.2, tty=False) as live:
        worker = subprocess.run(
            [sys.executable, "-c", "from transforms import progress\nprogress.count('feeds_fetched', 2)\n"
                                   "progress.count('entries', 9)\nprogress.count('pages_fetched', 4)\n"],
            env={**os.environ, "PYTHONPATH": ROOT}, timeout=60)
        assert worker.returncode == 0
        # Wait (bounded) until an interval's line has shown the worker's counts: no fixed sleep.
        deadline = time.monotonic() + 30
        while "feeds 2/2 | pages 4/9 |" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
        interval_lines = out.getvalue().splitlines()
        spool = live.spool
    lines = out.getvalue().splitlines()
    assert any("feeds 2/2 | pages 4/9 |" in line for line in interval_lines), interval_lines
    assert len(lines) >= 2 and all(line.startswith(("newsbeam: feeds ", "newsbeam: starting")) for line in lines), lines
    assert "feeds 2/2 | pages 4/9 |" in lines[-1]
    assert "\x1b" not in out.getvalue() and "\r" not in out.getvalue()
    assert not os.path.exists(spool) and progress.SPOOL_ENV not in os.environ


def test_a_run_on_two_worker_processes_prints_one_line_of_totals_not_one_per_process(slow_site, tmp_path):
    result = subprocess.run([*NEWSBEAM, *run_args(slow_site, tmp_path / "out"), "--progress_interval", "0.5"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("newsbeam: ")]
    assert len(lines) >= 3, result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    done = [line for line in lines if "feeds 3/3 | pages " in line]
    assert done, lines
    # One line per interval with the run's totals: pages done never go down (as they would from line to
    # line, one line per process), the total only shrinks as duplicates are found, to entries less duplicates.
    pages = [tuple(map(int, re.search(r"pages (\d+)/(\d+)", line).groups())) for line in done]
    assert [n for n, _ in pages] == sorted(n for n, _ in pages), pages
    assert [t for _, t in pages] == sorted((t for _, t in pages), reverse=True) and pages[-1] == (35, 35), pages
    assert "35 new articles" not in result.stdout and "34 new articles" in result.stdout


def test_on_a_terminal_one_line_is_redrawn_in_place_then_cleared_for_the_summary(slow_site, tmp_path):
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 160, 0, 0))   # 160 columns
    process = subprocess.Popen([*NEWSBEAM, *run_args(slow_site, tmp_path / "out")], cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        try:
            chunk = os.read(controller, 65536) if ready else b""
        except OSError:   # the run ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read().decode()
    assert process.wait(timeout=120) == 0
    os.close(controller)
    drawn = seen.decode()
    redraws = drawn.split("\r")
    assert len(redraws) > 5, drawn   # redrawn several times a second, in place
    assert "\n" not in drawn, drawn   # no scrolling lines
    assert all(r.endswith("\x1b[K") or not r for r in redraws), redraws[:5]
    assert any("feeds 3/3 | pages " in r and "pages/s" in r for r in redraws), redraws
    assert drawn.endswith("\r\x1b[K")   # the line is gone when the summary is printed
    assert "34 new articles" in stdout


def test_quiet_shows_no_progress(slow_site, tmp_path):
    result = subprocess.run([*NEWSBEAM, *run_args(slow_site, tmp_path / "out"), "--progress_interval", "0.2",
                             "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "newsbeam: feeds" not in result.stderr and "34 new articles" in result.stdout
