#!/usr/bin/env bash
# A detached container VM (run -d): the id comes back once its tether is
# up; ps shows it; exec runs in it with its own exit code, and exec -it
# gives an interactive shell that follows resizes; logs shows the
# primary's output; kill -s TERM ends it with 143. `start` boots the same
# container again, and kill (KILL) ends that run with 137.
source "$(dirname "$0")/run_lib.sh"

start_attachd 0
id=$(ctl run -d --name det -- sh -c \
  'trap "echo got TERM; exit 143" TERM; i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 1 & wait; done')
[[ "$id" =~ ^[0-9a-f]{64}$ ]] || fail "run -d printed [$id]"
pass "run -d printed the id"
ctl ps | grep -q "^${id:0:12} .* Up .* det$" || fail "ps: $(ctl ps)"
pass "ps shows it up"

rc=0
out=$(ctl exec det sh -c 'echo "exec in $(hostname)"; exit 3') || rc=$?
expect_eq "exec output" "exec in det" "$out"
expect_eq "exec exit code" 3 "$rc"

# Interactive exec: a shell on a tty of the terminal's size, which follows
# a resize (the loop waits for it: SIGWINCH and typed keys race).
rc=0
/usr/bin/python3 "$(dirname "$0")/pty_session.py" --size 30x100 \
  --send 'stty size\r' --expect '\r\n30 100\r\n' \
  --size 40x120 \
  --send 'until [ "$(stty size)" = "40 120" ]; do sleep 0.1; done; echo re""sized\r' \
  --expect '\r\nresized\r\n' --send 'exit 5\r' \
  -- "$TETHERCTL" --state-dir "$STATE" exec -it det sh || rc=$?
expect_eq "exec -it: a tty of the terminal's size, resized, exit code" 5 "$rc"

wait_for sh -c "'$TETHERCTL' --state-dir '$STATE' logs det | grep -q '^tick 1$'"
[ "$(ctl logs det | head -2)" == $'tick 0\ntick 1' ] || fail "logs: $(ctl logs det | head -3)"
pass "logs shows the primary's output"

ctl kill -s TERM det >/dev/null
expect_eq "wait after kill -s TERM" 143 "$(ctl wait det)"
ctl logs det | grep -q "^got TERM$" || fail "the primary did not see SIGTERM"
pass "the primary got SIGTERM"

ctl start det >/dev/null
ctl ps | grep -q "^${id:0:12} .* Up .* det$" || fail "ps after start: $(ctl ps)"
pass "start booted it again"
ctl kill det >/dev/null
expect_eq "wait after kill" 137 "$(ctl wait det)"
wait_for no_qemus
pass "its VM is gone"
