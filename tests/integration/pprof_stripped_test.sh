#!/usr/bin/env bash
# pprof of a stripped tether (docs/pprof.md, "Symbols"): the VM's /init
# has no symbol table, so its profiles carry addresses, its mapping and its
# GNU build id; `go tool pprof` names the functions from the unstripped
# file that PPROF_BINARY_PATH holds under that build id, as
# initramfs/build.sh lays out share/tether/symbols/. All on 127.0.0.1.
source "$(dirname "$0")/lib.sh"
command -v go >/dev/null || fail "go is not installed (make deps: golang-go)"
export HOME=$WORK GOCACHE=$WORK/gocache
port=$(( 30000 + RANDOM % 20000 ))
URL=http://127.0.0.1:$port/debug/pprof

build_id=$(readelf -n "$TETHER" | awk '/Build ID:/ {print $3; exit}')
[ -n "$build_id" ] || fail "the tether has no GNU build id"
strip --strip-all -o "$WORK/init" "$TETHER"
mkdir -p "$WORK/symbols/$build_id"
strip --strip-debug -o "$WORK/symbols/$build_id/tether" "$TETHER"
nm "$WORK/init" >/dev/null 2>&1 && fail "strip --strip-all left symbols"

id=$(printf '%064d' 8)
cat > "$WORK/load.json" <<EOF
{"version": 1, "id": "$id", "debug": 2,
 "sessions": [{"id": "main", "path": "/bin/sh",
               "args": ["sh", "-c", "exec timeout 100 yes"]}],
 "pprof": {"listen": "127.0.0.1:$port"}}
EOF
unshare --pid --fork --mount-proc --kill-child \
  "$WORK/init" --config "$WORK/load.json" >/dev/null 2>"$WORK/load.log" &
BG_PIDS+=($!)
for _ in $(seq 1 200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/")" = 200 ] && break
  sleep 0.05
done
curl -s -o "$WORK/heap.pb.gz" "$URL/heap" || fail "no heap profile"

timeout -s KILL 60 go tool pprof -raw "$WORK/heap.pb.gz" > "$WORK/raw.txt" 2>&1 ||
  fail "-raw: $(tail -5 "$WORK/raw.txt")"
expect_match "the mapping names the build id" "$build_id" "$(cat "$WORK/raw.txt")"
! grep -q 'tether::' "$WORK/raw.txt" ||
  fail "a stripped tether named functions itself: $(grep -m3 'tether::' "$WORK/raw.txt")"
pass "a stripped tether's profile carries addresses and its build id"

PPROF_BINARY_PATH=$WORK/symbols timeout -s KILL 60 \
  go tool pprof -top "$WORK/heap.pb.gz" > "$WORK/top.txt" 2>&1 ||
  fail "-top: $(tail -5 "$WORK/top.txt")"
grep -q 'tether::OutputRing' "$WORK/top.txt" ||
  fail "no tether:: names from the symbol file: $(cat "$WORK/top.txt")"
pass "go tool pprof names the functions from symbols/<build id>/"
echo "all stripped pprof tests passed"
