#!/usr/bin/env bash
# Keys are pinned both ways: a tether refuses an endpoint with the wrong
# host key and sends it nothing; attachd refuses a tether whose key is not
# the one registered for the container it claims to be.
source "$(dirname "$0")/attach_lib.sh"
start_attachd

# Wrong host key: a fingerprint of some other key.
ctl create --name pinned -- sh -c 'echo SECRET-OUTPUT; sleep 30' >/dev/null
ctl config pinned > "$WORK/good.json"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/other" >/dev/null
other_fp=$(ssh-keygen -lf "$WORK/other.pub" | awk '{print $2}')
sed "s|\"host_key_sha256\": *\"[^\"]*\"|\"host_key_sha256\": \"$other_fp\"|" \
  "$WORK/good.json" > "$WORK/pinned.json"
grep -q "$other_fp" "$WORK/pinned.json" || fail "could not rewrite the fingerprint"
bg_ns 60 "$TETHER" --config "$WORK/pinned.json" >"$WORK/pinned.log" 2>&1 &
BG_PIDS+=($!)
wait_for_output "$WORK/pinned.log" "host key" 15
# Fixed-string match: fingerprints are base64 and may hold '+'.
grep -qF "expects $other_fp" "$WORK/pinned.log" || fail "mismatch not named: $(cat "$WORK/pinned.log")"
pass "tether names the mismatch"
sleep 1
expect_eq "no byte of output reached attachd" "" "$(ctl logs pinned 2>&1)"
expect_match "still not connected" 'Created|created' "$(ctl ps -a --no-trunc | grep pinned)"

# Another container's key: the login is refused.
ctl create --name victim -- sh -c 'sleep 30' >/dev/null
ctl create --name intruder -- sh -c 'echo INTRUDER; sleep 30' >/dev/null
ctl config intruder > "$WORK/intruder.json"
victim_id=$(ctl inspect victim | sed -n 's/.*"Id": *"\([0-9a-f]*\)".*/\1/p' | head -1)
[ ${#victim_id} -eq 64 ] || fail "no id for victim"
intruder_id=$(ctl inspect intruder | sed -n 's/.*"Id": *"\([0-9a-f]*\)".*/\1/p' | head -1)
# The intruder's key, presented as the victim.
sed "s/$intruder_id/$victim_id/g" "$WORK/intruder.json" > "$WORK/claim.json"
bg_ns 60 "$TETHER" --config "$WORK/claim.json" >"$WORK/claim.log" 2>&1 &
BG_PIDS+=($!)
wait_for_output "$WORK/claim.log" "refused the identity key" 15
sleep 1
expect_eq "victim's log stays empty" "" "$(ctl logs victim 2>&1)"
expect_match "victim never connected" 'Created' "$(ctl ps -a | grep victim)"
grep -qF "refused the identity key for user $victim_id" "$WORK/claim.log" || \
  fail "refusal not reported: $(cat "$WORK/claim.log")"
pass "tether reports the refusal"
