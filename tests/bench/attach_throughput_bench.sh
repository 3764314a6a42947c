#!/usr/bin/env bash
# Attach throughput: a session writing SIZE bytes to stdout, tether ->
# attachd -> log (state dir on tmpfs), against OpenSSH (`head | ssh 'cat
# >/dev/null'`, same cipher and MAC) and a raw loopback TCP copy (socat),
# all in the same run. Prints MiB/s and ratios.
set -euo pipefail
BIN=${1:?usage: attach_throughput_bench.sh BIN_DIR [MIB]}
MIB=${2:-1024}
here=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d -p /dev/shm tether-bench.XXXXXX)
source "$here/bench_lib.sh"

now() { date +%s%N; }
rate() { echo "scale=1; $MIB * 1000000000 / $1" | bc; }

# Tether -> attachd.
start_bench_attachd
ctl create --name bench -- sh -c "head -c $((MIB * 1048576)) /dev/zero" >/dev/null
ctl config bench > "$WORK/bench.json"
t0=$(now)
"$BIN/tether" --config "$WORK/bench.json" --drain-timeout 600000
t_tether=$(( $(now) - t0 ))
logged=$(ctl logs bench | wc -c)
[ "$logged" -eq $((MIB * 1048576)) ] || echo "warning: log holds $logged bytes"

# OpenSSH.
start_sshd "$WORK/ssh"
t0=$(now)
head -c $((MIB * 1048576)) /dev/zero | "${SSH_CMD[@]}" 'cat > /dev/null'
t_ssh=$(( $(now) - t0 ))

# Raw loopback TCP.
port=$(( 20000 + RANDOM % 20000 ))
socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" OPEN:/dev/null &
PIDS+=($!)
sleep 0.3
t0=$(now)
head -c $((MIB * 1048576)) /dev/zero | socat -u - "TCP:127.0.0.1:$port"
t_raw=$(( $(now) - t0 ))

echo "attach throughput, $MIB MiB (aes128-ctr + hmac-sha2-256 for both SSH paths):"
printf '  %-34s %8s MiB/s\n' "tether -> attachd -> log" "$(rate $t_tether)"
printf '  %-34s %8s MiB/s\n' "OpenSSH ssh 'cat >/dev/null'" "$(rate $t_ssh)"
printf '  %-34s %8s MiB/s\n' "raw loopback TCP (socat)" "$(rate $t_raw)"
printf '  ratio tether/OpenSSH: %s (target >= 1.0)\n' "$(echo "scale=2; $t_ssh / $t_tether" | bc)"
printf '  ratio tether/raw TCP: %s\n' "$(echo "scale=2; $t_raw / $t_tether" | bc)"
