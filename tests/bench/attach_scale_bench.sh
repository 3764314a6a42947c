#!/usr/bin/env bash
# Scale: N real tethers (each supervising a sleep) connect to one attachd.
# Prints the time until all are connected and attachd's RSS per connection.
# Each tether is PID 1 of a PID namespace of its own (unshare --kill-child),
# so stopping it stops its sleep too.
set -euo pipefail
BIN=${1:?usage: attach_scale_bench.sh BIN_DIR [N]}
N=${2:-1000}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

"$BIN/attachd" --state-dir "$WORK/state" --listen 127.0.0.1:0 2>"$WORK/attachd.log" &
APID=$!
PIDS+=("$APID")
for i in $(seq 1 100); do [ -S "$WORK/state/attachd.sock" ] && break; sleep 0.05; done
ctl() { "$BIN/tetherctl" --state-dir "$WORK/state" "$@"; }
for i in $(seq 1 "$N"); do
  ctl create --name "s$i" -- sleep 600 >/dev/null
  ctl config "s$i" > "$WORK/s$i.json"
done
rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$APID/status")
t0=$(date +%s%N)
for i in $(seq 1 "$N"); do
  unshare --pid --fork --kill-child \
    "$BIN/tether" --config "$WORK/s$i.json" >/dev/null 2>&1 &
  PIDS+=($!)
  disown  # Their SIGKILL at the end is ours, not news for bash to print.
done
up=0
for i in $(seq 1 600); do
  up=$(ctl ps | grep -c ' Up ' || true)
  [ "$up" -ge "$N" ] && break
  sleep 0.5
done
t_all=$(( ($(date +%s%N) - t0) / 1000000 ))
rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$APID/status")
echo "attachd scale: $up of $N tethers connected in $t_all ms"
echo "  attachd RSS: $rss0 KiB idle, $rss1 KiB with $up connections," \
  "$(( (rss1 - rss0) / (up > 0 ? up : 1) )) KiB per connection"
