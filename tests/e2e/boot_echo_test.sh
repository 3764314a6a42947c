#!/usr/bin/env bash
# Boots the real image with -kernel vmlinux -initrd initramfs.cpio.lz4 and
# no endpoint: the container's output reaches the console and the VM
# powers off by itself when the primary exits.
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"

qemu_config "$QEMU_WORK/config.json" -- /bin/echo hello
qemu_start --config "$QEMU_WORK/config.json"
qemu_wait_line hello
echo "ok: hello on the console after $(qemu_elapsed_ms) ms ($(qemu_accel))"
qemu_wait_regex 'tether: .*exited with code 0.*' 30
qemu_wait_exit 30
[ "$QEMU_STATUS" == 0 ] || { qemu_console_tail; echo "FAIL: QEMU exited with $QEMU_STATUS" >&2; exit 1; }
echo "ok: the VM powered off and QEMU exited with 0"
