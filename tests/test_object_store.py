"""The dataset on an object store: a real S3-compatible server (moto in server mode) on 127.0.0.1,
written by real runs; commits, incremental runs and the lease work there as on a local disk."""

import logging
import multiprocessing
import os
import socket
import subprocess
import sys

import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pytest

from tests.test_crash import ENTRIES, ROOT, env, race_two_runs
from transforms.storage.layout import article_files
from transforms.storage.views import connect
from transforms.storage.runs import manifests

BUCKET = "newsbeam-test"


@pytest.fixture(scope="module")
def s3():
    """moto's S3 server on a free port; the AWS_* variables point pyarrow, delta-rs and boto3 at it."""
    from moto.server import ThreadedMotoServer
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    settings = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_EC2_METADATA_DISABLED": "true"}
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        import boto3
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield settings
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.stop()


def article_ids(output: str) -> list[str]:
    files = article_files(output)
    fs, _ = pafs.FileSystem.from_uri(files[0])
    paths = [f.split("://", 1)[1] for f in files]
    return pads.dataset(paths, format="parquet", filesystem=fs).to_table(columns=["article_id"]) \
        .column("article_id").to_pylist()


def test_a_run_into_s3_commits_each_article_once_and_a_rerun_adds_nothing(site, s3):
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch
    from tests.test_pipeline import FEEDS, LOCAL
    output = f"s3://{BUCKET}/incremental"
    feeds = [site.base + path for path in FEEDS]
    first = batch.run(PipelineOptions(["--output", output, *LOCAL]), feeds)
    ids = article_ids(output)
    assert len(ids) == len(set(ids)) == first["totals"]["articles"] > 0
    seen = len(site.requests)
    second = batch.run(PipelineOptions(["--output", output, *LOCAL]), feeds)
    assert second["totals"]["articles"] == 0
    refetched = {path for path in site.requests[seen:] if path.startswith("/news/")}
    assert refetched == {"/news/missing-story.html", "/news/server-error.html", "/news/no-body.html"}
    assert sorted(article_ids(output)) == sorted(ids)
    assert [m["run_id"] for m in manifests(output)] == [first["run_id"], second["run_id"]]
    query = subprocess.run([sys.executable, "-m", "pipelines.cli", "query", "--dataset", output, "--format", "csv",
                            "SELECT count(*) AS n, count(DISTINCT article_id) AS ids FROM articles "
                            "JOIN quotes USING (article_id)"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert query.returncode == 0, query.stderr
    con = connect(output)
    assert query.stdout.split() == ["n,ids", ",".join(map(str, con.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM articles JOIN quotes USING (article_id)").fetchone()))]
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ids)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def writing_on_s3(output: str) -> bool:
    """Whether a run has written a data file under the s3:// `output` yet."""
    import boto3
    bucket, prefix = output.removeprefix("s3://").split("/", 1)
    listed = boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix + "/")
    return any("/part-" in item["Key"] for item in listed.get("Contents", []))


def test_two_runs_into_one_s3_prefix_at_once_commit_each_article_once(chaos, s3):
    output = f"s3://{BUCKET}/concurrent"
    race_two_runs(chaos.url(f"/feeds/many-{ENTRIES}.xml"), output, {**env(), **s3}, writing=writing_on_s3)
    ids = article_ids(output)
    assert len(ids) == len(set(ids)) == ENTRIES


def _take(output, barrier, results):
    from transforms.storage.lease import DatasetBusy, Lease
    lease = Lease(output, "run")
    barrier.wait()
    try:
        lease.acquire()
        results.put("held")
    except DatasetBusy:
        results.put("refused")


@pytest.mark.parametrize("existing", [False, True], ids=["new lease table", "free lease"])
def test_of_three_writers_racing_for_the_s3_lease_exactly_one_wins(s3, existing):
    from transforms.storage.lease import Lease
    output = f"s3://{BUCKET}/race-{existing}"
    if existing:
        with Lease(output, "run"):
            pass
    context = multiprocessing.get_context("spawn")   # delta-rs' runtime does not survive a fork
    barrier, results = context.Barrier(3), context.Queue()
    racers = [context.Process(target=_take, args=(output, barrier, results)) for _ in range(3)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert sorted(results.get(timeout=5) for _ in racers) == ["held", "refused", "refused"]
