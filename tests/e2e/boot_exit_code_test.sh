#!/usr/bin/env bash
# The primary's exit code is reported on the console before the VM powers
# off (without an endpoint the console is the only witness), also as the
# exit record attachd reads (docs/protocol.md §8).
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"

qemu_config "$QEMU_WORK/config.json" -- /bin/sh -c 'echo leaving; exit 7'
qemu_start --config "$QEMU_WORK/config.json"
qemu_wait_line leaving
qemu_wait_line 'tether: exit {"session":"main","exit_code":7,"signal":0}' 30
qemu_wait_regex 'tether: .*exited with code 7.*' 30
qemu_wait_exit 30
[ "$QEMU_STATUS" == 0 ] || { qemu_console_tail; echo "FAIL: QEMU exited with $QEMU_STATUS" >&2; exit 1; }
echo "ok: exit code 7 reported, VM powered off"
