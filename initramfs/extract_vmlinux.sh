#!/usr/bin/env bash
# extract_vmlinux.sh BZIMAGE OUT: writes the uncompressed kernel ELF held in
# a bzImage to OUT, like the kernel's scripts/extract-vmlinux.
#
# Why: QEMU boots an ELF vmlinux through its PVH entry point, skipping the
# bzImage's self-decompression, which dominates boot time under TCG
# (~2 s to /init against ~5.4 s; DESIGN.md section 8).
#
# A bzImage is real-mode setup code followed by a compressed payload; the
# payload's offset is not fixed, so every place where a known compression
# magic appears is tried, and the first one that decompresses into a valid
# x86-64 ELF wins. Decompressors see trailing bytes after the stream (the
# rest of the bzImage) and may complain; only the result is judged.
set -euo pipefail

die() { echo "extract_vmlinux: error: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: extract_vmlinux.sh BZIMAGE OUT"
in=$1
out=$2
[ -r "$in" ] || die "cannot read $in"
command -v readelf >/dev/null || die "readelf not found (install binutils)"

tmp=$(mktemp "${out}.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# is_elf FILE: FILE is an x86-64 ELF executable (readelf parses it).
is_elf() {
  [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" == '177ELF' ] &&
    readelf -h "$1" 2>/dev/null | grep 'Machine:.*X86-64' >/dev/null
}

# try MAGIC_REGEX DECOMPRESSOR...: decompresses from each offset where the
# magic appears; succeeds when one gives an ELF.
try() {
  local magic=$1 pos
  shift
  for pos in $(LC_ALL=C grep -obUaP "$magic" "$in" | cut -d: -f1); do
    tail -c "+$((pos + 1))" "$in" | "$@" >"$tmp" 2>/dev/null || true
    if is_elf "$tmp"; then
      echo "extract_vmlinux: $1 payload at offset $pos" >&2
      return 0
    fi
  done
  return 1
}

# The same formats and order as scripts/extract-vmlinux; a decompressor
# that is not installed is skipped (Debian 6.1 kernels are XZ).
have() { command -v "$1" >/dev/null; }
found=false
if have gunzip && try '\x1f\x8b\x08' gunzip; then found=true
elif have xz && try '\xfd\x37\x7a\x58\x5a\x00' xz -dc; then found=true
elif have bunzip2 && try 'BZh' bunzip2; then found=true
elif have xz && try '\x5d\x00\x00\x00' xz -dc --format=lzma; then found=true
elif have lzop && try '\x89\x4c\x5a' lzop -dc; then found=true
elif have lz4 && try '\x02\x21\x4c\x18' lz4 -dc; then found=true
elif have zstd && try '\x28\xb5\x2f\xfd' zstd -dc; then found=true
fi
$found || die "no compressed kernel ELF found in $in (is it a bzImage?)"
chmod 0644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
