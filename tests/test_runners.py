"""The batch pipeline on real runners: a local Apache Flink cluster and Prism, each compared row by
row (read back with DuckDB) with the FnApiRunner, the DirectRunner's own offline path.

Slow, and skipped unless the runners are there: `make test-cluster` fetches, builds and starts them
and sets the variables below (deploy/flink/README.md).

    NEWSBEAM_FLINK_MASTER          Flink REST address, e.g. 127.0.0.1:8081
    NEWSBEAM_FLINK_VERSION         e.g. 1.19
    NEWSBEAM_FLINK_JOB_SERVER_JAR  the Beam Flink job server jar
    NEWSBEAM_FLINK_WORKER_POOL     the Beam Python worker pool, e.g. 127.0.0.1:50000
    NEWSBEAM_PRISM                 a prism binary (make prism)

Every run goes through the `newsbeam run` command in a subprocess, with a time limit: the runner
options reach Beam as they are, and a hung job fails the test instead of hanging CI.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from transforms.storage.faults import LOSE_BUNDLE_ONCE
from transforms.storage.views import connect
from transforms.storage.runs import manifests

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWSBEAM = [sys.executable, "-m", "pipelines.cli", "run"]
FEEDS = ("/feeds/local.xml", "/feeds/regional.atom", "/feeds/malformed.xml", "/feeds/empty.xml",
         "/feeds/not-a-feed.html", "/feeds/server-error.xml", "/feeds/absent.xml", "/feeds/garbage.xml")
LOCAL = ("--allow_private_hosts", "--per_host_delay=0", "--retry_base_delay=0.01")
FLINK_TIMEOUT = 300   # a Flink job takes about a minute; its workers dying leaves it RUNNING forever
LOCAL_TIMEOUT = 300

# What must match between runners: every row, without the run id and the clock (fetched_at,
# occurred_at, and error_id, which hashes the run id). Long text columns are compared as md5.
SNAPSHOT = {
    "articles": "article_id, date::VARCHAR, url, canonical_url, feed_url, source, title, authors, "
                "published_at, language, description, tags, md5(text), word_count, content_hash, "
                "body_source, http_status",
    "quotes": "quote_id, article_id, date::VARCHAR, text, speaker, speaker_title, speaker_start, speaker_end, "
              "cue, kind, start, \"end\", md5(sentence), confidence",
    "figures": "figure_id, article_id, date::VARCHAR, raw, start, \"end\", value, low, high, kind, unit, "
               "object, qualifier, approximate, change, md5(sentence)",
    "errors": "stage, url, feed_url, error_kind, http_status, input",
}


def newsbeam_run(site, output, *options, timeout=LOCAL_TIMEOUT):
    """`newsbeam run` on the fixture feeds into `output`; returns (manifest, stderr)."""
    args = [*NEWSBEAM, "--feeds", *(site.base + path for path in FEEDS), "--output", str(output), *LOCAL, *options]
    earlier = {m["run_id"] for m in manifests(str(output))}
    # Its own session, so a timeout also stops what it started (a job server, SDK workers).
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"newsbeam run {' '.join(options)} did not finish in {timeout}s\n{stderr[-3000:]}")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything it left behind
        except ProcessLookupError:
            pass
    assert process.returncode == 0, f"exit {process.returncode}\n{stdout}\n{stderr[-5000:]}"
    new = [m for m in manifests(str(output)) if m["run_id"] not in earlier]
    assert len(new) == 1, [m["run_id"] for m in new]
    return new[0], stderr


def snapshot(output, manifest: dict) -> dict:
    """Every table's rows (sorted, run-independent columns) and the run manifest's counts."""
    con = connect(str(output))   # committed rows only: a retried bundle's first files would show in a glob
    tables = {table: sorted(con.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
              for table, columns in SNAPSHOT.items()}
    feeds = sorted((f["feed_url"], f["status"], f["http_status"], f["error_kind"], f["entries"], f["articles"],
                    f["duplicates"], f["errors"]) for f in manifest["feeds"])
    return {**tables, "totals": manifest["totals"], "rows": manifest["rows"], "feeds": feeds}


def assert_same(actual: dict, expected: dict, runner: str):
    for key in expected:
        if actual[key] == expected[key]:
            continue
        lines = [f"{runner}: {key} differ from the FnApiRunner's"]
        if isinstance(expected[key], list):  # name the rows and the columns that differ
            only_here = [row for row in actual[key] if row not in expected[key]]
            only_there = [row for row in expected[key] if row not in actual[key]]
            for mine, theirs in zip(only_here, only_there):
                lines.append(f"  row {mine[0]!r}: " + "; ".join(
                    f"column {i}: {a!r} != {b!r}" for i, (a, b) in enumerate(zip(mine, theirs)) if a != b))
            lines += [f"  only on {runner}: {row!r}" for row in only_here[len(only_there):]]
            lines += [f"  only on the FnApiRunner: {row!r}" for row in only_there[len(only_here):]]
        else:
            lines.append(f"  {actual[key]!r} != {expected[key]!r}")
        pytest.fail("\n".join(lines))


@pytest.fixture(scope="module")
def reference(site, tmp_path_factory):
    """The FnApiRunner (what the DirectRunner runs offline) on the fixture feeds."""
    output = tmp_path_factory.mktemp("fnapi")
    manifest, _ = newsbeam_run(site, output, "--runner=FnApiRunner")
    expected = snapshot(output, manifest)
    # The fixture site exercises every table and every kind of outcome.
    assert manifest["totals"]["articles"] == 4 and manifest["totals"]["errors"] == 3
    assert all(expected[table] for table in ("articles", "quotes", "figures", "errors"))
    return expected


# ----------------------------------------------------------------------------------------- Flink

def _flink():
    master = os.environ.get("NEWSBEAM_FLINK_MASTER")
    if not master:
        pytest.skip("no Flink cluster: NEWSBEAM_FLINK_MASTER is unset (`make test-cluster` starts one and sets it)")
    env = {name: os.environ.get(f"NEWSBEAM_FLINK_{name.upper()}")
           for name in ("version", "job_server_jar", "worker_pool")}
    missing = [f"NEWSBEAM_FLINK_{name.upper()}" for name, value in env.items() if not value]
    assert not missing, f"NEWSBEAM_FLINK_MASTER is set but {', '.join(missing)} not (see deploy/flink/README.md)"
    assert os.path.isfile(env["job_server_jar"]), f"NEWSBEAM_FLINK_JOB_SERVER_JAR: no file {env['job_server_jar']}"
    try:
        overview = _rest(master, "/overview")
    except OSError as exc:
        pytest.fail(f"NEWSBEAM_FLINK_MASTER={master}: Flink's REST API does not answer ({exc}); "
                    "is the cluster up? (make flink-up)")
    assert overview["slots-available"] >= 1, f"no free task slot on {master}: {overview}"
    host, port = env["worker_pool"].rsplit(":", 1)
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((host, int(port))) == 0, f"no Beam worker pool on {env['worker_pool']} (make flink-up)"
    return master, env


def _rest(master, path, method="GET"):
    request = urllib.request.Request(f"http://{master}{path}", method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def _flink_jobs(master) -> dict:
    return {job["jid"]: job for job in _rest(master, "/jobs/overview")["jobs"]}


@pytest.fixture(scope="module")
def flink():
    master, env = _flink()
    return master, [
        "--runner=FlinkRunner", f"--flink_master={master}", f"--flink_version={env['version']}",
        f"--flink_job_server_jar={env['job_server_jar']}",
        "--environment_type=EXTERNAL", f"--environment_config={env['worker_pool']}",
        "--parallelism=2",  # both task slots: the shuffles cross subtasks, as on a real cluster
    ]


def run_on_flink(site, output, master, options):
    """`newsbeam run` on Flink; returns (manifest, the Flink job that ran it, stderr). Jobs it started
    are cancelled if it fails or hangs."""
    before = set(_flink_jobs(master))

    def cancel_new_jobs():
        # A submission in flight when the launcher was killed may still land: watch for a while.
        deadline = time.monotonic() + 15
        while True:
            for jid, job in _flink_jobs(master).items():
                if jid not in before and job["state"] not in ("FINISHED", "FAILED", "CANCELED", "CANCELLING"):
                    _rest(master, f"/jobs/{jid}?mode=cancel", method="PATCH")
            if time.monotonic() > deadline:
                return
            time.sleep(1)

    try:
        manifest, stderr = newsbeam_run(site, output, *options, timeout=FLINK_TIMEOUT)
    except BaseException:
        cancel_new_jobs()
        raise
    new = [job for jid, job in _flink_jobs(master).items() if jid not in before]
    assert len(new) == 1, f"expected one new Flink job, got {new}"
    return manifest, new[0], stderr


def test_flink_writes_the_same_rows_as_the_direct_runner(flink, site, reference, tmp_path):
    master, options = flink
    started = time.monotonic()
    manifest, job, stderr = run_on_flink(site, tmp_path / "flink", master, options)
    assert job["state"] == "FINISHED" and job["name"].startswith("BeamApp"), job
    assert manifest["runner"] == "FlinkRunner"
    recorded = manifest["options"]  # as `newsbeam run` handed them to Beam
    for option in options:
        name, value = option[2:].split("=", 1)
        assert str(recorded.get(name)) == value, (name, recorded.get(name))
    assert_same(snapshot(tmp_path / "flink", manifest), reference, "FlinkRunner")
    print(f"Flink job {job['jid']}: {job['duration'] / 1000:.1f}s on the cluster, "
          f"{time.monotonic() - started:.1f}s in all")


def test_progress_on_flink_shows_the_clusters_counts_while_the_job_runs(flink, site, tmp_path):
    """Not a terminal: a plain line every second. The counts come from the running Flink job's
    Beam metrics (its REST API), stage by stage: the feeds' before the job ends."""
    master, options = flink
    manifest, job, stderr = run_on_flink(site, tmp_path / "flink", master, [*options, "--progress_interval=1"])
    assert job["state"] == "FINISHED", job
    lines = [line for line in stderr.splitlines() if line.startswith("newsbeam: ")]
    assert lines and "the cluster reports counts as its stages finish" in lines[0], lines[:3]
    feeds = len(FEEDS)
    assert any(line.startswith(f"newsbeam: feeds {feeds}/{feeds} |") for line in lines), lines[-5:]
    assert "\x1b" not in stderr


def test_flink_rerun_is_incremental(flink, site, reference, tmp_path):
    """The second run on Flink reads the dataset the first wrote: nothing is fetched or written twice."""
    master, options = flink
    output = tmp_path / "dataset"
    first = snapshot(output, newsbeam_run(site, output, "--runner=FnApiRunner")[0])
    seen_before = len(site.requests)
    manifest, job, stderr = run_on_flink(site, output, master, options)
    assert job["state"] == "FINISHED", job
    assert manifest["totals"]["articles"] == 0
    assert manifest["totals"]["duplicates"] == reference["totals"]["articles"] + reference["totals"]["duplicates"]
    refetched = {path for path in site.requests[seen_before:] if path.startswith("/news/")}
    assert refetched == {"/news/missing-story.html", "/news/server-error.html", "/news/no-body.html"}
    second = snapshot(output, manifest)
    for table in ("articles", "quotes", "figures"):
        assert second[table] == first[table], table


def test_flink_retries_a_bundle_lost_after_writing_its_files_and_commits_each_row_once(
        flink, site, reference, tmp_path, monkeypatch):
    """A bundle of the article writer fails once after writing its files (the seam in
    transforms/storage/faults.py); Flink restarts the failed tasks and the job finishes. The lost
    attempt's files are never committed (a retry with the same rows writes the same file names):
    the rows are exactly the FnApiRunner's."""
    master, options = flink
    marker, output = tmp_path / "lost-once", tmp_path / "flink"
    monkeypatch.setenv(LOSE_BUNDLE_ONCE, str(marker))
    manifest, job, stderr = run_on_flink(site, output, master, options)
    assert marker.exists(), "no bundle was lost"
    assert job["state"] == "FINISHED", job
    history = _rest(master, f"/jobs/{job['jid']}/exceptions")["exceptionHistory"]["entries"]
    assert any(LOSE_BUNDLE_ONCE in entry["stacktrace"] for entry in history), history
    assert_same(snapshot(output, manifest), reference, "FlinkRunner after a lost bundle")


# ----------------------------------------------------------------------------------------- Prism

@pytest.fixture(scope="module")
def prism():
    path = os.environ.get("NEWSBEAM_PRISM")
    if not path:
        pytest.skip("no Prism: NEWSBEAM_PRISM is unset (`make prism` builds the binary, `make test-cluster` sets it)")
    assert os.access(path, os.X_OK), f"NEWSBEAM_PRISM={path} is not an executable file"
    return path


def test_prism_runner_writes_the_same_rows_as_the_fnapi_runner(prism, site, reference, tmp_path):
    manifest, _ = newsbeam_run(site, tmp_path / "prism", "--runner=PrismRunner", f"--prism_location={prism}")
    assert manifest["runner"] == "PrismRunner" and manifest["options"]["prism_location"] == prism
    assert_same(snapshot(tmp_path / "prism", manifest), reference, "PrismRunner")


def test_direct_runner_given_prism_runs_on_prism_with_the_same_rows(prism, site, reference, tmp_path):
    manifest, stderr = newsbeam_run(site, tmp_path / "direct", f"--prism_location={prism}", "--verbose")
    assert "Running pipeline with PrismRunner" in stderr
    assert "falling back" not in stderr.lower(), stderr[-3000:]
    assert_same(snapshot(tmp_path / "direct", manifest), reference, "DirectRunner on Prism")


def test_direct_runner_by_default_writes_the_same_rows(site, reference, tmp_path):
    """Without --prism_location the DirectRunner tries to download Prism; offline it falls back to
    the FnApiRunner. Either way: the same rows."""
    manifest, stderr = newsbeam_run(site, tmp_path / "default", "--verbose")
    on_prism = "Running pipeline with PrismRunner" in stderr and "falling back" not in stderr.lower()
    print("the default DirectRunner ran on", "Prism" if on_prism else "the FnApiRunner")
    assert_same(snapshot(tmp_path / "default", manifest), reference, "DirectRunner")


def test_ctrl_c_on_a_flink_run_cancels_the_job_frees_the_lease_and_shows_nothing(flink, site, tmp_path):
    """Issue 29: SIGINT to `newsbeam run --runner FlinkRunner` while its job runs (its pages answer
    slowly, so the job is mid-run) cancels the Flink job before the launcher lets go of the lease:
    the job ends CANCELED, the lease is free, and nothing of the run is visible."""
    from pipelines.site import serve
    from tests.conftest import FIXTURE_SITE
    from tests.test_stream import Newsroom
    from transforms.storage.lease import current_lease
    master, options = flink
    room = Newsroom(4)
    room.publish_all()
    slow = {}
    for n in range(4):
        page = room.routes()[room.path(n)]
        slow[room.path(n)] = lambda handler, page=page: (time.sleep(30), page(handler))
    output = tmp_path / "interrupted"
    before = set(_flink_jobs(master))
    with serve(FIXTURE_SITE, {**room.routes(), **slow}) as slow_site:
        process = subprocess.Popen(
            [*NEWSBEAM, "--feeds", slow_site.base + room.FEED, "--output", str(output), *LOCAL, *options],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + FLINK_TIMEOUT
            while slow_site.count("/live/") == 0:   # the job is fetching pages: mid-run
                assert time.monotonic() < deadline and process.poll() is None, "the job never fetched a page"
                time.sleep(0.5)
            jobs = [jid for jid, job in _flink_jobs(master).items() if jid not in before]
            assert len(jobs) == 1 and _flink_jobs(master)[jobs[0]]["state"] == "RUNNING", jobs
            holder = current_lease(str(output))["holder"]
            assert holder, "the run does not hold the lease"
            os.kill(process.pid, signal.SIGINT)
            out, err = process.communicate(timeout=120)
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert process.returncode != 0, out
    job = _flink_jobs(master)[jobs[0]]
    assert job["state"] == "CANCELED", job
    lease = current_lease(str(output))
    assert lease["holder"] is None or lease["expires_at"] <= time.time(), lease
    assert manifests(str(output)) == []
    with connect(str(output)) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
