#!/usr/bin/env bash
# A client that reads slower than the container writes gets every byte,
# though the output is many times the log's size cap: the segments it has
# not read are kept past the cap (rotation would take them), and let go
# once it has caught up, so the logs are back under the cap at the end.
source "$(dirname "$0")/attach_lib.sh"
start_attachd 0 --log-max-size 64k --log-max-file 2

head -c 8388608 /dev/urandom > "$WORK/pattern"
ctl create --name slow -- sh -c "sleep 2; cat '$WORK/pattern'" >/dev/null
start_tether slow
# About 4 MiB/s: the 8 MiB are in the log long before this client has them.
ctl attach --no-stdin slow | python3 -c '
import sys, time
out = open(sys.argv[1], "wb")
while True:
    b = sys.stdin.buffer.read(32768)
    if not b:
        break
    out.write(b)
    time.sleep(0.008)
' "$WORK/reader.out"
cmp -s "$WORK/pattern" "$WORK/reader.out" ||
  fail "the slow client got $(stat -c %s "$WORK/reader.out") of 8388608 bytes"
pass "a slow client got all 8 MiB through a 128 KiB log cap"
expect_eq "container finished" 0 "$(ctl wait slow)"
bytes=$(du -cb "$STATE"/containers/*/logs/* | tail -1 | cut -f1)
[ "$bytes" -le $((3 * 65536 + 16384)) ] ||
  fail "logs hold $bytes bytes after the reader left: $(ls -l "$STATE"/containers/*/logs/)"
pass "the logs are back under their cap ($bytes bytes)"
