#!/usr/bin/env bash
# A config the tether rejects reaches the VM through fw_cfg (attachd's
# test-only --vm-config-patch merges an invalid hostname into it after
# attachd's own checks). The tether prints its error on the console and
# powers off; attachd records exit 125 with that message, and
# `tetherctl run` prints it and exits 125; wait and inspect show it too.
source "$(dirname "$0")/run_lib.sh"

echo '{"hostname": "not a hostname!"}' >"$WORK/patch.json"
start_attachd 0 --vm-config-patch "$WORK/patch.json"
rc=0
ctl run --name bad -- echo never >"$WORK/out" 2>"$WORK/err" || rc=$?
expect_eq "run's exit code" 125 "$rc"
expect_eq "no container output" "" "$(cat "$WORK/out")"
grep -q '^tether: error: .*hostname.*not a hostname!' "$WORK/err" ||
  fail "run did not print the tether's error: $(cat "$WORK/err")"
pass "run printed the tether's error: $(head -1 "$WORK/err")"
expect_eq "wait" 125 "$(ctl wait bad)"
ctl inspect bad | grep -q '"Error": "tether: error: .*hostname' ||
  fail "inspect: $(ctl inspect bad | grep Error)"
pass "inspect shows the error"
wait_for no_qemus
pass "the VM powered off"
