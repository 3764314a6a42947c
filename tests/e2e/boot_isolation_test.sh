#!/usr/bin/env bash
# A root container cannot get at its VM's secrets (review F7): booted with
# the config in fw_cfg, it tries every way in a root shell would, and each
# must fail: unmount the mask over /sys/firmware, read fw_cfg's config,
# /dev/port (fw_cfg's I/O ports), /dev/mem, the tether's /proc/1/environ,
# /proc/1/mem and /proc/1/root, and mount a sysfs of its own. It holds
# docker's default capabilities and nothing more. Then the same container
# with "privileged": true gets every capability back and the umount works
# (docs/config.md).
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"

# try NAME CMD...: one console line per attempt, "iso NAME ok|denied".
read -r -d '' probe <<'SCRIPT' || true
try() {
  n=$1; shift
  if "$@" >/dev/null 2>&1; then echo "iso $n ok"; else echo "iso $n denied"; fi
}
echo "iso uid $(id -u)"
echo "iso $(grep CapEff /proc/self/status | tr -d '\t')"
echo "iso $(grep CapBnd /proc/self/status | tr -d '\t')"
try umount-firmware umount /sys/firmware
try fwcfg-config head -c 1 /sys/firmware/qemu_fw_cfg/by_name/opt/tether/config/raw
try fwcfg-dir ls /sys/firmware/qemu_fw_cfg
try dev-port dd if=/dev/port of=/dev/null bs=1 count=1 skip=1296
try dev-mem dd if=/dev/mem of=/dev/null bs=1 count=1
try proc1-environ head -c 1 /proc/1/environ
try proc1-mem dd if=/proc/1/mem of=/dev/null bs=1 count=1
try proc1-root ls /proc/1/root/
try mount-sysfs mount -t sysfs sysfs /sys
try mount-tmpfs mount -t tmpfs none /tmp
echo "iso done"
SCRIPT

# boot NAME PRIVILEGED: boots the probe; the console lines stay in $log.
boot() {
  local name=$1 privileged=$2
  qemu_config "$QEMU_WORK/$name.json" --name "$name" -- /bin/sh -c "$probe"
  if [ "$privileged" = yes ]; then
    sed -i 's/"debug": 0,/"debug": 0, "privileged": true,/' \
      "$QEMU_WORK/$name.json"
    grep -q '"privileged": true' "$QEMU_WORK/$name.json"
  fi
  qemu_start --config "$QEMU_WORK/$name.json"
  qemu_wait_line "iso done"
  qemu_wait_exit 60
  log=$(qemu_console_lines)
}

# expect LINE: the console has exactly this line.
expect() {
  grep -qFx -- "$1" <<<"$log" || {
    qemu_console_tail 40
    echo "FAIL: no console line [$1]" >&2
    exit 1
  }
  echo "ok: $1"
}

boot confined no
expect "iso uid 0"
# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
# NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP.
expect "iso CapEff:00000000a80425fb"
expect "iso CapBnd:00000000a80425fb"
for what in umount-firmware fwcfg-config fwcfg-dir dev-port dev-mem \
  proc1-environ proc1-mem proc1-root mount-sysfs mount-tmpfs; do
  expect "iso $what denied"
done

boot privileged yes
expect "iso uid 0"
expect "iso CapEff:000001ffffffffff"
expect "iso umount-firmware ok"
expect "iso fwcfg-config ok"
echo "ok: privileged gets it all back ($(qemu_accel))"
