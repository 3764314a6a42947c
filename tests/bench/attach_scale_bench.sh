#!/usr/bin/env bash
# Scale (issue 13): N live tethers on one attachd, each PID 1 of a PID
# namespace of its own (unshare --pid --fork --kill-child) supervising a
# sleep. Prints the time until all are connected, attachd's RSS per
# connection, and the exec round trip (p50/p99) of one more tether while
# the N stay connected. Numbers only; nothing here passes or fails.
#   attach_scale_bench.sh BIN_DIR [N] [EXECS]
set -euo pipefail
BIN=${1:?usage: attach_scale_bench.sh BIN_DIR [N] [EXECS]}
N=${2:-10000}
EXECS=${3:-200}
WORK=$(mktemp -d /dev/shm/tether-scale.XXXXXX)
source "$(dirname "$0")/bench_lib.sh"
# Our own tethers, their unshare parents and the sleeps: 3 processes
# each; attachd holds about 3 descriptors per tether. A host that cannot
# give that many gets the largest run it can, said as such (10,000 need
# kernel.pid_max >= 32000 with room for the rest, and LimitNOFILE 32768).
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fit=$(( ($(ulimit -n) - 1000) / 3 ))
pids_fit=$(( ($(cat /proc/sys/kernel/pid_max) - 4000) / 3 ))
[ "$pids_fit" -lt "$fit" ] && fit=$pids_fit
if [ "$N" -gt "$fit" ]; then
  echo "note: $N tethers need $(( N * 3 + 1000 )) descriptors and PIDs;" \
    "this host allows $fit (open files $(ulimit -n)," \
    "pid_max $(cat /proc/sys/kernel/pid_max)): running $fit" >&2
  N=$fit
fi

start_bench_attachd
APID=${PIDS[0]}
grep -m1 "open files" "$WORK/attachd.log" | sed 's/^/  /'
mk() {  # Creates containers s$1..s$2 and writes their configs.
  local i
  for i in $(seq "$1" "$2"); do
    ctl create --name "s$i" -- sleep 100000 >/dev/null
    ctl config "s$i" >"$WORK/s$i.json"
  done
}
t0=$(date +%s%N)
half=$(( (N + 1) / 2 ))
mk 1 "$half" & m1=$!
mk $((half + 1)) "$N" & m2=$!
mk 0 0
wait "$m1" "$m2"
echo "  created $N containers in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$APID/status")
fds0=$(ls "/proc/$APID/fd" | wc -l)

t0=$(date +%s%N)
for i in $(seq 1 "$N"); do
  unshare --pid --fork --kill-child \
    "$BIN/tether" --config "$WORK/s$i.json" >/dev/null 2>&1 &
  PIDS+=($!)
  disown
done
t_spawn=$(( ($(date +%s%N) - t0) / 1000000 ))
up=0
for i in $(seq 1 1200); do
  up=$(ctl ps | grep -c ' Up ' || true)
  [ "$up" -ge "$N" ] && break
  sleep 1
done
t_all=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 5  # Let allocations settle (Welcome, first acks).
rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$APID/status")
fds1=$(ls "/proc/$APID/fd" | wc -l)
links=$(grep -c "tether connected" "$WORK/attachd.log" || true)
echo "attachd scale: $up of $N tethers connected in $t_all ms" \
  "(spawning took $t_spawn ms; $links logins)"
echo "  attachd RSS: $rss0 KiB before, $rss1 KiB with $up connected:" \
  "$(( (rss1 - rss0) / (up > 0 ? up : 1) )) KiB per connection"
echo "  attachd descriptors: $fds0 before, $fds1 after:" \
  "$(awk -v a="$fds0" -v b="$fds1" -v n="$up" 'BEGIN{printf "%.2f", (b-a)/(n>0?n:1)}') per connection"

# One more tether while the N are connected: exec round trips.
unshare --pid --fork --kill-child \
  "$BIN/tether" --config "$WORK/s0.json" >/dev/null 2>&1 &
PIDS+=($!)
disown
for i in $(seq 1 200); do
  ctl ps | grep -q ' s0 *$' && ctl ps | grep ' s0 *$' | grep -q ' Up ' && break
  sleep 0.1
done
: >"$WORK/exec.ms"
for i in $(seq 1 "$EXECS"); do
  a=$(date +%s%N)
  ctl exec s0 true
  echo $(( ($(date +%s%N) - a) / 1000 )) >>"$WORK/exec.ms"
done
sort -n "$WORK/exec.ms" | awk -v n="$EXECS" -v up="$up" '
  { v[NR] = $1 }
  END {
    i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
    p50 = v[int((NR + 1) * 0.50)]; p99 = v[i99]
    printf "  exec round trip with %d connected (%d execs): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      up, NR, p50 / 1000, p99 / 1000, v[NR] / 1000
  }'
cpu() { read -r -a f <"/proc/$APID/stat"; echo $(( f[13] + f[14] )); }
c0=$(cpu); sleep 5; c1=$(cpu)
echo "  attachd CPU while $up idle tethers stay connected:" \
  "$(( (c1 - c0) * 1000 / $(getconf CLK_TCK) / 5 )) ms per s"
