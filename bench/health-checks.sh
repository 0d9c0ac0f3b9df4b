#!/usr/bin/env bash
# Health-check engine benchmark: 10,000 TCP targets on loopback at a 1 s interval for 30 s.
# Prints checks/s, scheduling lateness p50/p99, process CPU and heap of the checking JVM.
# Serial GC: with a small live set on a 2-core box it spent a fifth of G1's GC time here.
# Usage: bench/health-checks.sh [TARGETS] [SECONDS] [INTERVAL_MS] [tcp|noop]
# "noop" runs checks that answer at once without I/O: a baseline for what the scheduler and the
# machine's load alone do to lateness.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=${1:-10000}
SECONDS_TO_RUN=${2:-30}
INTERVAL_MS=${3:-1000}
KIND=${4:-tcp}

# In one reactor run, so the classpath names this worktree's module jars, not ~/.m2 copies.
mvn -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
CP="bench/target/classes:$(cat bench/target/bench.classpath)"
MAIN=io.ha4j.bench.HealthCheckBenchmark
JVM=(-Xms256m -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

# The real servers run in their own JVM so the CPU figure below is the checker's alone.
java "${JVM[@]}" -cp "$CP" "$MAIN" serve "$WORK/servers" 4 &
SERVER_PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/servers" ] && break; sleep 0.1; done
[ -s "$WORK/servers" ] || { echo "servers did not start" >&2; exit 1; }

java "${JVM[@]}" -cp "$CP" "$MAIN" run "$WORK/servers" "$TARGETS" "$SECONDS_TO_RUN" "$INTERVAL_MS" "$KIND"
