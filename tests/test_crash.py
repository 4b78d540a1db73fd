"""Crash safety: SIGKILL a real `newsbeam run` the moment it starts writing data files, then check
that nothing of it is visible and that rerunning completes the dataset exactly once."""

import glob
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.chaos import MANY_SIZES
from transforms.storage.faults import LOSE_BUNDLE_ONCE
from schemas import TABLES
from transforms.storage.views import connect
from transforms.storage.runs import manifests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENTRIES = MANY_SIZES[0]   # ~600 small generated articles
ATTEMPTS = 4


def command(feed_url: str, output: str) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", "run", "--feeds", feed_url, "--output", output,
            "--allow_private_hosts", "--per_host_delay=0", "--fetch_threads=32"]


def env() -> dict:
    return {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}


def first_write(output: str) -> str | None:
    """The first data file a run is writing (not committed before the run's end)."""
    for table in TABLES:
        for directory, _, names in os.walk(os.path.join(output, table)):
            for name in names:
                if name.startswith("part-") and name.endswith(".parquet"):
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


def visible_rows(output: str) -> dict[str, int]:
    """Rows each table shows a Delta reader (DuckDB's delta_scan)."""
    con = connect(output)
    return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


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
    assert manifests(crashed["output"]) == [], "a killed run must not look complete"


def test_nothing_of_a_killed_run_is_visible(crashed):
    assert os.path.exists(crashed["seen"])   # its files are there, uncommitted
    assert visible_rows(crashed["output"]) == {table: 0 for table in TABLES}


@pytest.fixture(scope="module")
def rerun(crashed):
    done = subprocess.run(command(crashed["feed_url"], crashed["output"]), cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=180)
    committed = manifests(crashed["output"])
    return {**crashed, "done": done, "manifest": committed[-1] if committed else None}


def test_rerun_after_a_kill_exits_0(rerun):
    assert rerun["done"].returncode == 0, rerun["done"].stderr[-2000:]


def test_rerun_after_a_kill_stores_every_article_exactly_once(rerun):
    con = connect(rerun["output"])
    total, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
    assert total == distinct == ENTRIES
    for table, key in (("quotes", "quote_id"), ("figures", "figure_id")):
        total, distinct = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {table}").fetchone()
        assert total == distinct and total > 0, table


def test_rerun_after_a_kill_accounts_for_every_entry_and_vacuum_deletes_the_killed_runs_files(rerun):
    manifest = rerun["manifest"]
    t = manifest["totals"]
    assert t["entries"] == ENTRIES == t["articles"] + t["duplicates"] + t["errors"]
    assert t["articles"] == ENTRIES
    for feed in manifest["feeds"]:
        assert feed["entries"] == feed["articles"] + feed["duplicates"] + feed["errors"]
    killed_run = os.path.basename(rerun["seen"]).split("-")[1]
    assert killed_run != manifest["run_id"]
    assert connect(rerun["output"]).execute("SELECT count(*) FROM articles WHERE run_id = ?",
                                            [killed_run]).fetchone() == (0,)
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "compact", rerun["output"], "--retention_hours", "0"],
                          cwd=ROOT, env=env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    left = [p for table in TABLES for p in glob.glob(f"{rerun['output']}/{table}/date=*/part-{killed_run}-*")]
    assert left == []
    assert connect(rerun["output"]).execute("SELECT count(*) FROM articles").fetchone() == (ENTRIES,)


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
    assert manifests(output) == [] and visible_rows(output) == {table: 0 for table in TABLES}


def test_a_run_failed_after_writing_files_and_rerun_with_its_id_commits_each_row_once(site, tmp_path, monkeypatch):
    """On the FnApiRunner a bundle that fails after writing its files fails the run (it has no
    bundle retries: the bundle retry itself is tested on Flink, tests/test_runners.py); the run is
    rerun whole with the same --run_id, as a scheduler retries a job. The first attempt's files are
    on disk but never committed; the rerun writes files of its own and commits every row once."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch
    from tests.test_pipeline import FEEDS, LOCAL
    monkeypatch.setenv(LOSE_BUNDLE_ONCE, str(tmp_path / "lost-once"))
    output = str(tmp_path / "out")
    options = PipelineOptions(["--output", output, "--run_id", "retried", *LOCAL])
    feeds = [site.base + path for path in FEEDS]
    with pytest.raises(Exception, match="lost after writing its files"):
        batch.run(options, feeds)
    written_by_the_failed_attempt = glob.glob(f"{output}/articles/date=*/part-retried-*.parquet")
    assert written_by_the_failed_attempt and manifests(output) == []
    assert visible_rows(output)["articles"] == 0
    manifest = batch.run(options, feeds)
    con = connect(output)
    total, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
    assert total == distinct == manifest["totals"]["articles"] > 0
    committed = {os.path.basename(path) for (path,) in con.execute(
        "SELECT DISTINCT filename FROM delta_scan(?, filename = true)", [f"{output}/articles"]).fetchall()}
    assert committed and not committed & {os.path.basename(p) for p in written_by_the_failed_attempt}
    for table, key in (("quotes", "quote_id"), ("figures", "figure_id"), ("errors", "error_id")):
        total, distinct = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {table}").fetchone()
        assert total == distinct == manifest["rows"][table], table
    assert [m["run_id"] for m in manifests(output)] == ["retried"]


def race_two_runs(feed: str, output: str, environment: dict, writing=None) -> None:
    """Two `newsbeam run`s of `feed` into `output` that certainly overlap: the first is frozen
    (SIGSTOP) the moment it writes its first data file (`writing(output)` says so; local files by
    default), holding the lease mid-run; the second, run
    meanwhile, must refuse cleanly (exit 1, one line) and write nothing; the first, thawed, finishes
    and commits its run."""
    writing = writing or first_write
    if "://" not in output:
        os.makedirs(output, exist_ok=True)
    first = subprocess.Popen(command(feed, output), cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not writing(output):
            assert first.poll() is None and time.monotonic() < deadline, "the first run never wrote a file"
            time.sleep(0.001)
        os.killpg(first.pid, signal.SIGSTOP)
        second = subprocess.run(command(feed, output), cwd=ROOT, env=environment, capture_output=True, text=True,
                                timeout=300)
        assert second.returncode == 1, second.stderr[-2000:]
        assert "being written by another newsbeam run" in second.stderr, second.stderr
        assert len(second.stderr.strip().splitlines()) == 1, second.stderr
        assert manifests(output) == []
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert first.wait(timeout=300) == 0, first.stderr.read()[-2000:]
    assert len(manifests(output)) == 1


def test_two_runs_into_one_directory_at_once_commit_each_article_once(chaos, tmp_path):
    """A second `newsbeam run` started on a DIR while the first is mid-run refuses cleanly (exit 1,
    one line); the first commits every article once."""
    output = str(tmp_path / "out")
    race_two_runs(chaos.url(f"/feeds/many-{ENTRIES}.xml"), output, env())
    total, distinct = connect(output).execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
    assert total == distinct == ENTRIES


PART = 200


def test_a_run_stopped_between_its_commits_keeps_them_and_the_same_command_goes_on(chaos, tmp_path):
    """--commit_every: a backfill of 600 new entries commits 200 at a time. SIGKILLed once its first
    commit is visible, it keeps those 200 articles (whole: quotes and figures with them) and the 400
    entries it deferred; the same command then ingests just those (the feed's entries are the
    duplicates of a rerun), each article once, and leaves nothing deferred."""
    output = str(tmp_path / "out")
    feed = chaos.url(f"/feeds/many-{ENTRIES}.xml")
    run = command(feed, output) + [f"--commit_every={PART}"]
    proc = subprocess.Popen(run, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while not (os.path.exists(os.path.join(output, "_runs", "_delta_log")) and manifests(output)):
            assert proc.poll() is None, "the run ended before its first commit was seen"
            assert time.monotonic() < deadline, "no commit within 180 s"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    kept = manifests(output)
    first = kept[0]["totals"]
    assert first["articles"] == PART and first["deferred"] == ENTRIES - PART, first
    assert first["entries"] == first["articles"] + first["duplicates"] + first["errors"] + first["deferred"]
    seen = visible_rows(output)["articles"]
    assert PART <= seen < ENTRIES, "the kill came after the last commit: nothing was left to go on with"

    mark = chaos.mark()
    done = subprocess.run(run, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    con = connect(output)
    total, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
    assert total == distinct == ENTRIES
    # Only the pages not yet committed were fetched again.
    fetched = [p for p in chaos.paths_since(mark) if p.startswith("/many/")]
    assert len(fetched) == ENTRIES - seen and len(set(fetched)) == len(fetched)
    commits = con.execute("SELECT run_id, articles FROM runs ORDER BY finished_at").fetchall()
    assert all(articles <= 2 * PART for _, articles in commits), commits
    assert not glob.glob(os.path.join(output, "_deferred", "*"))
    assert "committed in" in done.stdout and f"{ENTRIES - seen} new articles" in done.stdout, done.stdout


def test_one_run_with_commit_every_commits_in_parts_and_reports_the_run_as_one(chaos, tmp_path):
    """600 new entries with --commit_every 400: the first commit takes 400, the deferred 200 come in
    a part of their own; the summary counts the run once (entries = articles, nothing deferred)."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch
    output = str(tmp_path / "out")
    options = PipelineOptions(["--output", output, "--allow_private_hosts", "--per_host_delay=0",
                               "--commit_every=400"])
    whole = batch.run(options, [chaos.url(f"/feeds/many-{ENTRIES}.xml")])
    parts = manifests(output)
    assert len(parts) == 2 and whole["commits"] == [p["run_id"] for p in parts]
    assert parts[0]["run_id"] == whole["run_id"] and parts[0]["totals"]["articles"] == 400
    assert all(p["part_of"] == whole["run_id"] for p in parts[1:])
    assert sum(p["totals"]["articles"] for p in parts) == ENTRIES
    t = whole["totals"]
    assert (t["entries"], t["articles"], t["deferred"]) == (ENTRIES, ENTRIES, 0)
    (feed,) = whole["feeds"]
    assert feed["entries"] == feed["articles"] == ENTRIES
    assert visible_rows(output)["articles"] == ENTRIES
