#!/usr/bin/env bash
# docker run -it through a pty, as a person at a terminal: the shell gets
# the terminal's size and later its new size, keys reach it, its exit code
# is run's; ctrl-p ctrl-q detaches (run exits 0, the container runs on)
# and docker attach comes back to it.
source "$(dirname "$0")/docker_lib.sh"
start_api_attachd verify

# The CLI under a pty, with the client bundle's environment.
on_pty() {
  /usr/bin/python3 "$(dirname "$0")/pty_session.py" "$@"
}
DK=(bash -c 'source "$1"; shift; exec timeout -s KILL 150 "$@"' _
    "$STATE/certs/client/env" "$DOCKER")

rc=0
on_pty --size 25x90 --timeout 120 \
  --expect '# ' --send 'stty size\r' --expect '\r\n25 90\r\n' \
  --size 30x100 \
  --send 'until [ "$(stty size)" = "30 100" ]; do sleep 0.1; done; echo resized-$((6*7))\r' \
  --expect 'resized-42' \
  --send 'echo typed-$((1+1))\r' --expect 'typed-2' \
  --send 'exit 4\r' \
  -- "${DK[@]}" run -it --rm busybox sh || rc=$?
expect_eq "run -it: size, resize, keys and the exit code" 4 "$rc"

rc=0
on_pty --size 24x80 --timeout 120 \
  --expect '# ' --send 'echo before-$((3+3))\r' --expect 'before-6' \
  --send '\x10\x11' \
  -- "${DK[@]}" run -it --name det busybox sh || rc=$?
expect_eq "ctrl-p ctrl-q detaches with 0" 0 "$rc"
expect_eq "the container runs on" running "$(dk inspect -f '{{.State.Status}}' det)"

# exec -it: a terminal of the client's size, resized with it.
rc=0
on_pty --size 20x70 --timeout 60 \
  --expect '# ' --send 'stty size\r' --expect '\r\n20 70\r\n' \
  --size 33x111 \
  --send 'until [ "$(stty size)" = "33 111" ]; do sleep 0.1; done; echo exec-resized\r' \
  --expect 'exec-resized' --send 'exit 6\r' \
  -- "${DK[@]}" exec -it det sh || rc=$?
expect_eq "exec -it: size, resize and its exit code" 6 "$rc"

rc=0
on_pty --size 27x85 --timeout 60 \
  --send '\r' --expect '# ' \
  --send 'until [ "$(stty size)" = "27 85" ]; do sleep 0.1; done; echo attach-sized\r' \
  --expect 'attach-sized' --send 'exit 5\r' \
  -- "${DK[@]}" attach det || rc=$?
expect_eq "docker attach, then exit 5" 5 "$rc"
expect_eq "wait" 5 "$(dk wait det)"
dk rm det >/dev/null

wait_for no_qemus
pass "the VMs are gone"
