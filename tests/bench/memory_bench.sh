#!/usr/bin/env bash
# Idle memory: RSS of the tether supervising one `sleep`, next to tini and
# dumb-init doing the same, and the stripped size of the static binary.
set -euo pipefail
TETHER=${1:?usage: memory_bench.sh TETHER}
TINI=$(command -v tini-static || command -v tini)
DUMB=$(command -v dumb-init)
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill -KILL "$p" 2>/dev/null || true; done' EXIT

rss_kib() {  # rss_kib CMD...: VmRSS of CMD once it has started its child.
  "$@" >/dev/null 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  sleep 0.5
  awk '/^VmRSS/ {print $2}' "/proc/$pid/status"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

r_tether=$(rss_kib "$TETHER" -- sleep 30)
r_tini=$(rss_kib "$TINI" -s -- sleep 30)
r_dumb=$(rss_kib "$DUMB" sleep 30)
echo "idle RSS supervising one sleep:"
printf '  %-12s %6s KiB (target < 2048)\n' tether "$r_tether"
printf '  %-12s %6s KiB\n' "$(basename "$TINI")" "$r_tini"
printf '  %-12s %6s KiB\n' dumb-init "$r_dumb"
printf '  ratio tether/tini: %s\n' "$(echo "scale=2; $r_tether / $r_tini" | bc)"

tmp=$(mktemp)
cp "$TETHER" "$tmp"
strip "$tmp"
echo "static tether binary: $(stat -c %s "$TETHER") bytes," \
  "$(stat -c %s "$tmp") stripped ($(file -b "$TETHER" | grep -o 'statically linked'))"
rm -f "$tmp"
