"""The deployment side: cluster runners' graphs (built, never submitted), the installable package the
workers get, pickling without the main session, and the files under deploy/ (Dockerfile, Flex
Template metadata, Kubernetes, Airflow, systemd, cron)."""

import ast
import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import apache_beam as beam
import pytest
import yaml
from apache_beam.internal import pickler
from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions
from apache_beam.portability import common_urns, python_urns
from apache_beam.portability.api import beam_runner_api_pb2

from pipelines import batch
from pipelines.options import NewsbeamOptions, unknown_options
from transforms.sources.polling import feed_request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
FEED = "https://news.example.org/feed.xml"

# The stages of the batch graph, by the names a runner's UI shows.
STAGES = ["FeedRequests", "FetchFeeds", "RetryEntries", "AllEntries", "DropDuplicates", "FetchPages",
          "ExtractArticles", "ExtractQuotes", "ExtractFigures", "WriteArticles", "WriteQuotes", "WriteFigures",
          "WriteErrors", "Commit"]

DATAFLOW_ARGS = ["--runner=DataflowRunner", "--project=newsbeam-test", "--region=us-central1",
                 "--temp_location=gs://newsbeam-test-bucket/tmp", "--staging_location=gs://newsbeam-test-bucket/staging",
                 "--sdk_container_image=us-central1-docker.pkg.dev/newsbeam-test/newsbeam/newsbeam:0.1.0"]
SPARK_ARGS = ["--runner=SparkRunner", "--spark_master_url=spark://spark-master:7077",
              "--environment_type=DOCKER", "--environment_config=newsbeam:0.1.0"]
PORTABLE_ARGS = ["--runner=PortableRunner", "--job_endpoint=localhost:8099",
                 "--environment_type=EXTERNAL", "--environment_config=localhost:50000"]


def deploy_path(*parts: str) -> str:
    return os.path.join(DEPLOY, *parts)


def build_graph(runner_args: list[str], output: str = "gs://newsbeam-test-bucket/newsbeam"):
    options = PipelineOptions([*runner_args, "--feeds", FEED, "--output", output])
    p = beam.Pipeline(options=options)
    header = batch.run_header(options, "r1", [FEED]) if hasattr(batch, "run_header") else {"run_id": "r1"}
    batch.build(p, [feed_request(FEED)], options.view_as(NewsbeamOptions), "r1", header,
                [{"feed_url": FEED, "link": "https://news.example.org/a"}])
    return p, options


@pytest.fixture(scope="module")
def portable_graph():
    return build_graph(PORTABLE_ARGS)


def stage_names(proto) -> set[str]:
    return {name.rsplit("/", 1)[-1] for t in proto.components.transforms.values() for name in [t.unique_name]}


def pickled_dofns(proto):
    """(name, ParDoPayload) of every ParDo whose DoFn is pickled Python (not a runner-known one)."""
    for transform in proto.components.transforms.values():
        if transform.spec.urn == common_urns.primitives.PAR_DO.urn:
            payload = beam_runner_api_pb2.ParDoPayload.FromString(transform.spec.payload)
            if payload.do_fn.urn == python_urns.PICKLED_DOFN_INFO:
                yield transform.unique_name, payload


def load_module(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in deploy/
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = write_bytecode
    return module


# --- the graph on cluster runners, constructed but never run -------------------------------------

def test_dataflow_graph_builds_without_gcp_extras():
    """DataflowRunner is importable without apache-beam[gcp]: the graph is constructed and
    serialised to the portable proto Dataflow receives. (Submitting it needs the extras.)"""
    p, _ = build_graph(DATAFLOW_ARGS)
    assert type(p.runner).__name__ == "DataflowRunner"
    proto = p.to_runner_api()
    assert set(STAGES) <= stage_names(proto)
    again = beam_runner_api_pb2.Pipeline.FromString(proto.SerializeToString())
    assert len(again.components.transforms) == len(proto.components.transforms)


@pytest.mark.parametrize("runner, urn, check", [
    ("spark", "beam:env:docker:v1",
     lambda payload: beam_runner_api_pb2.DockerPayload.FromString(payload).container_image == "newsbeam:0.1.0"),
    ("portable", "beam:env:external:v1",
     lambda payload: beam_runner_api_pb2.ExternalPayload.FromString(payload).endpoint.url == "localhost:50000"),
])
def test_portable_runner_graphs_carry_the_worker_environment(runner, urn, check, portable_graph):
    """SparkRunner and PortableRunner (Spark/Flink job servers): the proto they submit, with the SDK
    harness environment the deploy files configure (the newsbeam image, or the worker pool sidecar)."""
    p, options = build_graph(SPARK_ARGS) if runner == "spark" else portable_graph
    assert type(p.runner).__name__ == {"spark": "SparkRunner", "portable": "PortableRunner"}[runner]
    environment = p.runner.default_environment(options)
    proto = p.to_runner_api(default_environment=environment)
    assert set(STAGES) <= stage_names(proto)
    environments = list(proto.components.environments.values())
    assert [e.urn for e in environments] == [urn] and check(environments[0].payload)
    # Every ParDo runs in that environment.
    ids = {t.environment_id for t in proto.components.transforms.values()
           if t.spec.urn == common_urns.primitives.PAR_DO.urn}
    assert ids == set(proto.components.environments)


def test_flex_template_launcher_builds_the_batch_graph(tmp_path):
    launcher = load_module(deploy_path("dataflow", "main.py"), "newsbeam_flex_main")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# list\nhttps://b.example.org/rss\n")
    assert launcher.split_feeds([f"{FEED},{feeds}  https://c.example.org/atom"]) == [
        FEED, str(feeds), "https://c.example.org/atom"]
    assert launcher.feed_urls([FEED, str(feeds)], str(tmp_path)) == [FEED, "https://b.example.org/rss"]
    options = PipelineOptions([*DATAFLOW_ARGS, "--feeds", FEED, "--output", "gs://newsbeam-test-bucket/out"])
    p, run_id = launcher.build_pipeline(options, [FEED], run_id="flex1")
    assert run_id == "flex1" and type(p.runner).__name__ == "DataflowRunner"
    assert set(STAGES) - {"RetryEntries"} <= stage_names(p.to_runner_api())
    assert launcher.main(["--output", "gs://newsbeam-test-bucket/out"]) == 2  # no feeds: refused before any I/O


def test_flex_template_launcher_takes_the_lease_and_hands_it_to_the_job(tmp_path, site):
    """The launcher goes through the one launch sequence: refused while another writer holds the
    lease; otherwise it takes the next generation, hands it to the job (here the DirectRunner, which
    runs the whole job inside p.run()), whose commit checks it and then releases it."""
    from transforms.storage.lease import Lease, current_lease
    from transforms.storage.runs import manifests
    launcher = load_module(deploy_path("dataflow", "main.py"), "newsbeam_flex_main_lease")
    output = str(tmp_path / "out")
    argv = ["--feeds", f"{site.base}/feeds/local.xml", "--output", output, "--runner=DirectRunner",
            "--allow_private_hosts", "--per_host_delay=0", "--run_id=flexrun"]
    with Lease(output, "run") as held:
        assert launcher.main(argv) == 2   # DatasetBusy: refused, nothing written
        assert manifests(output) == [] and current_lease(output)["holder"] == held.holder
    assert launcher.main(argv) == 0
    (run,) = manifests(output)
    assert run["run_id"] == "flexrun" and run["totals"]["articles"] > 0
    lease = current_lease(output)
    assert lease["generation"] == 2 and lease["holder"] is None   # taken once by the test, once by the launcher; released by the job


# --- the code the workers run -----------------------------------------------------------------------

def test_no_main_session_needed_and_dofns_unpickle_in_a_fresh_interpreter(tmp_path, portable_graph):
    """Workers unpickle each DoFn from the proto with only the installed package: nothing lives in
    __main__, so --save_main_session is neither set nor needed."""
    from pipelines.cli import _pipeline_options
    options, _ = _pipeline_options(["--feeds", FEED, "--output", str(tmp_path)])
    assert not options.view_as(SetupOptions).save_main_session
    p, _ = portable_graph
    proto_file = tmp_path / "pipeline.pb"
    proto_file.write_bytes(p.to_runner_api().SerializeToString())
    script = (
        "import sys\n"
        "from apache_beam.internal import pickler\n"
        "from apache_beam.portability.api import beam_runner_api_pb2 as pb\n"
        "import apache_beam as beam\n"
        "proto = pb.Pipeline.FromString(open(sys.argv[1], 'rb').read())\n"
        "n = 0\n"
        "for t in proto.components.transforms.values():\n"
        "    if t.spec.urn == 'beam:transform:pardo:v1':\n"
        "        do_fn = pb.ParDoPayload.FromString(t.spec.payload).do_fn\n"
        "        if do_fn.urn != 'beam:dofn:pickled_python_info:v1':\n"
        "            continue\n"
        "        fn = pickler.loads(do_fn.payload)[0]\n"
        "        assert isinstance(fn, beam.DoFn), (t.unique_name, fn)\n"
        "        n += 1\n"
        "print(n, sorted({m for m in sys.modules if m.split('.')[0] in ('pipelines', 'transforms', 'schemas')}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", script, str(proto_file)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    count, modules = done.stdout.split(" ", 1)
    assert int(count) == sum(1 for _ in pickled_dofns(p.to_runner_api()))
    assert "transforms.ingest" in modules and "transforms.storage.files" in modules


def test_every_dofn_and_composite_pickles(portable_graph):
    import transforms.sources.polling
    import transforms.storage.commit
    import transforms.storage.files
    import transforms.enrich
    import transforms.ingest
    p, _ = portable_graph
    used, composites = set(), 0

    class Visit(beam.pipeline.PipelineVisitor):
        def enter_composite_transform(self, node):
            nonlocal composites
            if node.transform is not None and type(node.transform).__module__.split(".")[0] in ("transforms", "pipelines"):
                copy = pickler.loads(pickler.dumps(node.transform))
                assert type(copy) is type(node.transform)
                composites += 1

        def visit_transform(self, node):
            fn = getattr(node.transform, "fn", None)
            if isinstance(fn, beam.DoFn):
                copy = pickler.loads(pickler.dumps(fn))
                assert type(copy) is type(fn)
                used.add(type(fn))

    p.visit(Visit())
    defined = {cls for module in (transforms.ingest, transforms.enrich, transforms.sources.polling,
                                      transforms.storage.files, transforms.storage.commit, batch)
               for _, cls in inspect.getmembers(module, inspect.isclass)
               if issubclass(cls, beam.DoFn) and cls.__module__ == module.__name__}
    assert defined and defined <= used, f"DoFns not in the batch graph: {defined - used}"
    assert composites >= 10


# --- the package -----------------------------------------------------------------------------------

def dockerfile_build_context(tmp_path) -> str:
    """A copy of exactly what the Dockerfile's wheel stage copies: proves nothing else is needed."""
    text = open(deploy_path("dataflow", "Dockerfile")).read()
    stage = text.split("FROM ")[1]  # the wheel stage
    context = tmp_path / "context"
    context.mkdir()
    for line in stage.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                src = os.path.join(ROOT, source)
                if os.path.isdir(src):
                    shutil.copytree(src, context / source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                else:
                    shutil.copy(src, context / source)
    return str(context)


def package_files() -> list[str]:
    found = []
    for package in ("pipelines", "transforms", "schemas"):
        for directory, dirs, files in os.walk(os.path.join(ROOT, package)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            rel = os.path.relpath(directory, ROOT)
            found += [os.path.join(rel, f).replace(os.sep, "/") for f in files
                      if f.endswith(".py") or "demo_site" in rel.split(os.sep)]
    return found


def test_wheel_and_sdist_hold_every_module_and_the_demo_site(tmp_path):
    context = dockerfile_build_context(tmp_path)
    dist = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                           "-w", str(dist), context], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    expected = package_files()
    assert any("demo_site/feeds/" in f for f in expected) and "pipelines/batch.py" in expected
    wheel = zipfile.ZipFile(next(dist.glob("newsbeam-0.1.0-*.whl")))
    names = set(wheel.namelist())
    assert not set(expected) - names, sorted(set(expected) - names)
    entry_points = wheel.read("newsbeam-0.1.0.dist-info/entry_points.txt").decode()
    assert "newsbeam = pipelines.cli:main" in entry_points
    requires = [line for line in wheel.read("newsbeam-0.1.0.dist-info/METADATA").decode().splitlines()
                if line.startswith("Requires-Dist: apache-beam")]
    assert requires == ["Requires-Dist: apache-beam==2.77.0"]
    # The sdist for --extra_package (setuptools' own sdist builder, as `python -m build --sdist` uses).
    done = subprocess.run([sys.executable, "-c", "import sys, setuptools.build_meta as b; "
                           "print(b.build_sdist(sys.argv[1]))", str(dist)], cwd=context,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    import tarfile
    with tarfile.open(dist / done.stdout.split()[-1]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert not set(expected) - names, sorted(set(expected) - names)


# --- Dockerfile and Flex Template ------------------------------------------------------------------

def test_dockerfile_matches_the_project():
    text = open(deploy_path("dataflow", "Dockerfile")).read()
    pins = open(os.path.join(ROOT, "pyproject.toml")).read()
    beam_version = re.search(r'"apache-beam==([\d.]+)"', pins).group(1)
    assert f"ARG BEAM_VERSION={beam_version}" in text
    python = re.search(r"ARG PYTHON_VERSION=(\d+)\.(\d+)", text)
    assert f"python{python[1]}{python[2]}-template-launcher-base" in text
    assert "FROM apache/beam_python${PYTHON_VERSION}_sdk:${BEAM_VERSION}" in text
    assert 'ENTRYPOINT ["/opt/apache/beam/boot"]' in text
    py_file = re.search(r"ENV FLEX_TEMPLATE_PYTHON_PY_FILE=(\S+)", text).group(1)
    assert f"COPY deploy/dataflow/main.py {py_file}" in text
    ignore = [l for l in open(deploy_path("dataflow", "Dockerfile.dockerignore")).read().splitlines()
              if l and not l.startswith("#")]
    for line in text.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert os.path.exists(os.path.join(ROOT, source)), source
                assert f"!{source.rstrip('/')}" in ignore, f"{source} is excluded from the build context"


def test_flex_template_metadata():
    metadata = json.load(open(deploy_path("dataflow", "metadata.json")))
    params = {p["name"]: p for p in metadata["parameters"]}
    assert not params["feeds"]["isOptional"] and not params["output"]["isOptional"]
    for name, param in params.items():
        assert param["label"] and param["helpText"]
        # Each parameter reaches the launcher as --name=value: it must be a known option taking a value.
        assert unknown_options([f"--{name}=1"]) == [], name
        for regex in param.get("regexes", []):
            re.compile(regex)
    assert re.match(params["output"]["regexes"][0], "gs://bucket/newsbeam")
    assert not re.match(params["run_id"]["regexes"][0], "bad-id")


# --- Kubernetes ------------------------------------------------------------------------------------

def k8s(name: str) -> dict:
    docs = [d for d in yaml.safe_load_all(open(deploy_path("k8s", name))) if d]
    return {(d["kind"], d["metadata"]["name"]): d for d in docs}


def newsbeam_argv(container: dict) -> list[str]:
    assert container["command"] == ["newsbeam"] and container["args"][0] == "run"
    argv = container["args"][1:]
    assert unknown_options(argv) == [], unknown_options(argv)
    return argv


def test_cronjob():
    docs = k8s("cronjob.yaml")
    assert set(kind for kind, _ in docs) == {"ConfigMap", "PersistentVolumeClaim", "CronJob"}
    cron = docs["CronJob", "newsbeam"]
    assert cron["apiVersion"] == "batch/v1"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid" and len(cron["spec"]["schedule"].split()) == 5
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    (container,) = pod["containers"]
    argv = newsbeam_argv(container)
    assert argv[argv.index("--feeds") + 1] == "/config/feeds.txt"
    assert argv[argv.index("--output") + 1].startswith("/data/")
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert mounts["data"] == "/data" and mounts["feeds"] == "/config"
    assert volumes["data"]["persistentVolumeClaim"]["claimName"] in {n for k, n in docs if k == "PersistentVolumeClaim"}
    assert volumes["feeds"]["configMap"]["name"] in {n for k, n in docs if k == "ConfigMap"}
    assert "feeds.txt" in docs["ConfigMap", volumes["feeds"]["configMap"]["name"]]["data"]


def test_flink_session_cluster_and_submission():
    docs = k8s("flink-deployment.yaml")
    flink = docs["FlinkDeployment", "newsbeam-flink"]
    assert flink["apiVersion"] == "flink.apache.org/v1beta1"
    assert "job" not in flink["spec"]  # a session cluster
    assert flink["spec"]["flinkVersion"].startswith("v1_") or flink["spec"]["flinkVersion"].startswith("v2_")
    containers = {c["name"]: c for c in flink["spec"]["taskManager"]["podTemplate"]["spec"]["containers"]}
    assert "flink-main-container" in containers
    pool = containers["beam-worker-pool"]
    assert pool["args"] == ["--worker_pool"] and pool["ports"][0]["containerPort"] == 50000
    server = docs["Deployment", "beam-job-server"]["spec"]["template"]["spec"]["containers"][0]
    flink_version = flink["spec"]["flinkVersion"][1:].replace("_", ".")
    assert server["image"].startswith(f"apache/beam_flink{flink_version}_job_server:2.77.0")
    assert "--flink-master=newsbeam-flink-rest:8081" in server["args"]  # the operator's REST service
    service = docs["Service", "beam-job-server"]
    ports = {p["name"]: p["port"] for p in service["spec"]["ports"]}

    submit = k8s("flink-submit-cronjob.yaml")["CronJob", "newsbeam-flink"]
    assert submit["spec"]["concurrencyPolicy"] == "Forbid"
    (container,) = submit["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    argv = newsbeam_argv(container)
    assert f"--job_endpoint=beam-job-server:{ports['job']}" in argv
    assert f"--artifact_endpoint=beam-job-server:{ports['artifact']}" in argv
    assert "--environment_type=EXTERNAL" in argv and "--environment_config=localhost:50000" in argv
    # The submitting pod and the workers see the same dataset directory.
    output = argv[argv.index("--output") + 1]
    pool_mounts = {m["mountPath"]: m.get("subPath") for m in pool["volumeMounts"]}
    submit_mounts = {m["mountPath"]: m.get("subPath") for m in container["volumeMounts"]}
    root = "/" + output.strip("/").split("/")[0]
    assert pool_mounts[root] == submit_mounts[root]
    assert ("PersistentVolumeClaim", "newsbeam-shared") in docs


# --- Airflow ---------------------------------------------------------------------------------------

def test_airflow_files_compile_and_the_launcher_runs_newsbeam_run():
    for name in ("newsbeam_dag.py", "newsbeam_launch.py"):
        compile(open(deploy_path("airflow", name)).read(), name, "exec")
    tree = ast.parse(open(deploy_path("airflow", "newsbeam_dag.py")).read())
    calls = {node.func.id: node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    operator = calls["BeamRunPythonPipelineOperator"]
    keywords = {k.arg for k in operator.keywords}
    assert {"py_file", "runner", "pipeline_options", "task_id"} <= keywords
    launcher = open(deploy_path("airflow", "newsbeam_launch.py")).read().lower()
    assert not ("dag" in launcher and "airflow" in launcher)  # Airflow's safe mode won't parse it as a DAG
    # The command the operator runs: python3 launch.py --runner=... --key=value ... (labels added by it).
    argv = [sys.executable, deploy_path("airflow", "newsbeam_launch.py"), "--runner=DirectRunner",
            "--output=/nonexistent-dir-for-test", "--run_id=airflow_20250101T070000_1",
            "--labels=airflow-version=v3-0-0"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2 and "--feeds is required" in done.stderr, done.stderr


def test_airflow_dag_loads():
    pytest.importorskip("airflow")
    pytest.importorskip("airflow.providers.apache.beam")
    module = load_module(deploy_path("airflow", "newsbeam_dag.py"), "newsbeam_dag")
    dag = module.dag
    assert dag.dag_id == "newsbeam_ingest" and dag.max_active_runs == 1 and not dag.catchup
    task = dag.get_task("newsbeam_run")
    assert os.path.isfile(task.py_file)
    assert {"feeds", "output", "run_id"} <= set(task.pipeline_options)


# --- systemd and cron ------------------------------------------------------------------------------

def unit_exec(path: str) -> list[str]:
    line = next(l for l in open(path).read().splitlines() if l.startswith("ExecStart="))
    return line[len("ExecStart="):].split()


@pytest.mark.parametrize("unit", ["newsbeam.service", "newsbeam-stream.service"])
def test_systemd_units_run_known_options(unit):
    argv = unit_exec(deploy_path("systemd", unit))
    assert argv[0] == "/opt/newsbeam/bin/newsbeam" and argv[1] in ("run", "stream")
    assert unknown_options(argv[2:]) == []
    text = open(deploy_path("systemd", unit)).read()
    assert "User=newsbeam" in text and "StateDirectory=newsbeam" in text
    timer = open(deploy_path("systemd", "newsbeam.timer")).read()
    assert "Unit=newsbeam.service" in timer and "OnCalendar=" in timer and "Persistent=true" in timer


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    """systemd-analyze verify, with ExecStart pointed at this environment's newsbeam script."""
    script = os.path.join(os.path.dirname(sys.executable), "newsbeam")
    if not os.access(script, os.X_OK):
        pytest.skip("the newsbeam console script is not installed next to this python")
    for name in ("newsbeam.service", "newsbeam-stream.service", "newsbeam.timer"):
        text = open(deploy_path("systemd", name)).read().replace("/opt/newsbeam/bin/newsbeam ", script + " ")
        (tmp_path / name).write_text(text)
    done = subprocess.run(["systemd-analyze", "verify", "newsbeam.service", "newsbeam.timer"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    if done.returncode != 0 and ("Failed to" in done.stderr and "bus" in done.stderr.lower()):
        pytest.skip(f"systemd-analyze can't run here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    done = subprocess.run(["systemd-analyze", "verify", "newsbeam-stream.service"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_cron_line_uses_flock():
    lines = [l for l in open(deploy_path("cron", "newsbeam.cron")).read().splitlines()
             if l.strip() and not l.startswith("#") and "=" not in l.split()[0]]
    (line,) = lines
    assert "%" not in line  # cron turns % into newlines
    fields = line.split()
    minute, hour, day, month, weekday, user, *command = fields
    assert all(re.fullmatch(r"[\d*/,-]+", f) for f in (minute, hour, day, month, weekday))
    assert user == "newsbeam"
    assert command[:2] == ["flock", "-n"] and command[2].endswith(".lock")
    newsbeam = command[3:command.index(">>")]
    assert newsbeam[0].endswith("/newsbeam") and newsbeam[1] == "run"
    assert unknown_options(newsbeam[2:]) == []


# --- the guide -------------------------------------------------------------------------------------

def test_deploy_readme_covers_every_file():
    readme = open(deploy_path("README.md")).read()
    assert "flink/README.md" in readme
    for directory in ("k8s", "airflow", "systemd", "cron", "dataflow", "spark"):
        for name in os.listdir(deploy_path(directory)):
            if not name.startswith(".") and name != "__pycache__":
                assert f"{directory}/{name}" in readme, f"deploy/README.md does not explain {directory}/{name}"


def readme_commands(text: str, program: str) -> list[list[str]]:
    """The `program ...` command lines of a document's code blocks, continuation lines joined."""
    commands = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = line.split()
            if words and words[0] == program:
                commands.append(words)
    return commands


def test_every_newsbeam_command_in_the_deploy_guide_parses_and_the_guide_matches_the_design():
    """The guide's command lines use options newsbeam knows, every file it names exists, and it
    describes the Delta design (commits, the lease), not the rollback of runs or JSON manifests of before."""
    text = open(deploy_path("README.md")).read()
    commands = readme_commands(text, "newsbeam")
    assert len(commands) >= 2, commands
    for words in commands:
        assert words[1] in ("run", "stream", "compact", "query", "report"), words
        if words[1] in ("run", "stream"):
            assert unknown_options([w for w in words[2:] if w != "..."]) == [], words
    for name in set(re.findall(r"`((?:k8s|airflow|systemd|cron|dataflow|spark|flink)/[\w.-]+)`", text)):
        assert os.path.exists(deploy_path(name)), name
    for stale in ("rolls back", "rolled back", "_runs/<run_id>.json", ".json manifest"):
        assert stale not in text, stale
    assert "lease" in text and "commit" in text


def test_spark_script_runs_newsbeam_with_portable_options(tmp_path):
    fake = tmp_path / "newsbeam"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    fake.chmod(0o755)
    for environment, expected in (("DOCKER", "--environment_config=newsbeam:0.1.0"),
                                  ("EXTERNAL", "--environment_config=localhost:50000"),
                                  ("LOOPBACK", "--environment_type=LOOPBACK")):
        done = subprocess.run(["sh", deploy_path("spark", "newsbeam-spark.sh"), "--feeds", FEED, "--output", "/x"],
                              env={**os.environ, "NEWSBEAM": str(fake), "SDK_ENVIRONMENT": environment},
                              capture_output=True, text=True, timeout=30)
        argv = done.stdout.split()
        assert done.returncode == 0 and argv[0] == "run" and expected in argv, done.stderr
        assert "--runner=PortableRunner" in argv and unknown_options(argv[1:]) == []
