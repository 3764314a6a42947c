#!/usr/bin/env bash
# One boot checks two VM-mode steps: the container's root comes from an
# ext4 disk found by its label (not from the initramfs), and a virtio NIC
# found by its MAC gets its static address, MTU and default route. The NIC
# is QEMU user networking with restrict=on: the guest cannot reach
# anything outside the VM.
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"

BUSYBOX=$(command -v busybox)
disk=$QEMU_WORK/disk
mkdir -p "$disk/bin" "$disk/etc"
cp "$BUSYBOX" "$disk/bin/busybox"
for a in sh cat ip grep sed; do ln -s busybox "$disk/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$disk/etc/passwd"
echo 'root:x:0:' >"$disk/etc/group"
echo 'rootfs: from the disk' >"$disk/etc/marker"
mkfs.ext4 -q -L containerfs -d "$disk" "$QEMU_WORK/disk.img" 16M

cat >"$QEMU_WORK/config.json" <<'JSON'
{ "version": 1,
  "id": "e2e1000000000000000000000000000000000000000000000000000000000000",
  "name": "rootfs-net",
  "rootfs": { "source": "label:containerfs", "fstype": "ext4" },
  "networks": [ { "mac": "52:54:00:c0:00:05", "addresses": ["192.0.2.5/24"],
                  "gateway": "192.0.2.1", "mtu": 1400 } ],
  "sessions": [ { "id": "main", "primary": true, "path": "/bin/sh",
    "args": ["sh", "-c",
      "cat /etc/marker; test -e /init || echo 'rootfs: no initramfs files'; ip -4 addr | grep -o 'inet 192.0.2.5/24' | sed 's/^/net: /'; ip link | grep -o 'mtu 1400' | sed 's/^/net: /'; ip route | grep -o 'default via 192.0.2.1' | sed 's/^/net: /'"],
    "env": ["PATH=/bin"] } ] }
JSON

qemu_start --config "$QEMU_WORK/config.json" -- \
  -drive "file=$QEMU_WORK/disk.img,if=virtio,format=raw" \
  -netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0,mac=52:54:00:c0:00:05
for line in 'rootfs: from the disk' 'rootfs: no initramfs files' \
            'net: inet 192.0.2.5/24' 'net: mtu 1400' 'net: default via 192.0.2.1'; do
  qemu_wait_line "$line"
  echo "ok: $line"
done
qemu_wait_regex 'tether: .*exited with code 0.*' 30
qemu_wait_exit 30
echo "ok: powered off after $(qemu_elapsed_ms) ms"
