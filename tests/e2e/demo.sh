#!/usr/bin/env bash
# `make demo`: boots a container VM under QEMU with `tetherctl run` and
# shows its output as it arrives through attachd, then its exit code.
#
# The state directory is private to this run, so `tetherctl run` finds no
# attachd there and starts one (it says so); the demo stops that attachd
# by its pid when it ends, pass or fail. attachd listens on a free
# loopback port, and QEMU's virtio-serial port dials it there.
set -euo pipefail
BIN=${1:?usage: demo.sh BIN_DIR IMAGE_DIR}
export TETHER_IMAGE_DIR=${2:?usage: demo.sh BIN_DIR IMAGE_DIR}
STATE=$(mktemp -d /tmp/tether-demo.XXXXXX)
cleanup() {
  if [ -s "$STATE/attachd.pid" ]; then
    local pid
    pid=$(cat "$STATE/attachd.pid")
    # SIGTERM: attachd stops the VMs it started, then exits.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$STATE"
}
trap cleanup EXIT

ctl() { "$BIN/tetherctl" --state-dir "$STATE" "$@"; }

script='echo "hostname: $(hostname)"
echo "uid: $(id -u) ($(id -un))"
echo "env: GREETING=$GREETING"
for i in 1 2 3 4 5; do echo "counter: $i"; sleep 0.2; done
exit 3'

echo "== tetherctl run --name demo -u nobody -e GREETING=... -- sh -c SCRIPT"
echo "   (a busybox container VM under QEMU; its output arrives through attachd)"
start=$(date +%s%N)
rc=0
timeout -s KILL 110 "$BIN/tetherctl" --state-dir "$STATE" run --rm --name demo \
  --listen 127.0.0.1:0 -u nobody -e "GREETING=hello from a container VM" \
  -- sh -c "$script" || rc=$?
secs=$(echo "scale=1; ($(date +%s%N) - $start) / 1000000000" | bc)
echo "== exit code: $rc (boot, run and power-off took ${secs}s)"
[ "$rc" -eq 3 ]
