#!/usr/bin/env bash
# reproducible_test.sh BUILD_DIR TETHER: builds the boot artifacts a second
# time, into a fresh directory under another umask and temp dir, and checks
# that every one is byte-identical to BUILD_DIR/share/tether (the ctest
# fixture's build); then checks the initramfs layout against
# notes/vm_contract.md.
set -euo pipefail
build=${1:?usage: reproducible_test.sh BUILD_DIR TETHER}
tether=${2:?usage: reproducible_test.sh BUILD_DIR TETHER}
here=$(cd "$(dirname "$0")" && pwd)
first=$build/share/tether
work=$(mktemp -d /tmp/tether-repro.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Different surroundings, same inputs: only the output may not differ.
(umask 077 && TMPDIR=$work "$here/build.sh" --tether "$tether" --out "$work/second" "$build" all) >/dev/null
for f in vmlinux initramfs.cpio.lz4 floor-initramfs.cpio.lz4 tether.iso; do
  a=$(sha256sum <"$first/$f" | cut -d' ' -f1)
  b=$(sha256sum <"$work/second/$f" | cut -d' ' -f1)
  [ "$a" == "$b" ] || fail "$f differs between two builds: $a vs $b"
  echo "ok: $f reproducible, sha256 $a"
done

# The layout: listed with numeric owners; every entry is 0:0 and dated
# SOURCE_DATE_EPOCH (0 here: 1970).
list=$work/list
lz4 -dc "$first/initramfs.cpio.lz4" | cpio -itv --numeric-uid-gid --quiet >"$list" 2>/dev/null
names=$(lz4 -dc "$first/initramfs.cpio.lz4" | cpio -it --quiet 2>/dev/null)
has() { grep -qx -- "$1" <<<"$names" || fail "initramfs has no $1"; }
for p in init bin/busybox bin/sh sbin/poweroff etc/passwd etc/group \
  etc/tether-image dev/console dev/null \
  root tmp home proc sys dev run mnt; do
  has "$p"
done
awk '$3 != 0 || $4 != 0 {bad = 1} END {exit bad}' "$list" ||
  fail "an initramfs entry is not owned by 0:0"
awk '$0 !~ / 1970 / {bad = 1} END {exit bad}' "$list" ||
  fail "an initramfs entry is not dated SOURCE_DATE_EPOCH (0)"
grep -q '^crw------- .* 5, *1 .* dev/console$' "$list" ||
  fail "dev/console is not the character device 5,1"
grep -q '^drwxrwxrwt .* tmp$' "$list" || fail "tmp is not 1777"
# Every module set's order file is there, lists its modules after their
# dependencies, and every file it names is in the image (modules.sh checked
# the order when it wrote the lists; this checks the copy).
order_of() {
  lz4 -dc "$first/initramfs.cpio.lz4" |
    cpio -i --to-stdout --quiet "lib/modules/tether/$1.order"
}
pos() { grep -nx "$1" <<<"$order" | cut -d: -f1; }
modules=0
for spec in load=qemu_fw_cfg virtio=virtio,virtio_pci console=virtio_console \
  net=virtio_net disk=virtio_blk,jbd2,ext4,crc32c_generic; do
  set_name=${spec%%=*} mods=${spec#*=}
  has "lib/modules/tether/$set_name.order"
  order=$(order_of "$set_name")
  for m in ${mods//,/ }; do
    grep -qx "$m.ko" <<<"$order" || fail "$set_name.order has no $m.ko"
  done
  while read -r m; do has "lib/modules/tether/$m"; done <<<"$order"
  modules=$((modules + $(wc -l <<<"$order")))
done
order=$(order_of virtio)
[ "$(pos virtio.ko)" -lt "$(pos virtio_pci.ko)" ] || fail "virtio.ko after virtio_pci.ko"
order=$(order_of disk)
[ "$(pos jbd2.ko)" -lt "$(pos ext4.ko)" ] || fail "jbd2.ko after ext4.ko"
echo "ok: initramfs layout ($(wc -l <"$list") entries, $modules module loads in 5 sets)"

# /init ships without a symbol table; the endpoint keeps one under its
# build id for pprof (docs/pprof.md, "Symbols").
lz4 -dc "$first/initramfs.cpio.lz4" | cpio -i --to-stdout --quiet init >"$work/init"
id=$(readelf -n "$work/init" | awk '/Build ID:/ {print $3; exit}')
[ -n "$id" ] || fail "/init has no GNU build id"
readelf -S "$work/init" | grep -q ' \.symtab ' && fail "/init still has .symtab"
[ -s "$first/symbols/$id/tether" ] || fail "no symbols/$id/tether for /init"
readelf -S "$first/symbols/$id/tether" | grep -q ' \.symtab ' ||
  fail "symbols/$id/tether has no .symtab"
echo "ok: /init stripped ($(stat -c %s "$work/init") bytes), symbols/$id/tether kept"
