#!/usr/bin/env bash
# When the attach link never delivers the exit, the tether's exit record
# on the console does (guestinfo/exit_record.h): the code reaches attachd,
# never a made-up 125.
#  1. attachd is up but the tether can never log in (the config's pinned
#     host key is wrong): after its drain timeout (3 s, from the config)
#     the VM powers off, and attachd takes the code from console.log.
#  2. attachd is SIGKILLed and comes back only after the VM is gone: the
#     new attachd finds the VM ended while it was away and takes the code
#     from console.log too.
source "$(dirname "$0")/run_lib.sh"

port=$(free_port)
cat >"$WORK/patch.json" <<'JSON'
{"endpoint": {"drain_timeout_s": 3,
  "host_key_sha256": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}
JSON
start_attachd "$port" --vm-config-patch "$WORK/patch.json"
ctl create --name nolink -- sh -c 'echo lost; exit 5' >/dev/null
ctl start nolink >/dev/null 2>&1 || true  # Its tether never says Hello.
wait_for no_qemus
expect_eq "exit code from the console (no link)" 5 "$(ctl wait nolink)"
grep -q "container [0-9a-f]*: exit code 5 from the VM's console" "$STATE/attachd.log" ||
  fail "attachd did not say where the code came from"
pass "attachd says the code came from the console"
ctl inspect nolink | grep -q '"Error": ""' || fail "inspect: $(ctl inspect nolink | grep Error)"
pass "no error recorded"

kill -TERM "$(attachd_pid)"
wait_for sh -c "! kill -0 $(attachd_pid) 2>/dev/null"
rm -f "$STATE/attachd.pid"
echo '{"endpoint": {"drain_timeout_s": 3}}' >"$WORK/patch.json"
start_attachd "$port" --vm-config-patch "$WORK/patch.json"
ctl run -d --name away -- sh -c 'sleep 3; exit 6' >/dev/null
qemu=$(our_qemus)
[ -n "$qemu" ] || fail "no QEMU"
kill -KILL "$(attachd_pid)"
rm -f "$STATE/attachd.pid"
wait_for sh -c "! kill -0 $qemu 2>/dev/null"
pass "the VM powered off while attachd was away"
start_attachd "$port"
expect_eq "exit code from the console (attachd away)" 6 "$(ctl wait away)"
