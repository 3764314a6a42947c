#!/usr/bin/env bash
# build.sh [--out DIR] [--tether BIN] BUILD_DIR [initramfs|iso|all]
#
# Builds the container VM's boot artifacts into BUILD_DIR/share/tether/
# (vm_contract.md):
#   vmlinux                  the uncompressed kernel ELF (QEMU -kernel, PVH)
#   initramfs.cpio.lz4        /init = the static tether, modules, busybox image
#   floor-initramfs.cpio.lz4  the same with a busybox /init (benchmark floor)
#   tether.iso               isolinux ISO: bzImage + initramfs     (iso, all)
#   cmdline                  the kernel command line for -append
#   symbols/<build id>/tether the tether of /init with its symbol table,
#                            for go tool pprof (PPROF_BINARY_PATH)
# "initramfs" (the default) builds the first three. The tether comes from
# BUILD_DIR/bin/tether; the kernel from linux-image-amd64 (KVER overrides).
# Same inputs give the same bytes; SOURCE_DATE_EPOCH sets the time stamps
# (default 0).
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

usage() { die "usage: build.sh [--out DIR] [--tether BIN] BUILD_DIR [initramfs|iso|all]"; }
out="" tether=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:-}; shift 2 || usage ;;
    --tether) tether=${2:-}; shift 2 || usage ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
build=$1
what=${2:-initramfs}
case "$what" in initramfs | iso | all) ;; *) usage ;; esac
out=${out:-$build/share/tether}
tether=${tether:-$build/bin/tether}

# The module sets the tether loads (tether/init/kernel_modules.h): "load"
# before the config, the others only when the config has such a device.
# modules.sh adds their dependencies. crc32c_generic: ext4 asks the crypto
# API for crc32c only at mount time, which modules.dep cannot know.
MODULE_SETS="load=qemu_fw_cfg virtio=virtio_pci console=virtio_console
  net=virtio_net disk=virtio_blk,ext4,crc32c_generic"

[ -x "$tether" ] || die "no tether binary at $tether (run make build first)"
need file file
file -L "$tether" | grep 'statically linked' >/dev/null ||
  die "$tether is not statically linked; /init runs with no libraries"
need strip binutils
kver=$(pick_kernel)
bzimage=/boot/vmlinuz-$kver
mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# vmlinux: extracting costs a few seconds, so it is redone only when the
# kernel changes (a stamp names the bzImage it came from).
stamp=$(stat -L -c '%n %s %Y' "$bzimage")
if [ ! -s "$out/vmlinux" ] || [ "$(cat "$out/.vmlinux.stamp" 2>/dev/null)" != "$stamp" ]; then
  "$here/extract_vmlinux.sh" "$bzimage" "$work/vmlinux"
  mv -f "$work/vmlinux" "$out/vmlinux"
  echo "$stamp" >"$out/.vmlinux.stamp"
fi

root=$work/root
install -d -m 0755 "$root"
"$here/image.sh" "$root"
install -d -m 0755 "$root/lib" "$root/lib/modules"
"$here/modules.sh" "$kver" "$root/lib/modules/tether" $MODULE_SETS
# The VM gets the tether without symbols (--strip-all: 1.2 MB less to
# unpack at every boot); the endpoint keeps them, by GNU build id, where
# `go tool pprof` looks when PPROF_BINARY_PATH=$out/symbols (docs/pprof.md,
# "Symbols"): symbols/<build id>/tether, .symtab kept, debug info not.
strip --strip-all -o "$root/init" "$tether"
chmod 0755 "$root/init"
build_id=$(readelf -n "$tether" | awk '/Build ID:/ {print $3; exit}')
[ -n "$build_id" ] || die "$tether has no GNU build id (link with --build-id)"
rm -rf "$out/symbols.tmp"
install -d -m 0755 "$out/symbols.tmp/$build_id"
strip --strip-debug -o "$out/symbols.tmp/$build_id/tether" "$tether"
rm -rf "$out/symbols"
mv "$out/symbols.tmp" "$out/symbols"
pack_cpio "$root" "$out/initramfs.cpio.lz4"

install -m 0755 "$here/floor_init.sh" "$root/init"
pack_cpio "$root" "$out/floor-initramfs.cpio.lz4"

install -m 0644 "$here/cmdline" "$out/cmdline.tmp"
mv -f "$out/cmdline.tmp" "$out/cmdline"

if [ "$what" != initramfs ]; then
  "$here/mkiso.sh" "$bzimage" "$out/initramfs.cpio.lz4" "$out/tether.iso"
fi

echo "built for kernel $kver in $out:"
(cd "$out" && for f in vmlinux initramfs.cpio.lz4 floor-initramfs.cpio.lz4 tether.iso; do
  [ -e "$f" ] && printf '  %-24s %9d bytes  sha256 %.16s\n' "$f" "$(stat -c %s "$f")" \
    "$(sha256sum "$f" | cut -d' ' -f1)"
done) || true
