#!/usr/bin/env bash
# mkiso.sh BZIMAGE INITRD OUT: a bootable isolinux ISO holding the kernel
# and the initramfs, booting straight into them with the contract's kernel
# command line (initramfs/cmdline): the way vSphere container VMs boot, a VM
# given only this ISO and its config runs the container, no other disk.
#
# The ISO boots the normal bzImage, not the extracted vmlinux: isolinux
# speaks the Linux boot protocol, not PVH. Reproducible: xorriso takes every
# date and the volume UUID from SOURCE_DATE_EPOCH.
source "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: mkiso.sh BZIMAGE INITRD OUT"
bzimage=$1
initrd=$2
out=$3
need xorriso xorriso
isolinux_bin=/usr/lib/ISOLINUX/isolinux.bin
isohdpfx=/usr/lib/ISOLINUX/isohdpfx.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
[ -r "$isolinux_bin" ] && [ -r "$isohdpfx" ] ||
  die "no $isolinux_bin (install isolinux)"
[ -r "$ldlinux" ] || die "no $ldlinux (install syslinux-common)"
[ -r "$bzimage" ] || die "cannot read kernel $bzimage"
[ -r "$initrd" ] || die "cannot read initramfs $initrd"

stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage" "$out.tmp" "$out.log"' EXIT
install -d -m 0755 "$stage/isolinux"
install -m 0644 "$isolinux_bin" "$stage/isolinux/isolinux.bin"
install -m 0644 "$ldlinux" "$stage/isolinux/ldlinux.c32"
# 8.3 names: isolinux reads plain ISO 9660 names.
install -m 0644 "$bzimage" "$stage/isolinux/vmlinuz"
install -m 0644 "$initrd" "$stage/isolinux/initrd.lz4"
# No prompt, no menu, no wait: boot time is the product.
cat >"$stage/isolinux/isolinux.cfg" <<X
DEFAULT tether
PROMPT 0
TIMEOUT 0
LABEL tether
  KERNEL vmlinuz
  INITRD initrd.lz4
  APPEND $(cat "$(dirname "$0")/cmdline")
X
find "$stage" -exec touch -h -d "@$(epoch)" {} +

SOURCE_DATE_EPOCH=$(epoch) xorriso -as mkisofs -quiet \
  -o "$out.tmp" -V TETHER -iso-level 3 -R \
  -isohybrid-mbr "$isohdpfx" \
  -b isolinux/isolinux.bin -c isolinux/boot.cat \
  -no-emul-boot -boot-load-size 4 -boot-info-table \
  "$stage" 2>"$out.log" || { cat "$out.log" >&2; die "xorriso failed"; }
mv -f "$out.tmp" "$out"
