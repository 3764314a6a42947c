#!/usr/bin/env bash
# tetherctl run boots a container VM and exits with its code: with no
# attachd it starts one and says so; `echo hello` prints hello and exits
# 0; `sh -c 'exit 7'` exits 7 with stdout and stderr kept apart; --rm
# leaves nothing behind; the config's random seed fills the guest's pool;
# run -it gives a shell on the terminal.
source "$(dirname "$0")/run_lib.sh"

ctl run --listen 127.0.0.1:0 -- echo hello >"$WORK/out" 2>"$WORK/err" ||
  fail "run echo hello: exit $? ($(cat "$WORK/err"))"
expect_eq "echo hello through the VM" "hello" "$(cat "$WORK/out")"
grep -q "^tetherctl: started attachd (pid [0-9]*) for $STATE, listening on 127.0.0.1:[1-9][0-9]*$" "$WORK/err" ||
  fail "run did not say it started attachd: $(cat "$WORK/err")"
pass "run started attachd and said so"
[ -S "$STATE/attachd.sock" ] && kill -0 "$(attachd_pid)" || fail "attachd is not running"

rc=0
ctl run --rm -- sh -c 'echo to-out; echo to-err >&2; exit 7' \
  >"$WORK/out" 2>"$WORK/err" || rc=$?
expect_eq "exit code of sh -c 'exit 7'" 7 "$rc"
expect_eq "stdout" "to-out" "$(cat "$WORK/out")"
expect_eq "stderr (and no second attachd)" "to-err" "$(cat "$WORK/err")"
expect_eq "--rm removed it" 1 "$(ctl ps -a -q | wc -l)"

# attachd's random_seed reached the kernel before the container ran: under
# TCG (no RDRAND, no virtio-rng) the pool would otherwise still be filling,
# and the link's key exchange waiting for it.
expect_eq "the kernel's random pool was full when the container started" 256 \
  "$(ctl run --rm -- cat /proc/sys/kernel/random/entropy_avail)"
# Interactive: the terminal is handed to attachd; the shell has its size
# and its exit code is run's.
rc=0
/usr/bin/python3 "$(dirname "$0")/pty_session.py" --size 25x90 \
  --expect '# ' --send 'stty size\r' --expect '\r\n25 90\r\n' \
  --send 'exit 4\r' \
  -- "$TETHERCTL" --state-dir "$STATE" run -it --rm -- sh || rc=$?
expect_eq "run -it: a shell on this terminal, its exit code" 4 "$rc"

wait_for no_qemus
pass "the VMs are gone"
