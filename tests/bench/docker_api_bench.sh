#!/usr/bin/env bash
# What the Docker API costs, against tetherctl on the same attachd in the
# same run (the stock CLI, /usr/bin/docker, over TLS with client
# certificates, attachd's default):
#   1. a whole container's life: `docker run --rm busybox true` against
#      `tetherctl run --rm -- true`, alternating, medians (real VMs);
#   2. output throughput of one session through the client, twice: as the
#      user sees it, `docker run busybox head -c SIZE /dev/zero` against
#      `tetherctl run` of the same (a VM each: the guest's link under TCG
#      is the same for both and may set the pace), and the client's part
#      alone, `docker attach` against `tetherctl attach` of a session run
#      by a tether on the host;
#   3. `GET /containers/json?all=1` (docker ps -a) with N containers: p50
#      and p99 of the request over a kept-alive TLS connection, and of the
#      whole `docker ps -a` command.
#
#   docker_api_bench.sh BUILD_DIR [RUNS] [MIB] [CONTAINERS]
set -euo pipefail
BUILD=${1:?usage: docker_api_bench.sh BUILD_DIR [RUNS] [MIB] [CONTAINERS]}
RUNS=${2:-5}
MIB=${3:-1024}
COUNT=${4:-1000}
BIN=$BUILD/bin
here=$(cd "$(dirname "$0")" && pwd)
export TETHER_IMAGE_DIR=$BUILD/share/tether
WORK=$(mktemp -d -p /dev/shm tether-docker-bench.XXXXXX)
source "$here/bench_lib.sh"
STATE=$WORK/state
DOCKER=/usr/bin/docker
export DOCKER_CONFIG=$WORK/docker-config HOME=$WORK
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
now_ns() { date +%s%N; }

API_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN/attachd" --state-dir "$STATE" --listen 127.0.0.1:0 \
  --api "127.0.0.1:$API_PORT" 2>"$WORK/attachd.log" &
PIDS+=($!)
for _ in $(seq 1 200); do [ -s "$STATE/certs/client/env" ] && [ -S "$STATE/attachd.sock" ] && break; sleep 0.05; done
# shellcheck disable=SC1091
source "$STATE/certs/client/env"
ctl() { "$BIN/tetherctl" --state-dir "$STATE" "$@"; }

echo "Docker API cost, same attachd, docker over TLS with client certificates"

# 1. A container's whole life (RUNS=0 skips it).
if [ "$RUNS" -gt 0 ]; then
  d=() t=()
  for i in $(seq 1 "$RUNS"); do
    s=$(now_ns); "$DOCKER" run --rm busybox true; d+=($(( $(now_ns) - s )))
    s=$(now_ns); ctl run --rm -- true; t+=($(( $(now_ns) - s )))
  done
  dm=$(median "${d[@]}") tm=$(median "${t[@]}")
  printf '  run --rm true, median of %d: docker %d ms, tetherctl %d ms, ratio %s (target <= 1.05)\n' \
    "$RUNS" $((dm / 1000000)) $((tm / 1000000)) "$(echo "scale=3; $dm / $tm" | bc)"
fi

# 2a. Throughput as the user sees it: a VM each, boot included.
if [ "$RUNS" -gt 0 ]; then
  s=$(now_ns); "$DOCKER" run --rm busybox head -c $((MIB * 1048576)) /dev/zero | wc -c >"$WORK/n"; dv=$(( $(now_ns) - s ))
  [ "$(cat "$WORK/n")" -eq $((MIB * 1048576)) ] || echo "  warning: docker run gave $(cat "$WORK/n") bytes" >&2
  s=$(now_ns); ctl run --rm -- head -c $((MIB * 1048576)) /dev/zero | wc -c >"$WORK/n"; tv=$(( $(now_ns) - s ))
  printf '  docker run head -c %d MiB: %s MiB/s (TLS), tetherctl run: %s MiB/s, ratio %s (VM boots included)\n' \
    "$MIB" "$(echo "scale=1; $MIB * 1000000000 / $dv" | bc)" \
    "$(echo "scale=1; $MIB * 1000000000 / $tv" | bc)" "$(echo "scale=3; $tv / $dv" | bc)"
fi

# 2b. Throughput through the client alone. The session waits for a line on its
# stdin, so the client is attached before the output starts; the tether
# runs on the host and the clock runs from the line to the client's exit.
BYTES=$((MIB * 1048576))
through() {  # through NAME CLIENT...: ns from the go line to the client's end
  local name=$1 tpid
  shift
  ctl config "$name" >"$WORK/$name.json"
  "$BIN/tether" --config "$WORK/$name.json" --drain-timeout 600000 \
    >/dev/null 2>&1 &
  tpid=$!
  PIDS+=("$tpid")
  for _ in $(seq 1 200); do
    [ "$(ctl inspect "$name" 2>/dev/null | grep -c '"Running": true')" -ge 1 ] && break
    sleep 0.05
  done
  /usr/bin/python3 - "$BYTES" "$@" <<'PY'
import subprocess, sys, time
want = int(sys.argv[1])
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
s = time.monotonic_ns()
p.stdin.write(b"go\n")
p.stdin.flush()
got = 0
while True:
    b = p.stdout.read1(1 << 20)
    if not b:
        break
    got += len(b)
p.stdin.close()
p.wait()
e = time.monotonic_ns()
if got != want:
    sys.stderr.write("  warning: %d bytes, not %d: %s\n" %
                     (got, want, p.stderr.read()[:200]))
print(e - s)
PY
  wait "$tpid" 2>/dev/null || true
}
"$DOCKER" create -i --name tput-docker busybox \
  sh -c "read x; head -c $BYTES /dev/zero" >/dev/null
ctl create -i --name tput-ctl -- sh -c "read x; head -c $BYTES /dev/zero" >/dev/null
dn=$(through tput-docker "$DOCKER" attach tput-docker)
tn=$(through tput-ctl "$BIN/tetherctl" --state-dir "$STATE" attach tput-ctl)
rate() { echo "scale=1; $MIB * 1000000000 / $1" | bc; }
printf '  %d MiB of output: docker attach (TLS) %s MiB/s, tetherctl attach %s MiB/s, ratio %s (target >= 0.9)\n' \
  "$MIB" "$(rate "$dn")" "$(rate "$tn")" "$(echo "scale=3; $tn / $dn" | bc)"

# 3. docker ps -a with COUNT containers.
for i in $(seq 1 "$COUNT"); do echo "c$i"; done |
  xargs -P 2 -I{} "$BIN/tetherctl" --state-dir "$STATE" create --name {} -- true >/dev/null
/usr/bin/python3 - "$STATE/certs/client" "$API_PORT" <<'PY'
import http.client, ssl, sys, time
d, port = sys.argv[1], int(sys.argv[2])
ctx = ssl.create_default_context(cafile=d + "/ca.pem")
ctx.load_cert_chain(d + "/cert.pem", d + "/key.pem")
c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
times = []
for _ in range(200):
    s = time.perf_counter()
    c.request("GET", "/v1.41/containers/json?all=1")
    body = c.getresponse().read()
    times.append(time.perf_counter() - s)
times.sort()
print("  GET /containers/json?all=1, %d containers (%d KiB), 200 requests: "
      "p50 %.1f ms, p99 %.1f ms" % (body.count(b'"Id"'), len(body) // 1024,
      times[99] * 1e3, times[197] * 1e3))
PY
ps=()
for _ in $(seq 1 20); do
  s=$(now_ns); "$DOCKER" ps -a >/dev/null; ps+=($(( ($(now_ns) - s) / 1000000 )))
done
sorted=($(printf '%s\n' "${ps[@]}" | sort -n))
printf '  docker ps -a (the whole command, TLS handshake included), 20 runs: p50 %d ms, max %d ms\n' \
  "${sorted[9]}" "${sorted[19]}"
