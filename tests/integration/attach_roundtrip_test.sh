#!/usr/bin/env bash
# create -> config -> tether -> logs/wait/attach/exec/kill, like docker.
source "$(dirname "$0")/attach_lib.sh"
start_attachd

# Output, streams kept apart, exit code through wait.
ctl create --name rt -- sh -c 'echo out-line; echo err-line >&2; exit 3' >/dev/null
start_tether rt
expect_eq "wait prints the exit code" 3 "$(ctl wait rt)"
expect_eq "logs: stdout" "out-line" "$(ctl logs rt 2>/dev/null)"
expect_eq "logs: stderr stays stderr" "err-line" "$(ctl logs rt 2>&1 >/dev/null)"
expect_match "ps -a shows it exited" 'Exited \(3\)' "$(ctl ps -a)"
expect_match "inspect" '"ExitCode": 3' "$(ctl inspect rt)"

# stdin through attach; the container's exit code is attach's.
ctl create -i --name in -- sh -c 'while read l; do echo "got $l"; done; exit 5' >/dev/null
start_tether in
out=$(printf 'a\nb\n' | ctl attach in) && rc=0 || rc=$?
expect_eq "attach forwards stdin" "got a got b" "$(echo $out)"
expect_eq "attach returns the exit code" 5 "$rc"

# exec, signals and kill on a running container.
ctl create --name run -e FOO=bar -- sh -c \
  'trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.05; done' >/dev/null
start_tether run
ctl logs -f run > "$WORK/run.out" 2>&1 &
BG_PIDS+=($!)
wait_for_output "$WORK/run.out" ready
out=$(ctl exec run sh -c 'echo "FOO=$FOO"; exit 4') && rc=0 || rc=$?
expect_eq "exec sees the container env" "FOO=bar" "$out"
expect_eq "exec exit code" 4 "$rc"
out=$(printf 'hello\n' | ctl exec -i run sh -c 'read x; echo "read $x"')
expect_eq "exec -i forwards stdin" "read hello" "$out"
start=$(date +%s%N)
rc=0
msg=$(ctl exec run no-such-cmd 2>&1) || rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "exec of a missing command" 127 "$rc"
expect_match "exec 127 message" 'executable file not found' "$msg"
[ "$ms" -lt 3000 ] || fail "exec 127 took $ms ms"
out=$(script -qec "stty rows 33 cols 111; $TETHERCTL --state-dir $STATE exec -t run stty size" /dev/null | tr -d '\r')
expect_match "tty exec sees the size" '33 111' "$out"
ctl kill -s USR1 run >/dev/null
wait_for_output "$WORK/run.out" got-usr1
pass "kill -s USR1 reaches the process"
ctl kill run >/dev/null
expect_eq "killed container exits 137" 137 "$(ctl wait run)"

# A tty attach: keystrokes echo, a resize reaches the shell, ctrl-p ctrl-q
# detaches (exit 1, docker's message) and the shell goes on. The shell
# waits for the resize: keys typed right after it may arrive first (with
# the handoff they skip tetherctl, which relays the SIGWINCH). Its output
# may follow the prompt on the same line, as the typed line can be echoed
# before the prompt is printed; only the echo has re""sized. Once with the
# terminal handed to attachd (it holds the terminal while attached), once
# relayed by tetherctl (attachd never has it).
PTY_SESSION="/usr/bin/python3 $(dirname "$0")/../e2e/pty_session.py"
ctl create -t -i --name tty -- sh >/dev/null
start_tether tty
holds_pty="ls -l /proc/$ATTACHD_PID/fd | grep -q \" \$PTY\$\""
for mode in handoff relay; do
  if [ $mode = handoff ]; then check="$holds_pty"; else check="! $holds_pty"; fi
  rc=0
  TETHERCTL_TERMINAL_HANDOFF=$([ $mode = handoff ] && echo 1 || echo 0) \
    timeout -s KILL 60 $PTY_SESSION --size 30x100 --timeout 20 \
    --send 'echo $((6*7))-ok\r' --expect '42-ok' --shell "$check" \
    --send 'stty size\r' --expect '30 100' \
    --size 40x120 \
    --send 'until [ "$(stty size)" = "40 120" ]; do sleep 0.1; done; echo re""sized\r' \
    --expect 'resized\r\n' \
    --send '\x10\x11' --expect 'read escape sequence' \
    -- "$TETHERCTL" --state-dir "$STATE" attach tty > "$WORK/tty.$mode.out" 2>&1 \
    || rc=$?
  [ "$rc" = 1 ] || cat "$WORK/tty.$mode.out" >&2
  expect_eq "tty attach ($mode): keys, resize, detach" 1 "$rc"
done
expect_match "the shell outlives the detaches" 'Up' "$(ctl ps)"
ctl kill tty >/dev/null
expect_eq "then a kill ends it" 137 "$(ctl wait tty)"
