#!/usr/bin/env bash
# Run the @KernelTest (JUnit tag "kernel") tests of the testkit and the integration tests inside the ip_vs VM.
#
#   mvn -B verify                        # builds everything; writes the test classpaths
#   testkit/vm/run-kernel-tests.sh       # one VM boot, one JVM, all kernel tests
#
# Builds nothing: it needs <module>/target/{classes,test-classes} and the classpath file
# <module>/target/kernel-vm/test-classpath.txt that the build writes (mvn test-compile is
# enough) for each module in HA4J_KERNEL_TEST_MODULES (default "testkit integration-tests").
# 'mvn verify' calls it once, from the integration tests' verify phase: they come last in the
# reactor, so every module's classes exist by then (the end-to-end tests need the daemons).
# Run by hand, a module that is not built yet is left out with a note (the testkit is required).
# It fetches the JUnit Platform Console Launcher through Maven (same version as the build's
# junit.platform.version), starts ONE JVM in the VM (Java is 15-25x slower under TCG emulation
# than outside, so no Maven in there), streams its output and exits with the launcher's status:
# 0 all passed, 1 failures, 2 no kernel test found; 124 VM timeout, 125 infrastructure failure
# (see kernel-vm.sh).
#
# JUnit XML reports (TEST-*.xml) go to integration-tests/target/kernel-vm/reports.
# Extra arguments go to the launcher; with "--" first they replace the default scan, e.g.
#   testkit/vm/run-kernel-tests.sh -- --select-class io.ha4j.testkit.vm.KernelVmSmokeIT
# HA4J_VM_CDS=0 turns off the class-data-sharing archive (default on, see below);
# HA4J_VM_JAVA_OPTS adds JVM flags; HA4J_VM_* knobs of kernel-vm.sh apply too (the bridge module
# the end-to-end topologies use is added to HA4J_VM_MODULES).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
OUT=$REPO/integration-tests/target/kernel-vm
REPORTS=$OUT/reports
MODULES=${HA4J_KERNEL_TEST_MODULES:-testkit integration-tests}

log() { echo "[kernel-tests] $*" >&2; }
infra() { log "infrastructure failure: $*"; exit 125; }

# Called by 'mvn verify' (HA4J_KERNEL_TESTS_FROM_BUILD=1): on a machine that cannot boot the VM,
# say exactly why and skip, except under CI=true, where a skipped kernel test would hide a bug.
if [ "${HA4J_KERNEL_TESTS_FROM_BUILD:-0}" = 1 ]; then
  cannot() {
    if [ "${CI:-}" = true ]; then log "FAILED: kernel tests cannot run: $* (CI=true)"; exit 1; fi
    echo "[kernel-tests] SKIPPED: kernel tests cannot run: $*"
    echo "[kernel-tests] (they need Linux x86_64 and either root or qemu-system-x86, busybox-static, kmod, cpio, xz-utils, ipvsadm installed; -Dha4j.kernel.skip skips this step)"
    exit 0
  }
  [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || cannot "not Linux on x86_64 ($(uname -s)/$(uname -m))"
  if [ "$(id -u)" != 0 ]; then
    for c in qemu-system-x86_64 busybox cpio depmod; do
      command -v "$c" >/dev/null 2>&1 || [ -x "/sbin/$c" ] || [ -x "/bin/$c" ] \
        || cannot "'$c' is not installed and this is not root, so it cannot be installed"
    done
  fi
fi

# Per module: its test classpath file, its test classes (scanned) and its classes (none for the
# integration tests, which have test sources only).
cp_files=() test_dirs=() main_dirs=()
for m in $MODULES; do
  cpf=$REPO/$m/target/kernel-vm/test-classpath.txt
  missing=
  for f in "$cpf" "$REPO/$m/target/test-classes"; do
    [ -e "$f" ] || { missing=$f; break; }
  done
  if [ -n "$missing" ]; then
    if [ "${HA4J_KERNEL_TESTS_FROM_BUILD:-0}" = 1 ] || [ "$m" = testkit ]; then
      infra "$missing missing: run 'mvn -B verify' (or test-compile) first"
    fi
    log "module $m left out: $missing missing (mvn -B test-compile builds it)"
    continue
  fi
  cp_files+=("$cpf") test_dirs+=("$REPO/$m/target/test-classes")
  [ -d "$REPO/$m/target/classes" ] && main_dirs+=("$REPO/$m/target/classes")
done
[ ${#test_dirs[@]} -gt 0 ] || infra "no module to test (HA4J_KERNEL_TEST_MODULES='$MODULES')"
export HA4J_VM_MODULES="${HA4J_VM_MODULES:-} bridge"

# --- the console launcher, resolved through Maven like every other dependency ---------
version=$(sed -n 's:.*<junit.platform.version>\(.*\)</junit.platform.version>.*:\1:p' "$REPO/pom.xml" | head -1)
[ -n "$version" ] || infra "no junit.platform.version in $REPO/pom.xml"
launcher=$OUT/lib/junit-platform-console-standalone-$version.jar
if [ ! -s "$launcher" ]; then
  artifact=org.junit.platform:junit-platform-console-standalone:$version:jar
  # Run outside the project (no pom in $OUT/lib): fetching one jar needs no project model.
  mkdir -p "$OUT/lib"
  copy=(mvn -B -q -Dstyle.color=never dependency:copy "-Dartifact=$artifact" "-DoutputDirectory=$OUT/lib")
  (cd "$OUT/lib" && { "${copy[@]}" -o >/dev/null 2>&1 || "${copy[@]}" >&2; }) || infra "cannot fetch $artifact"
fi

# Jars first, directories last: a class-data archive only covers classes from jars, and the
# JVM refuses to dump one when a non-empty directory precedes a jar it archived from.
# The modules' classpaths overlap (the examples' holds the testkit's jar): each entry once,
# the class directories of the tested modules after every jar.
# (the build writes the files without a final newline)
classpath=$( { echo "$launcher"; for f in "${cp_files[@]}"; do tr ':' '\n' < "$f"; echo; done
               printf '%s\n' "${test_dirs[@]}" "${main_dirs[@]}"; } \
  | awk 'NF && !seen[$0]++' | paste -sd:)

# Under TCG the JIT barely pays off (C1 only), a 2-vCPU guest wants the simplest GC, and
# class loading dominates a short test run.
# The host's java by absolute path: the guest's PATH may find another one, which would
# also not match the class-data archive.
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=$(command -v java || true); fi
java=$(readlink -f "$java" 2>/dev/null || true)
[ -n "$java" ] && [ -x "$java" ] || infra "no java (set JAVA_HOME or put java on PATH)"
jvm=("$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx512m -XX:-UsePerfData)
# shellcheck disable=SC2206  # HA4J_VM_JAVA_OPTS: extra JVM flags, split on spaces
jvm+=(${HA4J_VM_JAVA_OPTS:-})

colors=()
[ -t 1 ] || colors=(--disable-ansi-colors)
# --scan-class-path DIR[:DIR...]: the modules' test classes (or the jars they are packed into)
scan_of() { local IFS=:; echo "$*"; }
scan=(--scan-class-path "$(scan_of "${test_dirs[@]}")")
scan_default=1
if [ "${1:-}" = -- ]; then shift; scan=(); scan_default=; fi
# launch REPORTS_DIR: the launcher's command line, into the array "launch"
set_launch() {
  local reports=$1
  shift
  launch=(org.junit.platform.console.ConsoleLauncher execute
    --disable-banner --fail-if-no-tests --reports-dir "$reports"
    --include-tag kernel "${colors[@]}"
    --include-engine junit-jupiter --include-engine jqwik  # not the launcher's vintage/suite
    --include-classname '^.*(Test|Tests|IT|Properties)$'  # the default pattern skips *IT
    "${scan[@]}" "$@")
}

# --- class-data sharing ------------------------------------------------------------------
# Loading and verifying the launcher's, JUnit's and the tests' classes is most of a short
# run's time under emulation. A dynamic CDS archive of them, dumped by running the very same
# command on the host (where the kernel tests just skip), lets the guest map them instead.
# JDK 17 archives only from jars and refuses any non-empty directory on the classpath, so the
# class directories are packed into jars first (uncompressed: cheaper to read in the guest).
# The JVM checks the archive against the jars (sizes and times) and silently falls back when
# they do not match, so a stale archive costs time, never correctness.
if [ "${HA4J_VM_CDS:-1}" = 1 ]; then
  cds=$OUT/cds
  mkdir -p "$cds/jars"
  dirs=$(tr ':' '\n' <<<"$classpath" | while read -r e; do [ -d "$e" ] && echo "$e"; done || true)
  key=$( { printf '%s\n' "$classpath" "$@"; sha256sum "$0"; "$java" -version 2>&1
           tr ':' '\n' <<<"$classpath" | while read -r e; do [ -f "$e" ] && stat -c '%n %s %Y' "$e"; done
           for d in $dirs; do find "$d" -type f -printf "$d/%P %s %T@\n" | sort; done; } \
         | sha256sum | cut -c1-16)
  jsa=$cds/kernel-tests-$key.jsa
  # directory -> jar named after its path, e.g. testkit_target_test-classes.jar
  jarred=$(tr ':' '\n' <<<"$classpath" | while read -r e; do
      if [ -d "$e" ]; then echo "$cds/jars/$(sed "s:^$REPO/::; s:/:_:g" <<<"$e").jar"
      elif [ -e "$e" ]; then echo "$e"; fi
    done | paste -sd:)
  test_jars=()
  for d in "${test_dirs[@]}"; do test_jars+=("$cds/jars/$(sed "s:^$REPO/::; s:/:_:g" <<<"$d").jar"); done
  if [ ! -s "$jsa" ]; then
    rm -f "$cds"/kernel-tests-*.jsa "$cds"/jars/*.jar
    t=$SECONDS
    for d in $dirs; do
      "$(dirname "$java")/jar" --create --no-compress --file "$cds/jars/$(sed "s:^$REPO/::; s:/:_:g" <<<"$d").jar" -C "$d" .
    done
    if [ -n "$scan_default" ]; then scan=(--scan-class-path "$(scan_of "${test_jars[@]}")"); fi
    set_launch "$cds/host-reports" "$@"
    # (in $cds: jqwik writes its database into the working directory)
    (cd "$cds" && env -u CI -u HA4J_KERNEL_VM "${jvm[@]}" -XX:ArchiveClassesAtExit="$jsa" \
      -cp "$jarred" "${launch[@]}" >"$cds/host-run.log" 2>&1) || true
    if [ -s "$jsa" ]; then
      log "class-data archive dumped on the host in $((SECONDS - t)) s"
    else
      log "no class-data archive (dump failed, see $cds/host-run.log); running without"
    fi
  fi
  if [ -s "$jsa" ]; then
    jvm+=(-XX:SharedArchiveFile="$jsa")
    classpath=$jarred
    if [ -n "$scan_default" ]; then scan=(--scan-class-path "$(scan_of "${test_jars[@]}")"); fi
  fi
fi

set_launch "$REPORTS" "$@"
rm -rf "$REPORTS"
mkdir -p "$REPORTS"
cd "$REPO"
# Only the reports dir is shared read-write: everything else is read through the VM's cached
# read-only view of the host, which is faster for jars and classes.
HA4J_VM_WORKDIR=$REPORTS "$HERE/kernel-vm.sh" "${jvm[@]}" -cp "$classpath" "${launch[@]}"
