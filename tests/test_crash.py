"""Crash safety: SIGKILL a real `newsbeam run` the moment it starts writing files, then check
that no partial Parquet is visible and that rerunning completes the dataset exactly once."""

import glob
import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.chaos import MANY_SIZES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENTRIES = MANY_SIZES[0]   # ~600 small generated articles
ATTEMPTS = 4


def command(feed_url: str, output: str) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", "run", "--feeds", feed_url, "--output", output,
            "--allow_private_hosts", "--per_host_delay=0", "--fetch_threads=32"]


def env() -> dict:
    return {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}


def first_write(output: str) -> str | None:
    """The first file a run is writing (hidden *.inprogress) or has committed (part-*.parquet)."""
    for directory, _, names in os.walk(output):
        for name in names:
            if name.endswith(".inprogress") or (name.startswith("part-") and name.endswith(".parquet")):
                return os.path.join(directory, name)
    return None


def kill_when_writing(feed_url: str, output: str, timeout: float = 120.0):
    """Start a run in its own process group and SIGKILL the group at its first file write.
    Returns (the file seen, the exit code) or (None, code) when the run ended first."""
    os.makedirs(output, exist_ok=True)
    proc = subprocess.Popen(command(feed_url, output), cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            seen = first_write(output)
            if seen:
                os.killpg(proc.pid, signal.SIGKILL)
                return seen, proc.wait(timeout=30)
            if proc.poll() is not None:
                return None, proc.returncode
            time.sleep(0.001)
        raise AssertionError(f"the run wrote nothing within {timeout}s")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def visible_parquet(output: str) -> list[str]:
    return [p for p in glob.glob(f"{output}/**/*.parquet", recursive=True)
            if not os.path.basename(p).startswith(".")]


@pytest.fixture(scope="module")
def crashed(chaos, tmp_path_factory):
    """A dataset directory whose run was SIGKILLed as it started writing files."""
    feed_url = chaos.url(f"/feeds/many-{ENTRIES}.xml")
    for attempt in range(ATTEMPTS):
        output = str(tmp_path_factory.mktemp(f"crash{attempt}"))
        seen, code = kill_when_writing(feed_url, output)
        if seen is not None:
            return {"output": output, "feed_url": feed_url, "seen": seen, "code": code}
    pytest.fail(f"the run finished before it could be killed, {ATTEMPTS} times")


def test_kill_happened_mid_run(crashed):
    assert crashed["code"] == -signal.SIGKILL
    assert not glob.glob(f"{crashed['output']}/_runs/*.json"), "a killed run must not look complete"


def test_no_corrupt_or_partial_parquet_is_visible_after_a_kill(crashed):
    con = duckdb.connect()
    for path in visible_parquet(crashed["output"]):
        con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()


@pytest.fixture(scope="module")
def rerun(crashed):
    done = subprocess.run(command(crashed["feed_url"], crashed["output"]), cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=180)
    manifests = sorted(glob.glob(f"{crashed['output']}/_runs/*.json"))
    manifest = None
    if manifests:
        with open(manifests[-1]) as f:
            manifest = json.load(f)
    return {**crashed, "done": done, "manifest": manifest}


def test_rerun_after_a_kill_exits_0(rerun):
    assert rerun["done"].returncode == 0, rerun["done"].stderr[-2000:]


def test_rerun_after_a_kill_stores_every_article_exactly_once(rerun):
    output = rerun["output"]
    con = duckdb.connect()
    total, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT article_id) FROM read_parquet('{output}/articles/*/*.parquet')").fetchone()
    assert total == distinct == ENTRIES
    for table, key in (("quotes", "quote_id"), ("figures", "figure_id")):
        total, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT {key}) FROM read_parquet('{output}/{table}/*/*.parquet')").fetchone()
        assert total == distinct and total > 0, table


def test_rerun_after_a_kill_accounts_for_every_entry_and_leaves_no_temp_files(rerun):
    manifest = rerun["manifest"]
    t = manifest["totals"]
    assert t["entries"] == ENTRIES == t["articles"] + t["duplicates"] + t["errors"]
    assert t["articles"] == ENTRIES
    for feed in manifest["feeds"]:
        assert feed["entries"] == feed["articles"] + feed["duplicates"] + feed["errors"]
    leftovers = [p for p in glob.glob(f"{rerun['output']}/**/.*", recursive=True)]
    assert leftovers == []
    con = duckdb.connect()
    for path in visible_parquet(rerun["output"]):
        con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()


def test_ctrl_c_mid_run_exits_130_at_once_with_one_line_and_nothing_visible(chaos, tmp_path):
    """SIGINT (Ctrl-C) while pages are being fetched: the run stops promptly, says so in one line,
    exits 130, and leaves no file of the interrupted run visible."""
    output = str(tmp_path / "out")
    mark = chaos.mark()
    proc = subprocess.Popen(command(chaos.url(f"/feeds/many-{ENTRIES}.xml"), output), cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while sum(p.startswith("/many/") for p in chaos.paths_since(mark)) < 20:
            assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it could be interrupted"
            time.sleep(0.01)
        interrupted_at = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err[-2000:]
    assert time.monotonic() - interrupted_at < 15
    assert "newsbeam run: interrupted" in err and "Traceback" not in err, err[-2000:]
    assert not visible_parquet(output) and not glob.glob(f"{output}/_runs/*.json")
