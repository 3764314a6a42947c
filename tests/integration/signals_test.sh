#!/usr/bin/env bash
# Signals sent to the tether reach the primary: every catchable one, as
# PID 1 of a namespace and as a tini-like init under another one.
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

# Every catchable signal, real-time ones included, reaches the primary, and
# the tether (PID 1 of the namespace) survives each of them: SIGALRM no
# longer kills it, SIGTSTP/SIGTTIN/SIGTTOU no longer stop it. Not SIGCHLD
# (the tether's own), not the synchronous faults, not glibc's 32 and 33.
SIGS=""
for n in $(seq 1 64); do
  case $n in 4|5|6|7|8|9|11|17|19|31|32|33) continue ;; esac
  SIGS="$SIGS $n"
done
cat > "$WORK/all.sh" <<SCRIPT
for n in $SIGS; do trap "echo got \$n" \$n; done
echo ready
while [ ! -e "$WORK/stop" ]; do sleep 0.02; done
exit 5
SCRIPT
start_ns "$WORK/out4" "$TETHER" -- bash "$WORK/all.sh"
wait_for_file "$WORK/out4"
count=0
for n in $SIGS; do
  kill -"$n" "$TETHER_PID" || fail "kill -$n"
  for i in $(seq 1 200); do
    grep -qx "got $n" "$WORK/out4" && break
    sleep 0.02
  done
  grep -qx "got $n" "$WORK/out4" || fail "signal $n not forwarded: $(cat "$WORK/out4")"
  kill -0 "$TETHER_PID" 2>/dev/null || fail "the tether died of signal $n"
  state=$(awk '{print $3}' "/proc/$TETHER_PID/stat")
  [ "$state" != T ] || fail "the tether stopped on signal $n"
  count=$((count + 1))
done
pass "all $count catchable signals forwarded; the tether survived each"
touch "$WORK/stop"
wait_rc "$NS_PID" 10
expect_eq "the primary's exit code after them all" 5 "$RC"
rm -f "$WORK/stop"

# state PID: its state letter (R, S, T, ...).
state() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null; }
# wait_state PID LETTERS: until its state is one of LETTERS (a regex class).
wait_state() {
  local i
  for i in $(seq 1 200); do
    [[ "$(state "$1")" =~ ^[$2]$ ]] && return 0
    sleep 0.02
  done
  fail "pid $1: state $(state "$1"), expected [$2]"
}

# Not PID 1 (tini-like under another init): the job-control stops are
# forwarded, then the tether stops itself, as dumb-init does; SIGCONT
# continues both. A primary that catches SIGTSTP gets SIGTSTP.
"$TETHER" -- bash "$WORK/all.sh" > "$WORK/out5" 2>&1 &
T=$!
BG_PIDS+=("$T")
wait_for_file "$WORK/out5"
kill -ALRM "$T"
for i in $(seq 1 100); do grep -qx "got 14" "$WORK/out5" && break; sleep 0.02; done
grep -qx "got 14" "$WORK/out5" || fail "SIGALRM not forwarded"
kill -0 "$T" || fail "SIGALRM killed the tether"
pass "SIGALRM forwarded; the tether outside a namespace survives it"
kill -TSTP "$T"
wait_state "$T" T
kill -CONT "$T"
wait_state "$T" RS
for n in 20 18; do
  # Bash runs a trap only after its foreground sleep ends: on a loaded
  # machine (QEMU tests beside this one) that can take seconds.
  for i in $(seq 1 500); do grep -qx "got $n" "$WORK/out5" && break; sleep 0.02; done
  grep -qx "got $n" "$WORK/out5" ||
    fail "signal $n did not reach the primary: $(tail -3 "$WORK/out5")"
done
pass "SIGTSTP: forwarded, the tether stopped; SIGCONT: both go on"
touch "$WORK/stop"
RC=0
wait "$T" || RC=$?
expect_eq "exit code after stop and continue" 5 "$RC"

# A primary that leaves SIGTSTP at its default stops too: it gets SIGSTOP,
# as the kernel discards a default SIGTSTP for its orphaned group.
"$TETHER" -- sleep 100 &
T=$!
BG_PIDS+=("$T")
C=""
for i in $(seq 1 200); do
  C=$(awk '{print $1}' "/proc/$T/task/$T/children" 2>/dev/null)
  [ -n "$C" ] && break
  sleep 0.01
done
[ -n "$C" ] || fail "no child of the tether"
kill -TSTP "$T"
wait_state "$C" T
wait_state "$T" T
kill -CONT "$T"
wait_state "$T" RS
wait_state "$C" RS
kill -TERM "$T"
RC=0
wait "$T" || RC=$?
expect_eq "SIGTERM after a stop and continue" 143 "$RC"
pass "a default-SIGTSTP primary is stopped and continued with the tether"
