#!/usr/bin/env bash
# Many container VMs one after the other on one attachd, most with no
# output at all: every run returns its own exit code, and attachd's log
# shows no socket trouble. A VM used to power off while its tether was
# still setting up the link; QEMU's exit reset that connection, libuv
# reported the reset as UV_EBADF, and attachd logged "ssh socket: Bad file
# descriptor" for it, about every other run, while the run returned 125.
source "$(dirname "$0")/run_lib.sh"

RUNS=${RUNS:-12}
start_attachd 0
for i in $(seq 1 "$RUNS"); do
  case $((i % 4)) in
    0) want=0 out="" cmd=(true) ;;
    1) want=1 out="" cmd=(false) ;;
    2) want=7 out="" cmd=(sh -c 'exit 7') ;;
    3) want=3 out="run $i" cmd=(sh -c "echo run $i; exit 3") ;;
  esac
  rc=0
  ctl run --rm -- "${cmd[@]}" >"$WORK/out" 2>"$WORK/err" || rc=$?
  expect_eq "run $i (${cmd[*]}): exit code (stderr: $(head -c 300 "$WORK/err"))" \
    "$want" "$rc"
  expect_eq "run $i: output" "$out" "$(cat "$WORK/out")"
done
if grep -E "Bad file descriptor|file already exists|Connection reset" \
     "$STATE/attachd.log"; then
  fail "attachd logged socket trouble"
fi
pass "no socket trouble in attachd.log after $RUNS runs"
wait_for no_qemus
pass "the VMs are gone"
