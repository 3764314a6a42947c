#!/usr/bin/env bash
# A client that reads nothing must not slow another client, the log or the
# container: attachd drops it once its bounded queue is full.
source "$(dirname "$0")/attach_lib.sh"
start_attachd

head -c 33554432 /dev/urandom > "$WORK/pattern"
ctl create --name fan -- sh -c "sleep 2; cat '$WORK/pattern'; sleep 0.5" >/dev/null
start_tether fan

# The stuck client: its stdout is a FIFO nobody reads (the test holds the
# read end open so that the writer's open does not block). Only the test
# holds it (7>&-): once the test closes it the stuck client's write fails
# and it exits, instead of outliving the test until its timeout.
mkfifo "$WORK/stuck"
exec 7<>"$WORK/stuck"
ctl attach --no-stdin fan > "$WORK/stuck" 2>/dev/null 7>&- &
STUCK=$!
BG_PIDS+=("$STUCK")
ctl attach --no-stdin fan > "$WORK/reader.out" 2>"$WORK/reader.err" 7>&- &
READER=$!
BG_PIDS+=("$READER")

start=$(date +%s)
rc=0
wait "$READER" || rc=$?
elapsed=$(( $(date +%s) - start ))
expect_eq "the reading client sees the exit code" 0 "$rc"
cmp -s "$WORK/pattern" "$WORK/reader.out" || \
  fail "reading client got $(stat -c %s "$WORK/reader.out") of 33554432 bytes"
pass "reading client got all 32 MiB while another client was stuck"
[ "$elapsed" -lt 30 ] || fail "took ${elapsed}s"
ctl logs fan > "$WORK/log.out"
cmp -s "$WORK/pattern" "$WORK/log.out" || fail "log incomplete"
pass "log complete"
expect_eq "container finished" 0 "$(ctl wait fan)"
exec 7<&-
for _ in $(seq 1 100); do kill -0 "$STUCK" 2>/dev/null || break; sleep 0.1; done
kill -0 "$STUCK" 2>/dev/null && fail "the stuck client did not exit once its reader was gone"
pass "the stuck client exited"
