#!/usr/bin/env bash
# The admin portal (docs/admin.md), against peers in the same run:
#  1. GET /health with CONTAINERS containers (default 1000), p50/p99 over
#     N requests on one TLS connection, against GET /static/admin.css (the
#     portal's cheapest answer) taking turns with it.
#  2. GET /logs/bundle.tar.gz of MIB MiB of container logs (default 1024,
#     half `seq` text, half base64 of random bytes, written through real
#     tethers): MiB of logs per second, and attachd's RSS sampled every
#     100 ms while it serves (it must stay flat), against
#     `tar -c | gzip -1` of the same state directory.
# usage: admin_bench.sh BIN_DIR [CONTAINERS] [MIB] [N]
set -euo pipefail
BIN=$(cd "${1:?usage: admin_bench.sh BIN_DIR [CONTAINERS] [MIB] [N]}" && pwd)
CONTAINERS=${2:-1000}
MIB=${3:-1024}
N=${4:-1000}
here=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/admin-bench.XXXXXX)
source "$here/bench_lib.sh"
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
STATE=$WORK/state
CERTS=$STATE/certs

"$BIN/attachd" --state-dir "$STATE" --listen 127.0.0.1:0 \
  --admin "127.0.0.1:$PORT" 2>"$WORK/attachd.stderr" &
ATTACHD=$!
PIDS+=($ATTACHD)
for i in $(seq 1 200); do [ -S "$STATE/attachd.sock" ] && break; sleep 0.05; done
[ -S "$STATE/attachd.sock" ] || { cat "$WORK/attachd.stderr"; exit 1; }

echo "== admin portal: /health with $CONTAINERS containers ($N requests)"
seq 1 "$CONTAINERS" | xargs -P 4 -I{} "$BIN/tetherctl" --state-dir "$STATE" \
  create --name "c{}" -- true >/dev/null
read -r _ h50 h99 _ s50 s99 < <(/usr/bin/python3 "$here/admin_latency.py" \
  127.0.0.1 "$PORT" "$CERTS" "$N" /health /static/admin.css | tr '\n' ' '; echo)
printf '  /health            p50 %6d us  p99 %6d us\n' "$h50" "$h99"
printf '  /static/admin.css  p50 %6d us  p99 %6d us (peer)\n' "$s50" "$s99"
printf '  ratio /health / peer: p50 %s  p99 %s\n' \
  "$(echo "scale=2; $h50 / $s50" | bc)" "$(echo "scale=2; $h99 / $s99" | bc)"

echo "== admin portal: bundle of $MIB MiB of container logs"
half=$(( MIB * 1048576 / 2 ))
ctl() { "$BIN/tetherctl" --state-dir "$STATE" "$@"; }
ctl create --name text -- sh -c "seq 1 1000000000 | head -c $half" >/dev/null
ctl create --name noise -- sh -c "base64 -w 120 /dev/urandom | head -c $half" >/dev/null
for name in text noise; do
  ctl config "$name" > "$WORK/$name.json"
  timeout 600 "$BIN/tether" --config "$WORK/$name.json" >/dev/null 2>&1 || true
done
logs=$(du -cb "$STATE"/containers/*/logs/*.log | tail -1 | cut -f1)
printf '  container logs: %d MiB\n' $(( logs / 1048576 ))

rss() { awk '/^VmRSS/ {print $2}' "/proc/$ATTACHD/status"; }
rss_before=$(rss)
: > "$WORK/rss"
( while :; do rss >> "$WORK/rss"; sleep 0.1; done ) &
SAMPLER=$!
PIDS+=($SAMPLER)
t0=$(date +%s.%N)
curl -s --cacert "$CERTS/ca.pem" --cert "$CERTS/client/cert.pem" \
  --key "$CERTS/client/key.pem" -o "$WORK/bundle.tar.gz" \
  "https://127.0.0.1:$PORT/logs/bundle.tar.gz"
t1=$(date +%s.%N)
kill "$SAMPLER" 2>/dev/null || true
gz=$(stat -c %s "$WORK/bundle.tar.gz")
secs=$(echo "$t1 - $t0" | bc)
tar -tzf "$WORK/bundle.tar.gz" >/dev/null || { echo "bundle is not a valid tar.gz"; exit 1; }
t2=$(date +%s.%N)
tar -C "$WORK" -cf - state 2>/dev/null | gzip -1 > /dev/null
t3=$(date +%s.%N)
peer=$(echo "$t3 - $t2" | bc)
mibs=$(echo "scale=1; $logs / 1048576 / $secs" | bc)
peer_mibs=$(echo "scale=1; $logs / 1048576 / $peer" | bc)
printf '  bundle: %.2f s, %s MiB/s of logs, %d MiB compressed\n' "$secs" "$mibs" $(( gz / 1048576 ))
printf '  peer tar -c | gzip -1 of the state dir: %.2f s, %s MiB/s\n' "$peer" "$peer_mibs"
printf '  ratio bundle / peer: %s\n' "$(echo "scale=2; $mibs / $peer_mibs" | bc)"
sort -n "$WORK/rss" | awk -v before="$rss_before" '
  NR == 1 {min = $1} {max = $1; n++}
  END {printf "  attachd RSS: %d KiB before; %d..%d KiB while serving (%d samples)\n",
       before, min, max, n}'
