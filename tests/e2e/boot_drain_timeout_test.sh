#!/usr/bin/env bash
# A VM whose endpoint never answers (its attach port leads to a listener
# that takes the bytes and says nothing) waits for it as long as
# tether.drain_timeout_s= on the kernel command line says (2 s here, not
# the default 5 minutes), then leaves the exit record on the console and
# powers off.
set -euo pipefail
SINK_PID=""
trap '[ -z "$SINK_PID" ] || kill -KILL "$SINK_PID" 2>/dev/null || true' EXIT
source "$(dirname "$0")/qemu_lib.sh"

qemu_config "$QEMU_WORK/config.json" -- /bin/sh -c 'exit 9'
ssh-keygen -q -t ed25519 -N '' -f "$QEMU_WORK/id" >/dev/null
/usr/bin/python3 - "$QEMU_WORK/config.json" "$QEMU_WORK/id" <<'PY'
import json, sys
path, key = sys.argv[1], sys.argv[2]
config = json.load(open(path))
config["endpoint"] = {
    "address": "serial:/dev/virtio-ports/org.tether.attach",
    "host_key_sha256": "SHA256:" + "A" * 43,
    "identity_key": open(key).read(),
}
json.dump(config, open(path, "w"))
PY
# The silent endpoint: accepts QEMU's connection, never sends TETHER-SYNC.
/usr/bin/python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
' >"$QEMU_WORK/sink.port" &
SINK_PID=$!
for _ in $(seq 1 100); do [ -s "$QEMU_WORK/sink.port" ] && break; sleep 0.05; done
port=$(cat "$QEMU_WORK/sink.port")
qemu_start --config "$QEMU_WORK/config.json" --attach-port "$port" \
  --append "$(cat "$TETHER_IMAGE_DIR/cmdline") tether.drain_timeout_s=2"
qemu_wait_regex 'tether: warning: endpoint did not acknowledge .* within 2000 ms' 60
qemu_wait_line 'tether: exit {"session":"main","exit_code":9,"signal":0}' 30
qemu_wait_exit 60
[ "$QEMU_STATUS" == 0 ] || { qemu_console_tail; echo "FAIL: QEMU exited with $QEMU_STATUS" >&2; exit 1; }
echo "ok: waited 2 s for the endpoint, left the exit record, powered off"
