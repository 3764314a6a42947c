# Shared helpers of the initramfs/ build scripts (sourced, not run).
# Everything here is deterministic: the same inputs give the same bytes.
# pipefail: no "| grep -q" or "| head" here, whose early exit would kill
# the writer with SIGPIPE and fail the pipeline now and then.
set -euo pipefail
umask 022
export LC_ALL=C

# die MESSAGE: the one way these scripts fail.
die() {
  echo "${0##*/}: error: $*" >&2
  exit 1
}

need() {
  local tool=$1 pkg=$2
  command -v "$tool" >/dev/null ||
    die "$tool not found (install the Debian package $pkg, or run make deps)"
}

# pick_kernel: the kernel the image is built for. KVER overrides; otherwise
# the newest /lib/modules/*-amd64 that has a matching /boot/vmlinuz (the
# running kernel may be the host's, not the one linux-image-amd64 installed).
pick_kernel() {
  if [ -n "${KVER:-}" ]; then
    [ -d "/lib/modules/$KVER" ] || die "KVER=$KVER: no /lib/modules/$KVER"
    [ -r "/boot/vmlinuz-$KVER" ] || die "KVER=$KVER: no /boot/vmlinuz-$KVER"
    echo "$KVER"
    return
  fi
  local d v best=""
  for d in /lib/modules/*-amd64; do
    [ -d "$d" ] || continue
    v=${d##*/}
    [ -r "/boot/vmlinuz-$v" ] || continue
    best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -1)
  done
  [ -n "$best" ] ||
    die "no kernel: need /lib/modules/<ver>-amd64 and /boot/vmlinuz-<ver> (install linux-image-amd64)"
  echo "$best"
}

# The one time stamp every archive member gets.
epoch() { echo "${SOURCE_DATE_EPOCH:-0}"; }

# newc_node NAME MODE_OCTAL MAJOR MINOR INO: one newc cpio header for a
# character device (no data). GNU cpio can only archive nodes that exist,
# and making them needs root; the kernel's own gen_init_cpio writes them
# from a list the same way.
newc_node() {
  local name=$1 mode=$((8#$2 | 8#020000)) major=$3 minor=$4 ino=$5
  newc_header "$name" "$mode" "$major" "$minor" "$ino" 1
}

# newc_header NAME MODE RDEV_MAJOR RDEV_MINOR INO NLINK: an entry with no
# data, owned by 0:0 and dated $(epoch).
newc_header() {
  local name=$1 mode=$2 major=$3 minor=$4 ino=$5 nlink=$6
  local namesize=$((${#name} + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$ino" "$mode" 0 0 "$nlink" "$(epoch)" 0 0 0 "$major" "$minor" \
    "$namesize" 0
  printf '%s\0' "$name"
  # The 110-byte header plus the name is padded to a multiple of 4.
  local pad=$(((4 - (110 + namesize) % 4) % 4))
  head -c "$pad" /dev/zero
}

# dev_nodes_cpio FILE: writes the start of the archive to FILE: the /dev
# directory with /dev/console and /dev/null in it. The kernel opens
# /dev/console on the initramfs root as /init's fds 0-2 before /init runs;
# without it the tether would start with no stdio.
dev_nodes_cpio() {
  local file=$1 bytes
  {
    newc_header dev $((8#040755)) 0 0 900000 2
    newc_node dev/console 0600 5 1 900001
    newc_node dev/null 0666 1 3 900002
    newc_header 'TRAILER!!!' 0 0 0 0 1
  } >"$file"
  # Padded to 512-byte blocks as cpio writes archives: cpio -A finds the
  # place to append at from that block structure.
  bytes=$(stat -c %s "$file")
  head -c $(((512 - bytes % 512) % 512)) /dev/zero >>"$file"
}

# pack_cpio STAGE OUT: a reproducible LZ4-compressed newc archive of the
# tree STAGE, after the device nodes: entries sorted by name, every mtime
# set to $(epoch), owner 0:0, sequential inode numbers. LZ4 (legacy frame,
# what the kernel's unpacker reads) rather than gzip: under TCG inflating
# the 8 MB tether cost ~300 ms of every boot (docs/vm-image.md). One
# archive, not two concatenated ones (which the kernel would take), so that
# cpio -t and lsinitramfs list everything: cpio -A appends to the nodes.
pack_cpio() {
  local stage=$1 out=$2
  need cpio cpio
  need lz4 lz4
  [ ! -e "$stage/dev" ] || [ -z "$(ls -A "$stage/dev")" ] ||
    die "$stage/dev must be empty: the device nodes are written separately"
  find "$stage" -exec touch -h -d "@$(epoch)" {} +
  dev_nodes_cpio "$out.cpio"
  (cd "$stage" && find . -mindepth 1 ! -path ./dev -printf '%P\0' | sort -z |
    cpio -o -A -H newc -O "$out.cpio" --null --reproducible -R 0:0 --quiet)
  lz4 -l -9 -q -f "$out.cpio" "$out.tmp"
  rm -f "$out.cpio"
  mv -f "$out.tmp" "$out"
}
