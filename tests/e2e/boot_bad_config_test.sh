#!/usr/bin/env bash
# A config the tether refuses: the error is on the console, naming the
# field, and the VM powers off rather than hanging (exit code 125).
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"

cat >"$QEMU_WORK/config.json" <<'JSON'
{ "version": 1,
  "id": "e2e0000000000000000000000000000000000000000000000000000000000000",
  "sessions": [ { "id": "main", "path": "/bin/echo", "argz": ["x"] } ] }
JSON
qemu_start --config "$QEMU_WORK/config.json"
qemu_wait_regex 'tether: error: .*sessions\[0\]\.argz: unknown field.*'
qemu_wait_regex 'tether: .*exited with code 125.*' 30
qemu_wait_exit 30
[ "$QEMU_STATUS" == 0 ] || { qemu_console_tail; echo "FAIL: QEMU exited with $QEMU_STATUS" >&2; exit 1; }
echo "ok: bad config reported on the console, VM powered off"
