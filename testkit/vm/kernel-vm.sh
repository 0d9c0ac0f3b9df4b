#!/usr/bin/env bash
# Run ONE command inside a throw-away QEMU VM that boots Debian's stock kernel,
# which has ip_vs (and every IPVS scheduler, veth, dummy, GUE/GRE/IPIP tunnels)
# as loadable modules. The CI host's own kernel has no ip_vs and cannot load
# modules; this VM is where ha4j's @Tag("kernel") tests meet a real IPVS.
#
#   testkit/vm/kernel-vm.sh [--] COMMAND [ARGS...]
#   testkit/vm/kernel-vm.sh --prepare          # only install + build the cache
#
#   e.g. testkit/vm/kernel-vm.sh ipvsadm -Ln
#        testkit/vm/kernel-vm.sh sh -c 'ip netns add t && ip netns exec t ipvsadm -Ln'
#
# The guest sees the host's whole filesystem read-only (9p, with a tmpfs
# overlay on top: writes succeed and are discarded), so java, ipvsadm and the
# build output are simply there, at the same paths. HA4J_VM_WORKDIR is shared
# read-write (reports survive). COMMAND runs as root in the caller's cwd, its
# stdout+stderr stream to this script's stdout, HA4J_KERNEL_VM=1 is set for it,
# and CI, JAVA_HOME and HA4J_* variables pass through from the host.
# Loaded before COMMAND: ip_vs, every scheduler Debian's 6.1 ships (rr wrr lc
# wlc lblc lblcr dh sh sed nq fo ovf mh; it has no twos), veth, dummy, ipip,
# ip_gre, ip6_gre, ip6_tunnel, fou, fou6; if present also ip_vs_ftp, nlmon.
#
# Exit status: COMMAND's own status, or
#   124  the VM hit the HA4J_VM_TIMEOUT hard limit (it is always stopped),
#   125  infrastructure failure (packages, kernel download, qemu, guest boot,
#        a required module that would not load).
#
# Knobs (environment, all optional):
#   HA4J_VM_CACHE     cache dir for kernel + initramfs (default <repo>/.vm-cache)
#   HA4J_VM_ACCEL     auto | kvm | tcg (auto: KVM only on real hardware KVM)
#   HA4J_VM_TIMEOUT   seconds before the VM is killed (default 600)
#   HA4J_VM_MEM       MiB (default 2048)     HA4J_VM_CPUS (default 2)
#   HA4J_VM_WORKDIR   host dir shared read-write (default: cwd; never /)
#   HA4J_VM_MODULES   extra modules to load (required)
#   HA4J_VM_KERNEL    apt package (default linux-image-amd64, resolved to the
#                     versioned package once; HA4J_VM_REFRESH=1 re-resolves)
#   HA4J_VM_DEBUG=1   kernel messages, uptime marks, the qemu command line
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)

CACHE=${HA4J_VM_CACHE:-$REPO/.vm-cache}
ACCEL=${HA4J_VM_ACCEL:-auto}
TIMEOUT=${HA4J_VM_TIMEOUT:-600}
MEM=${HA4J_VM_MEM:-2048}
CPUS=${HA4J_VM_CPUS:-2}
WORKDIR=${HA4J_VM_WORKDIR:-$PWD}
KERNEL_PKG=${HA4J_VM_KERNEL:-linux-image-amd64}
DEBUG=${HA4J_VM_DEBUG:-0}

# ip_vs and every scheduler Debian's 6.1 ships (it has no ip_vs_twos:
# CONFIG_IP_VS_TWOS is not set in linux-image-6.1.0-*-amd64); veth/dummy for topologies;
# the tunnel drivers so TUN destinations with ipip / GUE (fou) / GRE can be
# exercised end to end. A required module that fails to load is an infra
# failure (exit 125), never a silently thinner test run.
REQUIRED_MODULES="ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh
  ip_vs_sh ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh
  veth dummy ipip ip_gre ip6_gre ip6_tunnel fou fou6 ${HA4J_VM_MODULES:-}"
# nlmon lets a test record the guest's netlink traffic (compare our bytes with ipvsadm's).
OPTIONAL_MODULES="ip_vs_ftp nlmon"

# What the initramfs needs to reach the host's root over virtio-9p.
INITRAMFS_MODULES="virtio_pci 9pnet_virtio 9p overlay"
HOST_PACKAGES="qemu-system-x86 busybox-static kmod cpio xz-utils ipvsadm iproute2"

log() { echo "[kernel-vm] $*" >&2; }
infra() { log "infrastructure failure: $*"; exit 125; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_host_packages() {
  local p missing=
  for p in $HOST_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  log "installing:$missing"
  as_root apt-get update -qq >&2 || infra "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2 \
    || infra "apt-get install$missing"
}

# The cache key covers everything baked into the initramfs, so editing the
# stage-1 init or its module list rebuilds it without a manual version bump.
initramfs_key() {
  { cat "$HERE/guest/init"; echo "$INITRAMFS_MODULES"; sha256sum /bin/busybox; } | sha256sum | cut -c1-12
}

# Sets KDIR (cache entry) and KV (kernel release). Resolving the metapackage
# costs seconds of apt-cache; the resolution is remembered in $CACHE.
ensure_kernel() {
  local pin="$CACHE/resolved-$KERNEL_PKG" key
  key=$(initramfs_key)
  mkdir -p "$CACHE" || infra "cannot create cache dir $CACHE"
  if [ "${HA4J_VM_REFRESH:-0}" != 1 ] && [ -s "$pin" ] && [ -e "$CACHE/$(cat "$pin")/ready-$key" ]; then
    KDIR="$CACHE/$(cat "$pin")"; KV=$(cat "$KDIR/release"); return 0
  fi
  # Two runs sharing a cache must not build the same entry at once.
  exec 9>"$CACHE/.lock"
  flock 9
  apt-cache show "$KERNEL_PKG" >/dev/null 2>&1 || as_root apt-get update -qq >&2 || infra "apt-get update"
  resolve_kernel
  if [ ! -e "$KDIR/ready-$key" ] && ! ls "$KDIR"/*.deb >/dev/null 2>&1; then
    if ! download_kernel; then
      # stale package lists can name a version the mirror has since replaced
      log "download of $PKG=$VER failed; refreshing the package lists"
      as_root apt-get update -qq >&2 || infra "apt-get update"
      resolve_kernel
      download_kernel || infra "apt-get download $PKG=$VER"
    fi
  fi
  [ -e "$KDIR/ready-$key" ] || build_kernel_entry "$key"
  KV=$(cat "$KDIR/release")
  basename "$KDIR" > "$pin"
  flock -u 9
}

# Sets PKG, VER and KDIR: linux-image-amd64 -> linux-image-6.1.0-NN-amd64 and its version.
resolve_kernel() {
  PKG=$(apt-cache depends --important "$KERNEL_PKG" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  PKG=${PKG:-$KERNEL_PKG}
  VER=$(apt-cache show --no-all-versions "$PKG" 2>/dev/null | awk '/^Version:/ {print $2; exit}')
  [ -n "$VER" ] || infra "apt knows no package $PKG (Debian bookworm sources needed)"
  KDIR="$CACHE/${PKG}_$VER"
}

download_kernel() {
  local tmp
  tmp=$(mktemp -d "$CACHE/.download.XXXXXX")
  # (as root, apt warns that user _apt cannot write to the directory: harmless)
  if (cd "$tmp" && apt-get download -q "$PKG=$VER" >&2 2>/dev/null); then
    mkdir -p "$KDIR" && mv "$tmp"/*.deb "$KDIR/" && rmdir "$tmp"
  else
    rm -rf "$tmp"
    return 1
  fi
}

# Unpacks the cached .deb into the kernel, its pruned module tree and the initramfs.
build_kernel_entry() {
  local key=$1 tmp kv mods off started=$SECONDS
  log "preparing $PKG $VER in $KDIR (first run only)"
  tmp=$(mktemp -d "$CACHE/.build.XXXXXX")
  rm -f "$KDIR"/ready-*
  dpkg-deb -x "$KDIR"/*.deb "$tmp/x" || infra "dpkg-deb -x"
  kv=$(ls "$tmp/x/lib/modules")
  cp "$tmp/x/boot/vmlinuz-$kv" "$KDIR/vmlinuz"
  cp "$tmp/x/boot/config-$kv" "$KDIR/config"
  local opt
  for opt in IP_VS 9P_FS NET_9P_VIRTIO OVERLAY_FS VETH DUMMY NET_FOU NET_IPGRE; do
    grep -q "^CONFIG_$opt=[ym]" "$KDIR/config" || infra "$PKG lacks CONFIG_$opt"
  done
  # Under TCG, decompressing the xz kernel in the guest costs seconds. QEMU can
  # boot the uncompressed ELF directly through its PVH entry note, so unpack
  # the payload once here (Debian builds with CONFIG_KERNEL_XZ and CONFIG_PVH).
  rm -f "$KDIR/vmlinux"
  if grep -q '^CONFIG_PVH=y' "$KDIR/config"; then
    off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$KDIR/vmlinuz" | head -1 | cut -d: -f1)
    if [ -n "$off" ]; then
      # (a file, not a pipe: xz stops at the stream's end and tail would die of SIGPIPE)
      tail -c +$((off + 1)) "$KDIR/vmlinuz" > "$tmp/payload.xz"
      xz -dc --single-stream "$tmp/payload.xz" > "$KDIR/vmlinux.tmp" 2>/dev/null \
        && mv "$KDIR/vmlinux.tmp" "$KDIR/vmlinux"
    fi
    rm -f "$KDIR/vmlinux.tmp"
  fi
  # Drop the module subtrees a headless VM never loads (GPU, sound, wifi, NIC,
  # storage, USB...): 400 MB down to about a quarter, and depmod runs faster.
  mods="$tmp/x/lib/modules/$kv"
  (cd "$mods/kernel" && rm -rf sound drivers/gpu drivers/media drivers/infiniband drivers/staging \
    drivers/net/wireless drivers/net/ethernet drivers/net/usb drivers/scsi drivers/usb drivers/hid \
    drivers/input drivers/iio drivers/isdn drivers/mtd drivers/bluetooth net/bluetooth net/mac80211 \
    net/wireless drivers/hwmon drivers/platform drivers/md drivers/nvme drivers/ata drivers/mmc)
  rm -rf "$KDIR/root"
  mkdir -p "$KDIR/root/lib/modules"
  mv "$mods" "$KDIR/root/lib/modules/$kv"
  depmod -b "$KDIR/root" "$kv" || infra "depmod"
  echo "$kv" > "$KDIR/release"
  build_initramfs "$kv" "$tmp/initramfs"
  rm -rf "$tmp"
  touch "$KDIR/ready-$key"
  log "kernel $kv ready in $((SECONDS - started)) s"
}

build_initramfs() {
  local kv=$1 ir=$2 f
  mkdir -p "$ir"/{bin,dev,proc,sys,modules}
  cp /bin/busybox "$ir/bin/busybox"
  cp "$HERE/guest/init" "$ir/init"
  chmod 755 "$ir/init"
  # The host's modprobe resolves the dependency order against the cached tree
  # (modules built into the kernel show up as "builtin" and need nothing).
  local deps
  deps=$(modprobe -d "$KDIR/root" -S "$kv" --show-depends -a $INITRAMFS_MODULES) \
    || infra "cannot resolve initramfs modules ($INITRAMFS_MODULES)"
  : > "$ir/modules/order"
  for f in $(awk '$1 == "insmod" && !seen[$2]++ {print $2}' <<<"$deps"); do
    cp "$f" "$ir/modules/"
    basename "$f" >> "$ir/modules/order"
  done
  (cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) > "$KDIR/initramfs.img" || infra "cpio"
}

# KVM only where it is real hardware virtualisation: a /dev/kvm backed by
# kvm_pvm (software PVM, as on this project's dev machines) only runs
# PVM-patched guests and a stock kernel hangs silently there.
pick_accel() {
  case $ACCEL in
    kvm|tcg) echo "$ACCEL"; return ;;
    auto) ;;
    *) infra "HA4J_VM_ACCEL must be auto, kvm or tcg, not '$ACCEL'" ;;
  esac
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] \
     && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
    echo kvm
  else
    echo tcg
  fi
}

write_exchange() {
  local x=$1 v
  shift
  cp "$HERE/guest/stage2.sh" "$x/stage2.sh"
  {
    printf 'KV=%q\n' "$KV"
    printf 'MODULES_DIR=%q\n' "$KDIR/root/lib/modules/$KV"
    printf 'WORKDIR=%q\n' "$WORKDIR"
    printf 'REQUIRED_MODULES=%q\n' "$(echo $REQUIRED_MODULES)"
    printf 'OPTIONAL_MODULES=%q\n' "$OPTIONAL_MODULES"
    printf 'DEBUG=%q\n' "$DEBUG"
  } > "$x/env"
  # Variables the command should see as on the host; CI=true in particular
  # turns a missing ip_vs into a failure instead of a skip.
  : > "$x/exports"
  for v in CI JAVA_HOME $(compgen -e | grep '^HA4J_' || true); do
    [ -n "${!v+x}" ] && printf 'export %s=%q\n' "$v" "${!v}" >> "$x/exports"
  done
  { printf 'cd %q || exit 125\nexec' "$PWD"; printf ' %q' "$@"; echo; } > "$x/cmd"
}

# the header comment of this file
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

QEMU_PID=
EXCHANGE=
on_signal() {
  log "interrupted: stopping the VM"
  [ -n "$QEMU_PID" ] && kill -TERM "$QEMU_PID" 2>/dev/null
  exit "$1"
}

main() {
  local prepare=0
  case ${1:-} in
    --prepare) prepare=1; shift ;;
    --) shift ;;
    -h|--help) usage; exit 0 ;;
  esac
  [ $prepare = 1 ] || [ $# -gt 0 ] || { usage >&2; exit 2; }
  [ "$(uname -m)" = x86_64 ] || infra "x86_64 hosts only"
  WORKDIR=$(cd "$WORKDIR" 2>/dev/null && pwd -P) || infra "HA4J_VM_WORKDIR is not a directory"
  [ "$WORKDIR" != / ] || infra "HA4J_VM_WORKDIR must not be /"
  case $WORKDIR${TMPDIR:-/tmp} in *,*) infra "paths with ',' cannot be shared over 9p" ;; esac

  local t0=$SECONDS
  ensure_host_packages
  ensure_kernel
  [ $prepare = 1 ] && { log "cache ready: $KDIR ($KV)"; return 0; }

  local accel x kernel rc qrc
  accel=$(pick_accel)
  x=$(mktemp -d "${TMPDIR:-/tmp}/ha4j-vm.XXXXXX") || infra "mktemp"
  EXCHANGE=$x
  trap 'rm -rf "$EXCHANGE"' EXIT
  trap 'on_signal 130' INT
  trap 'on_signal 143' TERM
  write_exchange "$x" "$@"

  kernel="$KDIR/vmlinux"; [ -s "$kernel" ] || kernel="$KDIR/vmlinuz"
  local append="console=ttyS0 panic=-1 oops=panic rdinit=/init"
  if [ "$DEBUG" = 1 ]; then append="$append printk.time=1"; else append="$append quiet loglevel=1"; fi
  # shellcheck disable=SC2054  # commas are qemu option syntax
  local -a qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
    -m "$MEM" -smp "$CPUS" -kernel "$kernel" -initrd "$KDIR/initramfs.img" -append "$append"
    -chardev stdio,id=console,signal=off -serial chardev:console -nic none
    -device isa-debug-exit,iobase=0xf4,iosize=0x04
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
    -virtfs "local,path=$WORKDIR,mount_tag=work,security_model=none,multidevs=remap"
    -virtfs "local,path=$x,mount_tag=exchange,security_model=none")
  if [ "$accel" = kvm ]; then
    qemu+=(-accel kvm -cpu host)
  else
    # shellcheck disable=SC2054
    qemu+=(-accel tcg,thread=multi -cpu qemu64)
  fi
  [ "$DEBUG" = 1 ] && log "qemu: ${qemu[*]}"
  log "booting $KV ($accel, $CPUS vCPU, $MEM MiB, hard timeout ${TIMEOUT}s)"

  local t1=$SECONDS
  timeout --kill-after=10 "$TIMEOUT" "${qemu[@]}" </dev/null &
  QEMU_PID=$!
  set +e
  wait "$QEMU_PID"; qrc=$?
  set -e
  QEMU_PID=
  if [ -s "$x/rc" ]; then
    rc=$(cat "$x/rc")
  elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
    log "TIMEOUT: the VM ran for ${TIMEOUT}s and was killed"; rc=124
  else
    log "infrastructure failure: the VM stopped without an exit status (qemu exit $qrc)"; rc=125
  fi
  log "exit $rc; VM $((SECONDS - t1)) s, total $((SECONDS - t0)) s"
  return "$rc"
}

main "$@"
