#!/usr/bin/env bash
# pprof end to end (docs/pprof.md): the stock `go tool pprof` against a
# static tether under load, attachd's own server, and `tetherctl pprof`
# through the attach link. All on 127.0.0.1.
source "$(dirname "$0")/attach_lib.sh"
command -v go >/dev/null || fail "go is not installed (make deps: golang-go)"
export HOME=$WORK GOCACHE=$WORK/gocache
# Below the kernel's ephemeral range (32768-60999 by default): a port
# there can be the local end of any outgoing connection on the host.
base_port=$(( 12000 + RANDOM % 20000 ))
P_LOAD=$base_port P_ATTACHD=$((base_port + 1)) P_LINKED=$((base_port + 2))
P_TUNNEL=$((base_port + 3))

pprof_top() { timeout -s KILL 60 go tool pprof -top "$@" 2>&1; }
http_code() { curl -s -o "${2:-/dev/null}" -w '%{http_code}' "$1"; }
# wait_http URL: until it answers 200.
wait_http() {
  local i
  for i in $(seq 1 200); do
    [ "$(http_code "$1")" = 200 ] && return 0
    sleep 0.05
  done
  fail "no answer from $1"
}
# has_samples FILE PATTERN: a -top line for PATTERN with non-zero cum.
has_samples() {
  awk -v pat="$2" 'index($0, pat) && $4 !~ /^0(B|s)?$/ {found=1} END {exit !found}' "$1"
}

# ---- 1. A tether under load (console mode: `yes` through its pipes) ----
id=$(printf '%064d' 7)
cat > "$WORK/load.json" <<EOF
{"version": 1, "id": "$id", "debug": 2,
 "sessions": [{"id": "main", "path": "/bin/sh",
               "args": ["sh", "-c", "exec timeout 100 yes"]}],
 "pprof": {"listen": "127.0.0.1:$P_LOAD"}}
EOF
# --kill-child: killing unshare (cleanup) kills the tether and its
# namespace; the sessions also end by themselves within 100 s.
unshare --pid --fork --mount-proc --kill-child \
  "$TETHER" --config "$WORK/load.json" >/dev/null 2>"$WORK/load.log" &
BG_PIDS+=($!)
URL=http://127.0.0.1:$P_LOAD/debug/pprof
wait_http "$URL/"

index=$(curl -s "$URL/")
for p in allocs cmdline goroutine heap profile symbol threadcreate; do
  [[ "$index" == *">$p</a>"* ]] || fail "index does not list $p"
done
pass "the index lists every profile"

pprof_top "$URL/profile?seconds=2" > "$WORK/cpu.txt"
grep -q 'Type: cpu' "$WORK/cpu.txt" || fail "no CPU profile: $(cat "$WORK/cpu.txt")"
has_samples "$WORK/cpu.txt" "tether::" ||
  fail "no tether:: function with samples: $(cat "$WORK/cpu.txt")"
pass "go tool pprof -top: the tether's own functions have CPU samples"

pprof_top "$URL/heap" > "$WORK/heap.txt"
grep -q 'Type: inuse_space' "$WORK/heap.txt" || fail "no heap profile: $(cat "$WORK/heap.txt")"
has_samples "$WORK/heap.txt" "tether::OutputRing" ||
  fail "heap does not show the output rings: $(cat "$WORK/heap.txt")"
pass "go tool pprof -top heap: live allocations by tether function"

for p in heap allocs goroutine threadcreate "profile?seconds=1"; do
  timeout -s KILL 60 go tool pprof -raw "$URL/$p" > "$WORK/raw.txt" 2>&1 ||
    fail "-raw $p: $(tail -5 "$WORK/raw.txt")"
  grep -q '^Mappings' "$WORK/raw.txt" || fail "-raw $p has no mappings"
done
pass "go tool pprof -raw parses every profile"

# One CPU profile at a time. The second request goes out once the tether
# has logged the first one's start: a fixed sleep lost that race on a
# loaded machine.
started=$(grep -c 'pprof: CPU profile for' "$WORK/load.log" || true)
curl -s -o "$WORK/first.pb.gz" -w '%{http_code}' "$URL/profile?seconds=3" \
  > "$WORK/first.code" &
first=$!
for _ in $(seq 1 200); do
  [ "$(grep -c 'pprof: CPU profile for' "$WORK/load.log" || true)" -gt "$started" ] && break
  sleep 0.05
done
code=$(http_code "$URL/profile?seconds=1" "$WORK/second.txt")
expect_eq "a second CPU profile is refused" 409 "$code"
expect_match "with a reason" 'already running' "$(cat "$WORK/second.txt")"
wait $first
expect_eq "the first one completes" 200 "$(cat "$WORK/first.code")"
timeout 60 go tool pprof -raw "$WORK/first.pb.gz" >/dev/null 2>&1 ||
  fail "the first profile does not parse"

# Bad requests: 4xx, and the server goes on.
exec {fd}<>"/dev/tcp/127.0.0.1/$P_LOAD"
printf 'GARBAGE \x01\x02\r\n\r\n' >&$fd
reply=$(timeout 5 head -c 200 <&$fd | tr -d '\r' | head -1)
exec {fd}>&-
expect_eq "malformed request" "HTTP/1.1 400 Bad Request" "$reply"
expect_eq "bad seconds" 400 "$(http_code "$URL/profile?seconds=abc")"
expect_eq "unknown profile" 404 "$(http_code "$URL/mutex")"
expect_eq "still serving" 200 "$(http_code "$URL/goroutine?debug=2")"
main_addr=$(nm "$TETHER" | awk '$3 == "main" {sub(/^0+/, "", $1); a = $1} END {print a}')
expect_eq "symbol lookup" "num_symbols: 1 0x$main_addr main" \
  "$(curl -s -d "0x$main_addr" "$URL/symbol" | tr '\n' ' ' | sed 's/ $//')"

# ---- 2. attachd --pprof and a linked tether ----
rm -f "$STATE/attachd.sock"
"$ATTACHD" --state-dir "$STATE" --listen 127.0.0.1:0 \
  --pprof "127.0.0.1:$P_ATTACHD" >>"$WORK/attachd.log" 2>&1 &
BG_PIDS+=($!)
wait_http "http://127.0.0.1:$P_ATTACHD/debug/pprof/"
pprof_top "http://127.0.0.1:$P_ATTACHD/debug/pprof/goroutine" > "$WORK/ad.txt"
has_samples "$WORK/ad.txt" "main" || fail "attachd goroutine: $(cat "$WORK/ad.txt")"
pass "attachd serves its own profiles"

ctl create --name pp -- timeout 100 sh -c 'while :; do sleep 1; done' >/dev/null
ctl config pp | sed -e 's/"debug": 0/"debug": 2/' \
  -e "s/\"listen\": \"\"/\"listen\": \"127.0.0.1:$P_LINKED\"/" > "$WORK/pp.json"
grep -q '"debug": 2' "$WORK/pp.json" || fail "could not set debug in the config"
unshare --pid --fork --mount-proc --kill-child \
  "$TETHER" --config "$WORK/pp.json" >"$WORK/pp.log" 2>&1 &
BG_PIDS+=($!)
wait_http "http://127.0.0.1:$P_LINKED/debug/pprof/"

key_part=$(sed -n 's/.*"identity_key": "[^\\]*\\n\([A-Za-z0-9+\/]\{40\}\).*/\1/p' "$WORK/pp.json")
[ -n "$key_part" ] || fail "no identity key in the config"
cmdline=$(curl -s "http://127.0.0.1:$P_LINKED/debug/pprof/cmdline?debug=1")
[[ "$cmdline" == *'"identity_key": "<redacted>"'* ]] || fail "cmdline: $cmdline"
[[ "$cmdline" != *"$key_part"* ]] || fail "cmdline shows the identity key"
[[ "$(curl -s "http://127.0.0.1:$P_LINKED/debug/pprof/cmdline" | tr '\0' ' ')" != *"$key_part"* ]] ||
  fail "cmdline shows the identity key"
pass "cmdline redacts the identity key"

# ---- 3. tetherctl pprof: through attachd and the attach link ----
"$TETHERCTL" --state-dir "$STATE" pprof pp --listen "127.0.0.1:$P_TUNNEL" \
  >"$WORK/tunnel.out" 2>&1 &
BG_PIDS+=($!)
wait_for_output "$WORK/tunnel.out" "Serving"
TURL=http://127.0.0.1:$P_TUNNEL/debug/pprof
for i in $(seq 1 100); do  # Until the tether has dialed in.
  [ "$(http_code "$TURL/")" = 200 ] && break
  sleep 0.1
done
expect_match "the index through the tunnel" 'threadcreate' "$(curl -s "$TURL/")"
pprof_top "$TURL/heap" > "$WORK/theap.txt"
has_samples "$WORK/theap.txt" "tether::" || fail "tunnel heap: $(cat "$WORK/theap.txt")"
pprof_top "$TURL/profile?seconds=1" > "$WORK/tcpu.txt"
grep -q 'Type: cpu' "$WORK/tcpu.txt" || fail "tunnel cpu: $(cat "$WORK/tcpu.txt")"
pass "go tool pprof through tetherctl pprof"
expect_eq "errors come through the tunnel" 404 "$(http_code "$TURL/nope")"
echo "all pprof tests passed"
