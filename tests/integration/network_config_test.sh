#!/usr/bin/env bash
# NIC configuration by MAC over rtnetlink, in a network namespace this test
# creates: a veth pair whose far end (192.0.2.1) plays the gateway. The
# tether in early-init mode (--vm) finds its NIC by MAC, sets the MTU,
# address and default route; the container's `ip` shows them and it can
# reach the gateway. Nothing leaves the namespace.
source "$(dirname "$0")/lib.sh"

BUSYBOX=$(command -v busybox)
ROOT=$WORK/root
mkdir -p "$ROOT/bin" "$ROOT/etc"
cp "$TETHER" "$ROOT/tether"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for a in sh ip ping cat grep; do ln -s busybox "$ROOT/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOT/etc/passwd"
echo 'root:x:0:' > "$ROOT/etc/group"

MAC=52:54:00:c0:00:05
cat > "$ROOT/config.json" <<JSON
{ "version": 1, "id": "$(printf 'e%.0s' $(seq 64))", "hostname": "net",
  "networks": [ { "mac": "52:54:00:C0:00:05", "addresses": ["192.0.2.5/24"],
                  "gateway": "192.0.2.1", "dns": ["192.0.2.1"], "mtu": 1400 },
                { "mac": "52:54:00:c0:00:99", "addresses": ["192.0.2.9/24"] } ],
  "sessions": [ { "id": "main", "primary": true, "path": "/bin/sh",
     "args": ["sh", "-c",
       "ip -4 addr show dev ctr0 | grep -o 'inet [0-9./]*'; ip link show ctr0 | grep -o 'mtu [0-9]*'; ip route | grep default; cat /etc/resolv.conf; ping -c 1 -W 5 192.0.2.1 >/dev/null && echo reached"],
     "env": ["PATH=/bin"] } ] }
JSON

# The pair lives only inside the new namespace; the gateway end is up with
# 192.0.2.1 before the tether starts, as a hypervisor's switch would be.
rc=0
out=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin timeout -s KILL 60 \
  unshare --pid --fork --mount --uts --net bash -c "
    set -e
    ip link add gw0 type veth peer name ctr0
    ip link set ctr0 address $MAC
    ip addr add 192.0.2.1/24 dev gw0
    ip link set gw0 up
    exec /usr/sbin/chroot '$ROOT' /tether --vm --config /config.json
  " 2>"$WORK/err") || rc=$?
cat "$WORK/err" >&2
expect_eq "exit code" 0 "$rc"
expect_eq "address, MTU, route, DNS, reachability" \
  "inet 192.0.2.5/24|mtu 1400|default via 192.0.2.1 dev ctr0 |nameserver 192.0.2.1|reached|" \
  "$(echo "$out" | tr '\n' '|')"
expect_match "a MAC that is not there is reported, not fatal" \
  "warning: .*networks\[1\] \(52:54:00:c0:00:99\): no network interface with MAC" \
  "$(cat "$WORK/err")"
