#!/usr/bin/env bash
# ha4j's IPVS client against ipvsadm 1.31 on the same real ip_vs, in ONE boot of the kernel VM
# (testkit/vm/kernel-vm.sh; TCG emulation here, so absolute figures are slow, the ratios are what
# counts): program SERVICES x SERVERS from an empty table, a 10% change set, a full dump. Ours runs
# in one precompiled JVM (io.ha4j.bench.ipvs.IpvsKernelBenchmark) and is timed inside it, the
# JVM's start-up printed apart; ipvsadm runs as a process per step (-R from the equivalent rules
# file, -Sn), which is what using it costs. Round 1 is a cold JVM, later rounds warm.
# Targets: ours/ipvsadm <= 0.5 to program, <= 1.0 to dump.
# Usage: bench/ipvs-vs-ipvsadm.sh [SERVICES] [SERVERS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${1:-1000}
SERVERS=${2:-10}
ROUNDS=${3:-3}

# In one reactor run, so the classpath names this worktree's module jars, not ~/.m2 copies.
mvn -B -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dha4j.kernel.skip=true \
  -Dmdep.outputFile=target/bench.classpath
CP="$PWD/bench/target/classes:$(cat bench/target/bench.classpath)"
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=$(command -v java); fi
java=$(readlink -f "$java")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/run.sh" <<SCRIPT
set -eu
for ns in ha4j-bench-ours ha4j-bench-ipvsadm; do ip netns add \$ns; ip -n \$ns link set lo up; done
trap 'ip netns del ha4j-bench-ours; ip netns del ha4j-bench-ipvsadm' EXIT
echo "kernel \$(uname -r), ipvsadm \$(ipvsadm -v 2>&1 | head -1), $($java -version 2>&1 | head -1)"
t0=\$(date +%s%N)
"$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  io.ha4j.bench.ipvs.IpvsKernelBenchmark ha4j-bench-ours ha4j-bench-ipvsadm $SERVICES $SERVERS $ROUNDS
echo "whole JVM run, start-up included: \$(( (\$(date +%s%N) - t0) / 1000000 )) ms"
SCRIPT
HA4J_VM_WORKDIR=$WORK HA4J_VM_TIMEOUT=${HA4J_VM_TIMEOUT:-1200} testkit/vm/kernel-vm.sh bash "$WORK/run.sh"
