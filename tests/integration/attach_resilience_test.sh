#!/usr/bin/env bash
# attachd killed with SIGKILL 5 times while a session writes 64 MiB of a
# known pattern: the log afterwards is byte-identical to the pattern.
source "$(dirname "$0")/attach_lib.sh"
start_attachd

head -c 67108864 /dev/urandom > "$WORK/pattern"
# Written in 32 pieces over ~3 s, so every kill lands mid-stream.
mkdir "$WORK/pieces"
split -b 2097152 -d -a 2 "$WORK/pattern" "$WORK/pieces/p"
ctl create --name flood -- sh -c \
  "for f in '$WORK'/pieces/p*; do cat \"\$f\"; sleep 0.1; done" >/dev/null
start_tether flood
port=$(attachd_port "$WORK/flood.json")
[ -n "$port" ] || fail "no port in the config"

for i in 1 2 3 4 5; do
  sleep 0.4
  kill -KILL "$ATTACHD_PID"
  wait "$ATTACHD_PID" 2>/dev/null || true
  sleep 0.2
  start_attachd "$port"
done
pass "attachd killed 5 times"
expect_eq "exit code after the flood" 0 "$(ctl wait flood)"
ctl logs flood > "$WORK/got"
size=$(stat -c %s "$WORK/got")
cmp -s "$WORK/pattern" "$WORK/got" || fail "log differs from the pattern ($size bytes of 67108864)"
pass "64 MiB log byte-identical after 5 SIGKILLs"
