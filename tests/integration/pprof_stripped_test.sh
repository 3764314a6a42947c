#!/usr/bin/env bash
# pprof of a stripped tether (docs/pprof.md, "Symbols"): the VM's /init
# has no symbol table, so its profiles carry addresses, its mapping and its
# GNU build id; `tetherctl pprof` names the functions from the unstripped
# file kept under that build id, as initramfs/build.sh lays out
# share/tether/symbols/, and the stock `go tool pprof` shows them. (Go's
# own pprof reads no build id from local files, so PPROF_BINARY_PATH alone
# cannot do it.) All on 127.0.0.1.
source "$(dirname "$0")/attach_lib.sh"
command -v go >/dev/null || fail "go is not installed (make deps: golang-go)"
export HOME=$WORK GOCACHE=$WORK/gocache
# Below the kernel's ephemeral range (32768-60999 by default): a port
# there can be the local end of any outgoing connection on the host.
base_port=$(( 12000 + RANDOM % 20000 ))
P_LINKED=$base_port P_TUNNEL=$((base_port + 1))
pprof_run() { timeout -s KILL 60 go tool pprof "$@" 2>&1; }
wait_http() {
  local i
  for i in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.05
  done
  fail "no answer from $1"
}

build_id=$(readelf -n "$TETHER" | awk '/Build ID:/ {print $3; exit}')
[ -n "$build_id" ] || fail "the tether has no GNU build id"
strip --strip-all -o "$WORK/init" "$TETHER"
mkdir -p "$WORK/symbols/$build_id"
strip --strip-debug -o "$WORK/symbols/$build_id/tether" "$TETHER"
# nm exits 0 on a file without symbols ("no symbols"): ask for the section.
readelf -S "$WORK/init" | grep -q '\.symtab' &&
  fail "strip --strip-all left a symbol table"

start_attachd
ctl create --name st -- timeout 100 sh -c 'while :; do sleep 1; done' >/dev/null
ctl config st | sed -e 's/"debug": 0/"debug": 2/' \
  -e "s/\"listen\": \"\"/\"listen\": \"127.0.0.1:$P_LINKED\"/" > "$WORK/st.json"
grep -q '"debug": 2' "$WORK/st.json" || fail "could not set debug in the config"
unshare --pid --fork --mount-proc --kill-child \
  "$WORK/init" --config "$WORK/st.json" >"$WORK/st.log" 2>&1 &
BG_PIDS+=($!)
wait_http "http://127.0.0.1:$P_LINKED/debug/pprof/"

# Straight from the tether: addresses, the mapping and its build id.
curl -s -o "$WORK/heap.pb.gz" "http://127.0.0.1:$P_LINKED/debug/pprof/heap" ||
  fail "no heap profile"
pprof_run -raw "$WORK/heap.pb.gz" > "$WORK/raw.txt" ||
  fail "-raw: $(tail -5 "$WORK/raw.txt")"
expect_match "the mapping names the build id" "$build_id" "$(cat "$WORK/raw.txt")"
! grep -q 'tether::' "$WORK/raw.txt" ||
  fail "a stripped tether named functions itself: $(grep -m3 'tether::' "$WORK/raw.txt")"
pass "a stripped tether's profile carries addresses and its build id"

# Through tetherctl pprof with the symbol directory: names.
"$TETHERCTL" --state-dir "$STATE" pprof st --listen "127.0.0.1:$P_TUNNEL" \
  --symbols "$WORK/nonexistent:$WORK/symbols" >"$WORK/tunnel.out" 2>&1 &
BG_PIDS+=($!)
wait_for_output "$WORK/tunnel.out" "Serving"
wait_http "http://127.0.0.1:$P_TUNNEL/debug/pprof/"
pprof_run -top "http://127.0.0.1:$P_TUNNEL/debug/pprof/heap" > "$WORK/top.txt" ||
  fail "-top: $(tail -5 "$WORK/top.txt")"
grep -q 'tether::' "$WORK/top.txt" ||
  fail "no tether:: names from the symbol file: $(cat "$WORK/top.txt")"
pprof_run -top "http://127.0.0.1:$P_TUNNEL/debug/pprof/profile?seconds=1" \
  > "$WORK/cpu.txt" || fail "cpu: $(tail -5 "$WORK/cpu.txt")"
grep -q 'Type: cpu' "$WORK/cpu.txt" || fail "cpu: $(cat "$WORK/cpu.txt")"
pass "go tool pprof names a stripped tether's functions through tetherctl pprof"
echo "all stripped pprof tests passed"
