#!/usr/bin/env bash
# Review F5: attachd is SIGKILLed while the container sleeps, and comes back
# only after the container has written all its output and exited. The
# tether holds the VM (only the VM: the container is over) until the new
# attachd has acknowledged every byte and the exit: all 200,000 lines and
# exit code 7 arrive. It used to power off 5 s after the exit and lose both.
source "$(dirname "$0")/run_lib.sh"

port=$(free_port)
start_attachd "$port"
ctl run -d --name f5 -- sh -c 'sleep 5; seq 200000; exit 7' >/dev/null
up=$(date +%s%N)
qemu=$(our_qemus)
[ -n "$qemu" ] || fail "no QEMU"
sleep 2
kill -KILL "$(attachd_pid)"
pass "attachd killed 2 s after the container started"
rm -f "$STATE/attachd.pid"
# Back 12 s after the start: the container ended about 5 s before.
sleep $(((12000 - ($(date +%s%N) - up) / 1000000) / 1000))
kill -0 "$qemu" 2>/dev/null || fail "the VM did not wait for attachd"
pass "the VM waited for attachd"
start_attachd "$port"
grep -q "VM re-adopted (QEMU pid $qemu)" "$STATE/attachd.log" || fail "not re-adopted"
expect_eq "exit code" 7 "$(ctl wait f5)"
ctl logs f5 >"$WORK/got"
seq 200000 >"$WORK/want"
cmp -s "$WORK/got" "$WORK/want" ||
  fail "logs differ from seq 200000 ($(wc -l <"$WORK/got") lines)"
pass "all 200000 lines"
wait_for no_qemus
pass "the VM powered off"
