#!/usr/bin/env bash
# Two `tetherctl run`s with different state directories at the same time,
# neither with --listen: each starts its own attachd on a free port (they
# used to both take 127.0.0.1:2377, and the second failed with "Address
# already in use"), and both containers run to their exit codes.
source "$(dirname "$0")/run_lib.sh"

STATE2=$WORK/state2
ctl run --rm -- sh -c 'echo one; exit 3' >"$WORK/out1" 2>"$WORK/err1" &
one=$!
timeout -s KILL 150 "$TETHERCTL" --state-dir "$STATE2" run --rm -- \
  sh -c 'echo two; exit 4' >"$WORK/out2" 2>"$WORK/err2" &
two=$!
rc1=0 rc2=0
wait "$one" || rc1=$?
wait "$two" || rc2=$?
expect_eq "first run's exit code ($(cat "$WORK/err1"))" 3 "$rc1"
expect_eq "second run's exit code ($(cat "$WORK/err2"))" 4 "$rc2"
expect_eq "first run's output" one "$(cat "$WORK/out1")"
expect_eq "second run's output" two "$(cat "$WORK/out2")"
a=$(cat "$STATE/attachd.listen")
b=$(cat "$STATE2/attachd.listen")
[[ "$a" =~ ^127\.0\.0\.1:[0-9]+$ && "$b" =~ ^127\.0\.0\.1:[0-9]+$ && "$a" != "$b" ]] ||
  fail "attachds listen on [$a] and [$b]"
pass "two attachds, two ports: $a and $b"

# A run that starts the first state directory's attachd again takes the
# port it had (its VMs would redial it), as long as it is free.
kill -TERM "$(attachd_pid)"
wait_for sh -c "! kill -0 $(attachd_pid) 2>/dev/null"
rm -f "$STATE/attachd.pid"
ctl run --rm -- true 2>"$WORK/err3" || fail "run after restart: $(cat "$WORK/err3")"
grep -q "listening on $a$" "$WORK/err3" || fail "not on $a again: $(cat "$WORK/err3")"
pass "a new attachd for the same state directory listens on $a again"
