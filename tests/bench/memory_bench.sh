#!/usr/bin/env bash
# Idle memory: RSS of the tether supervising one `sleep`, next to tini and
# dumb-init doing the same, and the stripped size of the static binary.
set -euo pipefail
TETHER=${1:?usage: memory_bench.sh TETHER}
TINI=$(command -v tini-static || command -v tini)
DUMB=$(command -v dumb-init)
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill -KILL "$p" 2>/dev/null || true; done' EXIT

# rss_kib CMD...: "RSS ANON" in KiB of CMD once it has started its child.
# RSS counts the binary's clean file pages too (shared page cache, much
# of it mapped by the kernel's fault-around); ANON is what the process
# alone owns.
rss_kib() {
  "$@" >/dev/null 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  sleep 0.5
  echo "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")" \
       "$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

read -r r_tether a_tether < <(rss_kib "$TETHER" -- sleep 30)
read -r r_tini a_tini < <(rss_kib "$TINI" -s -- sleep 30)
read -r r_dumb a_dumb < <(rss_kib "$DUMB" sleep 30)
echo "idle memory supervising one sleep (RSS, of which anonymous):"
printf '  %-12s %6s KiB, %5s KiB anon (target: RSS <= 2048)\n' tether "$r_tether" "$a_tether"
printf '  %-12s %6s KiB, %5s KiB anon\n' "$(basename "$TINI")" "$r_tini" "$a_tini"
printf '  %-12s %6s KiB, %5s KiB anon\n' dumb-init "$r_dumb" "$a_dumb"
printf '  ratio tether/tini: RSS %s, anon %s\n' \
  "$(echo "scale=2; $r_tether / $r_tini" | bc)" "$(echo "scale=2; $a_tether / $a_tini" | bc)"

# The size the VM image ships (initramfs/build.sh: strip --strip-all).
tmp=$(mktemp)
strip --strip-all -o "$tmp" "$TETHER"
stripped=$(stat -c %s "$tmp")
echo "static tether binary: $(stat -c %s "$TETHER") bytes," \
  "$stripped stripped = $(echo "scale=2; $stripped / 1048576" | bc) MiB" \
  "(target <= 3 MiB; $(file -b "$TETHER" | grep -o 'statically linked'))"
rm -f "$tmp"
