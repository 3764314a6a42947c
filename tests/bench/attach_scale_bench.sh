#!/usr/bin/env bash
# Scale (issue 13): N live tethers on one attachd, each PID 1 of a PID
# namespace of its own (started by pidns_launch, which does not stay)
# supervising a sleep. Prints the time until all are connected, attachd's
# RSS and descriptors per connection, the processes used, and the exec
# round trip (p50/p99) of one more tether while the N stay connected.
# Numbers only; nothing here passes or fails.
#   attach_scale_bench.sh BIN_DIR [N] [EXECS]
set -euo pipefail
BIN=${1:?usage: attach_scale_bench.sh BIN_DIR [N] [EXECS]}
N=${2:-10000}
EXECS=${3:-200}
WORK=$(mktemp -d /dev/shm/tether-scale.XXXXXX)
source "$(dirname "$0")/bench_lib.sh"
# Our own tethers and their sleeps: 2 processes each. attachd holds one
# descriptor per idle tether (its socket) and keeps at most an eighth of
# its limit for session logs, plus 256 for the rest (attachd_main.cc
# FitToFileLimit). A host that cannot give that many gets the largest run
# it can, said as such (10,000 need LimitNOFILE >= 11722, and
# kernel.pid_max >= 24000 with room for the host's own processes).
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
nofile=$(ulimit -n)
fit=$(( nofile - nofile / 8 - 256 - 16 ))  # 16: s0 and the clients.
pid_max=$(cat /proc/sys/kernel/pid_max)
procs_before=$(awk '{split($4, a, "/"); print a[2]}' /proc/loadavg)
pids_fit=$(( (pid_max - procs_before - 1000) / 2 ))
[ "$pids_fit" -lt "$fit" ] && fit=$pids_fit
if [ "$N" -gt "$fit" ]; then
  echo "note: $N tethers need $N descriptors beside attachd's $(( nofile / 8 + 272 ))" \
    "and $(( N * 2 )) PIDs; this host allows $fit (open files $nofile," \
    "pid_max $pid_max, $procs_before tasks running): running $fit" >&2
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
# PIDS_FILES: bench_cleanup kills every PID listed there, even those of a
# launch cut short.
PIDS_FILES+=("$WORK/tethers.pids")
seq 1 "$N" | sed "s|.*|$WORK/s&.json|" >"$WORK/tethers.list"
"$BIN/pidns_launch" "$BIN/tether" --config {} \
  <"$WORK/tethers.list" >"$WORK/tethers.pids"
t_spawn=$(( ($(date +%s%N) - t0) / 1000000 ))
up=0
for i in $(seq 1 1200); do
  up=$(ctl ps | grep -c ' Up ' || true)
  [ "$up" -ge "$N" ] && break
  sleep 1
done
t_all=$(( ($(date +%s%N) - t0) / 1000000 ))
t_up=$(date +%s)
sleep 5  # Let allocations settle (Welcome, first acks).
rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$APID/status")
fds1=$(ls "/proc/$APID/fd" | wc -l)
procs1=$(awk '{split($4, a, "/"); print a[2]}' /proc/loadavg)
links=$(grep -c "tether connected" "$WORK/attachd.log" || true)
echo "attachd scale: $up of $N tethers connected in $t_all ms" \
  "(spawning took $t_spawn ms; $links logins)"
echo "  attachd RSS: $rss0 KiB before, $rss1 KiB with $up connected:" \
  "$(( (rss1 - rss0) / (up > 0 ? up : 1) )) KiB per connection"
echo "  attachd descriptors: $fds0 before, $fds1 after:" \
  "$(awk -v a="$fds0" -v b="$fds1" -v n="$up" 'BEGIN{printf "%.2f", (b-a)/(n>0?n:1)}') per connection" \
  "(limit $nofile)"
echo "  host tasks: $procs_before before, $procs1 with the tethers up:" \
  "$(awk -v a="$procs_before" -v b="$procs1" -v n="$N" 'BEGIN{printf "%.2f", (b-a)/(n>0?n:1)}') per tether" \
  "(pid_max $pid_max)"

# One more tether while the N are connected: exec round trips.
PIDS_FILES+=("$WORK/s0.pid")
echo "$WORK/s0.json" | "$BIN/pidns_launch" "$BIN/tether" --config {} \
  >"$WORK/s0.pid"
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
# Session logs unused for 30 s close (Container::MaintainLogs): what the
# idle tethers cost then.
while [ $(( $(date +%s) - t_up )) -lt 40 ]; do sleep 1; done
fds2=$(ls "/proc/$APID/fd" | wc -l)
echo "  attachd descriptors with $up idle tethers (logs closed after 30 s):" \
  "$fds2: $(awk -v a="$fds0" -v b="$fds2" -v n="$up" 'BEGIN{printf "%.2f", (b-a)/(n>0?n:1)}') per connection"
echo "  load: $(cut -d' ' -f1-3 /proc/loadavg)"
