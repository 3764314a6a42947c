#!/usr/bin/env bash
# Exit codes: the primary's own code, 128+signal, 127/126 at once.
source "$(dirname "$0")/lib.sh"

expect_eq "true exits 0" 0 "$(rc_of in_ns "$TETHER" -- /bin/true)"
expect_eq "exit 3" 3 "$(rc_of in_ns "$TETHER" -- sh -c 'exit 3')"
expect_eq "SIGKILL gives 137" 137 \
  "$(rc_of in_ns "$TETHER" -- sh -c 'kill -9 $$')"
expect_eq "prints output" "hi" "$(in_ns "$TETHER" -- echo hi)"

start=$(date +%s%N)
rc=0
msg=$(in_ns "$TETHER" -- no-such-command-xyz 2>&1) || rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "missing command gives 127" 127 "$rc"
expect_match "127 message" 'exec: "no-such-command-xyz": executable file not found in \$PATH' "$msg"
[ "$elapsed" -lt 1000 ] || fail "127 took ${elapsed} ms"
pass "127 within 1 s (${elapsed} ms)"

printf 'echo never\n' > "$WORK/not-exec"
chmod 0644 "$WORK/not-exec"
start=$(date +%s%N)
rc=0
msg=$(in_ns "$TETHER" -- "$WORK/not-exec" 2>&1) || rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "non-executable gives 126" 126 "$rc"
expect_match "126 message" "exec \"$WORK/not-exec\": Permission denied" "$msg"
[ "$elapsed" -lt 1000 ] || fail "126 took ${elapsed} ms"
pass "126 within 1 s (${elapsed} ms)"

expect_eq "bad workdir gives 125" 125 \
  "$(rc_of in_ns "$TETHER" -w /no/such/dir -- /bin/true 2>/dev/null)"

out=$(in_ns "$TETHER" -- sh -c 'echo to-out; echo to-err >&2' 2>"$WORK/err")
expect_eq "stdout stays stdout" "to-out" "$out"
expect_eq "stderr stays stderr" "to-err" "$(cat "$WORK/err")"

# Nothing accepted is lost: 16 MiB through the tether, byte for byte, and
# all of it out before the tether exits with the primary's code.
head -c 16777216 /dev/urandom > "$WORK/data"
rc=0
in_ns "$TETHER" -- sh -c "cat '$WORK/data'; exit 5" > "$WORK/out" || rc=$?
expect_eq "exit code after a big output" 5 "$rc"
cmp -s "$WORK/data" "$WORK/out" || fail "16 MiB output differs"
pass "16 MiB output byte-identical"
