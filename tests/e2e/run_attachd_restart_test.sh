#!/usr/bin/env bash
# attachd is SIGKILLed while a container VM writes a known pattern, and
# started again on the same port: QEMU lives on, the new attachd re-adopts
# it, the tether reconnects through QEMU's chardev and resumes from the
# log's offset. The log is then byte-identical to the pattern. A clean
# stop (SIGTERM) takes the VM down with attachd.
source "$(dirname "$0")/run_lib.sh"

port=$(free_port)
start_attachd "$port"
# 600 lines over about 6 s: the kill lands in the middle.
ctl run -d --name pat -- sh -c \
  'i=0; while [ $i -lt 600 ]; do echo "line $i"; i=$((i+1)); [ $((i % 20)) = 0 ] && sleep 0.2; done' >/dev/null
seq 0 599 | sed 's/^/line /' >"$WORK/want"
qemu=$(our_qemus)
[ -n "$qemu" ] || fail "no QEMU"

wait_for sh -c "'$TETHERCTL' --state-dir '$STATE' logs pat | grep -q '^line 40$'"
before=$(ctl logs pat | wc -l)
kill -KILL "$(attachd_pid)"
[ "$before" -lt 600 ] || fail "the pattern was complete before the kill"
pass "attachd killed after $before of 600 lines"
sleep 1
kill -0 "$qemu" || fail "QEMU died with attachd"
pass "QEMU outlived attachd's SIGKILL"
rm -f "$STATE/attachd.pid"
start_attachd "$port"
grep -q "VM re-adopted (QEMU pid $qemu)" "$STATE/attachd.log" || fail "not re-adopted"
pass "the new attachd re-adopted the VM"

expect_eq "exit code" 0 "$(ctl wait pat)"
ctl logs pat >"$WORK/got"
cmp "$WORK/got" "$WORK/want" || fail "log differs from the pattern ($(wc -l <"$WORK/got") lines)"
pass "log is byte-identical to the pattern"

# A clean stop stops the VMs it runs.
ctl run -d --name keep -- sleep 600 >/dev/null
qemu=$(our_qemus)
kill -TERM "$(attachd_pid)"
for i in $(seq 1 100); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.05; done
kill -0 "$qemu" 2>/dev/null && fail "QEMU outlived attachd's clean stop"
pass "a clean stop of attachd stops its VMs"
rm -f "$STATE/attachd.pid"
start_attachd "$port"
ctl ps -a | grep -q "Exited (137) .* keep$" || fail "ps after the stop: $(ctl ps -a)"
pass "that VM's container exited with 137"
