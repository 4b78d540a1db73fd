#!/usr/bin/env bash
# A local Apache Flink 1.19 session cluster for newsbeam, on 127.0.0.1, without Docker:
# a JobManager, a TaskManager (2 slots), and a Beam Python worker pool (EXTERNAL environment).
#
#   flink.sh fetch          download Flink (PyPI) and assemble the Beam job server (Maven Central), once
#   flink.sh up             start the cluster and the worker pool; prints the pipeline options to use
#   flink.sh down           cancel running jobs, stop everything this script started
#   flink.sh status         what is running
#   flink.sh env            the NEWSBEAM_FLINK_* variables the slow tests read, as `export` lines
#   flink.sh with CMD...    up, run CMD with those variables set, then down (unless it was up before);
#                           exits with CMD's status
#   flink.sh logs           the tails of the cluster's and the worker pool's logs
#   flink.sh kill-taskmanager   SIGKILL the TaskManager (a lost worker; tests/test_flink_stream.py)
#   flink.sh start-taskmanager  start a TaskManager again (what a supervisor, e.g. Kubernetes, would do)
#
# Environment: PYTHON, the interpreter of the virtualenv where newsbeam is installed (it runs the
# worker pool; default python3); NEWSBEAM_CACHE (default ~/.cache/newsbeam), where downloads, builds,
# logs and pid files live; NEWSBEAM_FLINK_PORT (REST, default 8081), NEWSBEAM_FLINK_RPC_PORT (6123),
# NEWSBEAM_WORKER_POOL_PORT (50000). See deploy/flink/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FLINK_VERSION=1.19.3          # the cluster; Beam 2.77 supports Flink 1.19, 1.20, 2.0, 2.1 and 2.2
FLINK_MINOR=${FLINK_VERSION%.*}
BEAM_JAVA_VERSION=$(sed -n 's:.*<beam.java.version>\(.*\)</beam.java.version>.*:\1:p' "$HERE/pom.xml")
CACHE=${NEWSBEAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsbeam}
DIST=$CACHE/flink-$FLINK_VERSION
JOB_SERVER_DIR=$CACHE/flink-job-server-$BEAM_JAVA_VERSION
JOB_SERVER_JAR=$JOB_SERVER_DIR/beam-runners-flink-$FLINK_MINOR-job-server-$BEAM_JAVA_VERSION.jar
RUN=$CACHE/flink-run
PY=${PYTHON:-python3}
case "$PY" in */*) PY=$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY") ;; esac  # the pool runs from anywhere
REST_PORT=${NEWSBEAM_FLINK_PORT:-8081}
RPC_PORT=${NEWSBEAM_FLINK_RPC_PORT:-6123}
POOL_PORT=${NEWSBEAM_WORKER_POOL_PORT:-50000}
START_TIMEOUT=${NEWSBEAM_FLINK_START_TIMEOUT:-120}

# Flink's scripts read these: our config, logs and pid files, not the distribution's or /tmp's.
export FLINK_HOME=$DIST FLINK_CONF_DIR=$RUN/conf FLINK_LOG_DIR=$RUN/log FLINK_PID_DIR=$RUN/pid
POOL_PIDFILE=$RUN/pid/worker-pool.pid

say() { echo "flink.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------- fetch
fetch() {
  command -v java >/dev/null || die "java not found (Flink $FLINK_VERSION needs Java 11 or 17)"
  mkdir -p "$CACHE"
  # Both are mostly waiting on the network: side by side.
  local flink_pid jobserver_pid rc=0
  fetch_flink & flink_pid=$!
  fetch_job_server & jobserver_pid=$!
  wait "$flink_pid" || rc=1
  wait "$jobserver_pid" || rc=1
  [ "$rc" -eq 0 ] || die "fetch failed (see above); rerun \`flink.sh fetch\` to retry, finished parts are kept"
}

fetch_flink() {
  [ -f "$DIST/.complete" ] && return
  local start=$SECONDS tmp=$CACHE/.flink-download
  rm -rf "$tmp" "$DIST" "$DIST.tmp" && mkdir -p "$tmp"
  say "downloading Flink $FLINK_VERSION from PyPI (apache-flink-libraries, 230 MB) ..."
  # The sdist holds the jars (deps/lib, opt, plugins); the apache-flink wheel holds bin/ and conf/.
  # The wheel's scripts are the same on every platform: pin one, so any local Python can fetch it.
  timeout 900 "$PY" -m pip download -q --no-cache-dir --no-deps --no-binary=:all: \
    "apache-flink-libraries==$FLINK_VERSION" -d "$tmp"
  timeout 300 "$PY" -m pip download -q --no-cache-dir --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    "apache-flink==$FLINK_VERSION" -d "$tmp"
  tar -xzf "$tmp"/apache-flink-libraries-"$FLINK_VERSION".tar.gz -C "$tmp"
  "$PY" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith(("pyflink/bin/", "pyflink/conf/"))])' \
    "$(ls "$tmp"/apache_flink-"$FLINK_VERSION"-*.whl)" "$tmp/wheel"
  local deps=$tmp/apache-flink-libraries-$FLINK_VERSION/deps
  [ -f "$deps/lib/flink-dist-$FLINK_VERSION.jar" ] || die "no flink-dist jar in apache-flink-libraries $FLINK_VERSION"
  mkdir -p "$DIST.tmp"
  cp -r "$deps/lib" "$deps/opt" "$deps/plugins" "$tmp/wheel/pyflink/bin" "$tmp/wheel/pyflink/conf" "$DIST.tmp/"
  cp "$deps/bin/bash-java-utils.jar" "$DIST.tmp/bin/"
  chmod +x "$DIST.tmp"/bin/*.sh "$DIST.tmp/bin/flink"
  touch "$DIST.tmp/.complete" && mv "$DIST.tmp" "$DIST"
  rm -rf "$tmp"
  say "Flink $FLINK_VERSION in $DIST ($((SECONDS - start)) s)"
}

fetch_job_server() {
  [ -f "$JOB_SERVER_JAR" ] && return
  command -v mvn >/dev/null || die "mvn not found (it assembles the Beam job server from Maven Central)"
  local start=$SECONDS tmp=$JOB_SERVER_DIR.tmp
  rm -rf "$tmp" && mkdir -p "$tmp"
  say "assembling the Beam $BEAM_JAVA_VERSION Flink job server from Maven Central (150 MB) ..."
  timeout 900 mvn -q -B -f "$HERE/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib"
  # A manifest-only jar: Main-Class plus the copied jars on its Class-Path (absolute file: URLs,
  # so it runs from anywhere on this machine). `java -jar` and Beam's FlinkRunner take it as is.
  "$PY" - "$tmp" "$JOB_SERVER_DIR" "$(basename "$JOB_SERVER_JAR")" <<'PY'
import os, sys, urllib.parse, urllib.request, zipfile
tmp, final, name = sys.argv[1:]
jars = sorted(os.listdir(os.path.join(tmp, "lib")))
assert len(jars) > 100, f"only {len(jars)} jars copied"
urls = " ".join("file:" + urllib.request.pathname2url(os.path.join(final, "lib", jar)) for jar in jars)
def wrap(line):  # manifest lines are at most 72 bytes; continuations start with a space
    data, out = line.encode(), []
    out.append(data[:72]); data = data[72:]
    while data:
        out.append(b" " + data[:71]); data = data[71:]
    return b"\r\n".join(out) + b"\r\n"
manifest = (wrap("Manifest-Version: 1.0") + wrap("Created-By: newsbeam deploy/flink/flink.sh")
            + wrap("Main-Class: org.apache.beam.runners.flink.FlinkJobServerDriver")
            + wrap("Class-Path: " + urls) + b"\r\n")
with zipfile.ZipFile(os.path.join(tmp, name), "w") as jar:
    jar.writestr("META-INF/MANIFEST.MF", manifest)
PY
  rm -rf "$JOB_SERVER_DIR" && mv "$tmp" "$JOB_SERVER_DIR"
  say "job server $JOB_SERVER_JAR ($(ls "$JOB_SERVER_DIR/lib" | wc -l) jars, $((SECONDS - start)) s)"
}

# ------------------------------------------------------------------------------------------ helpers
port_open() {  # port_open PORT: something accepts connections on 127.0.0.1:PORT
  "$PY" -c 'import socket, sys; s = socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))))' "$1"
}

rest() {  # rest PATH: GET the Flink REST API, print the JSON body
  "$PY" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=3).read().decode())' \
    "http://127.0.0.1:$REST_PORT$1" 2>/dev/null
}

cluster_ready() {  # one TaskManager registered, with its 2 slots
  rest /overview | "$PY" -c 'import json, sys; o = json.load(sys.stdin); sys.exit(not (o["taskmanagers"] >= 1 and o["slots-total"] >= 2))' 2>/dev/null
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$1" ] && head -n1 "$1" || true; }  # Flink's pid files may hold several lines

flink_pidfile() {  # flink-daemon.sh names them flink-$USER-<daemon>.pid ($USER may be unset)
  local f
  for f in "$FLINK_PID_DIR"/flink-*-"$1".pid; do [ -f "$f" ] && { echo "$f"; return; }; done
  echo "$FLINK_PID_DIR/flink-${USER:-}-$1.pid"
}

write_conf() {
  rm -rf "$FLINK_CONF_DIR" && mkdir -p "$FLINK_CONF_DIR" "$FLINK_LOG_DIR" "$FLINK_PID_DIR"
  cp "$DIST"/conf/* "$FLINK_CONF_DIR/"
  # The distribution's JVM flags (--add-opens ... for Java 17), kept as they are.
  local java_opts
  java_opts=$(sed -n '/^env:/,/^[^ ]/s/^ *all: //p' "$DIST/conf/config.yaml" | head -n1)
  sed -e "s|@JAVA_OPTS@|$java_opts|" -e "s|@REST_PORT@|$REST_PORT|" -e "s|@RPC_PORT@|$RPC_PORT|" \
    -e "s|@RUN@|$RUN|" "$HERE/config.yaml" > "$FLINK_CONF_DIR/config.yaml"
}

write_env() {
  cat > "$RUN/env" <<EOF
export NEWSBEAM_FLINK_MASTER=127.0.0.1:$REST_PORT
export NEWSBEAM_FLINK_VERSION=$FLINK_MINOR
export NEWSBEAM_FLINK_JOB_SERVER_JAR=$JOB_SERVER_JAR
export NEWSBEAM_FLINK_WORKER_POOL=127.0.0.1:$POOL_PORT
EOF
}

# ----------------------------------------------------------------------------------------- up/down
up() {
  [ -f "$DIST/.complete" ] && [ -f "$JOB_SERVER_JAR" ] || die "not fetched yet: run \`flink.sh fetch\` (or make flink-fetch)"
  "$PY" -c 'import apache_beam, pipelines.batch' 2>/dev/null \
    || die "$PY cannot import apache_beam and newsbeam: set PYTHON to the venv's python (make flink-up does)"
  local start=$SECONDS
  local jm
  jm=$(pid_of "$(flink_pidfile standalonesession)")
  if alive "$jm" && cluster_ready; then
    say "the cluster is already up on 127.0.0.1:$REST_PORT"
  else
    if alive "$jm" || alive "$(pid_of "$(flink_pidfile taskexecutor)")"; then
      say "a cluster started here is half up: restarting it"; down
    fi
    for port in "$REST_PORT" "$RPC_PORT"; do
      ! port_open "$port" || die "port $port is in use by another process (not a cluster this script started); stop it, or set NEWSBEAM_FLINK_PORT / NEWSBEAM_FLINK_RPC_PORT"
    done
    write_conf
    "$DIST/bin/jobmanager.sh" start >/dev/null
    "$DIST/bin/taskmanager.sh" start >/dev/null
    local deadline=$((SECONDS + START_TIMEOUT))
    until cluster_ready; do
      if (( SECONDS > deadline )) || ! alive "$(pid_of "$(flink_pidfile standalonesession)")"; then
        say "the cluster did not come up within ${START_TIMEOUT}s"; logs; down; exit 1
      fi
      sleep 0.5
    done
    say "Flink $FLINK_VERSION up on http://127.0.0.1:$REST_PORT ($((SECONDS - start)) s)"
  fi
  local pool
  pool=$(pid_of "$POOL_PIDFILE")
  if alive "$pool" && [ "$(cat "$POOL_PIDFILE.python" 2>/dev/null)" != "$PY" ]; then
    say "the worker pool runs $(cat "$POOL_PIDFILE.python" 2>/dev/null || echo 'another python'), not $PY: restarting it"
    stop_pid "$pool" group
  fi
  if alive "$pool"; then
    say "the worker pool is already up on 127.0.0.1:$POOL_PORT"
  else
    ! port_open "$POOL_PORT" || { down; die "port $POOL_PORT is in use by another process; set NEWSBEAM_WORKER_POOL_PORT"; }
    # setsid: the pool leads its own process group, so `down` stops its SDK workers with it.
    setsid "$PY" "$HERE/worker_pool.py" --port "$POOL_PORT" > "$FLINK_LOG_DIR/worker-pool.log" 2>&1 < /dev/null &
    echo $! > "$POOL_PIDFILE"
    echo "$PY" > "$POOL_PIDFILE.python"
    local deadline=$((SECONDS + 60))
    until port_open "$POOL_PORT"; do
      if (( SECONDS > deadline )) || ! alive "$(pid_of "$POOL_PIDFILE")"; then
        say "the worker pool did not start:"; tail -n 20 "$FLINK_LOG_DIR/worker-pool.log" >&2; down; exit 1
      fi
      sleep 0.3
    done
    say "worker pool ($PY) on 127.0.0.1:$POOL_PORT"
  fi
  write_env
  say "up in $((SECONDS - start)) s; run pipelines with"
  echo "  --runner=FlinkRunner --flink_master=127.0.0.1:$REST_PORT --flink_version=$FLINK_MINOR" \
       "--flink_job_server_jar=$JOB_SERVER_JAR --environment_type=EXTERNAL --environment_config=127.0.0.1:$POOL_PORT"
}

cancel_jobs() {  # a job whose workers died stays RUNNING: cancel whatever still runs
  rest /jobs/overview | "$PY" -c '
import json, sys, urllib.request
base = sys.argv[1]
for job in json.load(sys.stdin)["jobs"]:
    if job["state"] not in ("FINISHED", "FAILED", "CANCELED"):
        print(f"flink.sh: cancelling job {job[\"jid\"]} ({job[\"name\"]}, {job[\"state\"]})", file=sys.stderr)
        urllib.request.urlopen(urllib.request.Request(f"{base}/jobs/{job[\"jid\"]}?mode=cancel", method="PATCH"), timeout=5)
' "http://127.0.0.1:$REST_PORT" 2>/dev/null || true
}

stop_pid() {  # stop_pid PID [GROUP]: TERM, wait up to 10 s, then KILL (the whole process group if GROUP)
  local pid=$1 target=$1
  alive "$pid" || return 0
  [ "${2:-}" = group ] && target=-$pid
  kill -TERM -- "$target" 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then say "pid $pid ignored SIGTERM: killing it"; kill -KILL -- "$target" 2>/dev/null || true; fi
  [ "${2:-}" = group ] && kill -KILL -- "$target" 2>/dev/null || true  # workers left in the group
  return 0
}

down() {
  local pool jm tm
  pool=$(pid_of "$POOL_PIDFILE")
  jm=$(pid_of "$(flink_pidfile standalonesession)")
  tm=$(pid_of "$(flink_pidfile taskexecutor)")
  if alive "$jm"; then cancel_jobs; fi
  [ -n "$pool" ] && stop_pid "$pool" group
  rm -f "$POOL_PIDFILE" "$POOL_PIDFILE.python"
  if [ -d "$DIST" ] && [ -d "$FLINK_CONF_DIR" ]; then
    "$DIST/bin/taskmanager.sh" stop >/dev/null 2>&1 || true
    "$DIST/bin/jobmanager.sh" stop >/dev/null 2>&1 || true
  fi
  [ -n "$tm" ] && stop_pid "$tm"
  [ -n "$jm" ] && stop_pid "$jm"
  rm -f "$(flink_pidfile taskexecutor)" "$(flink_pidfile standalonesession)" "$RUN/env"
  say "down"
}

status() {
  local jm pool
  jm=$(pid_of "$(flink_pidfile standalonesession)"); pool=$(pid_of "$POOL_PIDFILE")
  if alive "$jm"; then echo "jobmanager: pid $jm, $(rest /overview || echo 'REST not answering')"; else echo "jobmanager: down"; fi
  if alive "$pool"; then echo "worker pool: pid $pool on 127.0.0.1:$POOL_PORT"; else echo "worker pool: down"; fi
  alive "$jm" && alive "$pool"
}

logs() {
  for f in "$FLINK_LOG_DIR"/*standalonesession*.log "$FLINK_LOG_DIR"/*taskexecutor*.log "$FLINK_LOG_DIR"/*.out \
           "$FLINK_LOG_DIR/worker-pool.log"; do
    [ -s "$f" ] || continue
    echo "==== $f (last 40 lines)" >&2; tail -n 40 "$f" >&2
  done
}

kill_taskmanager() {
  local tm
  tm=$(pid_of "$(flink_pidfile taskexecutor)")
  alive "$tm" || die "no TaskManager is running"
  kill -KILL "$tm"
  say "TaskManager $tm killed (SIGKILL)"
}

start_taskmanager() {
  [ -d "$FLINK_CONF_DIR" ] || die "the cluster was never started here (flink.sh up)"
  rm -f "$(flink_pidfile taskexecutor)"
  "$DIST/bin/taskmanager.sh" start >/dev/null
  local deadline=$((SECONDS + START_TIMEOUT))
  until cluster_ready; do
    (( SECONDS < deadline )) || die "the TaskManager did not register within ${START_TIMEOUT}s"
    sleep 0.5
  done
  say "TaskManager $(pid_of "$(flink_pidfile taskexecutor)") up"
}

with() {
  [ $# -gt 0 ] || die "usage: flink.sh with CMD [ARGS...]"
  if alive "$(pid_of "$(flink_pidfile standalonesession)")"; then
    say "a cluster was already up: leaving it up afterwards"
  else
    trap 'down' EXIT
  fi
  trap 'exit 130' INT TERM
  up
  # shellcheck disable=SC1091
  source "$RUN/env"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then logs; fi
  return "$rc"
}

cmd=${1:-}
case "$cmd" in
  fetch|up|down|status|logs) shift; "$cmd" "$@" ;;
  kill-taskmanager) kill_taskmanager ;;
  start-taskmanager) start_taskmanager ;;
  env) [ -f "$RUN/env" ] && cat "$RUN/env" || die "not up (no $RUN/env)" ;;
  with) shift; with "$@" ;;
  *) sed -n '2,19s/^# \{0,1\}//p' "$0"; [ -z "$cmd" ] || exit 2 ;;
esac
