#!/usr/bin/env bash
# Real Helm 3.21, offline, without a helm binary: helm-java's native library (resolved from Maven
# Central by pom.xml next to this file) driven by HelmRunner.java, compiled once with javac.
#
#   infra/helm/helm.sh lint CHART [--strict]
#   infra/helm/helm.sh template CHART [--name N] [--namespace NS] [--kube-version V] [-f FILE]... [--set K=V]...
#   infra/helm/helm.sh batch < commands     (one command per line, tab-separated; JSON results)
#   infra/helm/helm.sh resolve | version
#
# The first run resolves ~32 MB of jars (about 40 s); later runs need neither Maven nor a network.
#
# Environment knobs (defaults in brackets):
#   NMIRF_CACHE_DIR   cache root [$HOME/.cache/nmirf]
#   MVN / JAVA / JAVAC  executables [mvn / $JAVA_HOME/bin/java or java / javac next to java]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"
RUNNER_SRC="$SCRIPT_DIR/HelmRunner.java"

HELM_JAVA_VERSION="$(sed -n 's:.*<helm-java.version>\(.*\)</helm-java.version>.*:\1:p' "$POM" | head -n1)"
[[ -n "$HELM_JAVA_VERSION" ]] || { echo "helm.sh: cannot read <helm-java.version> from $POM" >&2; exit 1; }

CACHE_ROOT="${NMIRF_CACHE_DIR:-${HOME:-/tmp}/.cache/nmirf}"
HOME_DIR="$CACHE_ROOT/helm-java-$HELM_JAVA_VERSION"
LIB_DIR="$HOME_DIR/lib"
MARKER="$HOME_DIR/.resolved"
MVN="${MVN:-mvn}"
if [[ -z "${JAVA:-}" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi

die() { echo "helm.sh: $*" >&2; exit 1; }

command -v "$JAVA" >/dev/null 2>&1 || die "java ('$JAVA') not found; Java 17 is required (apt-get install openjdk-17-jdk-headless)"
if [[ -z "${JAVAC:-}" ]]; then
  JAVAC="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
  [[ -x "$JAVAC" ]] || JAVAC=javac
fi

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

resolved() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(hash_of "$POM")" && -f "$LIB_DIR/helm-java-$HELM_JAVA_VERSION.jar" ]]
}

# The compiled runner sits under a directory named after the hash of the pom and the source, so an
# edit to either compiles anew and two versions never mix.
classes_dir() { echo "$HOME_DIR/classes-$(hash_of "$POM" "$RUNNER_SRC" | cut -c1-16)"; }

do_resolve() {
  resolved && return 0
  command -v "$MVN" >/dev/null 2>&1 || die "maven ('$MVN') not found; install Maven 3.x (apt-get install maven)"
  echo "helm.sh: resolving com.marcnuri.helm-java:helm-java:$HELM_JAVA_VERSION from Maven Central into $LIB_DIR ..." >&2
  local t0=$SECONDS tmp="$HOME_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  # Maven's output is kept only on failure (Debian's mvn prints stray ANSI escapes even with -q -B).
  if ! "$MVN" -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "maven resolution failed"
  fi
  rm -f "$tmp.log"
  [[ -f "$tmp/helm-java-$HELM_JAVA_VERSION.jar" ]] || { rm -rf "$tmp"; die "resolution did not produce helm-java-$HELM_JAVA_VERSION.jar"; }
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  hash_of "$POM" >"$MARKER"
  echo "helm.sh: resolved $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - t0))s" >&2
}

do_compile() {
  local classes
  classes="$(classes_dir)"
  [[ -f "$classes/HelmRunner.class" ]] && return 0
  command -v "$JAVAC" >/dev/null 2>&1 || die "javac ('$JAVAC') not found; a JDK 17 is required, not only a JRE"
  local tmp="$classes.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  "$JAVAC" -nowarn -encoding UTF-8 --release 17 -cp "$LIB_DIR/*" -d "$tmp" "$RUNNER_SRC" >&2 \
    || { rm -rf "$tmp"; die "javac failed on $RUNNER_SRC"; }
  rm -rf "$classes"
  mv "$tmp" "$classes"
}

prepare() {
  mkdir -p "$HOME_DIR"
  resolved && [[ -f "$(classes_dir)/HelmRunner.class" ]] && return 0
  # Serialise concurrent first runs (parallel test workers share the cache).
  exec 8>"$HOME_DIR/.lock"
  flock 8
  do_resolve
  do_compile
  exec 8>&-
}

case "${1:-}" in
  resolve)
    prepare
    echo "helm.sh: Helm ready ($LIB_DIR)" >&2
    ;;
  version | lint | template | batch)
    prepare
    # Go's log lines ([INFO] Missing required value…) go to stderr; the results go to stdout.
    exec "$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$(classes_dir):$LIB_DIR/*" HelmRunner "$@"
    ;;
  -h | --help | help | '')
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    [[ -n "${1:-}" ]] || exit 2
    ;;
  *)
    die "unknown command '$1' (lint, template, batch, resolve, version)"
    ;;
esac
