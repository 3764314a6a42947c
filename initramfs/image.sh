#!/usr/bin/env bash
# image.sh ROOT: fills ROOT with the small busybox container image that
# rootfs.source = "initramfs" runs in (vm_contract.md): a static busybox
# with its applets, passwd and group, and the usual empty directories.
source "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: image.sh ROOT"
root=$1
need file file
busybox=${BUSYBOX:-$(command -v busybox || true)}
[ -n "$busybox" ] || die "busybox not found (install busybox-static)"
file -L "$busybox" | grep 'statically linked' >/dev/null ||
  die "$busybox is not statically linked (install busybox-static)"

for d in bin sbin etc home mnt proc run sys dev usr; do
  install -d -m 0755 "$root/$d"
done
install -d -m 0700 "$root/root"
install -d -m 1777 "$root/tmp"
install -m 0755 "$busybox" "$root/bin/busybox"
# Merged /usr, as on Debian 12: scripts that name /usr/bin/env still work.
ln -s ../bin "$root/usr/bin"
ln -s ../sbin "$root/usr/sbin"

# Applets land in /bin or /sbin, whatever /usr prefix busybox gives them.
"$root/bin/busybox" --list-full | sort | while IFS= read -r applet; do
  name=${applet##*/}
  case "$applet" in
    sbin/* | usr/sbin/*) dir=sbin target=../bin/busybox ;;
    bin/* | usr/bin/*) dir=bin target=busybox ;;
    *) continue ;;  # linuxrc: an initrd relic.
  esac
  [ -e "$root/bin/$name" ] || [ -e "$root/sbin/$name" ] ||
    ln -s "$target" "$root/$dir/$name"
done

cat >"$root/etc/passwd" <<'X'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
X
cat >"$root/etc/group" <<'X'
root:x:0:
nogroup:x:65534:
X
chmod 0644 "$root/etc/passwd" "$root/etc/group"
version=$("$root/bin/busybox" | awk 'NR == 1 {print $2}')
echo "tether busybox image: busybox $version" >"$root/etc/tether-image"
