#!/bin/busybox sh
# /init of the benchmark floor (floor-initramfs.cpio.lz4): the least a
# container VM can do, printing one line and powering off, so that
# tests/bench/boot_bench.sh can tell what the tether adds to a boot.
# With floor.modules=1 on the kernel command line it first loads the module
# sets a linked container VM loads, to price that step on its own.
/bin/busybox mount -t proc proc /proc
if /bin/busybox grep -qw floor.modules=1 /proc/cmdline; then
  for set in load virtio console; do
    while read -r m; do
      /bin/busybox insmod "/lib/modules/tether/$m" 2>/dev/null
    done <"/lib/modules/tether/$set.order"
  done
fi
echo "floor: up"
exec /bin/busybox poweroff -f
