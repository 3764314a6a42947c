#!/usr/bin/env bash
# Attach throughput: a session writing SIZE bytes to stdout, tether ->
# attachd -> log (state dir on tmpfs), against OpenSSH (`head | ssh 'cat
# >/dev/null'`) with the same cipher and MAC, and a raw loopback TCP copy
# (socat), all in the same run. One row pair per cipher (BENCH_CIPHERS,
# default: the tether's first choice, then the fallback): attachd is made to
# accept only that cipher, and each row prints what both sides actually
# negotiated. Prints MiB/s, ratios, and CPU per MiB of the sending side
# (tether or ssh, plus the shared `head`) and of the receiving side (attachd,
# or sshd with its `cat`): on a busy machine throughput follows CPU share,
# so the CPU columns are the steadier comparison. BENCH_ROUNDS > 1 repeats
# every transfer and prints medians.
set -euo pipefail
BIN=${1:?usage: attach_throughput_bench.sh BIN_DIR [MIB]}
MIB=${2:-1024}
CIPHERS=${BENCH_CIPHERS:-"aes256-gcm@openssh.com chacha20-poly1305@openssh.com"}
ROUNDS=${BENCH_ROUNDS:-1}
here=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d -p /dev/shm tether-bench.XXXXXX)
source "$here/bench_lib.sh"
BYTES=$((MIB * 1048576))
HZ=$(getconf CLK_TCK)

rate() { echo "scale=1; $MIB * 1000000000 / $1" | bc; }
ms_per_mib() { echo "scale=1; $1 * 1000 / $MIB" | bc; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# CPU seconds a live process used so far, its reaped children included.
proc_cpu() {
  echo "scale=3; $(awk '{print $14+$15+$16+$17}' "/proc/$1/stat") / $HZ" | bc
}
# Runs a command; prints "<wall ns> <CPU s of it and every child it reaped>".
timed() {
  /usr/bin/python3 -c '
import resource, subprocess, sys, time
t = time.monotonic_ns()
rc = subprocess.call(sys.argv[1:])
t = time.monotonic_ns() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(t, round(r.ru_utime + r.ru_stime, 3))
sys.exit(rc)' "$@"
}

# One tether transfer with attachd limited to cipher $1. Sets T_NS, T_TX,
# T_RX (sender and receiver CPU s) and T_ALGOS (negotiated, from attachd).
tether_once() {
  rm -rf "$WORK/state"
  # A log that holds the whole transfer (no rotation), so its size proves
  # that every byte arrived.
  ATTACHD_SSH_CIPHERS=$1 start_bench_attachd \
    --log-max-size "$(((BYTES >> 20) + 16))m"
  local apid=${PIDS[-1]} rx0 n
  ctl create --name bench -- sh -c "head -c $BYTES /dev/zero" >/dev/null
  ctl config bench > "$WORK/bench.json"
  rx0=$(proc_cpu "$apid")
  read -r T_NS T_TX < <(timed "$BIN/tether" --config "$WORK/bench.json" \
                              --drain-timeout 600000)
  T_RX=$(echo "$(proc_cpu "$apid") - $rx0" | bc)
  n=$(ctl logs bench | wc -c)
  [ "$n" -eq "$BYTES" ] || echo "warning: log holds $n bytes, not $BYTES" >&2
  T_ALGOS=$(sed -n 's/.*tether connected from [^ ]* (\(.*\))$/\1/p' \
            "$WORK/attachd.log" | head -1)
  kill -KILL "$apid"; wait "$apid" 2>/dev/null || true
  unset 'PIDS[-1]'
}

# One OpenSSH transfer with cipher $1. Sets S_NS, S_TX, S_RX, S_ALGOS.
ssh_once() {
  local rx0
  S_ALGOS=$("${SSH_BASE[@]}" -v -c "$1" -m hmac-sha2-256 root@127.0.0.1 true \
            2>&1 | sed -n 's/.*kex: client->server cipher: \([^ ]*\) MAC: \([^ ]*\).*/\1 \2/p' | head -1)
  sleep 0.3  # sshd reaps that probe before the baseline is read.
  rx0=$(proc_cpu "$SSHD_PID")
  read -r S_NS S_TX < <(timed bash -c 'head -c "$0" /dev/zero | "${@}" "cat > /dev/null"' \
      "$BYTES" "${SSH_BASE[@]}" -o LogLevel=ERROR -c "$1" -m hmac-sha2-256 \
      root@127.0.0.1)
  sleep 0.3  # sshd reaps the session (and its cat) into its own counters.
  S_RX=$(echo "$(proc_cpu "$SSHD_PID") - $rx0" | bc)
}

start_sshd "$WORK/ssh"
echo "attach throughput, $MIB MiB, median of $ROUNDS round(s)"
echo "  (CPU: sender + receiver, ms per MiB; the sender includes head)"
for c in $CIPHERS; do
  tn=() ttx=() trx=() sn=() stx=() srx=()
  for _ in $(seq 1 "$ROUNDS"); do
    tether_once "$c"
    ssh_once "$c"
    tn+=("$T_NS") ttx+=("$T_TX") trx+=("$T_RX")
    sn+=("$S_NS") stx+=("$S_TX") srx+=("$S_RX")
  done
  t=$(median "${tn[@]}") s=$(median "${sn[@]}")
  echo "cipher $c:"
  printf '  %-30s %-36s %7s MiB/s  CPU %5s + %5s\n' \
    "tether -> attachd -> log" "${T_ALGOS:-?}" "$(rate "$t")" \
    "$(ms_per_mib "$(median "${ttx[@]}")")" "$(ms_per_mib "$(median "${trx[@]}")")"
  printf '  %-30s %-36s %7s MiB/s  CPU %5s + %5s\n' \
    "OpenSSH ssh 'cat >/dev/null'" "${S_ALGOS:-?}" "$(rate "$s")" \
    "$(ms_per_mib "$(median "${stx[@]}")")" "$(ms_per_mib "$(median "${srx[@]}")")"
  per_round=""
  for k in "${!tn[@]}"; do
    per_round+=" $(echo "scale=2; ${sn[$k]} / ${tn[$k]}" | bc)"
  done
  printf '  ratio tether/OpenSSH: %s (target >= 1.0; per round:%s)\n' \
    "$(echo "scale=2; $s / $t" | bc)" "$per_round"
done

# Raw loopback TCP.
port=$(( 20000 + RANDOM % 20000 ))
socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" OPEN:/dev/null &
PIDS+=($!)
sleep 0.3
read -r r_ns _ < <(timed bash -c 'head -c "$0" /dev/zero | socat -u - "TCP:127.0.0.1:$1"' \
                         "$BYTES" "$port")
printf '  %-67s %7s MiB/s\n' "raw loopback TCP (socat)" "$(rate "$r_ns")"
