#!/usr/bin/env bash
# A bad config: non-zero exit, a message naming the field, no core dump.
source "$(dirname "$0")/lib.sh"

check_bad() {
  local what=$1 json=$2 pattern=$3 rc=0 msg
  printf '%s' "$json" > "$WORK/bad.json"
  msg=$(in_ns "$TETHER" --config "$WORK/bad.json" 2>&1) || rc=$?
  expect_eq "$what: exit code" 125 "$rc"
  expect_match "$what: message" "$pattern" "$msg"
}

ID=$(printf 'b%.0s' $(seq 64))
check_bad "wrong type" \
  "{\"version\":1,\"id\":\"$ID\",\"sessions\":[{\"id\":\"m\",\"path\":\"/bin/true\",\"tty\":\"yes\"}]}" \
  'sessions\[0\]\.tty'
check_bad "unknown signal" \
  "{\"version\":1,\"id\":\"$ID\",\"sessions\":[{\"id\":\"m\",\"path\":\"/bin/true\",\"stop_signal\":\"SIGFOO\"}]}" \
  'sessions\[0\]\.stop_signal: .*SIGFOO'
check_bad "bad version" "{\"version\":2}" 'version'
check_bad "not JSON" "{{{" 'invalid JSON'
check_bad "missing file" "" '.'
rm -f "$WORK/bad.json"
rc=0
msg=$(in_ns "$TETHER" --config "$WORK/none.json" 2>&1) || rc=$?
expect_eq "missing file: exit code" 125 "$rc"
expect_match "missing file: message" "none.json: No such file or directory" "$msg"

rc=0
in_ns "$TETHER" --bogus-flag >/dev/null 2>&1 || rc=$?
expect_eq "unknown flag" 125 "$rc"
