#!/usr/bin/env bash
# Flood (issue 13, review F3): an attachd limited to 1,024 descriptors
# (prlimit --nofile=1024) while HOLD (1,500) unauthenticated connections
# are held open from 127.0.0.2, some idle and some sending "S" (the start
# of an SSH banner). A real tether connects and execs meanwhile. Prints
# how long the tether took to get in, the exec round trips, and attachd's
# CPU (from /proc/PID/stat) while the flood is held. Numbers only.
#   attach_flood_bench.sh BIN_DIR [HOLD] [EXECS]
set -euo pipefail
BIN=${1:?usage: attach_flood_bench.sh BIN_DIR [HOLD] [EXECS]}
HOLD=${2:-1500}
EXECS=${3:-50}
WORK=$(mktemp -d /dev/shm/tether-flood.XXXXXX)
source "$(dirname "$0")/bench_lib.sh"
CLK_TCK=$(getconf CLK_TCK)

prlimit --nofile=1024 "$BIN/attachd" --state-dir "$WORK/state" \
  --listen 127.0.0.1:0 2>"$WORK/attachd.log" &
APID=$!
PIDS+=("$APID")
for i in $(seq 1 100); do [ -s "$WORK/state/attachd.listen" ] && break; sleep 0.05; done
PORT=$(sed 's/.*://' "$WORK/state/attachd.listen")
grep -m1 "open files" "$WORK/attachd.log" | sed 's/^/  /'
ctl create --name real -- sleep 100000 >/dev/null
ctl config real >"$WORK/real.json"
cpu() { read -r -a f <"/proc/$APID/stat"; echo $(( (f[13] + f[14]) * 1000 / CLK_TCK )); }

# The flood: HOLD sockets, every other one sends "S", all held open.
python3 - "$HOLD" "$PORT" >"$WORK/hold.out" 2>&1 <<'PY' &
import resource, socket, sys, time
n, port = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
socks, refused = [], 0
for i in range(n):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    try:
        s.connect(("127.0.0.1", port))
        if i % 2:
            s.send(b"S")
    except OSError:
        refused += 1
    socks.append(s)
print("held", n, "refused", refused, flush=True)
time.sleep(3600)
PY
HOLD_PID=$!
PIDS+=("$HOLD_PID")
for i in $(seq 1 300); do grep -q held "$WORK/hold.out" 2>/dev/null && break; sleep 0.1; done
sed 's/^/  flood: /' "$WORK/hold.out"
c0=$(cpu)
t0=$(date +%s%N)
unshare --pid --fork --kill-child \
  "$BIN/tether" --config "$WORK/real.json" >/dev/null 2>&1 &
PIDS+=($!)
disown
got_in=no
for i in $(seq 1 600); do
  if ctl ps | grep ' real *$' | grep -q ' Up '; then got_in=yes; break; fi
  sleep 0.1
done
t_in=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "attachd flood ($HOLD unauthenticated connections, 1024 fds):" \
  "tether got in: $got_in after $t_in ms"
: >"$WORK/exec.ms"
for i in $(seq 1 "$EXECS"); do
  a=$(date +%s%N)
  ctl exec real true || echo "  exec $i failed"
  echo $(( ($(date +%s%N) - a) / 1000 )) >>"$WORK/exec.ms"
done
sort -n "$WORK/exec.ms" | awk '{ v[NR] = $1 } END {
  i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
  printf "  exec round trip under the flood (%d execs): p50 %.1f ms, p99 %.1f ms\n",
    NR, v[int((NR + 1) / 2)] / 1000, v[i99] / 1000 }'
c1=$(cpu)
sleep 10
c2=$(cpu)
el=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "  attachd CPU: $((c1 - c0)) ms during the tether's login and execs;" \
  "$((c2 - c1)) ms in the next 10 s with the flood held ($(( (c2 - c1) / 10 )) ms per s)"
echo "  attachd descriptors: $(ls /proc/$APID/fd | wc -l) of 1024;" \
  "log lines: $(wc -l <"$WORK/attachd.log")"
