#!/usr/bin/env bash
# Review F3: what peers that never log in can cost attachd on its tether
# port. All traffic on 127.0.0.0/8; the floods come from other loopback
# addresses than the real tether's 127.0.0.1.
#  1. 2,000 sockets from 127.0.0.2 that each send only "S" (what may be
#     the start of an SSH banner): attachd's CPU stays low, and a real
#     tether still logs in and streams meanwhile.
#  2. attachd limited to 256 descriptors, 300 idle sockets from 127.0.0.3:
#     attachd caps connections not logged in at a quarter of its
#     descriptors and evicts the oldest idle one for a new one, so its CPU
#     stays low, its log does not flood, and a real tether logs in while
#     the 300 are still held.
source "$(dirname "$0")/attach_lib.sh"

CLK_TCK=$(getconf CLK_TCK)
# CPU time of a process so far, in ms (user + system).
cpu_ms() {
  local f
  read -r -a f <"/proc/$1/stat"
  echo $(((f[13] + f[14]) * 1000 / CLK_TCK))
}

# cpu_below MS WHAT: attachd uses less than MS ms of CPU in the next 5 s.
cpu_below() {
  local before used
  before=$(cpu_ms "$ATTACHD_PID")
  sleep 5
  used=$(($(cpu_ms "$ATTACHD_PID") - before))
  echo "attachd CPU $2: $used ms in 5 s"
  [ "$used" -lt "$1" ] || fail "attachd used $used ms of CPU in 5 s $2"
  pass "attachd's CPU stays low $2 ($used ms in 5 s)"
}

# hold COUNT SOURCE PAYLOAD: COUNT sockets from SOURCE to attachd, each
# sends PAYLOAD (may be empty) and stays open; in the background, killed
# by cleanup. Prints "connected" to $WORK/hold.COUNT.out once all are.
hold() {
  /usr/bin/python3 - "$1" "$2" "$3" "$PORT" >"$WORK/hold.$1.out" 2>&1 <<'PY' &
import resource, socket, sys, time
count, source, payload, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
socks = []
for _ in range(count):
    s = socket.socket()
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    if payload:
        try:
            s.send(payload.encode())
        except OSError:
            pass
    socks.append(s)
print("connected", flush=True)
time.sleep(600)
PY
  HOLD_PID=$!
  BG_PIDS+=("$HOLD_PID")
  wait_for_output "$WORK/hold.$1.out" connected 60
}

# A container whose tether must get through: logs in, streams, exits 0.
tether_gets_through() {
  ctl create --name "$1" -- sh -c "echo $1 got through" >/dev/null
  start_tether "$1"
  expect_eq "$1: exit code" 0 "$(ctl wait "$1")"
  expect_eq "$1: output" "$1 got through" "$(ctl logs "$1")"
}

start_attachd
wait_for_output "$STATE/attachd.listen" ":" 10  # Written just after the socket.
PORT=$(sed 's/.*://' "$STATE/attachd.listen")

# 1. "S" from 2,000 sockets.
hold 2000 127.0.0.2 S
cpu_below 500 "with 2000 'S' sockets held"
tether_gets_through flood1
kill -KILL "$HOLD_PID"

# 2. Out of descriptors.
kill -TERM "$ATTACHD_PID"
wait "$ATTACHD_PID" 2>/dev/null || true
rm -f "$STATE/attachd.sock"
bash -c 'ulimit -n 256 && exec "$0" "$@"' "$ATTACHD" --state-dir "$STATE" \
  --listen "127.0.0.1:$PORT" >>"$WORK/attachd.log" 2>&1 &
ATTACHD_PID=$!
BG_PIDS+=("$ATTACHD_PID")
for i in $(seq 1 200); do [ -S "$STATE/attachd.sock" ] && break; sleep 0.025; done
lines=$(wc -l <"$WORK/attachd.log")
hold 300 127.0.0.3 ""
cpu_below 500 "at 256 descriptors with 300 idle sockets"
# attachd gives connections not logged in a quarter of its descriptors
# (64 here): past that a new one takes the place of the oldest idle one,
# so the listener neither spins nor runs out of descriptors, and what it
# says about it is rate-limited.
grep -q "at most 64 connections not logged in" "$WORK/attachd.log" ||
  fail "no cap fitted to 256 descriptors: $(head -3 "$WORK/attachd.log")"
grep -q "dropped a connection from 127.0.0.3 that had not logged in" \
  "$WORK/attachd.log" || fail "no eviction: $(tail -5 "$WORK/attachd.log")"
sleep 2
added=$(($(wc -l <"$WORK/attachd.log") - lines))
echo "attachd.log grew by $added lines"
[ "$added" -lt 60 ] || fail "attachd.log grew by $added lines: $(tail -5 "$WORK/attachd.log")"
# A tether gets in while the 300 are still held.
tether_gets_through flood2
kill -KILL "$HOLD_PID"
