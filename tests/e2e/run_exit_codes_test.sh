#!/usr/bin/env bash
# Containers that exit at once, with no output at all, still report their
# exit code: the tether holds the VM until attachd has acknowledged the
# end, even when it ends before the attach link is up. `tetherctl run
# --rm` of true, false and sh -c 'exit 7' returns 0, 1 and 7 (it used to
# return 125, "the VM exited before its tether reported the container's
# exit").
source "$(dirname "$0")/run_lib.sh"

start_attachd 0
for want_cmd in "0 true" "1 false" "7 sh -c exit\ 7"; do
  want=${want_cmd%% *}
  eval "cmd=(${want_cmd#* })"
  rc=0
  ctl run --rm -- "${cmd[@]}" >"$WORK/out" 2>"$WORK/err" || rc=$?
  expect_eq "run --rm ${cmd[*]}: exit code (stderr: $(head -c 300 "$WORK/err"))" \
    "$want" "$rc"
  expect_eq "run --rm ${cmd[*]}: no output" "" "$(cat "$WORK/out" "$WORK/err")"
done
grep -q "exit code .* from the VM's console" "$STATE/attachd.log" &&
  fail "an exit came through the console, not the link"
pass "every exit came through the attach link"
wait_for no_qemus
pass "the VMs are gone"
