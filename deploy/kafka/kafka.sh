#!/usr/bin/env bash
# A local Apache Kafka 4 broker for newsbeam's events, on 127.0.0.1, without Docker: one node in KRaft
# mode (broker and controller in one process), from the Maven Central jars.
#
#   kafka.sh fetch          copy Kafka's jars from Maven Central (deploy/kafka/pom.xml), once
#   kafka.sh up             start the broker on a free port (or NEWSBEAM_KAFKA_PORT); prints KAFKA_BOOTSTRAP
#   kafka.sh down           stop the broker this script started (its data stay for the next `up`)
#   kafka.sh status         whether it runs, and where
#   kafka.sh env            the KAFKA_BOOTSTRAP the tests read, as an `export` line
#   kafka.sh with CMD...    up, run CMD with KAFKA_BOOTSTRAP set, then down (unless it was up before);
#                           exits with CMD's status
#   kafka.sh logs           the tail of the broker's log
#   kafka.sh reset          down, and delete the broker's data (topics, transactions, offsets)
#
# Environment: NEWSBEAM_CACHE (default ~/.cache/newsbeam): jars, data, logs and pid file live under
# it; NEWSBEAM_KAFKA_PORT (default: a free port), NEWSBEAM_KAFKA_HEAP (default 512m),
# NEWSBEAM_KAFKA_START_TIMEOUT (seconds, default 90). See docs/events.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")
CACHE=${NEWSBEAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsbeam}
DIST=$CACHE/kafka-$KAFKA_VERSION
RUN=$CACHE/kafka-run
PIDFILE=$RUN/kafka.pid
HEAP=${NEWSBEAM_KAFKA_HEAP:-512m}
START_TIMEOUT=${NEWSBEAM_KAFKA_START_TIMEOUT:-90}
PY=$(command -v python3 || command -v python || true)

say() { echo "kafka.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------- fetch
fetch() {
  [ -f "$DIST/.complete" ] && return
  command -v java >/dev/null || die "java not found (Kafka $KAFKA_VERSION needs Java 17 or later)"
  command -v mvn >/dev/null || die "mvn not found (it copies Kafka's jars from Maven Central)"
  local start=$SECONDS tmp=$DIST.tmp
  rm -rf "$tmp" && mkdir -p "$tmp"
  say "copying Apache Kafka $KAFKA_VERSION and its dependencies from Maven Central (40 MB) ..."
  timeout 900 mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib" \
    || die "fetch failed (see above); rerun \`kafka.sh fetch\` to retry"
  [ -f "$tmp/lib/kafka_2.13-$KAFKA_VERSION.jar" ] || die "no kafka_2.13-$KAFKA_VERSION.jar among the copied jars"
  touch "$tmp/.complete"
  rm -rf "$DIST" && mv "$tmp" "$DIST"
  say "Kafka $KAFKA_VERSION in $DIST ($(ls "$DIST/lib" | wc -l) jars, $((SECONDS - start)) s)"
}

# ------------------------------------------------------------------------------------------ helpers
port_open() {  # port_open PORT: something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  if [ -n "$PY" ]; then
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    local p; for p in $(seq 19092 19192); do port_open "$p" || { echo "$p"; return; }; done; die "no free port"
  fi
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$PIDFILE" ] && cat "$PIDFILE" || true; }

kafka() {  # kafka MAINCLASS ARGS...: run one of Kafka's tools from the copied jars
  java -Xmx256m -Dlog4j2.configurationFile="$RUN/log4j2.properties" -cp "$DIST/lib/*" "$@"
}

write_conf() {  # write_conf PORT CONTROLLER_PORT
  mkdir -p "$RUN/log" "$RUN/data"
  cat > "$RUN/server.properties" <<EOF
# Written by deploy/kafka/kafka.sh: one node, broker and KRaft controller, 127.0.0.1 only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$2
listeners=PLAINTEXT://127.0.0.1:$1,CONTROLLER://127.0.0.1:$2
advertised.listeners=PLAINTEXT://127.0.0.1:$1
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$RUN/data
num.partitions=1
# One node: internal topics with one replica (and one partition: they start in a moment).
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat > "$RUN/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $RUN/log/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
EOF
}

ready() { grep -q "Kafka Server started" "$RUN/log/server.log" 2>/dev/null && port_open "$1"; }

# ----------------------------------------------------------------------------------------- up/down
up() {
  [ -f "$DIST/.complete" ] || die "not fetched yet: run \`kafka.sh fetch\` (or make kafka-fetch)"
  local start=$SECONDS pid
  pid=$(pid_of)
  if alive "$pid" && [ -f "$RUN/env" ]; then
    # shellcheck disable=SC1091
    source "$RUN/env"
    say "the broker is already up on $KAFKA_BOOTSTRAP"; echo "KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP"; return
  fi
  alive "$pid" && { say "a broker started here is half up: restarting it"; down; }
  local port=${NEWSBEAM_KAFKA_PORT:-$(free_port)} controller
  controller=$(free_port)
  [ "$controller" != "$port" ] || controller=$(free_port)
  ! port_open "$port" || die "port $port is in use by another process; set NEWSBEAM_KAFKA_PORT to a free one"
  write_conf "$port" "$controller"
  if [ ! -f "$RUN/data/meta.properties" ]; then   # once per data directory: KRaft storage with a cluster id
    kafka kafka.tools.StorageTool format --ignore-formatted -t "$(kafka kafka.tools.StorageTool random-uuid)" \
      -c "$RUN/server.properties" >> "$RUN/log/format.log" 2>&1 || { tail -n 20 "$RUN/log/format.log" >&2; die "formatting $RUN/data failed"; }
  fi
  : > "$RUN/log/server.log"
  # setsid: the broker leads its own process group, detached from the caller's terminal.
  setsid java -Xmx"$HEAP" -Xms128m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$RUN/log4j2.properties" -cp "$DIST/lib/*" kafka.Kafka "$RUN/server.properties" \
    > "$RUN/log/kafka.out" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  local deadline=$((SECONDS + START_TIMEOUT))
  until ready "$port"; do
    if (( SECONDS > deadline )) || ! alive "$(pid_of)"; then
      say "the broker did not come up within ${START_TIMEOUT}s"; logs; down; exit 1
    fi
    sleep 0.3
  done
  echo "export KAFKA_BOOTSTRAP=127.0.0.1:$port" > "$RUN/env"
  say "Kafka $KAFKA_VERSION (KRaft, one node) up on 127.0.0.1:$port in $((SECONDS - start)) s"
  echo "KAFKA_BOOTSTRAP=127.0.0.1:$port"
}

down() {
  local pid
  pid=$(pid_of)
  if alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.2; done   # a clean shutdown takes a few s
    if alive "$pid"; then say "pid $pid ignored SIGTERM: killing it"; kill -KILL -- "-$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PIDFILE" "$RUN/env"
  say "down"
}

status() {
  local pid
  pid=$(pid_of)
  if alive "$pid" && [ -f "$RUN/env" ]; then
    echo "kafka: pid $pid, $(sed 's/^export //' "$RUN/env")"
  else
    echo "kafka: down"; return 1
  fi
}

logs() {
  for f in "$RUN/log/server.log" "$RUN/log/kafka.out"; do
    [ -s "$f" ] || continue
    echo "==== $f (last 40 lines)" >&2; tail -n 40 "$f" >&2
  done
}

reset() { down; rm -rf "$RUN/data"; say "data deleted"; }

with() {
  [ $# -gt 0 ] || die "usage: kafka.sh with CMD [ARGS...]"
  if alive "$(pid_of)"; then
    say "a broker was already up: leaving it up afterwards"
  else
    trap 'down' EXIT
  fi
  trap 'exit 130' INT TERM
  fetch
  up > /dev/null
  # shellcheck disable=SC1091
  source "$RUN/env"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then logs; fi
  return "$rc"
}

cmd=${1:-}
case "$cmd" in
  fetch|up|down|status|logs|reset) shift; "$cmd" "$@" ;;
  env) [ -f "$RUN/env" ] && cat "$RUN/env" || die "not up (no $RUN/env)" ;;
  with) shift; with "$@" ;;
  *) sed -n '2,18s/^# \{0,1\}//p' "$0"; [ -z "$cmd" ] || exit 2 ;;
esac
