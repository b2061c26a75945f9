#!/usr/bin/env bash
# GreenMail standalone (SMTP server with a REST API to read what it received) for local development
# and tests, run straight from the com.icegreen:greenmail-standalone jar that Maven resolves from
# Maven Central (see pom.xml next to this file). Like infra/kafka/kafka.sh and infra/keycloak/keycloak.sh.
#
#   infra/greenmail/greenmail.sh start|stop|status|resolve|logs
#
# Environment knobs (defaults in brackets):
#   GREENMAIL_SMTP_PORT     SMTP on 127.0.0.1 [3025]
#   GREENMAIL_API_PORT      REST API on 127.0.0.1 (/api/user/{email}/messages/INBOX) [8025]
#   GREENMAIL_DATA_DIR      pid and log [${NMIRF_CACHE_DIR:-$HOME/.cache/nmirf}/greenmail-data-$GREENMAIL_SMTP_PORT]
#   GREENMAIL_START_TIMEOUT seconds to wait for readiness [60]
#   NMIRF_CACHE_DIR         cache root for the jar [$HOME/.cache/nmirf]
#   MVN / JAVA              maven / java executables [mvn / $JAVA_HOME/bin/java or java]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"

GM_VERSION="$(sed -n 's:.*<greenmail.version>\(.*\)</greenmail.version>.*:\1:p' "$POM" | head -n1)"
[[ -n "$GM_VERSION" ]] || { echo "greenmail.sh: cannot read <greenmail.version> from $POM" >&2; exit 1; }

GM_HOST=127.0.0.1
GREENMAIL_SMTP_PORT="${GREENMAIL_SMTP_PORT:-3025}"
GREENMAIL_API_PORT="${GREENMAIL_API_PORT:-8025}"
CACHE_ROOT="${NMIRF_CACHE_DIR:-${HOME:-/tmp}/.cache/nmirf}"
GREENMAIL_DATA_DIR="${GREENMAIL_DATA_DIR:-$CACHE_ROOT/greenmail-data-$GREENMAIL_SMTP_PORT}"
GREENMAIL_START_TIMEOUT="${GREENMAIL_START_TIMEOUT:-60}"
MVN="${MVN:-mvn}"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi

DIST_DIR="$CACHE_ROOT/greenmail-$GM_VERSION"
JAR="$DIST_DIR/greenmail-standalone.jar"
MARKER="$DIST_DIR/.resolved"
PID_FILE="$GREENMAIL_DATA_DIR/greenmail.pid"
LOG_FILE="$GREENMAIL_DATA_DIR/greenmail.log"

say() { echo "greenmail.sh[$GREENMAIL_SMTP_PORT]: $*"; }
die() { echo "greenmail.sh[$GREENMAIL_SMTP_PORT]: $*" >&2; exit 1; }

for p in "$GREENMAIL_SMTP_PORT" "$GREENMAIL_API_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] || die "ports must be numeric (got '$p')"
done
[[ "$GREENMAIL_SMTP_PORT" != "$GREENMAIL_API_PORT" ]] || die "GREENMAIL_SMTP_PORT and GREENMAIL_API_PORT must differ"

# ---------------------------------------------------------------- artifacts --

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

resolved() { [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(pom_hash)" && -f "$JAR" ]]; }

do_resolve() {
  resolved && return 0
  mkdir -p "$DIST_DIR"
  # Serialise concurrent resolutions (two test runs started at once share the cache).
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$DIST_DIR/.lock"
    flock 8
    if resolved; then exec 8>&-; return 0; fi
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; install Maven 3.x (apt-get install maven)"
  say "resolving com.icegreen:greenmail-standalone:$GM_VERSION from Maven Central into $DIST_DIR ..."
  local t0=$SECONDS tmp="$DIST_DIR/jar.tmp.$$"
  rm -rf "$tmp"
  if ! "$MVN" -q -B -Dstyle.color=never -f "$POM" dependency:copy -Dgreenmail.dir="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "maven resolution failed"
  fi
  rm -f "$tmp.log"
  [[ -f "$tmp/greenmail-standalone.jar" ]] || { rm -rf "$tmp"; die "resolution did not produce greenmail-standalone.jar"; }
  mv -f "$tmp/greenmail-standalone.jar" "$JAR"
  rm -rf "$tmp"
  pom_hash >"$MARKER"
  say "resolved in $((SECONDS - t0))s"
  if command -v flock >/dev/null 2>&1; then exec 8>&-; fi
}

# ------------------------------------------------------------------- probes --

port_open() { # port -> 0 if something accepts TCP connections on it
  # shellcheck disable=SC2016 # $0/$1 expand in the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$GM_HOST" "$1" 2>/dev/null
}

# A GreenMail that serves: its REST API answers the configuration and SMTP greets with 220.
greenmail_answers() {
  local status greeting
  # shellcheck disable=SC2016
  status="$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "GET /api/configuration HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n" "$0" "$1" >&3
      head -n1 <&3
    ' "$GM_HOST" "$GREENMAIL_API_PORT" 2>/dev/null)" || return 1
  [[ "$status" =~ ^HTTP/[0-9.]+\ 200 ]] || return 1
  # shellcheck disable=SC2016
  greeting="$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      head -n1 <&3
      printf "QUIT\r\n" >&3
    ' "$GM_HOST" "$GREENMAIL_SMTP_PORT" 2>/dev/null)" || return 1
  [[ "$greeting" =~ ^220 ]]
}

# pid from the pid file if that process is alive and is our server (guards against a reused pid).
server_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "greenmail.smtp.port=$GREENMAIL_SMTP_PORT" || return 1
  fi
  echo "$pid"
}

# ----------------------------------------------------------------- commands --

cmd_resolve() { do_resolve; say "jar ready at $JAR"; }

cmd_start() {
  local t0=$SECONDS pid
  if greenmail_answers; then
    say "GreenMail already answers on $GM_HOST:$GREENMAIL_SMTP_PORT (API $GREENMAIL_API_PORT); nothing to do"
    return 0
  fi
  do_resolve
  command -v "$JAVA" >/dev/null 2>&1 || die "java ('$JAVA') not found; Java 11+ is required"
  mkdir -p "$GREENMAIL_DATA_DIR"
  if ! pid="$(server_pid)"; then
    rm -f "$PID_FILE"
    for p in "$GREENMAIL_SMTP_PORT" "$GREENMAIL_API_PORT"; do
      port_open "$p" && die "port $GM_HOST:$p is in use by something that is not this GreenMail"
    done
    local launcher=()
    command -v setsid >/dev/null 2>&1 && launcher=(setsid)
    echo "[$(date '+%F %T')] greenmail.sh: starting GreenMail $GM_VERSION" >>"$LOG_FILE"
    # Any user and password are accepted, and a mail to an unknown address creates its mailbox.
    nohup "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
      "$JAVA" -Xms32m -Xmx256m \
      -Dgreenmail.smtp.hostname="$GM_HOST" -Dgreenmail.smtp.port="$GREENMAIL_SMTP_PORT" \
      -Dgreenmail.api.hostname="$GM_HOST" -Dgreenmail.api.port="$GREENMAIL_API_PORT" \
      -Dgreenmail.auth.disabled \
      -jar "$JAR" </dev/null >>"$LOG_FILE" 2>&1 &
    disown || true
    for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ -n "$pid" ]] || die "launcher did not write $PID_FILE"
  fi
  local deadline=$((SECONDS + GREENMAIL_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "---- last 40 lines of $LOG_FILE ----" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "greenmail process $pid exited during startup"
    fi
    if greenmail_answers; then
      say "running: SMTP $GM_HOST:$GREENMAIL_SMTP_PORT, API http://$GM_HOST:$GREENMAIL_API_PORT (pid $pid, ready in $((SECONDS - t0))s)"
      return 0
    fi
    sleep 0.3
  done
  echo "---- last 40 lines of $LOG_FILE ----" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  die "GreenMail not answering after ${GREENMAIL_START_TIMEOUT}s (pid $pid still running; '$0 stop' to kill it)"
}

cmd_stop() {
  local pid
  if ! pid="$(server_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  say "stopped (pid $pid)"
}

cmd_status() {
  local pid
  if greenmail_answers; then
    pid="$(server_pid || echo '?')"
    say "running (pid $pid): SMTP $GM_HOST:$GREENMAIL_SMTP_PORT, API http://$GM_HOST:$GREENMAIL_API_PORT"
    return 0
  fi
  say "not running"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  resolve) cmd_resolve ;;
  logs) tail -n "${2:-100}" "$LOG_FILE" ;;
  *) echo "usage: $0 start|stop|status|resolve|logs" >&2; exit 2 ;;
esac
