#!/usr/bin/env bash
# `make demo` (until the container VM boots under QEMU): the static tether
# runs a small busybox container as PID 1 of fresh PID/mount/UTS/net
# namespaces, doing a container VM's early init from a config file, and
# its output and exit code come back through the tether.
set -euo pipefail
BIN=${1:?usage: demo.sh BIN_DIR}
WORK=$(mktemp -d /tmp/tether-demo.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT/bin" "$ROOT/etc" "$ROOT/home/demo"
cp "$BIN/tether" "$ROOT/tether"
cp "$(command -v busybox)" "$ROOT/bin/busybox"
for a in sh id echo hostname sleep seq; do ln -s busybox "$ROOT/bin/$a"; done
echo 'demo:x:1000:1000:Demo:/home/demo:/bin/sh' > "$ROOT/etc/passwd"
echo 'demo:x:1000:' > "$ROOT/etc/group"
cat > "$ROOT/config.json" <<JSON
{ "version": 1, "id": "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')",
  "name": "demo", "hostname": "tether-demo",
  "sessions": [ { "id": "main", "primary": true, "path": "/bin/sh",
    "args": ["sh", "-c", "echo \"hostname: \$(hostname)\"; echo \"uid: \$(id -u) (\$(id -un))\"; echo \"GREETING=\$GREETING HOME=\$HOME\"; for i in \$(seq 1 5); do echo \"count \$i\"; sleep 0.2; done; exit 3"],
    "env": ["PATH=/bin", "GREETING=hello from a container"],
    "user": "demo" } ] }
JSON
echo "== tether as PID 1 (early init, config file, user demo):"
rc=0
env -i timeout -s KILL 60 unshare --pid --fork --mount --uts --net \
  /usr/sbin/chroot "$ROOT" /tether --vm --config /config.json || rc=$?
echo "== exit code: $rc"
[ "$rc" -eq 3 ]
