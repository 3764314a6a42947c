#!/usr/bin/env bash
# A root container is kept from the tether's secrets (review F7): the
# tether runs --config FILE as PID 1 of fresh PID and mount namespaces; its
# root primary holds docker's default capabilities only, cannot see the
# config file nor anything under /sys/firmware, cannot mount, and cannot
# read the tether's /proc/1 files. An exec-like second session gets the
# same. With "privileged": true all of it comes back; no_new_privileges
# sets NoNewPrivs. Under `tether -- CMD` (tini-like) nothing is taken.
source "$(dirname "$0")/lib.sh"

SECRET="tether-isolation-$RANDOM$RANDOM"
ID=$(printf 'e%.0s' $(seq 64))

# probe: one line per check, "NAME ok|denied", or a value.
cat > "$WORK/probe.sh" <<'SCRIPT'
try() {
  n=$1; shift
  if "$@" >/dev/null 2>&1; then echo "$n ok"; else echo "$n denied"; fi
}
grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status |
  tr -d '\t'
echo "config-bytes $(wc -c < "$1" 2>/dev/null || echo none)"
echo "firmware [$(ls -A /sys/firmware 2>/dev/null | tr '\n' ' ')]"
try proc1-environ head -c 1 /proc/1/environ
try proc1-mem dd if=/proc/1/mem of=/dev/null bs=1 count=1
try proc1-root ls /proc/1/root/
try umount-config umount "$1"
try umount-firmware umount /sys/firmware
try mount-tmpfs mount -t tmpfs none "$2"
try dev-mem dd if=/dev/mem of=/dev/null bs=1 count=1
SCRIPT
mkdir -p "$WORK/mnt"

# run_config NAME EXTRA_JSON: runs the probe as the primary and a second
# session, both root; their output in $WORK/NAME.out.
run_config() {
  local name=$1 extra=$2 cfg=$WORK/$1.json
  cat > "$cfg" <<JSON
{ "version": 1, "id": "$ID", "name": "iso", $extra
  "sessions": [
    { "id": "main", "primary": true, "path": "/bin/sh",
      "args": ["sh", "-c", "sleep 0.5; sh $WORK/probe.sh $cfg $WORK/mnt | sed 's/^/main /'"],
      "env": ["PATH=/usr/bin:/bin:/usr/sbin:/sbin", "SECRET=$SECRET"] },
    { "id": "side", "path": "/bin/sh",
      "args": ["sh", "-c", "sh $WORK/probe.sh $cfg $WORK/mnt | sed 's/^/side /'"],
      "env": ["PATH=/usr/bin:/bin:/usr/sbin:/sbin"] } ] }
JSON
  in_ns "$TETHER" --config "$cfg" > "$WORK/$name.out" 2>&1 ||
    fail "$name: tether exited $? ($(cat "$WORK/$name.out"))"
}

# has NAME LINE: the run's output has exactly this line.
has() {
  grep -qFx -- "$2" "$WORK/$1.out" || {
    cat "$WORK/$1.out" >&2
    fail "$1: no line [$2]"
  }
}

run_config confined ""
for who in main side; do
  has confined "$who CapEff:00000000a80425fb"
  has confined "$who CapPrm:00000000a80425fb"
  has confined "$who CapBnd:00000000a80425fb"
  has confined "$who CapInh:0000000000000000"
  has confined "$who CapAmb:0000000000000000"
  has confined "$who NoNewPrivs:0"
  has confined "$who config-bytes 0"
  has confined "$who firmware []"
  for what in proc1-environ proc1-mem proc1-root umount-config \
    umount-firmware mount-tmpfs dev-mem; do
    has confined "$who $what denied"
  done
done
grep -q "$SECRET" "$WORK/confined.out" && fail "the config leaked: $(cat "$WORK/confined.out")"
pass "root sessions: docker's capabilities, no config, no /proc/1, no mounts"
# The tether's own view was left alone.
grep -q "$SECRET" "$WORK/confined.json" || fail "the config file itself changed"
[ -z "$(ls -A "$WORK/mnt")" ] || fail "a mount leaked out"
pass "the masks live in the sessions' namespaces only"

run_config nnp '"no_new_privileges": true,'
has nnp "main NoNewPrivs:1"
has nnp "main CapBnd:00000000a80425fb"
pass "no_new_privileges sets NoNewPrivs"

run_config privileged '"privileged": true,'
bnd=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
has privileged "main CapBnd:$bnd"
has privileged "main proc1-environ ok"
has privileged "main mount-tmpfs ok"
grep -qE "^main config-bytes [1-9][0-9]*$" "$WORK/privileged.out" ||
  fail "privileged: cannot read its config: $(cat "$WORK/privileged.out")"
pass "privileged: every capability ($bnd), the config, mounts"

# tini-like: the command keeps the tether's rights, as under tini.
out=$(in_ns "$TETHER" -- sh -c 'grep ^CapEff /proc/self/status | tr -d "\t"')
expect_eq "tether -- CMD takes nothing away" "CapEff:$bnd" "$out"
