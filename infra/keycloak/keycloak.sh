#!/usr/bin/env bash
# Local Keycloak (OpenID Connect provider) for development and tests, run from the
# official org.keycloak:keycloak-quarkus-dist zip that Maven resolves from Maven
# Central (see pom.xml next to this file). No Docker, no Keycloak install. Dev mode
# (`kc.sh start-dev`: HTTP, embedded H2) on 127.0.0.1 only; production points the
# services at the State's own provider instead (see README.md).
#
#   infra/keycloak/keycloak.sh start|stop|status|reset|resolve|logs
#
# Environment knobs (defaults in brackets):
#   KEYCLOAK_PORT             HTTP port on 127.0.0.1 [8180]
#   KEYCLOAK_MANAGEMENT_PORT  management port (health) on 127.0.0.1 [9180]
#   KEYCLOAK_HOSTNAME         public base URL, fixes the tokens' issuer [http://127.0.0.1:$KEYCLOAK_PORT]
#   KEYCLOAK_DATA_DIR         per-instance home: H2 database, pid, keycloak.log
#                             [${NMIRF_CACHE_DIR:-$HOME/.cache/nmirf}/keycloak-data-$KEYCLOAK_PORT]
#   KEYCLOAK_REALM_FILE       realm imported on the first start, and afresh when the file changes
#                             [infra/keycloak/realm/nmirf.json]
#   JAVA_OPTS_KC_HEAP         JVM heap flags [-Xms128m -Xmx512m]
#   KEYCLOAK_START_TIMEOUT    seconds to wait for the realm's discovery document [180]
#   KC_BOOTSTRAP_ADMIN_USERNAME / _PASSWORD  master-realm admin, local only [admin / admin]
#   NMIRF_CACHE_DIR           cache root for the distribution and default data dirs [$HOME/.cache/nmirf]
#   MVN / JAVA                maven / java executables [mvn / $JAVA_HOME/bin/java or java]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"

# Single source of truth for the version: the <keycloak.version> property of pom.xml.
KC_VERSION="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$POM" | head -n1)"
[[ -n "$KC_VERSION" ]] || { echo "keycloak.sh: cannot read <keycloak.version> from $POM" >&2; exit 1; }

KC_HOST=127.0.0.1
KC_REALM=nmirf
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_MANAGEMENT_PORT="${KEYCLOAK_MANAGEMENT_PORT:-9180}"
KEYCLOAK_HOSTNAME="${KEYCLOAK_HOSTNAME:-http://$KC_HOST:$KEYCLOAK_PORT}"
CACHE_ROOT="${NMIRF_CACHE_DIR:-${HOME:-/tmp}/.cache/nmirf}"
KEYCLOAK_DATA_DIR="${KEYCLOAK_DATA_DIR:-$CACHE_ROOT/keycloak-data-$KEYCLOAK_PORT}"
KEYCLOAK_REALM_FILE="${KEYCLOAK_REALM_FILE:-$SCRIPT_DIR/realm/nmirf.json}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
MVN="${MVN:-mvn}"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi

DIST_DIR="$CACHE_ROOT/keycloak-$KC_VERSION"
MARKER="$DIST_DIR/.resolved"
# Present once start-dev has built this distribution with the options below.
BUILT_MARKER="$DIST_DIR/.built-start-dev"
# kc.sh derives its home from its own resolved path and keeps the database and the
# import directory under <home>/data. A per-port home (a copy of bin/, symlinks to
# the shared lib/, conf/, providers/, themes/) gives each instance its own data while
# the 180 MB distribution stays shared.
KC_HOME="$KEYCLOAK_DATA_DIR/home"
PID_FILE="$KEYCLOAK_DATA_DIR/keycloak.pid"
LOG_FILE="$KEYCLOAK_DATA_DIR/keycloak.log"
DISCOVERY_PATH="/realms/$KC_REALM/.well-known/openid-configuration"

say() { echo "keycloak.sh[$KEYCLOAK_PORT]: $*"; }
die() { echo "keycloak.sh[$KEYCLOAK_PORT]: $*" >&2; exit 1; }

for p in "$KEYCLOAK_PORT" "$KEYCLOAK_MANAGEMENT_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] || die "ports must be numeric (got '$p')"
done
[[ "$KEYCLOAK_PORT" != "$KEYCLOAK_MANAGEMENT_PORT" ]] || die "KEYCLOAK_PORT and KEYCLOAK_MANAGEMENT_PORT must differ"

# ---------------------------------------------------------------- artifacts --

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

resolved() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(pom_hash)" && -f "$DIST_DIR/bin/kc.sh" && -f "$DIST_DIR/lib/quarkus-run.jar" ]]
}

# Serialises resolution, and the first start-dev of a distribution, across instances:
# that start writes its build ("augmentation") into the shared lib/quarkus.
lock_dist() {
  mkdir -p "$CACHE_ROOT"
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$CACHE_ROOT/.keycloak-$KC_VERSION.lock"
    flock 8
  fi
}
unlock_dist() { if command -v flock >/dev/null 2>&1; then exec 8>&-; fi; }

do_resolve() {
  resolved && return 0
  command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; install Maven 3.x (apt-get install maven)"
  say "resolving org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central into $DIST_DIR ..."
  local t0=$SECONDS tmp="$CACHE_ROOT/keycloak-$KC_VERSION.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # Maven's output is kept only on failure (Debian's mvn also prints stray ANSI
  # escapes on stdout even with -q -B).
  if ! "$MVN" -q -B -Dstyle.color=never -f "$POM" dependency:unpack \
        -Dkeycloak.unpack.dir="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "maven resolution failed"
  fi
  rm -f "$tmp.log"
  [[ -f "$tmp/keycloak-$KC_VERSION/bin/kc.sh" ]] || { rm -rf "$tmp"; die "the zip did not contain keycloak-$KC_VERSION/bin/kc.sh"; }
  rm -rf "$DIST_DIR"
  mv "$tmp/keycloak-$KC_VERSION" "$DIST_DIR"
  rm -rf "$tmp"
  pom_hash >"$MARKER"
  say "resolved in $((SECONDS - t0))s ($(du -sh "$DIST_DIR" | cut -f1))"
}

# ------------------------------------------------------------------- probes --

port_open() { # port -> 0 if something accepts TCP connections on it
  # shellcheck disable=SC2016 # $0/$1 expand in the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$KC_HOST" "$1" 2>/dev/null
}

# 0 when the realm's discovery document answers 200: Keycloak is up, the realm is
# imported, and its issuer is the one tokens will carry. curl-free (bash /dev/tcp).
realm_answers() {
  local status
  # shellcheck disable=SC2016 # $0/$1/$2 expand in the inner bash
  status="$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n" "$2" "$0" "$1" >&3
      head -n1 <&3
    ' "$KC_HOST" "$KEYCLOAK_PORT" "$DISCOVERY_PATH" 2>/dev/null)" || return 1
  [[ "$status" =~ ^HTTP/[0-9.]+\ 200 ]]
}

# pid from the pid file if that process is alive and is our kc.sh/JVM (guards
# against a stale file whose pid has been reused).
server_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$KC_HOME" || return 1
  fi
  echo "$pid"
}

# ------------------------------------------------------------------- layout --

prepare_home() {
  mkdir -p "$KC_HOME/data/import"
  rm -rf "${KC_HOME:?}/bin"
  cp -R "$DIST_DIR/bin" "$KC_HOME/bin"
  local d
  for d in lib conf providers themes; do ln -sfn "$DIST_DIR/$d" "$KC_HOME/$d"; done
  # --import-realm reads every *.json in data/import and skips realms that already
  # exist, so copying on every start is harmless; `reset` makes it import afresh.
  [[ -f "$KEYCLOAK_REALM_FILE" ]] || die "realm file $KEYCLOAK_REALM_FILE not found"
  rm -f "$KC_HOME/data/import/"*.json
  cp "$KEYCLOAK_REALM_FILE" "$KC_HOME/data/import/$KC_REALM-realm.json"
}

# ----------------------------------------------------------------- commands --

cmd_resolve() { lock_dist; do_resolve; unlock_dist; say "distribution ready in $DIST_DIR"; }

wait_ready() { # pid log-offset t0
  local pid=$1 offset=$2 t0=$3 deadline=$((SECONDS + KEYCLOAK_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "---- last 40 lines of $LOG_FILE ----" >&2
      tail -c "+$((offset + 1))" "$LOG_FILE" 2>/dev/null | tail -n 40 >&2 || true
      rm -f "$PID_FILE"
      die "keycloak process $pid exited during startup"
    fi
    realm_answers && return 0
    sleep 0.5
  done
  echo "---- last 40 lines of $LOG_FILE ----" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  die "realm '$KC_REALM' not answering after ${KEYCLOAK_START_TIMEOUT}s (pid $pid still running; '$0 stop' to kill it); $((SECONDS - t0))s elapsed"
}

# The realm file's fingerprint at its last import: Keycloak imports a realm only once, so a
# changed file means a fresh import (the data is demo data, rebuilt from the file).
REALM_STAMP="$KEYCLOAK_DATA_DIR/realm.sha256"
realm_fingerprint() { sha256sum "$KEYCLOAK_REALM_FILE" | cut -d' ' -f1; }
realm_changed() { [[ -d "$KEYCLOAK_DATA_DIR" && "$(cat "$REALM_STAMP" 2>/dev/null)" != "$(realm_fingerprint)" ]]; }

cmd_start() {
  local t0=$SECONDS pid
  if realm_changed && { server_pid >/dev/null || ! realm_answers; }; then
    say "the realm file changed since its import; importing it afresh"
    cmd_reset
  fi
  if realm_answers; then
    say "Keycloak already answers on $KC_HOST:$KEYCLOAK_PORT (realm $KC_REALM); nothing to do"
    return 0
  fi
  lock_dist
  do_resolve
  # Built already: later starts only read lib/, so instances can start side by side.
  [[ -f "$BUILT_MARKER" ]] && unlock_dist
  command -v "$JAVA" >/dev/null 2>&1 || die "java ('$JAVA') not found; Java 17+ is required"

  if pid="$(server_pid)"; then
    # Ours, alive, not answering yet (still starting): just wait.
    say "keycloak pid $pid is starting; waiting for it"
    wait_ready "$pid" 0 "$t0"
    touch "$BUILT_MARKER"
    unlock_dist
    say "running on $KEYCLOAK_HOSTNAME/realms/$KC_REALM (pid $pid, data $KEYCLOAK_DATA_DIR)"
    return 0
  fi
  rm -f "$PID_FILE"
  for p in "$KEYCLOAK_PORT" "$KEYCLOAK_MANAGEMENT_PORT"; do
    if port_open "$p"; then
      die "port $KC_HOST:$p is in use by something that is not this Keycloak (no realm '$KC_REALM' there)"
    fi
  done

  prepare_home
  # Keep keycloak.log bounded across restarts: roll it once it passes 50 MB.
  if [[ -f "$LOG_FILE" ]] && (($(stat -c %s "$LOG_FILE") > 50 * 1024 * 1024)); then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
  local offset=0
  [[ -f "$LOG_FILE" ]] && offset="$(stat -c %s "$LOG_FILE")"
  echo "[$(date '+%F %T')] keycloak.sh: starting Keycloak $KC_VERSION on $KC_HOST:$KEYCLOAK_PORT" >>"$LOG_FILE"

  # The brute-force guard stays on (the realm's failure limits), but concurrent logins of one user
  # are allowed: parallel test suites sign the same demo users in, and Keycloak would otherwise lock
  # a user out for a minute with no failed login behind it.
  # Detach completely: own session (setsid), stdin from /dev/null, output appended to
  # keycloak.log, the dist lock (fd 8) not inherited. The inner bash writes its own pid
  # and execs kc.sh, which forwards SIGTERM to the JVM it starts.
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  # shellcheck disable=SC2016 # $$/$0/$@ expand in the inner bash
  JAVA="$JAVA" JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms128m -Xmx512m}" \
    KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}" \
    nohup "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$KC_HOME/bin/kc.sh" start-dev \
    --http-host="$KC_HOST" --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" --health-enabled=true \
    --hostname="$KEYCLOAK_HOSTNAME" \
    --import-realm --log-console-color=false \
    --spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true \
    </dev/null >>"$LOG_FILE" 2>&1 8>&- &
  disown || true

  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "launcher did not write $PID_FILE"

  wait_ready "$pid" "$offset" "$t0"
  realm_fingerprint >"$REALM_STAMP"
  touch "$BUILT_MARKER"
  unlock_dist
  say "running on $KEYCLOAK_HOSTNAME/realms/$KC_REALM (pid $pid, ready in $((SECONDS - t0))s, data $KEYCLOAK_DATA_DIR)"
}

cmd_stop() {
  local pid
  if ! pid="$(server_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$KEYCLOAK_PORT"; then
      die "something answers on $KC_HOST:$KEYCLOAK_PORT but it was not started from $KEYCLOAK_DATA_DIR; not stopping it"
    fi
    say "not running"
    return 0
  fi
  say "stopping pid $pid"
  # kc.sh forwards SIGTERM to its JVM and waits for it.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid did not exit within 30s; sending SIGKILL to its process group"
    # setsid made the launcher a session and group leader: the group is kc.sh + JVM.
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  say "stopped (data kept in $KEYCLOAK_DATA_DIR)"
}

cmd_status() {
  if realm_answers; then
    local pid extra=""
    pid="$(server_pid)" && extra=" (pid $pid, data $KEYCLOAK_DATA_DIR)"
    echo "running on $KEYCLOAK_HOSTNAME/realms/$KC_REALM$extra"
    return 0
  fi
  if pid="$(server_pid)"; then
    echo "starting (pid $pid) but realm '$KC_REALM' not yet answering on $KC_HOST:$KEYCLOAK_PORT"
  else
    echo "not running on $KC_HOST:$KEYCLOAK_PORT"
  fi
  return 1
}

cmd_reset() {
  cmd_stop
  case "$KEYCLOAK_DATA_DIR" in
    "" | "/" | "$HOME" | "$CACHE_ROOT" | "$DIST_DIR") die "refusing to delete '$KEYCLOAK_DATA_DIR'" ;;
  esac
  if [[ -d "$KEYCLOAK_DATA_DIR" ]]; then
    # Only delete what looks like one of our data dirs.
    if [[ -n "$(ls -A "$KEYCLOAK_DATA_DIR")" && ! -d "$KC_HOME" && ! -f "$LOG_FILE" ]]; then
      die "$KEYCLOAK_DATA_DIR does not look like a keycloak.sh data dir; not deleting it"
    fi
    rm -rf "$KEYCLOAK_DATA_DIR"
  fi
  say "deleted $KEYCLOAK_DATA_DIR; the next start imports the realm afresh"
}

cmd_logs() { tail -n "${1:-40}" "$LOG_FILE"; }

usage() {
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
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
