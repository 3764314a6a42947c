#!/usr/bin/env bash
# A VM given only tether.iso (-cdrom) and its fw_cfg config boots the
# container: isolinux, the bzImage and the same initramfs, no other disk.
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"

qemu_config "$QEMU_WORK/config.json" -- /bin/sh -c 'echo "from $(cat /etc/tether-image)"'
qemu_start --iso "$TETHER_IMAGE_DIR/tether.iso" --config "$QEMU_WORK/config.json"
# The bzImage decompresses itself and isolinux reads through BIOS calls:
# under TCG on a busy machine this boot takes ~50 s, so it waits longer.
qemu_wait_regex 'from tether busybox image: .*' 180
echo "ok: container output after $(qemu_elapsed_ms) ms from the ISO ($(qemu_accel))"
qemu_wait_exit 30
[ "$QEMU_STATUS" == 0 ] || { qemu_console_tail; echo "FAIL: QEMU exited with $QEMU_STATUS" >&2; exit 1; }
echo "ok: the ISO-booted VM powered off"
