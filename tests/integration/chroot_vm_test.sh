#!/usr/bin/env bash
# The static tether alone with busybox: an empty environment in a chroot
# that holds nothing else, first tini-like, then doing a container VM's
# early init (--vm) in fresh PID, mount, UTS and network namespaces.
source "$(dirname "$0")/lib.sh"

BUSYBOX=$(command -v busybox)
file -L "$BUSYBOX" | grep -q 'statically linked' || fail "$BUSYBOX is not static"
ROOT=$WORK/root
mkdir -p "$ROOT/bin" "$ROOT/etc" "$ROOT/home/app" "$ROOT/tmp"
cp "$TETHER" "$ROOT/tether"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for a in sh id echo cat hostname ip grep sleep ls; do
  ln -s busybox "$ROOT/bin/$a"
done
cat > "$ROOT/etc/passwd" <<'X'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:App:/home/app:/bin/sh
X
cat > "$ROOT/etc/group" <<'X'
root:x:0:
app:x:1000:
extra:x:2000:app
X
[ "$(ls "$ROOT")" == "$(printf 'bin\netc\nhome\ntether\ntmp')" ] || fail "root not minimal"

out=$(env -i timeout -s KILL 30 unshare --pid --fork --kill-child /usr/sbin/chroot "$ROOT" \
      /tether -- /bin/sh -c 'echo "hello [$PATH] [$HOME]"')
expect_eq "static tether in an empty chroot" \
  "hello [/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin] [/root]" "$out"

out=$(env -i timeout -s KILL 30 unshare --pid --fork --kill-child /usr/sbin/chroot "$ROOT" \
      /tether -u app -- /bin/sh -c 'id -u; id -G; echo $HOME' | tr '\n' ' ')
expect_eq "named user from the container's passwd" "1000 1000 2000 /home/app " "$out"

ID=$(printf 'd%.0s' $(seq 64))
cat > "$ROOT/config.json" <<JSON
{ "version": 1, "id": "$ID", "name": "web", "hostname": "web-1",
  "networks": [ { "mac": "52:54:00:12:34:56", "addresses": ["192.0.2.5/24"],
                  "dns": ["192.0.2.53"] } ],
  "sessions": [ { "id": "main", "primary": true, "path": "/bin/sh",
     "args": ["sh", "-c",
       "hostname; cat /etc/hostname; grep web-1 /etc/hosts; cat /etc/resolv.conf; ip link show lo | grep -o 'UP,LOWER_UP' | head -1; ls /proc/self >/dev/null && echo proc; test -c /dev/null && echo dev; test -s /config.json || echo config-hidden; exit 4"],
     "env": ["PATH=/bin"] } ] }
JSON
rc=0
out=$(env -i timeout -s KILL 30 unshare --pid --fork --kill-child --mount --uts --net \
      /usr/sbin/chroot "$ROOT" /tether --vm --config /config.json 2>"$WORK/err") || rc=$?
expect_eq "vm mode exit code" 4 "$rc"
expect_eq "vm mode early init" \
  "web-1 web-1 192.0.2.5	web-1 nameserver 192.0.2.53 UP,LOWER_UP proc dev config-hidden " \
  "$(echo "$out" | tr '\n' ' ')"
# The primary's end as the console's exit record, the endpoint's second
# way to learn it (guestinfo/exit_record.h), whole on one line.
expect_eq "exit record on the console" \
  'tether: exit {"session":"main","exit_code":4,"signal":0}' \
  "$(grep '^tether: exit ' "$WORK/err")"
