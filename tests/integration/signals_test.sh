#!/usr/bin/env bash
# Signals sent to the tether reach the primary.
source "$(dirname "$0")/lib.sh"

# start_ns OUT CMD...: runs the tether in a namespace in the background;
# sets NS_PID (unshare) and TETHER_PID (the tether, host pid).
start_ns() {
  local out=$1
  shift
  unshare --pid --fork --mount-proc "$@" > "$out" 2>&1 &
  NS_PID=$!
  BG_PIDS+=("$NS_PID")
  TETHER_PID=$(ns_child_pid "$NS_PID")
  BG_PIDS+=("$TETHER_PID")
}

# wait_rc PID SECONDS: sets RC to the exit code of a background job, or
# fails. (Not in a subshell: only this shell can wait for its jobs.)
wait_rc() {
  local i
  for i in $(seq 1 $(( $2 * 20 ))); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$1" 2>/dev/null && fail "pid $1 still running after $2 s"
  RC=0
  wait "$1" || RC=$?
}

start_ns "$WORK/out1" "$TETHER" -- sh -c 'echo ready; exec sleep 100'
wait_for_file "$WORK/out1"
kill -TERM "$TETHER_PID"
wait_rc "$NS_PID" 10
expect_eq "SIGTERM ends the primary" 143 "$RC"

cat > "$WORK/traps.sh" <<'SCRIPT'
for s in HUP INT QUIT USR1 USR2 WINCH; do trap "echo got $s" $s; done
trap 'echo got TERM; exit 7' TERM
echo ready
while :; do sleep 0.05; done
SCRIPT
start_ns "$WORK/out2" "$TETHER" -- sh "$WORK/traps.sh"
wait_for_file "$WORK/out2"
for s in HUP INT QUIT USR1 USR2 WINCH; do
  kill -"$s" "$TETHER_PID"
  for i in $(seq 1 100); do
    grep -q "got $s" "$WORK/out2" && break
    sleep 0.05
  done
  grep -q "got $s" "$WORK/out2" || fail "SIG$s not forwarded"
  pass "SIG$s forwarded"
done
kill -TERM "$TETHER_PID"
wait_rc "$NS_PID" 10
expect_eq "trapped TERM exit code" 7 "$RC"

# -g: the whole process group gets the signal (a child of the primary too).
start_ns "$WORK/out3" "$TETHER" -g -- sh -c \
  'sh -c "trap \"echo child got TERM; exit 0\" TERM; echo ready; while :; do sleep 0.05; done" & 
   trap "" TERM; wait; wait'
wait_for_file "$WORK/out3"
kill -TERM "$TETHER_PID"
for i in $(seq 1 100); do
  grep -q "child got TERM" "$WORK/out3" && break
  sleep 0.05
done
grep -q "child got TERM" "$WORK/out3" || fail "-g did not reach the group"
pass "-g signals the process group"
wait_rc "$NS_PID" 10
