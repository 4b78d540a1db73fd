"""Airflow: an hourly newsbeam batch run with the Apache Beam provider's BeamRunPythonPipelineOperator.

Setup on the Airflow workers: `pip install apache-airflow-providers-apache-beam apache-airflow-providers-google`
(the Beam provider's operators need the Google provider installed, whatever the runner) and newsbeam itself
(`pip install newsbeam-0.1.0-py3-none-any.whl`, into the interpreter NEWSBEAM_PYTHON names, python3
by default); copy this file and newsbeam_launch.py into the dags folder.

Settings, read when a run starts (Jinja), so parsing this file touches no database:
  Variable newsbeam_feeds    a feed-list file on the worker (default /etc/newsbeam/feeds.txt)
  Variable newsbeam_output   the dataset directory (default /var/lib/newsbeam)
Read when the file is parsed, from the scheduler's and workers' environment:
  NEWSBEAM_RUNNER            DirectRunner (default), PortableRunner, FlinkRunner, SparkRunner, DataflowRunner
  NEWSBEAM_EXTRA_OPTIONS     a JSON object of more pipeline options for that runner (see deploy/README.md)
"""

import datetime as dt
import json
import os

from airflow import DAG
from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.environ.get("NEWSBEAM_RUNNER", "DirectRunner")
EXTRA_OPTIONS = json.loads(os.environ.get("NEWSBEAM_EXTRA_OPTIONS") or "{}")

with DAG(
    dag_id="newsbeam_ingest",
    description="newsbeam run: poll the feeds, ingest new articles, extract quotes and figures",
    schedule="7 * * * *",
    start_date=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,       # a run polls the feeds as they are now: past hours can't be replayed
    max_active_runs=1,   # never two runs on one dataset at once
    default_args={"retries": 1, "retry_delay": dt.timedelta(minutes=5)},
    tags=["newsbeam"],
) as dag:
    ingest = BeamRunPythonPipelineOperator(
        task_id="newsbeam_run",
        runner=RUNNER,
        py_file=os.path.join(HERE, "newsbeam_launch.py"),
        py_interpreter=os.environ.get("NEWSBEAM_PYTHON", "python3"),
        # One value per option: the operator turns a list into repeated --key=value flags, and of a
        # repeated --feeds only the last counts, so pass a feed-list file (or a single URL).
        pipeline_options={
            "feeds": "{{ var.value.get('newsbeam_feeds', '/etc/newsbeam/feeds.txt') }}",
            "output": "{{ var.value.get('newsbeam_output', '/var/lib/newsbeam') }}",
            # Letters, digits and _ only; a retry gets its own id (nothing of the failed try is visible).
            "run_id": "airflow_{{ ts_nodash }}_{{ ti.try_number }}",
            **EXTRA_OPTIONS,
        },
        execution_timeout=dt.timedelta(minutes=50),
    )
