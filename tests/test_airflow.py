"""Scheduling, for real: the Airflow DAG run by Airflow against the local Flink cluster, the systemd
units checked by systemd-analyze, the Kubernetes manifests against Kubernetes' schemas.

Slow (`make test-cluster`): `make airflow` installs Apache Airflow and its Beam provider (PyPI) in a
venv of their own ($NEWSBEAM_CACHE/airflow-venv) and `make test-cluster` sets NEWSBEAM_AIRFLOW to
its `airflow`; the Flink variables come from deploy/flink/flink.sh (tests/test_runners.py).
`airflow dags test` runs the DAG deploy/airflow/newsbeam_dag.py twice, for two scheduled hours:
each is a `newsbeam run` on Flink through the Beam provider's BeamRunPythonPipelineOperator, the
second incremental, each holding the dataset's lease.
"""

import glob
import json
import re
import os
import shutil
import subprocess
import sys

import pytest

from tests.test_runners import FEEDS, _flink, _flink_jobs
from transforms.storage.lease import current_lease
from transforms.storage.runs import manifests

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")


def airflow_binary() -> str:
    path = os.environ.get("NEWSBEAM_AIRFLOW")
    if not path:
        pytest.skip("no Airflow: NEWSBEAM_AIRFLOW is unset (`make airflow` installs it, `make test-cluster` sets it)")
    assert os.access(path, os.X_OK), f"NEWSBEAM_AIRFLOW={path} is not an executable file"
    return path


def test_the_airflow_dag_runs_newsbeam_on_flink_twice_the_second_incremental(site, tmp_path):
    airflow = airflow_binary()
    master, env = _flink()
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("".join(site.base + path + "\n" for path in FEEDS))
    output = tmp_path / "dataset"
    extra = {"flink_master": master, "flink_version": env["version"], "flink_job_server_jar": env["job_server_jar"],
             "environment_type": "EXTERNAL", "environment_config": env["worker_pool"], "parallelism": 2,
             "allow_private_hosts": True, "per_host_delay": 0, "retry_base_delay": 0.01}
    home = tmp_path / "airflow"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")},
        "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": os.path.join(DEPLOY, "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "AIRFLOW_VAR_NEWSBEAM_FEEDS": str(feeds), "AIRFLOW_VAR_NEWSBEAM_OUTPUT": str(output),
        "NEWSBEAM_PYTHON": sys.executable, "NEWSBEAM_RUNNER": "FlinkRunner",
        "NEWSBEAM_EXTRA_OPTIONS": json.dumps(extra), "PYTHONPATH": ROOT,
    }
    migrated = subprocess.run([airflow, "db", "migrate"], env=environment, capture_output=True, text=True,
                              timeout=600)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    before = set(_flink_jobs(master))
    generations = []
    for hour in ("2026-11-20T07:07:00+00:00", "2026-11-20T08:07:00+00:00"):
        done = subprocess.run([airflow, "dags", "test", "newsbeam_ingest", hour], env=environment, cwd=tmp_path,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0 and "success" in (done.stdout + done.stderr).lower(), \
            (done.stdout + done.stderr)[-6000:]
        generations.append(current_lease(str(output)))
    runs = manifests(str(output))
    assert [m["run_id"] for m in runs] == ["airflow_20261120T070700_1", "airflow_20261120T080700_1"], runs
    first, second = runs
    assert first["runner"] == second["runner"] == "FlinkRunner"
    assert first["totals"]["articles"] == 4
    assert second["totals"]["articles"] == 0   # incremental: what the first ingested is a duplicate now
    assert second["totals"]["duplicates"] == first["totals"]["articles"] + first["totals"]["duplicates"]
    # Each run took the lease (a new generation) and gave it back when it ended.
    assert [lease["generation"] for lease in generations] == [1, 2], generations
    assert all(lease["holder"] is None and lease["purpose"] == "run" for lease in generations), generations
    new_jobs = [job for jid, job in _flink_jobs(master).items() if jid not in before]
    assert len(new_jobs) == 2 and all(job["state"] == "FINISHED" for job in new_jobs), new_jobs


# ----------------------------------------------------------------------------------------- systemd

def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """systemd's own check of the timer, the batch service and the stream service, with the install
    paths of the units pointed at this checkout's newsbeam and Prism (verify checks that ExecStart's
    program exists); an unknown key, a bad calendar or a bad setting fails it."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed (apt-get install systemd)")
    newsbeam = os.path.join(os.path.dirname(sys.executable), "newsbeam")
    units = []
    for path in sorted(glob.glob(os.path.join(DEPLOY, "systemd", "*"))):
        text = open(path).read().replace("/opt/newsbeam/bin/newsbeam", newsbeam) \
            .replace("/opt/newsbeam/bin/prism", sys.executable)
        unit = tmp_path / os.path.basename(path)
        unit.write_text(text)
        units.append(str(unit))
    assert {os.path.basename(u) for u in units} >= {"newsbeam.service", "newsbeam.timer", "newsbeam-stream.service"}
    done = subprocess.run([analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                if "Unknown key" in line or "Failed to parse" in line or "bad unit" in line.lower()]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


# -------------------------------------------------------------------------------------- Kubernetes

def test_the_kubernetes_manifests_match_the_kubernetes_schemas(tmp_path):
    """Every object of deploy/k8s/*.yaml against the JSON schemas of Kubernetes 1.33, strict (a
    misspelt or misplaced field fails), by kubernetes-validate (PyPI; it ships the schemas, so
    nothing is downloaded at test time; `make airflow` installs it in the Airflow venv). The
    FlinkDeployment is a custom resource of the Flink operator, whose schema no package here ships:
    it is checked for the fields the operator requires, and a checkpoint directory."""
    import yaml
    validator = os.path.join(os.path.dirname(airflow_binary()), "kubernetes-validate")
    assert os.access(validator, os.X_OK), f"no {validator}: make airflow installs it"
    checked, standard = [], []
    docs = open(os.path.join(ROOT, "docs", "continuous.md")).read()   # its stream Deployment
    sources = [(os.path.basename(p), open(p).read()) for p in sorted(glob.glob(os.path.join(DEPLOY, "k8s", "*.yaml")))]
    sources += [("docs/continuous.md", block) for block in re.findall(r"```yaml\n(.*?)```", docs, re.S)]
    for path, text in sources:
        for document in yaml.safe_load_all(text):
            if not document:
                continue
            name = f"{os.path.basename(path)}: {document['kind']} {document['metadata']['name']}"
            if document["kind"] == "FlinkDeployment":
                spec = document["spec"]
                assert document["apiVersion"] == "flink.apache.org/v1beta1", name
                assert {"image", "flinkVersion", "jobManager", "taskManager"} <= set(spec), name
                assert spec["flinkConfiguration"]["state.checkpoints.dir"].startswith(("file://", "s3://", "gs://"))
            else:
                one = tmp_path / f"{len(standard)}.yaml"
                one.write_text(yaml.safe_dump(document))
                standard.append(str(one))
            checked.append(name)
    done = subprocess.run([validator, "--strict", "-k", "1.33", "--no-warn", *standard], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(" passed for resource ") == len(standard), done.stdout
    assert any("Deployment newsbeam-stream" in c for c in checked) and any("CronJob" in c for c in checked), checked
