#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, combined broker+controller) for local
# development and CI, run straight from the org.apache.kafka jars that Maven
# resolves from Maven Central (see pom.xml next to this file). No Docker, no
# Kafka install.
#
#   infra/kafka/kafka.sh start|stop|status|reset|resolve|logs
#
# Environment knobs (defaults in brackets):
#   KAFKA_PORT             PLAINTEXT listener on 127.0.0.1 [9092]
#   KAFKA_CONTROLLER_PORT  KRaft controller listener on 127.0.0.1 [9093]
#   KAFKA_DATA_DIR         config, data, pid and broker.log
#                          [${NMIRF_CACHE_DIR:-$HOME/.cache/nmirf}/kafka-data-$KAFKA_PORT]
#   KAFKA_SASL_PORT        also a SASL_PLAINTEXT listener (SCRAM-SHA-256/512) on this port [none]
#   KAFKA_SCRAM_USER / KAFKA_SCRAM_PASSWORD  the SCRAM user created when the storage is formatted
#   KAFKA_HEAP             JVM heap flags [-Xms256m -Xmx768m]
#   KAFKA_START_TIMEOUT    seconds to wait for readiness [180]
#   NMIRF_CACHE_DIR        cache root for jars and default data dirs [$HOME/.cache/nmirf]
#   MVN / JAVA             maven / java executables [mvn / $JAVA_HOME/bin/java or java]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"

# Single source of truth for the version: the <kafka.version> property of pom.xml.
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
[[ -n "$KAFKA_VERSION" ]] || { echo "kafka.sh: cannot read <kafka.version> from $POM" >&2; exit 1; }

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
CACHE_ROOT="${NMIRF_CACHE_DIR:-${HOME:-/tmp}/.cache/nmirf}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$CACHE_ROOT/kafka-data-$KAFKA_PORT}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
MVN="${MVN:-mvn}"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi

DIST_DIR="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIB_DIR="$DIST_DIR/lib"
MARKER="$DIST_DIR/.resolved"
PID_FILE="$KAFKA_DATA_DIR/broker.pid"
LOG_FILE="$KAFKA_DATA_DIR/broker.log"
LOG_DIRS="$KAFKA_DATA_DIR/logs"
SERVER_PROPS="$KAFKA_DATA_DIR/server.properties"
LOG4J_PROPS="$KAFKA_DATA_DIR/log4j.properties"

say() { echo "kafka.sh[$KAFKA_PORT]: $*"; }
die() { echo "kafka.sh[$KAFKA_PORT]: $*" >&2; exit 1; }

for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] || die "ports must be numeric (got '$p')"
done
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

# ---------------------------------------------------------------- artifacts --

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

resolved() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(pom_hash)" && -f "$LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" ]]
}

do_resolve() {
  resolved && return 0
  mkdir -p "$DIST_DIR"
  # Serialise concurrent resolutions (two brokers started at once share the cache).
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$DIST_DIR/.lock"
    flock 8
    if resolved; then exec 8>&-; return 0; fi
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; install Maven 3.x (apt-get install maven)"
  say "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central into $LIB_DIR ..."
  local t0=$SECONDS tmp="$DIST_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  # Maven's output is kept only on failure (Debian's mvn also prints stray ANSI
  # escapes on stdout even with -q -B).
  if ! "$MVN" -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "maven resolution failed"
  fi
  rm -f "$tmp.log"
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "resolution did not produce kafka_2.13-$KAFKA_VERSION.jar"; }
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  pom_hash >"$MARKER"
  say "resolved $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - t0))s"
  if command -v flock >/dev/null 2>&1; then exec 8>&-; fi
}

# ------------------------------------------------------------------- probes --

port_open() { # port -> 0 if something accepts TCP connections on it
  # shellcheck disable=SC2016 # $0/$1 expand in the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$KAFKA_HOST" "$1" 2>/dev/null
}

# A Java-free "is this a Kafka broker that serves requests" check: send an
# ApiVersions v0 request (api_key 18, correlation id 7, client id "probe") over
# /dev/tcp and expect a response echoing correlation id 7 with error_code 0.
# A KRaft broker only processes requests once startup has finished.
kafka_answers() { # port
  local out
  # shellcheck disable=SC2016 # $0/$1 expand in the inner bash
  out="$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x07\x00\x05probe" >&3
      head -c 10 <&3 | od -An -tx1 | tr -s " \n" " "
    ' "$KAFKA_HOST" "$1" 2>/dev/null)" || return 1
  # bytes 0-3 frame size, 4-7 correlation id (7), 8-9 error code (0 = NONE)
  [[ "$out" =~ ^\ ?([0-9a-f]{2}\ ){4}00\ 00\ 00\ 07\ 00\ 00\ ?$ ]]
}

# pid from the pid file if that process is alive and is our broker (guards
# against a stale file whose pid has been reused).
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $SERVER_PROPS" || return 1
  fi
  echo "$pid"
}

# ------------------------------------------------------------------- config --

write_config() {
  mkdir -p "$KAFKA_DATA_DIR" "$LOG_DIRS"
  cat >"$SERVER_PROPS.tmp" <<EOF
# Generated by infra/kafka/kafka.sh on every start; edits are overwritten.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT${KAFKA_SASL_PORT:+,SASL_PLAINTEXT://$KAFKA_HOST:$KAFKA_SASL_PORT}
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT${KAFKA_SASL_PORT:+,SASL_PLAINTEXT://$KAFKA_HOST:$KAFKA_SASL_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT

log.dirs=$LOG_DIRS
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
EOF
  if [[ -n "${KAFKA_SASL_PORT:-}" ]]; then
    cat >>"$SERVER_PROPS.tmp" <<EOF
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
EOF
  fi
  mv "$SERVER_PROPS.tmp" "$SERVER_PROPS"

  cat >"$LOG4J_PROPS.tmp" <<EOF
# Generated by infra/kafka/kafka.sh on every start; edits are overwritten.
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$LOG_FILE
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n

# Quieten the chatty parts of the broker.
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.controller=WARN
log4j.logger.kafka.log=WARN
log4j.logger.kafka.cluster=WARN
log4j.logger.kafka.coordinator=WARN
log4j.logger.kafka.server.metadata=WARN
log4j.logger.kafka.server.ReplicaFetcherManager=WARN
log4j.logger.kafka.server.ReplicaAlterLogDirsManager=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.kafka.storage=WARN
log4j.logger.org.apache.kafka.controller=WARN
log4j.logger.org.apache.kafka.image=WARN
log4j.logger.org.apache.kafka.metadata=WARN
log4j.logger.org.apache.kafka.raft=WARN
log4j.logger.org.apache.kafka.coordinator=WARN
log4j.logger.kafka.server.KafkaConfig=WARN
log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
# Readiness is detected from this logger's "Kafka Server started" line.
log4j.logger.kafka.server.KafkaRaftServer=INFO
EOF
  mv "$LOG4J_PROPS.tmp" "$LOG4J_PROPS"
}

java_opts() {
  # shellcheck disable=SC2206 # KAFKA_HEAP is intentionally word-split
  JAVA_OPTS=($KAFKA_HEAP
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOG4J_PROPS" "-Dkafka.logs.dir=$KAFKA_DATA_DIR")
}

format_storage() {
  [[ -f "$LOG_DIRS/meta.properties" ]] && return 0
  local cid
  cid="$("$JAVA" -cp "$LIB_DIR/*" "-Dlog4j.configuration=file:$LOG4J_PROPS" kafka.tools.StorageTool random-uuid | tail -n1)"
  [[ -n "$cid" ]] || die "StorageTool random-uuid produced no cluster id"
  say "formatting $LOG_DIRS (cluster id $cid)"
  local scram=()
  if [[ -n "${KAFKA_SCRAM_USER:-}" ]]; then
    scram=(--add-scram "SCRAM-SHA-256=[name=$KAFKA_SCRAM_USER,password=${KAFKA_SCRAM_PASSWORD:?set KAFKA_SCRAM_PASSWORD}]"
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_SCRAM_USER,password=$KAFKA_SCRAM_PASSWORD]")
  fi
  "$JAVA" -cp "$LIB_DIR/*" "-Dlog4j.configuration=file:$LOG4J_PROPS" \
    kafka.tools.StorageTool format -t "$cid" -c "$SERVER_PROPS" "${scram[@]}" >>"$LOG_FILE" 2>&1 \
    || { tail -n 40 "$LOG_FILE" >&2; die "storage format failed"; }
  echo "$cid" >"$KAFKA_DATA_DIR/cluster.id"
}

# ----------------------------------------------------------------- commands --

cmd_resolve() { do_resolve; say "artifacts ready in $LIB_DIR"; }

wait_ready() { # pid log-offset
  local pid=$1 offset=$2 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "---- last 40 lines of $LOG_FILE ----" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "broker process $pid exited during startup"
    fi
    if tail -c "+$((offset + 1))" "$LOG_FILE" 2>/dev/null | grep -q "Kafka Server started" \
        && kafka_answers "$KAFKA_PORT"; then
      return 0
    fi
    sleep 0.5
  done
  echo "---- last 40 lines of $LOG_FILE ----" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  die "broker not ready after ${KAFKA_START_TIMEOUT}s (pid $pid still running; '$0 stop' to kill it)"
}

cmd_start() {
  local t0=$SECONDS pid
  if kafka_answers "$KAFKA_PORT"; then
    say "a Kafka broker already answers on $KAFKA_HOST:$KAFKA_PORT; nothing to do"
    return 0
  fi
  do_resolve
  command -v "$JAVA" >/dev/null 2>&1 || die "java ('$JAVA') not found; Java 11+ is required (17 recommended)"
  mkdir -p "$KAFKA_DATA_DIR"

  if pid="$(broker_pid)"; then
    # Our broker is alive but not answering yet (still starting): just wait.
    say "broker pid $pid is starting; waiting for it"
    wait_ready "$pid" 0
    say "running on $KAFKA_HOST:$KAFKA_PORT (pid $pid, data $KAFKA_DATA_DIR)"
    return 0
  fi
  rm -f "$PID_FILE"
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "port $KAFKA_HOST:$p is already in use by something that is not this broker"
    fi
  done

  write_config
  format_storage

  # Keep broker.log bounded across restarts: roll it once it passes 50 MB.
  if [[ -f "$LOG_FILE" ]] && (($(stat -c %s "$LOG_FILE") > 50 * 1024 * 1024)); then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
  local offset=0
  [[ -f "$LOG_FILE" ]] && offset="$(stat -c %s "$LOG_FILE")"
  echo "[$(date '+%F %T')] kafka.sh: starting Kafka $KAFKA_VERSION on $KAFKA_HOST:$KAFKA_PORT" >>"$LOG_FILE"

  java_opts
  # Detach completely: own session (setsid), no controlling tty, stdin from
  # /dev/null, stdout/stderr appended to broker.log (log4j also appends there).
  # The inner bash writes its own pid and then execs java, so the pid file holds
  # the JVM's pid whether or not setsid had to fork.
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  # shellcheck disable=SC2016 # $$/$0/$@ expand in the inner bash
  nohup "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" "${JAVA_OPTS[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$SERVER_PROPS" \
    </dev/null >>"$LOG_FILE" 2>&1 &
  disown || true

  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "launcher did not write $PID_FILE"

  wait_ready "$pid" "$offset"
  say "running on $KAFKA_HOST:$KAFKA_PORT (pid $pid, ready in $((SECONDS - t0))s, data $KAFKA_DATA_DIR)"
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$KAFKA_PORT"; then
      die "something answers on $KAFKA_HOST:$KAFKA_PORT but it was not started from $KAFKA_DATA_DIR; not stopping it"
    fi
    say "not running"
    return 0
  fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid did not exit within 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  say "stopped (data kept in $KAFKA_DATA_DIR)"
}

cmd_status() {
  if kafka_answers "$KAFKA_PORT"; then
    local pid extra=""
    pid="$(broker_pid)" && extra=" (pid $pid, data $KAFKA_DATA_DIR)"
    echo "running on $KAFKA_HOST:$KAFKA_PORT$extra"
    return 0
  fi
  if pid="$(broker_pid)"; then
    echo "starting (pid $pid) but not yet answering on $KAFKA_HOST:$KAFKA_PORT"
  else
    echo "not running on $KAFKA_HOST:$KAFKA_PORT"
  fi
  return 1
}

cmd_reset() {
  cmd_stop
  case "$KAFKA_DATA_DIR" in
    "" | "/" | "$HOME" | "$CACHE_ROOT") die "refusing to delete '$KAFKA_DATA_DIR'" ;;
  esac
  if [[ -d "$KAFKA_DATA_DIR" ]]; then
    # Only delete what looks like one of our data dirs.
    if [[ -n "$(ls -A "$KAFKA_DATA_DIR")" && ! -f "$SERVER_PROPS" && ! -d "$LOG_DIRS" ]]; then
      die "$KAFKA_DATA_DIR does not look like a kafka.sh data dir; not deleting it"
    fi
    rm -rf "$KAFKA_DATA_DIR"
  fi
  say "deleted $KAFKA_DATA_DIR"
}

cmd_logs() { tail -n "${1:-40}" "$LOG_FILE"; }

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  resolve) cmd_resolve ;;
  logs) shift; cmd_logs "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
