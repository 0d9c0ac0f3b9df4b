# Stage 2 of the ip_vs VM: PID 1 after switch_root, run by the host's /bin/sh
# from the per-run exchange share (so editing it needs no cache rebuild).
# Mounts the kernel's module tree and the read-write work dir, loads the
# modules the tests need, runs the command, hands its exit status to the host
# through the exchange share and powers the VM off.
. /run/ha4j-vm/env
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb LANG=C.UTF-8

X=/run/ha4j-vm
say() { echo "[kernel-vm guest] $*"; }
finish() {
  echo "$1" > "$X/rc"
  sync
  # Flush what the command wrote to the work dir before the power goes.
  umount "$WORKDIR" 2>/dev/null
  [ "$DEBUG" = 1 ] && say "exit $1 at uptime $(cut -d' ' -f1 /proc/uptime)s"
  # QEMU's isa-debug-exit port: the VM ends at once, without the kernel's shutdown path
  # and its "reboot: Power down" line on the console. Power off is the fallback.
  printf '\0' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
  busybox poweroff -f
  sleep 60
}

[ "$DEBUG" = 1 ] && say "stage 2 at uptime $(cut -d' ' -f1 /proc/uptime)s"
stty -onlcr 2>/dev/null   # the serial console would otherwise turn \n into \r\n

P9=trans=virtio,version=9p2000.L,msize=512000
# The pruned module tree lives in the host's cache dir, visible through the root.
mkdir -p "/lib/modules/$KV" "$WORKDIR"
mount --bind "$MODULES_DIR" "/lib/modules/$KV" || { say "cannot bind $MODULES_DIR"; finish 125; }
mount -t 9p -o "$P9,cache=mmap" work "$WORKDIR" || { say "cannot mount work dir $WORKDIR"; finish 125; }
hostname ha4j-kernel-vm
ip link set lo up

# One modprobe for all: each extra process costs ~0.15 s under TCG.
if ! modprobe -a $REQUIRED_MODULES; then
  missing=
  for m in $REQUIRED_MODULES; do [ -d "/sys/module/$m" ] || missing="$missing $m"; done
  say "required modules failed to load:$missing"
  finish 125
fi
modprobe -a $OPTIONAL_MODULES 2>/dev/null || say "some optional modules not loaded ($OPTIONAL_MODULES)"
[ "$DEBUG" = 1 ] && say "modules loaded at uptime $(cut -d' ' -f1 /proc/uptime)s"

. "$X/exports"
# Tests check this marker to know a missing ip_vs is a harness bug, not a reason to skip.
export HA4J_KERNEL_VM=1
bash "$X/cmd" </dev/null
finish $?
